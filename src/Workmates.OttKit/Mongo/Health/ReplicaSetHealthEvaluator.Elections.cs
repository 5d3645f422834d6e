using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>elections</c> rule: term changes within the election window (election churn).</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluateElections(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options, ReplicaSetHealthHistory history)
    {
        if (observation.Status.Term is not { } term)
        {
            return new(
                ReplicaSetHealthRules.Elections,
                HealthStatus.Healthy,
                "not evaluated: no election term reported (protocol version 0)",
                new Dictionary<string, object> { ["evaluated"] = false });
        }

        var elections = history.ElectionsWithin(observation.ObservedAt, options.ElectionWindow, term);
        var data = new Dictionary<string, object> { ["evaluated"] = true, ["term"] = term, ["count"] = elections, ["windowSeconds"] = options.ElectionWindow.TotalSeconds };
        return elections > options.ElectionsDegraded
            ? new(
                ReplicaSetHealthRules.Elections,
                HealthStatus.Degraded,
                Invariant($"{elections} elections within {Window(options.ElectionWindow)} (degraded above {options.ElectionsDegraded}); term is now {term}"),
                data)
            : new(
                ReplicaSetHealthRules.Elections,
                HealthStatus.Healthy,
                Invariant($"{elections} elections within {Window(options.ElectionWindow)}; term {term}"),
                data);
    }
}
