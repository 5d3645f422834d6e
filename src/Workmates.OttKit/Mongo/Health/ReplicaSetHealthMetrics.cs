using Microsoft.Extensions.Diagnostics.HealthChecks;
using Names = Workmates.OttKit.Mongo.Health.ReplicaSetHealthMetricNames;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>Maps a report to metric data points: a pure function, so the names and values are tested without AWS.</summary>
internal static class ReplicaSetHealthMetrics
{
    public static IReadOnlyList<HealthMetricDatum> ToDataPoints(ReplicaSetHealthReport report, string environment)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        var at = report.ObservedAt;
        var common = new Dictionary<string, string>(StringComparer.Ordinal) { [Names.EnvironmentDimension] = environment };
        var points = new List<HealthMetricDatum>
        {
            new(Names.HealthStatus, StatusValue(report.Status), HealthMetricUnit.None, common, at),
        };

        void Add(string name, double value, HealthMetricUnit unit) => points.Add(new(name, value, unit, common, at));

        foreach (var rule in report.Rules)
        {
            var dimensions = new Dictionary<string, string>(common, StringComparer.Ordinal) { [Names.RuleDimension] = rule.Rule };
            points.Add(new(Names.RuleStatus, StatusValue(rule.Status), HealthMetricUnit.None, dimensions, at));
        }

        var primary = report[ReplicaSetHealthRules.Primary].Data;
        Add(Names.PrimaryPresent, primary["present"] is true ? 1 : 0, HealthMetricUnit.None);
        if (primary.TryGetValue("absentSeconds", out var absent))
        {
            Add(Names.PrimaryAbsentSeconds, Convert.ToDouble(absent, System.Globalization.CultureInfo.InvariantCulture), HealthMetricUnit.Seconds);
        }

        var majority = report[ReplicaSetHealthRules.WriteMajority].Data;
        var healthyVoters = (int)majority["healthyDataBearingVoters"];
        Add(Names.HealthyDataBearingVoters, healthyVoters, HealthMetricUnit.Count);
        Add(Names.WriteMajorityMargin, healthyVoters - (int)majority["writeMajorityCount"], HealthMetricUnit.Count);

        var lag = report[ReplicaSetHealthRules.ReplicationLag].Data;
        Add(Names.ReplicationLagMaxSeconds, (double)lag["maxSeconds"], HealthMetricUnit.Seconds);
        if (lag.TryGetValue("secondsByMember", out var byMember))
        {
            foreach (var (member, seconds) in (IReadOnlyDictionary<string, double>)byMember)
            {
                var dimensions = new Dictionary<string, string>(common, StringComparer.Ordinal) { [Names.MemberDimension] = member };
                points.Add(new(Names.ReplicationLagSeconds, seconds, HealthMetricUnit.Seconds, dimensions, at));
            }
        }

        var oplog = report[ReplicaSetHealthRules.OplogWindow].Data;
        if (oplog["evaluated"] is true)
        {
            Add(Names.OplogWindowSeconds, (double)oplog["hours"] * 3600, HealthMetricUnit.Seconds);
            Add(Names.OplogHeadroomSeconds, (double)oplog["headroomHours"] * 3600, HealthMetricUnit.Seconds);
        }

        Add(Names.HeartbeatMaxAgeSeconds, (double)report[ReplicaSetHealthRules.Heartbeat].Data["maxAgeSeconds"], HealthMetricUnit.Seconds);
        Add(Names.UnusualStateMembers, (int)report[ReplicaSetHealthRules.MemberStates].Data["count"], HealthMetricUnit.Count);

        var elections = report[ReplicaSetHealthRules.Elections].Data;
        if (elections["evaluated"] is true)
        {
            Add(Names.Elections, (long)elections["count"], HealthMetricUnit.Count);
        }

        Add(Names.RecentRestarts, (int)report[ReplicaSetHealthRules.Restarts].Data["count"], HealthMetricUnit.Count);

        var zones = report[ReplicaSetHealthRules.AvailabilityZoneSpread].Data;
        if (zones["evaluated"] is true)
        {
            Add(Names.VotingAvailabilityZones, (int)zones["distinctZones"], HealthMetricUnit.Count);
        }

        return points;
    }

    private static double StatusValue(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };
}
