using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The names of the replica-set health rules (<see cref="ReplicaSetRuleResult.Rule"/>, the <c>Rule</c> dimension of the
/// <c>RuleStatus</c> metric); each is also the prefix of its keys in the flattened health-check data.
/// </summary>
public static class ReplicaSetHealthRules
{
    /// <summary>A primary exists, and for how long none has.</summary>
    public const string Primary = "primary";

    /// <summary>Enough healthy data-bearing voters to acknowledge majority writes, and the margin above that.</summary>
    public const string WriteMajority = "writeMajority";

    /// <summary>How far each secondary's last applied operation is behind the primary's.</summary>
    public const string ReplicationLag = "replicationLag";

    /// <summary>How much time the oplog holds, against the configured window and headroom.</summary>
    public const string OplogWindow = "oplogWindow";

    /// <summary>How old the last heartbeat from each member is.</summary>
    public const string Heartbeat = "heartbeat";

    /// <summary>Members in unusual states (RECOVERING, ROLLBACK, DOWN, UNKNOWN…).</summary>
    public const string MemberStates = "memberStates";

    /// <summary>Elections within the recent window.</summary>
    public const string Elections = "elections";

    /// <summary>Members that restarted recently.</summary>
    public const string Restarts = "restarts";

    /// <summary>How the voting members are spread across availability zones.</summary>
    public const string AvailabilityZoneSpread = "azSpread";
}

/// <summary>The verdict of one rule with the numbers behind it.</summary>
/// <param name="Rule">The rule name (<see cref="ReplicaSetHealthRules"/>).</param>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Message">What was measured and, when not healthy, which limit was crossed by which member.</param>
/// <param name="Data">The measured values (numbers, member lists), keyed without the rule prefix, in measurement order.</param>
public sealed record ReplicaSetRuleResult(string Rule, HealthStatus Status, string Message, IReadOnlyDictionary<string, object> Data);

/// <summary>
/// The typed verdict on a replica set: every rule's status and numbers, and the overall status (the worst rule wins).
/// The health check (<c>AddMongoReplicaSet</c>) puts it in its result's data; read it back with
/// <see cref="ReplicaSetHealthData.GetReplicaSetReport(HealthReportEntry)"/> instead of parsing the flattened keys.
/// </summary>
/// <param name="SetName">The replica-set name.</param>
/// <param name="ObservedAt">When the observation was taken.</param>
/// <param name="Rules">Every rule's result, in evaluation order.</param>
public sealed record ReplicaSetHealthReport(string SetName, DateTimeOffset ObservedAt, IReadOnlyList<ReplicaSetRuleResult> Rules)
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
    internal Dictionary<string, object> ToData()
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["set"] = SetName,
            ["observedAt"] = ObservedAt,
            [ReplicaSetHealthData.ReportKey] = this,
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

/// <summary>
/// Reads what the replica-set health check (<c>AddMongoReplicaSet</c>) reported, typed, from its
/// <see cref="HealthReportEntry"/>. Besides the typed report, the entry's data keeps the flattened keys
/// (<c>&lt;rule&gt;.status</c>, <c>&lt;rule&gt;.message</c>, <c>&lt;rule&gt;.&lt;number&gt;</c>) for health-check UIs.
/// </summary>
public static class ReplicaSetHealthData
{
    /// <summary>The data key of the typed <see cref="ReplicaSetHealthReport"/> (present when the set was evaluated).</summary>
    public const string ReportKey = "report";

    /// <summary>The data key of the flag telling whether the set could be evaluated (<see langword="true"/> or <see langword="false"/>).</summary>
    public const string EvaluatedKey = "evaluated";

    /// <summary>The data key of why the set could not be evaluated: <c>timeout</c>, <c>notAuthorized</c> or <c>error</c>.</summary>
    public const string ReasonKey = "reason";

    /// <summary>The typed verdict of a replica-set health check entry.</summary>
    /// <param name="entry">The entry of a check registered with <c>AddMongoReplicaSet</c>.</param>
    /// <returns>The report, or <see langword="null"/> when the set could not be evaluated (see <see cref="GetNotEvaluatedReason"/>) or the entry is not a replica-set check.</returns>
    public static ReplicaSetHealthReport? GetReplicaSetReport(this HealthReportEntry entry) =>
        entry.Data.TryGetValue(ReportKey, out var report) ? report as ReplicaSetHealthReport : null;

    /// <summary>Why a replica-set health check could not evaluate the set.</summary>
    /// <param name="entry">The entry of a check registered with <c>AddMongoReplicaSet</c>.</param>
    /// <returns><c>timeout</c>, <c>notAuthorized</c> or <c>error</c> (the entry's description and exception say more); <see langword="null"/> when the set was evaluated.</returns>
    public static string? GetNotEvaluatedReason(this HealthReportEntry entry) =>
        entry.Data.TryGetValue(EvaluatedKey, out var evaluated) && evaluated is false
            ? entry.Data.GetValueOrDefault(ReasonKey)?.ToString()
            : null;
}
