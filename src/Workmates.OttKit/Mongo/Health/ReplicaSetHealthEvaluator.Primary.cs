using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>primary</c> rule: a reachable primary exists, or how long it has been missing.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluatePrimary(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options, ReplicaSetHealthHistory history)
    {
        var primary = FindPrimary(observation.Status);
        if (primary is not null)
        {
            var data = new Dictionary<string, object> { ["present"] = true, ["name"] = primary.Name, ["absentSeconds"] = 0d };
            if (primary.ElectionDate is { } elected)
            {
                data["electionDate"] = elected;
            }

            return new(ReplicaSetHealthRules.Primary, HealthStatus.Healthy, $"primary is {primary.Name}", data);
        }

        if (history.LastObservedAt is null)
        {
            // A single observation cannot tell an election in progress from a long outage; say so rather than guess.
            return new(
                ReplicaSetHealthRules.Primary,
                HealthStatus.Degraded,
                "no primary; absence duration unknown (first observation)",
                new Dictionary<string, object> { ["present"] = false });
        }

        var absent = observation.ObservedAt - (history.PrimaryAbsentSince ?? observation.ObservedAt);
        if (absent < TimeSpan.Zero)
        {
            absent = TimeSpan.Zero;
        }

        var status = absent > options.PrimaryAbsentUnhealthy ? HealthStatus.Unhealthy
            : absent > options.PrimaryAbsentDegraded ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var message = status switch
        {
            HealthStatus.Unhealthy => Invariant($"no primary for {Seconds(absent)} (unhealthy above {Seconds(options.PrimaryAbsentUnhealthy)})"),
            HealthStatus.Degraded => Invariant($"no primary for {Seconds(absent)} (degraded above {Seconds(options.PrimaryAbsentDegraded)})"),
            _ => Invariant($"no primary for {Seconds(absent)}, within the election allowance of {Seconds(options.PrimaryAbsentDegraded)}"),
        };
        return new(
            ReplicaSetHealthRules.Primary,
            status,
            message,
            new Dictionary<string, object> { ["present"] = false, ["absentSeconds"] = absent.TotalSeconds });
    }
}
