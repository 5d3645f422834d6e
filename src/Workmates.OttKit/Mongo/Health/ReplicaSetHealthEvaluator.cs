using Microsoft.Extensions.Diagnostics.HealthChecks;
using static System.FormattableString;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The pure verdict of the replica-set health check: an observation, thresholds and the history of earlier observations
/// in; one result per rule out. No clock, no I/O: time comes from the observation.
/// </summary>
internal static class ReplicaSetHealthEvaluator
{
    // The oplog counts as full (so its window is a real limit) once it uses this share of its maximum size; WiredTiger
    // truncates in chunks, so a wrapped oplog hovers a little below its maximum.
    private const double OplogFullRatio = 0.9;

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

    internal static ReplicaSetRuleResult EvaluateWriteMajority(ReplicaSetObservation observation)
    {
        var status = observation.Status;
        var config = ConfigById(observation.Config);
        var dataBearingVoters = status.Members
            .Where(member => !IsArbiter(member, config) && Votes(member, config) > 0)
            .ToList();
        var healthy = dataBearingVoters
            .Where(member => member.Healthy && member.State is ReplicaSetMemberState.Primary or ReplicaSetMemberState.Secondary)
            .ToList();

        // Servers before 4.2.1 do not report writeMajorityCount: derive it as they would, a majority of the voters capped
        // at the number of data-bearing voters (arbiters vote but cannot acknowledge writes).
        var voters = status.Members.Sum(member => Votes(member, config));
        var required = status.WriteMajorityCount ?? Math.Min((voters / 2) + 1, dataBearingVoters.Count);
        var data = new Dictionary<string, object>
        {
            ["healthyDataBearingVoters"] = healthy.Count,
            ["dataBearingVoters"] = dataBearingVoters.Count,
            ["writeMajorityCount"] = required,
        };
        var missing = dataBearingVoters.Except(healthy).Select(member => member.Name).ToList();
        if (healthy.Count < required)
        {
            return new(
                ReplicaSetHealthRules.WriteMajority,
                HealthStatus.Unhealthy,
                Invariant($"{healthy.Count} healthy data-bearing voters, fewer than writeMajorityCount {required}: w:\"majority\" writes cannot complete (not available: {string.Join(", ", missing)})"),
                data);
        }

        if (healthy.Count == required && missing.Count > 0)
        {
            return new(
                ReplicaSetHealthRules.WriteMajority,
                HealthStatus.Degraded,
                Invariant($"{healthy.Count} healthy data-bearing voters, exactly writeMajorityCount {required}: one more failure stops majority writes (not available: {string.Join(", ", missing)})"),
                data);
        }

        return new(
            ReplicaSetHealthRules.WriteMajority,
            HealthStatus.Healthy,
            Invariant($"{healthy.Count} of {dataBearingVoters.Count} data-bearing voters healthy, writeMajorityCount {required}"),
            data);
    }

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

    internal static ReplicaSetRuleResult EvaluateAvailabilityZoneSpread(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        if (observation.Config is not { } config)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Healthy,
                "not evaluated: no replica-set configuration observed",
                new Dictionary<string, object> { ["evaluated"] = false });
        }

        var voters = config.Members.Where(member => member.Votes > 0).ToList();
        var totalVotes = voters.Sum(member => member.Votes);
        var majority = (totalVotes / 2) + 1;
        var untagged = voters
            .Where(member => !member.Tags.TryGetValue(options.AvailabilityZoneTag, out var zone) || string.IsNullOrWhiteSpace(zone))
            .Select(member => member.Host)
            .ToList();
        var votesByZone = voters
            .Where(member => !untagged.Contains(member.Host))
            .GroupBy(member => member.Tags[options.AvailabilityZoneTag], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(member => member.Votes), StringComparer.Ordinal);
        var largest = votesByZone.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).FirstOrDefault();
        var data = new Dictionary<string, object>
        {
            ["evaluated"] = true,
            ["votingMembers"] = voters.Count,
            ["distinctZones"] = votesByZone.Count,
            ["votesByZone"] = votesByZone,
            ["maxVotesInOneZone"] = largest.Value,
            ["majority"] = majority,
            ["untaggedMembers"] = untagged,
        };
        if (untagged.Count > 0)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Degraded,
                $"voting members without an \"{options.AvailabilityZoneTag}\" tag: {string.Join(", ", untagged)}; the spread across zones cannot be verified",
                data);
        }

        if (totalVotes > 1 && largest.Value >= majority)
        {
            return new(
                ReplicaSetHealthRules.AvailabilityZoneSpread,
                HealthStatus.Degraded,
                Invariant($"zone {largest.Key} holds {largest.Value} of {totalVotes} votes: losing it loses the voting majority of {majority}"),
                data);
        }

        return new(
            ReplicaSetHealthRules.AvailabilityZoneSpread,
            HealthStatus.Healthy,
            Invariant($"{voters.Count} voting members across {votesByZone.Count} zones; no zone holds a majority"),
            data);
    }

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
