using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;
using State = Workmates.OttKit.Mongo.Health.ReplicaSetMemberState;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthMetricsTests
{
    [Fact]
    public void ToDataPoints_HealthySet_EveryAggregateMetricWithTheEnvironmentDimension()
    {
        var points = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(Healthy()), "prod");

        string[] expected =
        [
            "HealthStatus", "RuleStatus", "PrimaryPresent", "PrimaryAbsentSeconds", "HealthyDataBearingVoters", "WriteMajorityMargin",
            "ReplicationLagMaxSeconds", "ReplicationLagSeconds", "OplogWindowSeconds", "OplogHeadroomSeconds", "HeartbeatMaxAgeSeconds",
            "UnusualStateMembers", "Elections", "RecentRestarts", "VotingAvailabilityZones",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), points.Select(point => point.MetricName).Distinct().Order(StringComparer.Ordinal));
        Assert.All(points, point => Assert.Equal("prod", point.Dimensions["Environment"]));
        Assert.All(points, point => Assert.Equal(Now, point.Timestamp));
    }

    [Fact]
    public void ToDataPoints_Values_ComeFromTheReport()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(30)),
            Down(2));

        var points = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(observation), "prod");

        Assert.Equal(1, Single(points, "HealthStatus").Value);
        Assert.Equal(1, Single(points, "PrimaryPresent").Value);
        Assert.Equal(2, Single(points, "HealthyDataBearingVoters").Value);
        Assert.Equal(0, Single(points, "WriteMajorityMargin").Value);
        Assert.Equal(30, Single(points, "ReplicationLagMaxSeconds").Value, 3);
        Assert.Equal(HealthMetricUnit.Seconds, Single(points, "ReplicationLagMaxSeconds").Unit);
        Assert.Equal(48 * 3600 - 30, Single(points, "OplogHeadroomSeconds").Value, 3);
        Assert.Equal(1, Single(points, "UnusualStateMembers").Value);
        Assert.Equal(HealthMetricUnit.Count, Single(points, "UnusualStateMembers").Unit);
    }

    [Fact]
    public void ToDataPoints_PerMemberLag_CarriesTheMemberDimension()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(7)),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(2)));

        var lags = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(observation), "prod")
            .Where(point => point.MetricName == "ReplicationLagSeconds")
            .ToDictionary(point => point.Dimensions["Member"], point => point.Value);

        Assert.Equal(new Dictionary<string, double> { [Host(1)] = 7, [Host(2)] = 2 }, lags);
    }

    [Fact]
    public void ToDataPoints_RuleStatus_OnePointPerRuleWithItsCode()
    {
        var observation = Healthy().WithMembers(Member(0, State.Secondary, self: true), Down(1), Down(2));

        var rules = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(observation), "prod")
            .Where(point => point.MetricName == "RuleStatus")
            .ToDictionary(point => point.Dimensions["Rule"], point => point.Value);

        Assert.Equal(9, rules.Count);
        Assert.Equal(2, rules["writeMajority"]);
        Assert.Equal(1, rules["memberStates"]);
        Assert.Equal(0, rules["oplogWindow"]);
    }

    [Fact]
    public void ToDataPoints_UnobservedParts_MetricsOmitted()
    {
        var observation = Healthy() with { Oplog = null, Config = null, Status = Healthy().Status with { Term = null } };

        var names = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(observation), "prod").Select(point => point.MetricName).ToHashSet();

        Assert.DoesNotContain("OplogWindowSeconds", names);
        Assert.DoesNotContain("OplogHeadroomSeconds", names);
        Assert.DoesNotContain("Elections", names);
        Assert.DoesNotContain("VotingAvailabilityZones", names);
    }

    [Fact]
    public void ToDataPoints_FirstObservationWithoutPrimary_NoAbsenceDuration()
    {
        var observation = Healthy().WithMembers(Down(0), Member(1, State.Secondary, self: true));

        var points = ReplicaSetHealthMetrics.ToDataPoints(Evaluate(observation), "prod");

        Assert.Equal(0, Single(points, "PrimaryPresent").Value);
        Assert.DoesNotContain(points, point => point.MetricName == "PrimaryAbsentSeconds");
    }

    [Fact]
    public void ToDataPoints_BlankEnvironment_Rejected()
    {
        Assert.Throws<ArgumentException>(() => ReplicaSetHealthMetrics.ToDataPoints(Evaluate(Healthy()), " "));
    }

    private static HealthMetricDatum Single(IReadOnlyList<HealthMetricDatum> points, string name) =>
        Assert.Single(points, point => point.MetricName == name);
}
