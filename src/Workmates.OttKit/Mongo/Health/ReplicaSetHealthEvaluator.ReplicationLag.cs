using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>replicationLag</c> rule: how far each secondary trails the primary (or the freshest secondary).</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static (ReplicaSetRuleResult Result, TimeSpan MaxLag) EvaluateReplicationLag(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        var status = observation.Status;
        var config = ConfigById(observation.Config);
        var withOpTime = status.Members
            .Where(member => member.Healthy && !member.HasNoOpTime && !IsArbiter(member, config))
            .ToList();
        var excluded = status.Members
            .Where(member => !IsArbiter(member, config) && (!member.Healthy || member.HasNoOpTime))
            .Select(member => member.Name)
            .ToList();

        // Without a primary, measure against the freshest secondary: that is where a new primary would have to catch up
        // from (a member in ROLLBACK or RECOVERING may hold writes that are about to be discarded).
        var primary = withOpTime.FirstOrDefault(member => member.IsPrimary);
        var reference = primary ?? withOpTime
            .Where(member => member.State == ReplicaSetMemberState.Secondary)
            .OrderByDescending(OpTimeInstant)
            .FirstOrDefault();
        var data = new Dictionary<string, object> { ["excludedMembers"] = excluded };
        if (reference is null)
        {
            data["maxSeconds"] = 0d;
            return (new(ReplicaSetHealthRules.ReplicationLag, HealthStatus.Healthy, "no member with an optime to measure against", data), TimeSpan.Zero);
        }

        var referenceTime = OpTimeInstant(reference);
        var lags = new Dictionary<string, double>(StringComparer.Ordinal);
        var worst = (Member: (string?)null, Lag: TimeSpan.Zero);
        foreach (var member in withOpTime.Where(member => member.State == ReplicaSetMemberState.Secondary && !ReferenceEquals(member, reference)))
        {
            // Heartbeat data can be seconds stale, so a secondary can appear ahead of the primary: clamp to zero.
            // A delayed member's configured delay is intended, not lag.
            var delay = config.TryGetValue(member.Id, out var configured) ? configured.SecondaryDelay : TimeSpan.Zero;
            var lag = referenceTime - OpTimeInstant(member) - delay;
            if (lag < TimeSpan.Zero)
            {
                lag = TimeSpan.Zero;
            }

            lags[member.Name] = lag.TotalSeconds;
            if (worst.Member is null || lag > worst.Lag)
            {
                worst = (member.Name, lag);
            }
        }

        data["secondsByMember"] = lags;
        data["maxSeconds"] = worst.Lag.TotalSeconds;
        data["reference"] = reference.Name;
        data["referenceIsPrimary"] = primary is not null;
        var against = primary is not null ? "the primary" : Invariant($"the freshest member {reference.Name} (no primary)");
        if (worst.Member is null)
        {
            return (new(ReplicaSetHealthRules.ReplicationLag, HealthStatus.Healthy, "no reachable secondary to measure", data), TimeSpan.Zero);
        }

        var result = worst.Lag >= options.ReplicationLagUnhealthy
            ? new ReplicaSetRuleResult(
                ReplicaSetHealthRules.ReplicationLag,
                HealthStatus.Unhealthy,
                Invariant($"{worst.Member} lags {Seconds(worst.Lag)} behind {against} (unhealthy at {Seconds(options.ReplicationLagUnhealthy)} or more)"),
                data)
            : worst.Lag >= options.ReplicationLagDegraded
                ? new ReplicaSetRuleResult(
                    ReplicaSetHealthRules.ReplicationLag,
                    HealthStatus.Degraded,
                    Invariant($"{worst.Member} lags {Seconds(worst.Lag)} behind {against} (degraded at {Seconds(options.ReplicationLagDegraded)} or more)"),
                    data)
                : new ReplicaSetRuleResult(
                    ReplicaSetHealthRules.ReplicationLag,
                    HealthStatus.Healthy,
                    Invariant($"largest lag {Seconds(worst.Lag)} ({worst.Member}) behind {against}"),
                    data);
        return (result, worst.Lag);
    }
}
