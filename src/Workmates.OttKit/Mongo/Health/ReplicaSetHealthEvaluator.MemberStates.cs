using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The <c>memberStates</c> rule: members that are unreachable or not serving (RECOVERING, ROLLBACK…).</summary>
internal static partial class ReplicaSetHealthEvaluator
{
    private static readonly HashSet<ReplicaSetMemberState> UnusualStates =
    [
        ReplicaSetMemberState.Startup,
        ReplicaSetMemberState.Startup2,
        ReplicaSetMemberState.Recovering,
        ReplicaSetMemberState.Rollback,
        ReplicaSetMemberState.Down,
        ReplicaSetMemberState.Unknown,
        ReplicaSetMemberState.Removed,
        ReplicaSetMemberState.Fatal,
    ];

    internal static ReplicaSetRuleResult EvaluateMemberStates(ReplicaSetObservation observation)
    {
        var unusual = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in observation.Status.Members)
        {
            if (!member.Healthy)
            {
                // An unreachable member keeps its last known state; name both so the operator sees what it was doing.
                unusual[member.Name] = member.State == ReplicaSetMemberState.Down ? "DOWN" : $"DOWN (last {StateName(member.State)})";
            }
            else if (UnusualStates.Contains(member.State))
            {
                unusual[member.Name] = StateName(member.State);
            }
        }

        var data = new Dictionary<string, object> { ["unusualMembers"] = unusual, ["count"] = unusual.Count };
        return unusual.Count == 0
            ? new(ReplicaSetHealthRules.MemberStates, HealthStatus.Healthy, Invariant($"all {observation.Status.Members.Count} members in PRIMARY, SECONDARY or ARBITER state"), data)
            : new(
                ReplicaSetHealthRules.MemberStates,
                HealthStatus.Degraded,
                "members in unusual states: " + string.Join(", ", unusual.Select(pair => $"{pair.Key} {pair.Value}")),
                data);
    }
}
