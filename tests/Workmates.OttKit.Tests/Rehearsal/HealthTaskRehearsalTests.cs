using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The scheduled replica-set health check (issue 18) run exactly as its synthesized task definition describes it, as a
/// step of the package's rehearsal (issue 21): the container's <c>Environment</c> and ECS <c>secrets</c> resolved with
/// the execution role, the image's entry point run in process with the container's <c>Command</c> (<c>health</c>) as the
/// health task role, against the replica-set simulator over TLS, publishing to the CloudWatch simulator with IAM
/// enforced. The metrics it publishes must be exactly what the monitoring stack's alarms watch (else a finding); with
/// the primary lost, the "no primary" alarm's metric breaches (on the test project's bed, which can elect).
/// </summary>
public sealed class HealthTaskRehearsalTests
{
    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_scheduled_health_check_publishes_what_the_alarms_watch_with_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var report = await RehearsedSamples.ReportAsync(sample).WaitAsync(TestContext.Current.CancellationToken);

        var step = Assert.Single(report.Steps, s => s.Job == $"{spec.Name}-{PlatformNaming.DatabaseBackupPart}/HealthTaskDefinition");
        Assert.True(step.Verdict == RehearsalVerdict.Passed, step.Detail);
        Assert.Equal("dotnet BackupTask.dll health", step.Command);
        var calls = report.CallsOf(step);
        Assert.All(calls, c => Assert.True(c.Allowed, c.Message));
        var byExecution = calls.Where(c => c.Principal.Contains("-BackupExecutionRole-", StringComparison.Ordinal)).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var byTask = calls.Where(c => c.Principal == step.Principal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["kms:Decrypt", "secretsmanager:GetSecretValue"], byExecution.Order(StringComparer.Ordinal));
        Assert.Equal(CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish.Select(p => p.Action).Order(StringComparer.Ordinal), byTask.Order(StringComparer.Ordinal));
        // Each of the four health alarms watches a published metric and none breaches on a healthy set (else a "tasks" finding).
        Assert.Equal(4, HealthAlarms(spec).Count);
        Assert.DoesNotContain(report.Findings, f => f.Kind == "tasks");
        RehearsalSummary.Write($"health-task-{sample}",
            $"{sample}: scheduled health task run in process from its task definition, exit {step.ExitCode}, {calls.Count} AWS calls authorized "
            + $"({byExecution.Count + byTask.Count} distinct actions by the execution and task roles), {step.Denied} denied");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task With_the_primary_lost_the_no_primary_alarm_breaches()
    {
        var spec = SampleSpecs.Owl270();
        await using var bed = await DatabaseTaskBed.StartAsync(spec, $"{spec.Name}-rehearsal-backups");
        var container = bed.HealthContainer;
        var environment = await bed.EcsAgentEnvironmentAsync(container);
        var noPrimary = HealthAlarms(spec).Single(a => a["MetricName"]!.GetValue<string>() == ReplicaSetHealthMetricNames.PrimaryPresent);
        var healthy = await bed.RunEntrypointAsync(container, environment, DatabaseTaskBed.HealthKey);
        Assert.Equal(0, healthy.ExitCode);
        Assert.False(Breaches(noPrimary, bed.CloudWatch.Metrics));
        var before = bed.CloudWatch.Metrics.Count;

        bed.Mongo.StartElection();
        var run = await bed.RunEntrypointAsync(container, environment, DatabaseTaskBed.HealthKey);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output + run.Error);
        Assert.Empty(bed.Iam.Denied);
        var after = bed.CloudWatch.Metrics.Skip(before).ToList();
        Assert.True(Breaches(noPrimary, after), $"exit {run.ExitCode}; published after the primary was lost: {string.Join(", ", after.Select(m => $"{m.MetricName}={m.Value}"))}");
        Assert.Contains(after, m => m.MetricName == ReplicaSetHealthMetricNames.PrimaryPresent && m.Value == 0);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public void A_health_task_that_publishes_nothing_breaches_the_no_primary_alarm_and_no_other()
    {
        var alarms = HealthAlarms(SampleSpecs.Owl270());

        var breaching = alarms.Where(a => Breaches(a, [])).Select(a => a["MetricName"]!.GetValue<string>()).ToList();

        Assert.Equal([ReplicaSetHealthMetricNames.PrimaryPresent], breaching);
    }

    /// <summary>The monitoring stack's alarms in the health check's namespace, resolved as CloudFormation would create them.</summary>
    private static List<JsonObject> HealthAlarms(EnvironmentSpec spec)
    {
        var set = spec.Synthesize();
        var stack = $"{spec.Name}-{PlatformNaming.MonitoringPart}";
        var policies = new SynthesizedPolicies(set, DatabaseTaskBed.Account, new Dictionary<string, string>(StringComparer.Ordinal));
        return [.. set[stack].Template.Resources.Values
            .Where(r => r.Type == "AWS::CloudWatch::Alarm")
            .Select(r => policies.Resolve(stack, r.Properties).AsObject())
            .Where(a => a["Namespace"]?.GetValue<string>() == ReplicaSetHealthMetricNames.Namespace)];
    }

    private static bool Breaches(JsonObject alarm, IReadOnlyList<ReceivedMetricDatum> metrics) => HealthAlarmEvaluation.Breaches(alarm, metrics);
}
