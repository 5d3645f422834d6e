using Workmates.OttKit.Iam;
using Workmates.OttKit.Patching;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Patching;

public sealed class PatchRunnerTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_database_patches_secondaries_first_then_steps_the_primary_down_and_waits_for_each_member_to_catch_up()
    {
        await using var bed = await PatchTestBed.StartAsync();
        var runner = new PatchRunner(bed.Client, replicaSet: bed.Control, timeProvider: bed.Clock);

        var result = await bed.RunAsync(runner.InstallAsync(bed.Options(PatchTarget.Database), TestContext.Current.CancellationToken));

        Assert.True(result.Succeeded, result.Verdict);
        Assert.Equal(
            ["install i-mongo1", "caught up i-mongo1", "install i-mongo2", "caught up i-mongo2", "stepdown i-mongo0", "install i-mongo0", "caught up i-mongo0"],
            bed.Order.ToArray());
        Assert.Equal(["i-mongo1", "i-mongo2", "i-mongo0"], result.Instances.Select(i => i.InstanceId));
        Assert.All(result.Instances, i => Assert.Equal("Success", i.Status));
        // The old primary is a patched secondary now; another member was elected.
        Assert.Equal(SimulatedMemberState.Secondary, bed.Set.Members[0].State);
        Assert.NotNull(bed.Set.Primary);
        var stepDown = Assert.Single(bed.Events.OfType<PrimarySteppedDown>());
        Assert.Equal(bed.Set.Members[0].Name, stepDown.OldPrimary);
        // Each member was waited for while it lagged 30 s, over the 10 s threshold of the health check.
        Assert.Contains(bed.Events.OfType<MemberWaiting>(), w => w.Member == bed.Set.Members[1].Name && w.Lag == TimeSpan.FromSeconds(30));
        Assert.Equal(3, bed.Events.OfType<MemberCaughtUp>().Count());
        Assert.Contains("patched [", result.ReplicaSetState, StringComparison.Ordinal);
        Assert.Contains($"primary {bed.Set.Primary!.Name}", result.ReplicaSetState, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_database_stops_at_the_first_failed_member_and_says_what_state_the_set_is_in()
    {
        await using var bed = await PatchTestBed.StartAsync();
        bed.Ssm.AddInstance("i-unused", "prod-other", "10.9.9.9");
        var second = bed.Ssm.Invocations; // none yet
        Assert.Empty(second);
        var m2 = bed.Set.Members[2];
        SetFailNext(bed, "i-mongo2", "Failed", "dnf: Error: Transaction test error");
        var runner = new PatchRunner(bed.Client, replicaSet: bed.Control, timeProvider: bed.Clock);

        var result = await bed.RunAsync(runner.InstallAsync(bed.Options(PatchTarget.Database), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal(["install i-mongo1", "caught up i-mongo1", "install i-mongo2"], bed.Order.ToArray());
        Assert.Contains($"stopped at MongoDB member {m2.Name} (i-mongo2): the patch command ended Failed (dnf: Error: Transaction test error)", result.Verdict, StringComparison.Ordinal);
        Assert.Equal(
            $"Replica set: patched [{bed.Set.Members[1].Name}]; patch failed on [{m2.Name}]; not patched [{bed.Set.Members[0].Name}]; primary {bed.Set.Members[0].Name}.",
            result.ReplicaSetState);
        Assert.Equal(SimulatedMemberState.Primary, bed.Set.Members[0].State);
        Assert.DoesNotContain(bed.Set.ReceivedCommands, c => c.Name == "replSetStepDown");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_database_stops_when_a_patched_member_does_not_catch_up_in_time()
    {
        await using var bed = await PatchTestBed.StartAsync();
        bed.CatchUpAfter = null;
        var runner = new PatchRunner(bed.Client, replicaSet: bed.Control, timeProvider: bed.Clock);
        var options = bed.Options(PatchTarget.Database);
        options = new PatchOptions { Environment = options.Environment, Target = options.Target, MemberInstance = options.MemberInstance, Progress = options.Progress, MemberRecoveryTimeout = TimeSpan.FromMinutes(10) };

        var result = await bed.RunAsync(runner.InstallAsync(options, TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal(["install i-mongo1"], bed.Order.ToArray());
        Assert.Contains("was not SECONDARY with replication lag under 10 s within 00:10:00 (last seen: SECONDARY, 30 s behind)", result.Verdict, StringComparison.Ordinal);
        Assert.StartsWith($"Replica set: patched [{bed.Set.Members[1].Name}]; not patched [{bed.Set.Members[2].Name}, {bed.Set.Members[0].Name}]; primary {bed.Set.Members[0].Name}.", result.ReplicaSetState, StringComparison.Ordinal);
        // It polled on the clock at the poll interval until the deadline.
        var waits = bed.Events.OfType<MemberWaiting>().Count();
        Assert.InRange(waits, 60, 62);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_hosts_goes_a_quarter_at_a_time_draining_each_batch_before_patching_and_activating_it_after()
    {
        await using var bed = await PatchTestBed.StartAsync(hosts: 5);
        var runner = new PatchRunner(bed.Client, new RecordingDrainer(bed.Order), timeProvider: bed.Clock);

        var result = await bed.RunAsync(runner.InstallAsync(bed.Options(PatchTarget.Hosts), TestContext.Current.CancellationToken));

        Assert.True(result.Succeeded, result.Verdict);
        Assert.Equal(
        [
            "drain i-host0,i-host1", "install i-host0", "install i-host1", "activate i-host0,i-host1",
            "drain i-host2,i-host3", "install i-host2", "install i-host3", "activate i-host2,i-host3",
            "drain i-host4", "install i-host4", "activate i-host4",
        ],
        bed.Order.ToArray());
        Assert.Equal(3, bed.Events.OfType<HostBatchStarted>().Count());
        Assert.Equal("Install: 5 ECS hosts patched.", result.Verdict);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_hosts_stops_at_a_failed_batch_and_sets_it_active_again()
    {
        await using var bed = await PatchTestBed.StartAsync(hosts: 4);
        SetFailNext(bed, "i-host1", "TimedOut", "reboot did not complete");
        var runner = new PatchRunner(bed.Client, new RecordingDrainer(bed.Order), timeProvider: bed.Clock);

        var result = await bed.RunAsync(runner.InstallAsync(bed.Options(PatchTarget.Hosts), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal(["drain i-host0", "install i-host0", "activate i-host0", "drain i-host1", "install i-host1", "activate i-host1"], bed.Order.ToArray());
        Assert.Equal("Install stopped in ECS host batch 2 of 4: i-host1 TimedOut. Batch 2's container instances were set ACTIVE again: i-host1.", result.Verdict);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Scan_runs_everywhere_at_once_without_draining_or_step_down_and_reports_compliance_per_instance()
    {
        await using var bed = await PatchTestBed.StartAsync(hosts: 2);
        var missing = SetMissing(bed, "i-mongo2", 3);
        var runner = new PatchRunner(bed.Client, new RecordingDrainer(bed.Order), bed.Control, bed.Clock);

        var result = await bed.RunAsync(runner.ScanAsync(bed.Options(PatchTarget.All), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Single(bed.Events.OfType<PatchCommandSent>());
        Assert.Equal(["scan i-host0", "scan i-host1", "scan i-mongo0", "scan i-mongo1", "scan i-mongo2"], bed.Order.ToArray());
        Assert.DoesNotContain(bed.Set.ReceivedCommands, c => c.Name == "replSetStepDown");
        Assert.Equal(5, result.Instances.Length);
        Assert.Equal(3, result.Instances.Single(i => i.InstanceId == "i-mongo2").Compliance!.Missing);
        Assert.All(result.Instances.Where(i => i.InstanceId != "i-mongo2"), i => Assert.True(i.Compliance!.IsCompliant));
        Assert.Equal("Scan: 1 of 5 instances not compliant (3 patches missing).", result.Verdict);
        Assert.Equal(3, missing.Missing);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_without_instances_in_the_patch_groups_is_refused_before_anything_runs()
    {
        await using var bed = await PatchTestBed.StartAsync();
        var runner = new PatchRunner(bed.Client, timeProvider: bed.Clock);

        var error = await Assert.ThrowsAsync<PatchException>(() => bed.RunAsync(runner.InstallAsync(bed.Options(PatchTarget.Hosts), TestContext.Current.CancellationToken)));

        Assert.Contains("Patch Group=prod-ecs-hosts", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Ssm.Invocations);
    }

    [Fact]
    public void Declared_permissions_cover_the_calls_and_send_commands_only_to_the_patch_document_and_the_patch_groups()
    {
        Assert.Contains(new RequiredAction("ssm:SendCommand", PermissionScope.PatchBaselineDocument), PatchRunner.RequiredPermissions.Install);
        Assert.Contains(new RequiredAction("ssm:SendCommand", PermissionScope.PatchGroupInstances), PatchRunner.RequiredPermissions.Install);
        Assert.Contains(new RequiredAction("ssm:DescribeInstancePatchStates", PermissionScope.NoResource), PatchRunner.RequiredPermissions.Scan);
        Assert.DoesNotContain(PatchRunner.RequiredPermissions.Install, p => p.Action == "ssm:SendCommand" && p.Scope == PermissionScope.NoResource);
    }

    private static void SetFailNext(PatchTestBed bed, string instanceId, string status, string error) =>
        Instance(bed, instanceId).FailNext = (status, error);

    private static Workmates.OttKit.Simulators.Aws.SimulatedManagedInstance SetMissing(PatchTestBed bed, string instanceId, int missing)
    {
        var instance = Instance(bed, instanceId);
        instance.Missing = missing;
        return instance;
    }

    private static Workmates.OttKit.Simulators.Aws.SimulatedManagedInstance Instance(PatchTestBed bed, string instanceId) =>
        bed.Ssm.Instances.Single(i => i.InstanceId == instanceId);
}
