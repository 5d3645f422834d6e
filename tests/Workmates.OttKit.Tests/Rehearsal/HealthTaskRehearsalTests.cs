using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The scheduled replica-set health check (issue 18) run exactly as its synthesized task definition describes it, on
/// the backup-task rehearsal's bed: the container's <c>Environment</c> and ECS <c>secrets</c> resolved with the
/// execution role, the image's entrypoint run with the container's <c>Command</c> (<c>health</c>) as the health task
/// role, against the replica-set simulator over TLS, publishing to the CloudWatch simulator with IAM enforced. The
/// metrics it publishes must be exactly what the monitoring stack's alarms watch; with the primary lost, the "no
/// primary" alarm's metric breaches.
/// </summary>
public sealed class HealthTaskRehearsalTests
{
    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_scheduled_health_check_publishes_what_the_alarms_watch_with_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        await using var bed = await DatabaseTaskBed.StartAsync(spec, $"{spec.Name}-rehearsal-backups");
        var container = bed.HealthContainer;
        Assert.Equal(["health"], container["Command"]!.AsArray().Select(a => a!.GetValue<string>()));

        var environment = await bed.EcsAgentEnvironmentAsync(container);
        var run = await bed.RunEntrypointAsync(container, environment, DatabaseTaskBed.HealthKey);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output + run.Error);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}\ndenied: {string.Join("\n", bed.Iam.Denied)}");
        Assert.Empty(bed.Iam.Denied);
        var calls = bed.Iam.Calls;
        var byExecution = calls.Where(c => c.Principal == bed.ExecutionPrincipal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var byTask = calls.Where(c => c.Principal == bed.HealthTaskPrincipal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["kms:Decrypt", "secretsmanager:GetSecretValue"], byExecution.Order(StringComparer.Ordinal));
        Assert.Equal(CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish.Select(p => p.Action).Order(StringComparer.Ordinal), byTask.Order(StringComparer.Ordinal));
        Assert.All(bed.CloudWatch.Metrics, m => Assert.Equal(ReplicaSetHealthMetricNames.Namespace, m.Namespace));
        Assert.All(bed.CloudWatch.Metrics, m => Assert.Equal(spec.Name, m.Dimensions[ReplicaSetHealthMetricNames.EnvironmentDimension]));

        var alarms = HealthAlarms(spec);
        Assert.Equal(4, alarms.Count);
        foreach (var alarm in alarms)
        {
            Assert.True(Watched(alarm, bed.CloudWatch.Metrics).Count > 0, $"{alarm["AlarmName"]} watches {alarm["MetricName"]} {alarm["Dimensions"]!.ToJsonString()}, which the health task did not publish");
            Assert.False(Breaches(alarm, bed.CloudWatch.Metrics), $"{alarm["AlarmName"]} breaches on a healthy set");
        }

        RehearsalSummary.Write($"health-task-{sample}",
            $"{sample}: scheduled health task run from its task definition, exit {run.ExitCode}, {calls.Count} AWS calls authorized "
            + $"({byExecution.Count + byTask.Count} distinct actions by the execution and task roles), {bed.Iam.Denied.Count} denied; "
            + $"{bed.CloudWatch.Metrics.Count} data points, {alarms.Count} health alarms watching them");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"rehearsal {sample} health task: exit {run.ExitCode}; {calls.Count} AWS calls authorized "
            + $"(execution role: {string.Join(", ", byExecution.Order(StringComparer.Ordinal))}; task role: {string.Join(", ", byTask.Order(StringComparer.Ordinal))}), "
            + $"{bed.Iam.Denied.Count} denied; {bed.CloudWatch.Metrics.Count} data points");
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

    private static List<ReceivedMetricDatum> Watched(JsonObject alarm, IReadOnlyList<ReceivedMetricDatum> metrics)
    {
        var dimensions = alarm["Dimensions"]!.AsArray().ToDictionary(d => d!["Name"]!.GetValue<string>(), d => d!["Value"]!.GetValue<string>(), StringComparer.Ordinal);
        return [.. metrics.Where(m => m.Namespace == alarm["Namespace"]!.GetValue<string>()
            && m.MetricName == alarm["MetricName"]!.GetValue<string>()
            && m.Dimensions.Count == dimensions.Count
            && dimensions.All(d => m.Dimensions.TryGetValue(d.Key, out var value) && value == d.Value))];
    }

    // One evaluation period as CloudWatch evaluates it: the statistic over the period's data points, or the alarm's
    // missing-data treatment when there are none.
    private static bool Breaches(JsonObject alarm, IReadOnlyList<ReceivedMetricDatum> metrics)
    {
        var values = Watched(alarm, metrics).Select(m => m.Value ?? 0).ToList();
        if (values.Count == 0)
        {
            return alarm["TreatMissingData"]!.GetValue<string>() == "breaching";
        }

        var value = alarm["Statistic"]!.GetValue<string>() switch
        {
            "Minimum" => values.Min(),
            "Maximum" => values.Max(),
            "Average" => values.Average(),
            var other => throw new InvalidOperationException($"statistic {other}"),
        };
        var threshold = double.Parse(alarm["Threshold"]!.ToString(), CultureInfo.InvariantCulture);
        return alarm["ComparisonOperator"]!.GetValue<string>() switch
        {
            "LessThanThreshold" => value < threshold,
            "LessThanOrEqualToThreshold" => value <= threshold,
            "GreaterThanThreshold" => value > threshold,
            "GreaterThanOrEqualToThreshold" => value >= threshold,
            var other => throw new InvalidOperationException($"comparison {other}"),
        };
    }
}
