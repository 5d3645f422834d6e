using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>oplogWindow</c> rule: the time the oplog covers, and how much of it the largest lag leaves.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    // The oplog counts as full (so its window is a real limit) once it uses this share of its maximum size; WiredTiger
    // truncates in chunks, so a wrapped oplog hovers a little below its maximum.
    private const double OplogFullRatio = 0.9;

    internal static ReplicaSetRuleResult EvaluateOplogWindow(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options, TimeSpan maxLag)
    {
        if (observation.Oplog is not { } oplog)
        {
            return new(
                ReplicaSetHealthRules.OplogWindow,
                HealthStatus.Healthy,
                "not evaluated: no oplog window observed",
                new Dictionary<string, object> { ["evaluated"] = false });
        }

        var window = oplog.Duration;
        var headroom = window - maxLag;
        var data = new Dictionary<string, object>
        {
            ["evaluated"] = true,
            ["hours"] = window.TotalHours,
            ["headroomHours"] = headroom.TotalHours,
            ["maxLagSeconds"] = maxLag.TotalSeconds,
        };
        if (oplog.UsedBytes is { } used && oplog.MaxBytes is { } max && max > 0)
        {
            data["usedBytes"] = used;
            data["maxBytes"] = max;
            if (used < max * OplogFullRatio)
            {
                // The oplog has not wrapped yet: its window still grows, so neither the window nor the headroom is a limit.
                return new(
                    ReplicaSetHealthRules.OplogWindow,
                    HealthStatus.Healthy,
                    Invariant($"oplog not full yet ({used} of {max} bytes); window {Hours(window)} still growing"),
                    data);
            }
        }

        if (headroom <= TimeSpan.Zero)
        {
            return new(
                ReplicaSetHealthRules.OplogWindow,
                HealthStatus.Unhealthy,
                Invariant($"headroom {Hours(headroom)}: the largest lag {Seconds(maxLag)} reaches past the oplog window {Hours(window)}; a lagging secondary will need a full resync (unhealthy at 0 or less)"),
                data);
        }

        if (window < options.OplogWindowUnhealthy)
        {
            return new(
                ReplicaSetHealthRules.OplogWindow,
                HealthStatus.Unhealthy,
                Invariant($"oplog window {Hours(window)} (unhealthy below {Hours(options.OplogWindowUnhealthy)}); headroom {Hours(headroom)}"),
                data);
        }

        if (window < options.OplogWindowDegraded)
        {
            return new(
                ReplicaSetHealthRules.OplogWindow,
                HealthStatus.Degraded,
                Invariant($"oplog window {Hours(window)} (degraded below {Hours(options.OplogWindowDegraded)}); headroom {Hours(headroom)}"),
                data);
        }

        return new(
            ReplicaSetHealthRules.OplogWindow,
            HealthStatus.Healthy,
            Invariant($"oplog window {Hours(window)}, headroom {Hours(headroom)}"),
            data);
    }
}
