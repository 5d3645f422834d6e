using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Tests.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>
/// The ELBv2 and CloudWatch simulators answer with values the botocore models allow: every target state, reason and
/// alarm state seen during the scenarios is in the model's enum, and the not-found error is the model's wire code.
/// </summary>
public sealed class SimulatorModelConformanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TargetHealthAndAlarmStates_SeenAcrossScenarios_AreAllInTheModelEnums()
    {
        var elb = AwsModel.Load("elbv2");
        var cloudWatch = AwsModel.Load("cloudwatch");
        var states = Enum(elb, "TargetHealthStateEnum");
        var reasons = Enum(elb, "TargetHealthReasonEnum");
        var alarmStates = Enum(cloudWatch, "StateValue");
        var seen = new List<DeploymentEvent>();
        foreach (var image in new[] { "registry.example/web:2", "registry.example/web:unhealthy", "registry.example/web:alarming" })
        {
            await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx"] });
            await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", image, bed.Options(o => o.FailFast = true), Ct));
            seen.AddRange(bed.Events);
        }

        var targets = seen.OfType<TargetHealthObserved>().SelectMany(e => e.Targets).ToList();
        var alarms = seen.OfType<AlarmStateObserved>().Select(e => e.Alarm).ToList();
        var wrong = targets.Where(t => !states.Contains(t.State) || (t.Reason is not null && !reasons.Contains(t.Reason))).Select(t => $"target {t.State}/{t.Reason}")
            .Concat(alarms.Where(a => !alarmStates.Contains(a.State)).Select(a => $"alarm {a.State}"))
            .Distinct().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{targets.Count} target observations ({string.Join(", ", targets.Select(t => t.State).Distinct())}), {alarms.Count} alarm observations ({string.Join(", ", alarms.Select(a => a.State).Distinct())}); {wrong.Count} outside the models");
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
        Assert.Contains(targets, t => t.State == "unhealthy");
        Assert.Contains(alarms, a => a.State == "ALARM");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTargetHealth_UnknownTargetGroup_ThrowsTheModelsNotFoundError()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var code = AwsModel.Load("elbv2").WireErrorCode("TargetGroupNotFoundException");

        var error = await Assert.ThrowsAsync<TargetGroupNotFoundException>(() => bed.ElbClient.DescribeTargetHealthAsync(
            new() { TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0000000000000000" }, Ct));

        Assert.Equal(code, error.ErrorCode);
    }

    private static HashSet<string> Enum(AwsModel model, string shape) =>
        model.Shape(shape).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
}
