using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>The names of the evaluator's rules; each is also the prefix of its keys in the health-check data.</summary>
internal static class ReplicaSetHealthRules
{
    public const string Primary = "primary";
    public const string WriteMajority = "writeMajority";
    public const string ReplicationLag = "replicationLag";
    public const string OplogWindow = "oplogWindow";
    public const string Heartbeat = "heartbeat";
    public const string MemberStates = "memberStates";
    public const string Elections = "elections";
    public const string Restarts = "restarts";
    public const string AvailabilityZoneSpread = "azSpread";
}

/// <summary>The verdict of one rule with the numbers behind it.</summary>
/// <param name="Rule">The rule name (<see cref="ReplicaSetHealthRules"/>).</param>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Message">What was measured and, when not healthy, which limit was crossed by which member.</param>
/// <param name="Data">The measured values, keyed without the rule prefix.</param>
internal sealed record ReplicaSetRuleResult(string Rule, HealthStatus Status, string Message, IReadOnlyDictionary<string, object> Data);

/// <summary>The verdict on a replica set: the worst rule wins.</summary>
/// <param name="SetName">The replica-set name.</param>
/// <param name="ObservedAt">When the observation was taken.</param>
/// <param name="Rules">Every rule's result, in evaluation order.</param>
internal sealed record ReplicaSetHealthReport(string SetName, DateTimeOffset ObservedAt, IReadOnlyList<ReplicaSetRuleResult> Rules)
{
    /// <summary>Gets the worst status of all rules.</summary>
    public HealthStatus Status => Rules.Count == 0 ? HealthStatus.Healthy : Rules.Min(rule => rule.Status);

    /// <summary>Gets a one-line summary: the messages of the rules that are not healthy, worst first.</summary>
    public string Description
    {
        get
        {
            var failing = Rules.Where(rule => rule.Status != HealthStatus.Healthy).OrderBy(rule => rule.Status).ToList();
            return failing.Count == 0
                ? $"replica set {SetName}: all {Rules.Count} rules healthy"
                : $"replica set {SetName} {Status}: " + string.Join("; ", failing.Select(rule => $"{rule.Rule}: {rule.Message}"));
        }
    }

    /// <summary>Gets the rule with the given name.</summary>
    /// <param name="rule">A name from <see cref="ReplicaSetHealthRules"/>.</param>
    /// <returns>The result.</returns>
    public ReplicaSetRuleResult this[string rule] => Rules.Single(result => result.Rule == rule);

    /// <summary>Flattens the rules into health-check data: <c>&lt;rule&gt;.status</c>, <c>&lt;rule&gt;.message</c> and <c>&lt;rule&gt;.&lt;key&gt;</c>.</summary>
    /// <returns>A new dictionary.</returns>
    public Dictionary<string, object> ToData()
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["set"] = SetName,
            ["observedAt"] = ObservedAt,
        };
        foreach (var rule in Rules)
        {
            data[$"{rule.Rule}.status"] = rule.Status.ToString();
            data[$"{rule.Rule}.message"] = rule.Message;
            foreach (var (key, value) in rule.Data)
            {
                data[$"{rule.Rule}.{key}"] = value;
            }
        }

        return data;
    }
}
