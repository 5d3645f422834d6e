using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>writeMajority</c> rule: enough healthy data-bearing voters to acknowledge <c>w: "majority"</c> writes.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluateWriteMajority(ReplicaSetObservation observation)
    {
        var status = observation.Status;
        var config = ConfigById(observation.Config);
        var dataBearingVoters = status.Members
            .Where(member => !IsArbiter(member, config) && Votes(member, config) > 0)
            .ToList();
        var healthy = dataBearingVoters
            .Where(member => member.Healthy && member.State is ReplicaSetMemberState.Primary or ReplicaSetMemberState.Secondary)
            .ToList();

        // Servers before 4.2.1 do not report writeMajorityCount: derive it as they would, a majority of the voters capped
        // at the number of data-bearing voters (arbiters vote but cannot acknowledge writes).
        var voters = status.Members.Sum(member => Votes(member, config));
        var required = status.WriteMajorityCount ?? Math.Min((voters / 2) + 1, dataBearingVoters.Count);
        var data = new Dictionary<string, object>
        {
            ["healthyDataBearingVoters"] = healthy.Count,
            ["dataBearingVoters"] = dataBearingVoters.Count,
            ["writeMajorityCount"] = required,
        };
        var missing = dataBearingVoters.Except(healthy).Select(member => member.Name).ToList();
        if (healthy.Count < required)
        {
            return new(
                ReplicaSetHealthRules.WriteMajority,
                HealthStatus.Unhealthy,
                Invariant($"{healthy.Count} healthy data-bearing voters, fewer than writeMajorityCount {required}: w:\"majority\" writes cannot complete (not available: {string.Join(", ", missing)})"),
                data);
        }

        if (healthy.Count == required && missing.Count > 0)
        {
            return new(
                ReplicaSetHealthRules.WriteMajority,
                HealthStatus.Degraded,
                Invariant($"{healthy.Count} healthy data-bearing voters, exactly writeMajorityCount {required}: one more failure stops majority writes (not available: {string.Join(", ", missing)})"),
                data);
        }

        return new(
            ReplicaSetHealthRules.WriteMajority,
            HealthStatus.Healthy,
            Invariant($"{healthy.Count} of {dataBearingVoters.Count} data-bearing voters healthy, writeMajorityCount {required}"),
            data);
    }
}
