using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>heartbeat</c> rule: how old the answering member's view of each reachable member is.</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    internal static ReplicaSetRuleResult EvaluateHeartbeats(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        var status = observation.Status;
        var ages = new Dictionary<string, double>(StringComparer.Ordinal);
        var never = new List<string>();
        var worst = (Member: (string?)null, Age: TimeSpan.Zero);

        // Members the answering node already marks unreachable are the member-state rule's concern; this rule catches a
        // view that has gone stale while still claiming health (for instance a one-way partition).
        foreach (var member in status.Members.Where(member => !member.Self && member.Healthy))
        {
            var heard = new[] { member.LastHeartbeat, member.LastHeartbeatReceived }
                .Where(at => at is { } value && value.ToUnixTimeSeconds() > 0)
                .Select(at => at!.Value)
                .ToList();
            if (heard.Count == 0)
            {
                if (member.LastHeartbeat is not null || member.LastHeartbeatReceived is not null)
                {
                    never.Add(member.Name);
                }

                continue;
            }

            // The staler direction counts: a response we keep getting does not help if the member stopped reaching us.
            var age = status.Date - heard.Min();
            if (age < TimeSpan.Zero)
            {
                age = TimeSpan.Zero;
            }

            ages[member.Name] = age.TotalSeconds;
            if (worst.Member is null || age > worst.Age)
            {
                worst = (member.Name, age);
            }
        }

        var data = new Dictionary<string, object>
        {
            ["ageSecondsByMember"] = ages,
            ["maxAgeSeconds"] = worst.Age.TotalSeconds,
            ["neverHeard"] = never,
        };
        if (never.Count > 0)
        {
            return new(
                ReplicaSetHealthRules.Heartbeat,
                HealthStatus.Unhealthy,
                $"no heartbeat ever exchanged with {string.Join(", ", never)}",
                data);
        }

        if (worst.Member is null)
        {
            return new(ReplicaSetHealthRules.Heartbeat, HealthStatus.Healthy, "no other reachable member to hear from", data);
        }

        return worst.Age > options.HeartbeatAgeUnhealthy
            ? new(
                ReplicaSetHealthRules.Heartbeat,
                HealthStatus.Unhealthy,
                Invariant($"last heartbeat with {worst.Member} is {Seconds(worst.Age)} old (unhealthy above {Seconds(options.HeartbeatAgeUnhealthy)})"),
                data)
            : worst.Age > options.HeartbeatAgeDegraded
                ? new(
                    ReplicaSetHealthRules.Heartbeat,
                    HealthStatus.Degraded,
                    Invariant($"last heartbeat with {worst.Member} is {Seconds(worst.Age)} old (degraded above {Seconds(options.HeartbeatAgeDegraded)})"),
                    data)
                : new(
                    ReplicaSetHealthRules.Heartbeat,
                    HealthStatus.Healthy,
                    Invariant($"oldest heartbeat {Seconds(worst.Age)} ({worst.Member})"),
                    data);
    }
}
