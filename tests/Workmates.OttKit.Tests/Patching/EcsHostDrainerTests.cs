using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Patching;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Deployment;
using Workmates.OttKit.Tests.Rehearsal;

namespace Workmates.OttKit.Tests.Patching;

/// <summary>
/// <see cref="EcsHostDrainer"/> with <see cref="PatchRunner"/> against the ECS simulator's container instances and the
/// SSM simulator on one virtual clock: cluster "prod" with four hosts, a replica service "api" (4 tasks,
/// minimumHealthyPercent 100, maximumPercent 200) and a daemon service "agent" on every host.
/// </summary>
public sealed class EcsHostDrainerTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_drains_each_batch_until_only_daemon_tasks_remain_patches_it_and_sets_it_active_again()
    {
        await using var bed = await Bed.StartAsync();

        var result = await bed.RunAsync(bed.Runner().InstallAsync(bed.Options(), TestContext.Current.CancellationToken));

        Assert.True(result.Succeeded, result.Verdict);
        Assert.Equal(
        [
            "install i-host0 (DRAINING, no task)", "install i-host1 (DRAINING, no task)",
            "install i-host2 (DRAINING, no task)", "install i-host3 (DRAINING, no task)",
        ],
        bed.Order.ToArray());
        Assert.Equal(["drained", "command", "active"], bed.Events.Where(e => e is HostsDrained or PatchCommandSent or HostsActivated).Take(3).Select(Kind));
        Assert.Equal(4, bed.Events.OfType<HostsActivated>().Count());
        foreach (var host in Bed.Hosts)
        {
            var (status, groups) = bed.Ecs.ContainerInstanceState("prod", host);
            Assert.Equal("ACTIVE", status);
            Assert.Contains("service:agent", groups);
        }

        Assert.Equal(4, bed.Ecs.ServiceTaskHosts("prod", "api").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Drain_waits_for_the_replacements_to_be_healthy_before_stopping_tasks_when_minimum_healthy_is_100()
    {
        await using var bed = await Bed.StartAsync();
        var before = bed.Ecs.ServiceTaskHosts("prod", "api").Count(h => h == "i-host0");
        var drainer = bed.Drainer();
        var started = bed.Clock.GetUtcNow();
        var lowest = int.MaxValue;
        using var watch = bed.Clock.CreateTimer(_ => lowest = Math.Min(lowest, bed.Ecs.RunningHealthy("prod", "api")), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await bed.Clock.RunAsync(drainer.DrainAsync(["i-host0"], TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, before);
        Assert.True(lowest >= 4, $"healthy tasks fell to {lowest} during the drain (minimumHealthyPercent 100 of 4)");
        // The replacement starts (20 s) and passes its health check (30 s) before the old task may stop.
        Assert.True(bed.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(50), $"drained after {bed.Clock.GetUtcNow() - started}");
        var (status, groups) = bed.Ecs.ContainerInstanceState("prod", "i-host0");
        Assert.Equal("DRAINING", status);
        Assert.DoesNotContain("service:api", groups);
        Assert.DoesNotContain(bed.Ecs.ServiceTaskHosts("prod", "api"), h => h == "i-host0");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Drain_with_minimum_healthy_50_stops_first_and_replaces_within_maximum_100()
    {
        await using var bed = await Bed.StartAsync(minimumHealthyPercent: 50, maximumPercent: 100);
        var highest = 0;
        using var watch = bed.Clock.CreateTimer(_ => highest = Math.Max(highest, bed.Ecs.ServiceTaskHosts("prod", "api").Count), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await bed.Clock.RunAsync(bed.Drainer().DrainAsync(["i-host0", "i-host1"], TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(highest <= 4, $"{highest} tasks at once (maximumPercent 100 of 4)");
        Assert.All(bed.Ecs.ServiceTaskHosts("prod", "api"), h => Assert.True(h is "i-host2" or "i-host3", h));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Install_stops_at_a_failed_batch_sets_it_active_again_and_leaves_the_next_batches_untouched()
    {
        await using var bed = await Bed.StartAsync();
        bed.Ssm.Instances.Single(i => i.InstanceId == "i-host1").FailNext = ("Failed", "yum: Error: transaction check");

        var result = await bed.RunAsync(bed.Runner().InstallAsync(bed.Options(), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal("Install stopped in ECS host batch 2 of 4: i-host1 Failed. Batch 2's container instances were set ACTIVE again: i-host1.", result.Verdict);
        Assert.Equal(["install i-host0 (DRAINING, no task)", "install i-host1 (DRAINING, no task)"], bed.Order.ToArray());
        Assert.Equal("ACTIVE", bed.Ecs.ContainerInstanceState("prod", "i-host1").Status);
        Assert.Equal(2, bed.Events.OfType<HostsDrained>().Count());
        Assert.Equal(2, bed.Events.OfType<HostsActivated>().Count());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_drain_that_never_finishes_times_out_naming_the_task_patches_nothing_and_sets_the_host_active_again()
    {
        await using var bed = await Bed.StartAsync();
        var migrate = bed.Ecs.RegisterTaskDefinition("prod-migrate", "111122223333.dkr.ecr.ap-south-1.amazonaws.com/migrate:1");
        bed.Ecs.RunStandaloneTask("prod", "i-host0", migrate);

        var result = await bed.RunAsync(bed.Runner(new EcsHostDrainerOptions { DrainTimeout = TimeSpan.FromMinutes(5) }).InstallAsync(bed.Options(), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal(
            "Install stopped in ECS host batch 1 of 4 before patching it: draining failed: Draining did not finish within 00:05:00: i-host0 still runs 1 task (family:prod-migrate ×1). "
            + "ECS moves only service tasks; stop the others (or wait for them) and run the install again. Batch 1's container instances were set ACTIVE again: i-host0.",
            result.Verdict);
        Assert.Empty(bed.Ssm.Invocations);
        Assert.Equal("ACTIVE", bed.Ecs.ContainerInstanceState("prod", "i-host0").Status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Cancelling_during_the_drain_sets_the_batch_active_again_and_sends_no_command()
    {
        await using var bed = await Bed.StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var timer = bed.Clock.CreateTimer(_ => cancel.Cancel(), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.RunAsync(bed.Runner().InstallAsync(bed.Options(), cancel.Token)));

        Assert.Empty(bed.Ssm.Invocations);
        Assert.Equal("ACTIVE", bed.Ecs.ContainerInstanceState("prod", "i-host0").Status);
        Assert.Single(bed.Events.OfType<HostsActivated>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_host_that_is_no_container_instance_is_named_and_nothing_is_drained_or_patched()
    {
        await using var bed = await Bed.StartAsync();
        bed.Ssm.AddInstance("i-host9", "prod-ecs-hosts", "10.0.2.99");

        var result = await bed.RunAsync(bed.Runner().InstallAsync(bed.Options(hostBatchPercent: 100), TestContext.Current.CancellationToken));

        Assert.False(result.Succeeded);
        Assert.Equal("Install stopped in ECS host batch 1 of 1 before patching it: i-host9 is not an ACTIVE or DRAINING container instance of cluster prod (is the ECS agent running and connected?); nothing was drained.", result.Verdict);
        Assert.Empty(bed.Ssm.Invocations);
        Assert.All(Bed.Hosts, h => Assert.Equal("ACTIVE", bed.Ecs.ContainerInstanceState("prod", h).Status));
        Assert.Empty(bed.Events.OfType<HostsActivated>());
    }

    [Fact]
    public void The_administrator_role_that_runs_patch_install_is_allowed_every_declared_action_of_the_runner_and_the_drainer()
    {
        const string Account = "246813579024";
        var set = (TestSpecs.Valid() with { Access = new AccessSpec { Administrators = ["arn:aws:iam::111122223333:role/platform-admins"] } }).Synthesize();
        var policies = new SynthesizedPolicies(set, Account, new Dictionary<string, string>
        {
            ["demo:security:AuditBucketName"] = "demo-security-auditbucket-abc123",
            ["demo:security:DataKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/data",
            ["demo:security:LogsKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/logs",
        });
        var administrator = policies.Of("demo-access", policies.RoleNamed("demo-access", "demo-administrator"));
        var ecs = $"arn:aws:ecs:ap-south-1:{Account}";
        var hostTags = new Dictionary<string, string> { ["aws:ResourceTag/ottkit:environment"] = "demo", ["ssm:resourceTag/Patch Group"] = "demo-ecs-hosts" };
        (string Resource, Dictionary<string, string>? Context) Request(PermissionScope scope) => scope switch
        {
            PermissionScope.EcsClusterArn => ($"{ecs}:cluster/demo", null),
            PermissionScope.EcsContainerInstance => ($"{ecs}:container-instance/demo/0f1e2d3c", new() { ["ecs:cluster"] = $"{ecs}:cluster/demo" }),
            PermissionScope.EcsCluster => ("*", new() { ["ecs:cluster"] = $"{ecs}:cluster/demo" }),
            PermissionScope.EcsTask => ($"{ecs}:task/demo/0a1b2c3d", new() { ["ecs:cluster"] = $"{ecs}:cluster/demo" }),
            PermissionScope.EcsService => ($"{ecs}:service/demo/api", new() { ["ecs:cluster"] = $"{ecs}:cluster/demo" }),
            PermissionScope.PatchBaselineDocument => ("arn:aws:ssm:ap-south-1::document/AWS-RunPatchBaseline", null),
            PermissionScope.PatchGroupInstances => ($"arn:aws:ec2:ap-south-1:{Account}:instance/i-0a", hostTags),
            PermissionScope.NoResource => ("*", null),
            _ => throw new InvalidOperationException($"no resource for {scope}"),
        };

        var denied = RequiredAction.Union(PatchRunner.RequiredPermissions.Install, EcsHostDrainer.RequiredPermissions.Drain)
            .Select(p => (p, Request(p.Scope)))
            .Where(x => PolicyEvaluator.Evaluate(new IamRequest(x.p.Action, x.Item2.Resource, x.Item2.Context), administrator)!= IamDecision.Allowed)
            .Select(x => $"{x.p.Action} on {x.Item2.Resource}")
            .ToList();

        Assert.True(denied.Count == 0, "The administrator role does not allow: " + string.Join(", ", denied));
    }

    private static string Kind(PatchEvent e) => e switch { HostsDrained => "drained", PatchCommandSent => "command", _ => "active" };

    /// <summary>The two simulators on one clock, with the cluster described in the class summary.</summary>
    private sealed class Bed : IAsyncDisposable
    {
        public static readonly string[] Hosts = ["i-host0", "i-host1", "i-host2", "i-host3"];

        private readonly IEcsApi _ecsClient;
        private readonly Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement _ssmClient;

        private Bed(VirtualClock clock, SsmSimulator ssm, EcsSimulator ecs)
        {
            Clock = clock;
            Ssm = ssm;
            Ecs = ecs;
            _ecsClient = new AwsClientFactory(DeployTestBed.Options(ecs), c => c.HttpClientFactory = clock.AwsHttpClientFactory()).CreateEcs();
            _ssmClient = new AwsClientFactory(DeployTestBed.Options(ssm), c => c.HttpClientFactory = clock.AwsHttpClientFactory()).CreateSimpleSystemsManagement();
            ssm.CommandStarted = invocation =>
            {
                var (status, groups) = ecs.ContainerInstanceState("prod", invocation.InstanceId);
                var others = groups.Where(g => g != "service:agent").ToList();
                Order.Enqueue($"{invocation.Operation.ToLowerInvariant()} {invocation.InstanceId} ({status}, {(others.Count == 0 ? "no task" : string.Join(" ", others))})");
            };
        }

        public VirtualClock Clock { get; }

        public SsmSimulator Ssm { get; }

        public EcsSimulator Ecs { get; }

        public ConcurrentQueue<string> Order { get; } = new();

        public List<PatchEvent> Events { get; } = [];

        public static async Task<Bed> StartAsync(int minimumHealthyPercent = 100, int maximumPercent = 200)
        {
            var clock = new VirtualClock();
            var options = new AwsSimulatorOptions { Clock = clock, Region = "ap-south-1", AccountId = "111122223333" };
            var ssm = await SsmSimulator.StartAsync(options, TestContext.Current.CancellationToken);
            var ecs = await EcsSimulator.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
            foreach (var host in Hosts)
            {
                ecs.RegisterContainerInstance("prod", host);
                ssm.AddInstance(host, "prod-ecs-hosts", $"10.0.2.{10 + Array.IndexOf(Hosts, host)}");
            }

            var agent = ecs.RegisterTaskDefinition("prod-agent", "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1");
            ecs.AddDaemonService("prod", "agent", agent);
            var api = ecs.RegisterTaskDefinition("prod-api", "111122223333.dkr.ecr.ap-south-1.amazonaws.com/api:1");
            ecs.CreateService(new EcsServiceSeed
            {
                Cluster = "prod",
                ServiceName = "api",
                TaskDefinition = api,
                DesiredCount = 4,
                MinimumHealthyPercent = minimumHealthyPercent,
                MaximumPercent = maximumPercent,
            });
            return new Bed(clock, ssm, ecs);
        }

        public EcsHostDrainer Drainer(EcsHostDrainerOptions? options = null) => new(_ecsClient, "prod", options, Clock);

        public PatchRunner Runner(EcsHostDrainerOptions? options = null) => new(_ssmClient, Drainer(options), timeProvider: Clock);

        public PatchOptions Options(int hostBatchPercent = 25) => new() { Environment = "prod", Target = PatchTarget.Hosts, HostBatchPercent = hostBatchPercent, Progress = new SyncProgress(Events) };

        public Task<PatchResult> RunAsync(Task<PatchResult> work) => Clock.RunAsync(work, cancellationToken: TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            (_ecsClient as IDisposable)?.Dispose();
            _ssmClient.Dispose();
            await Ecs.DisposeAsync();
            await Ssm.DisposeAsync();
        }

        private sealed class SyncProgress(List<PatchEvent> events) : IProgress<PatchEvent>
        {
            public void Report(PatchEvent value)
            {
                lock (events)
                {
                    events.Add(value);
                }
            }
        }
    }
}
