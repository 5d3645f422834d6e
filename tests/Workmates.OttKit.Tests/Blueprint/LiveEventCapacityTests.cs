using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>Live events against the cluster: ENI capacity, the host floor that goes with the task floor, and past dates.</summary>
public sealed class LiveEventCapacityTests
{
    private static readonly DateTimeOffset December2026 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("m6i.xlarge", 4, 3, 20)]
    [InlineData("m5.xlarge", 4, 3, 20)]
    [InlineData("m7g.large", 3, 2, 10)]
    [InlineData("m6g.large", 3, 2, 10)]
    [InlineData("c5.large", 3, 2, 10)]
    public void InstanceTypes_SampleTypes_CarryTheirEniAndTrunkLimits(string type, int enis, int tasks, int trunked)
    {
        Assert.True(InstanceTypes.TryGet(type, out var info));
        Assert.Equal(enis, info.MaxNetworkInterfaces);
        Assert.Equal(tasks, info.AwsvpcTasks(eniTrunking: false));
        Assert.Equal(trunked, info.AwsvpcTasks(eniTrunking: true));
    }

    [Fact]
    public void InstanceTypes_BurstableType_IsNotTrunked()
    {
        Assert.True(InstanceTypes.TryGet("t3.medium", out var info));
        Assert.Null(info.TrunkedTaskLimit);
        Assert.Equal(2, info.AwsvpcTasks(eniTrunking: true));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Validate_Samples_AreValidAtAFixedTimeBeforeTheirEvents(string name) =>
        Assert.Empty(SampleSpecs.ByName(name).Validate(new ValidationContext { Now = December2026 }));

    [Fact]
    public void Validate_BlacksheepWithoutTrunking_NamesTheEniGapAndTheFixes()
    {
        var spec = SampleSpecs.Blacksheep();
        spec = spec with { Cluster = spec.Cluster with { EniTrunking = false } };
        var problem = spec.SingleProblemAt("cluster.maxHosts");
        Assert.Contains("live event 'marathon'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("186 tasks needed", problem.Message, StringComparison.Ordinal);
        Assert.Contains("72 available", problem.Message, StringComparison.Ordinal);
        Assert.Contains("at least 62", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("aws ecs put-account-setting-default --name awsvpcTrunking --value enabled", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("cluster.eniTrunking: true", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("then 19 hosts suffice", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TrunkingOnANonTrunkType_ReportsEniTrunking()
    {
        var spec = TestSpecs.Valid() with { LiveEvents = [], Cluster = new ClusterSpec { InstanceTypes = ["t3.large"], EniTrunking = true } };
        var problem = spec.SingleProblemAt("cluster.eniTrunking");
        Assert.Contains("t3.large", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EventOverBeforeNow_ReportsEndUtcWithTheFix()
    {
        var spec = SampleSpecs.Blacksheep();
        var problems = spec.Validate(new ValidationContext { Now = new DateTimeOffset(2027, 11, 6, 18, 0, 0, TimeSpan.Zero) });
        var problem = Assert.Single(problems);
        Assert.Equal("liveEvents[0].endUtc", problem.Path);
        Assert.Contains("'marathon' ended at 2027-11-06T18:00:00Z", problem.Message, StringComparison.Ordinal);
        Assert.Contains("future", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EventUnderWay_IsAccepted() =>
        Assert.Empty(SampleSpecs.Blacksheep().Validate(new ValidationContext { Now = new DateTimeOffset(2027, 11, 4, 0, 0, 0, TimeSpan.Zero) }));

    [Fact]
    public void Validate_WithoutAClock_SkipsThePastDateRule()
    {
        var spec = TestSpecs.Valid();   // its event is in 2020
        Assert.Empty(spec.Validate());
        Assert.Single(spec.Validate(ValidationContext.At(new FakeTimeProvider(December2026))), p => p.Path == "liveEvents[0].endUtc");
    }

    [Fact]
    public void Synthesize_Blacksheep_RaisesTheHostFloorWithTheTaskFloor()
    {
        var resources = ClusterResources(SampleSpecs.Blacksheep());
        // The marathon's floors: web 12, api 12, auth 4, live-chat 10, catalog and payments 2 each = 42 tasks,
        // 16384 CPU units = 4 m6i.xlarge (memory needs 3, trunked ENIs 3).
        var prewarm = resources["MarathonHostFloorPrewarm"]!;
        Assert.Equal("AWS::AutoScaling::ScheduledAction", prewarm["Type"]!.GetValue<string>());
        Assert.Equal("2027-11-02T02:30:00Z", prewarm["Properties"]!["StartTime"]!.GetValue<string>());
        Assert.Equal(4L, prewarm["Properties"]!["MinSize"]!.GetValue<long>());
        Assert.Equal(4L, prewarm["Properties"]!["DesiredCapacity"]!.GetValue<long>());
        Assert.Equal("AutoScalingGroup", prewarm["Properties"]!["AutoScalingGroupName"]!["Ref"]!.GetValue<string>());

        var restore = resources["MarathonHostFloorRestore"]!["Properties"]!;
        Assert.Equal("2027-11-06T18:30:00Z", restore["StartTime"]!.GetValue<string>());
        Assert.Equal(3L, restore["MinSize"]!.GetValue<long>());
        Assert.Null(restore["DesiredCapacity"]);
    }

    [Fact]
    public void Synthesize_FloorBoundByEnis_CountsTwoTasksPerLargeHostWithoutTrunking()
    {
        // web 2 + api 4 = 6 floor tasks: one m6i.large by CPU and memory, three by ENIs (2 each) without trunking.
        var spec = TestSpecs.Valid() with { Cluster = new ClusterSpec { MaxHosts = 15 } };
        Assert.Empty(spec.Validate());
        Assert.Equal(3L, ClusterResources(spec)["LaunchHostFloorPrewarm"]!["Properties"]!["MinSize"]!.GetValue<long>());
    }

    [Fact]
    public void Synthesize_FloorWithinMinHosts_AddsNoHostAction()
    {
        var resources = ClusterResources(TestSpecs.Valid());
        Assert.DoesNotContain(resources, r => r.Value!["Type"]!.GetValue<string>() == "AWS::AutoScaling::ScheduledAction");
    }

    [Fact]
    public void BlacksheepSpec_IsUnderEightyLines() =>
        Assert.True(SampleSpecs.Yaml("blacksheep").TrimEnd('\n').Split('\n').Length < 80);

    private static JsonObject ClusterResources(EnvironmentSpec spec) =>
        spec.Synthesize()[$"{spec.Name}-cluster"].Template.ToJsonNode()["Resources"]!.AsObject();
}
