using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>azSpread</c> rule: no single availability zone holds a voting majority.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluateAvailabilityZoneSpread(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        if (observation.Config is not { } config)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Healthy,
                "not evaluated: no replica-set configuration observed",
                new Dictionary<string, object> { ["evaluated"] = false });
        }

        var voters = config.Members.Where(member => member.Votes > 0).ToList();
        var totalVotes = voters.Sum(member => member.Votes);
        var majority = (totalVotes / 2) + 1;
        var untagged = voters
            .Where(member => !member.Tags.TryGetValue(options.AvailabilityZoneTag, out var zone) || string.IsNullOrWhiteSpace(zone))
            .Select(member => member.Host)
            .ToList();
        var votesByZone = voters
            .Where(member => !untagged.Contains(member.Host))
            .GroupBy(member => member.Tags[options.AvailabilityZoneTag], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(member => member.Votes), StringComparer.Ordinal);
        var largest = votesByZone.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).FirstOrDefault();
        var data = new Dictionary<string, object>
        {
            ["evaluated"] = true,
            ["votingMembers"] = voters.Count,
            ["distinctZones"] = votesByZone.Count,
            ["votesByZone"] = votesByZone,
            ["maxVotesInOneZone"] = largest.Value,
            ["majority"] = majority,
            ["untaggedMembers"] = untagged,
        };
        if (untagged.Count > 0)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Degraded,
                $"voting members without an \"{options.AvailabilityZoneTag}\" tag: {string.Join(", ", untagged)}; the spread across zones cannot be verified",
                data);
        }

        if (totalVotes > 1 && largest.Value >= majority)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Degraded,
                Invariant($"zone {largest.Key} holds {largest.Value} of {totalVotes} votes: losing it loses the voting majority of {majority}"),
                data);
        }

        return new(
            ReplicaSetHealthRules.AvailabilityZoneSpread,
            HealthStatus.Healthy,
            Invariant($"{voters.Count} voting members across {votesByZone.Count} zones; no zone holds a majority"),
            data);
    }
}
