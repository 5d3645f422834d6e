using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The pure verdict of the replica-set health check: an observation, thresholds and the history of earlier observations
/// in; one result per rule out. No clock, no I/O: time comes from the observation.
/// </summary>
internal static partial class ReplicaSetHealthEvaluator
{
    /// <summary>Evaluates every rule.</summary>
    /// <param name="observation">What was read from the replica set.</param>
    /// <param name="options">The thresholds.</param>
    /// <param name="history">The state left by earlier observations (<see cref="ReplicaSetHealthHistory.Empty"/> for the first).</param>
    /// <returns>The report.</returns>
    public static ReplicaSetHealthReport Evaluate(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options, ReplicaSetHealthHistory history)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);

        var lag = EvaluateReplicationLag(observation, options);
        ReplicaSetRuleResult[] rules =
        [
            EvaluatePrimary(observation, options, history),
            EvaluateWriteMajority(observation),
            lag.Result,
            EvaluateOplogWindow(observation, options, lag.MaxLag),
            EvaluateHeartbeats(observation, options),
            EvaluateMemberStates(observation),
            EvaluateElections(observation, options, history),
            EvaluateRestarts(observation, options, history),
            EvaluateAvailabilityZoneSpread(observation, options),
        ];
        return new ReplicaSetHealthReport(observation.Status.Set, observation.ObservedAt, rules);
    }

    /// <summary>Finds the member the answering node sees as a healthy primary.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The primary, or <see langword="null"/>.</returns>
    public static ReplicaSetMemberStatus? FindPrimary(ReplicaSetStatus status) =>
        status.Members.FirstOrDefault(member => member.IsPrimary && member.Healthy);

    private static Dictionary<int, ReplicaSetConfigMember> ConfigById(ReplicaSetConfig? config) =>
        config?.Members.ToDictionary(member => member.Id) ?? [];

    private static bool IsArbiter(ReplicaSetMemberStatus member, Dictionary<int, ReplicaSetConfigMember> config) =>
        member.State == ReplicaSetMemberState.Arbiter || (config.TryGetValue(member.Id, out var configured) && configured.ArbiterOnly);

    // replSetGetStatus does not report votes; without the configuration every member is assumed to vote (the default).
    private static int Votes(ReplicaSetMemberStatus member, Dictionary<int, ReplicaSetConfigMember> config) =>
        config.TryGetValue(member.Id, out var configured) ? configured.Votes : 1;

    private static DateTimeOffset OpTimeInstant(ReplicaSetMemberStatus member) =>
        member.OpTimeDate is { } date && date.ToUnixTimeSeconds() > 0
            ? date
            : member.OpTime?.Timestamp.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;

    private static string StateName(ReplicaSetMemberState state) => state.ToString().ToUpperInvariant();

    private static string Seconds(TimeSpan value) => Invariant($"{value.TotalSeconds:0.0} s");

    private static string Hours(TimeSpan value) => Invariant($"{value.TotalHours:0.00} h");

    private static string Window(TimeSpan value) => value.TotalHours >= 1 && value.TotalHours == Math.Floor(value.TotalHours)
        ? Invariant($"{value.TotalHours:0} h")
        : Invariant($"{value.TotalMinutes:0.#} min");
}
