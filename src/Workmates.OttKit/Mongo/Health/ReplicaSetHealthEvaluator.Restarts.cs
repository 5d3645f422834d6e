using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>restarts</c> rule: members with a short or shrinking uptime.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluateRestarts(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options, ReplicaSetHealthHistory history)
    {
        var restarted = new Dictionary<string, string>(StringComparer.Ordinal);
        var uptimes = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var member in observation.Status.Members.Where(member => member.Healthy && member.Uptime is not null))
        {
            var uptime = member.Uptime!.Value;
            uptimes[member.Name] = uptime.TotalSeconds;
            if (history.Uptimes.TryGetValue(member.Name, out var before) && uptime < before)
            {
                restarted[member.Name] = Invariant($"uptime fell from {Seconds(before)} to {Seconds(uptime)}");
            }
            else if (uptime < options.RecentRestartUptime)
            {
                restarted[member.Name] = Invariant($"up for {Seconds(uptime)} (recent below {Seconds(options.RecentRestartUptime)})");
            }
        }

        var data = new Dictionary<string, object> { ["uptimeSecondsByMember"] = uptimes, ["restartedMembers"] = restarted.Keys.ToList(), ["count"] = restarted.Count };
        if (observation.ServerStatus is { } server)
        {
            data["serverUptimeSeconds"] = server.Uptime.TotalSeconds;
        }

        return restarted.Count == 0
            ? new(ReplicaSetHealthRules.Restarts, HealthStatus.Healthy, "no recent restart or reconnection", data)
            : new(
                ReplicaSetHealthRules.Restarts,
                HealthStatus.Degraded,
                "restarted or reconnected: " + string.Join(", ", restarted.Select(pair => $"{pair.Key} {pair.Value}")),
                data);
    }
}
