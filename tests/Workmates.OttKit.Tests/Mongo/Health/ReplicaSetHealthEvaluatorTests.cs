using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;
using State = Workmates.OttKit.Mongo.Health.ReplicaSetMemberState;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthEvaluatorTests
{
    private static readonly ReplicaSetHealthCheckOptions Defaults = new();

    [Fact]
    public void Evaluate_HealthySet_EveryRuleHealthy()
    {
        var report = Evaluate(Healthy());

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.All(report.Rules, rule => Assert.Equal(HealthStatus.Healthy, rule.Status));
        Assert.Equal(9, report.Rules.Count);
    }

    // Primary present

    [Fact]
    public void Primary_Present_HealthyAndNamed()
    {
        var rule = Evaluate(Healthy())[ReplicaSetHealthRules.Primary];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(Host(0), rule.Data["name"]);
        Assert.Equal(true, rule.Data["present"]);
    }

    [Fact]
    public void Primary_ReportedButUnreachable_DoesNotCount()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, healthy: false),
            Member(1, State.Secondary, self: true),
            Member(2, State.Secondary));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Primary];

        Assert.Equal(false, rule.Data["present"]);
    }

    [Fact]
    public void Primary_AbsentOnFirstObservation_DegradedBecauseDurationUnknown()
    {
        var rule = Evaluate(NoPrimary())[ReplicaSetHealthRules.Primary];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Contains("unknown", rule.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, HealthStatus.Healthy)]
    [InlineData(14_999, HealthStatus.Healthy)]
    [InlineData(15_000, HealthStatus.Healthy)]
    [InlineData(15_001, HealthStatus.Degraded)]
    [InlineData(59_999, HealthStatus.Degraded)]
    [InlineData(60_000, HealthStatus.Degraded)]
    [InlineData(60_001, HealthStatus.Unhealthy)]
    public void Primary_AbsentFor_StatusFollowsThresholds(int absentMilliseconds, HealthStatus expected)
    {
        var since = Now - TimeSpan.FromMilliseconds(absentMilliseconds);
        var history = ReplicaSetHealthHistory.Empty with { LastObservedAt = since, PrimaryAbsentSince = since };

        var rule = Evaluate(NoPrimary(), history: history)[ReplicaSetHealthRules.Primary];

        Assert.Equal(expected, rule.Status);
        Assert.Equal(absentMilliseconds / 1000.0, (double)rule.Data["absentSeconds"], 3);
    }

    [Fact]
    public void Primary_AbsentTooLong_MessageNamesTheLimit()
    {
        var since = Now - TimeSpan.FromSeconds(90);
        var history = ReplicaSetHealthHistory.Empty with { LastObservedAt = since, PrimaryAbsentSince = since };

        var rule = Evaluate(NoPrimary(), history: history)[ReplicaSetHealthRules.Primary];

        Assert.Equal("no primary for 90.0 s (unhealthy above 60.0 s)", rule.Message);
    }

    [Fact]
    public void Primary_JustLostAfterBeingSeen_MeasuresFromThisObservation()
    {
        var history = ReplicaSetHealthHistory.Empty.Advance(Healthy().At(Now - TimeSpan.FromSeconds(30)), Defaults);

        var rule = Evaluate(NoPrimary(), history: history)[ReplicaSetHealthRules.Primary];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(0d, rule.Data["absentSeconds"]);
    }

    // Write majority

    [Fact]
    public void WriteMajority_AllDataBearingVotersHealthy_Healthy()
    {
        var rule = Evaluate(Healthy() with { Status = Healthy().Status with { WriteMajorityCount = 2 } })[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(3, rule.Data["healthyDataBearingVoters"]);
        Assert.Equal(2, rule.Data["writeMajorityCount"]);
    }

    [Fact]
    public void WriteMajority_ExactlyEnough_DegradedNamingTheMissingMember()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Down(2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Contains(Host(2), rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMajority_BelowWriteMajorityCount_Unhealthy()
    {
        var observation = Healthy().WithMembers(Member(0, State.Secondary, self: true), Down(1), Down(2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
        Assert.StartsWith("1 healthy data-bearing voters, fewer than writeMajorityCount 2", rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMajority_RecoveringMember_DoesNotAcknowledgeWrites()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Recovering), Member(2, State.Startup2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
        Assert.Equal(1, rule.Data["healthyDataBearingVoters"]);
    }

    [Fact]
    public void WriteMajority_ArbiterSetWithoutReportedCount_DerivesCountFromDataBearingVoters()
    {
        // Primary-secondary-arbiter: three votes, majority 2, capped at the two data-bearing voters.
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Member(2, State.Arbiter));
        observation = observation.WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "c", arbiter: true));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(2, rule.Data["writeMajorityCount"]);
        Assert.Equal(2, rule.Data["dataBearingVoters"]);
    }

    [Fact]
    public void WriteMajority_ArbiterSetLosesItsSecondary_Unhealthy()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Down(1), Member(2, State.Arbiter));
        observation = observation.WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "c", arbiter: true));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
    }

    [Fact]
    public void WriteMajority_NonVotingMember_NotCounted()
    {
        var observation = Healthy().WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "c", votes: 0));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(2, rule.Data["dataBearingVoters"]);
    }

    [Fact]
    public void WriteMajority_FiveMembersWithoutReportedCount_RequiresThree()
    {
        var observation = With(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary),
            Member(2, State.Secondary),
            Down(3),
            Down(4));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(3, rule.Data["writeMajorityCount"]);
        Assert.Equal(HealthStatus.Degraded, rule.Status);
    }

    // Replication lag

    [Theory]
    [InlineData(9_999, HealthStatus.Healthy)]
    [InlineData(10_000, HealthStatus.Degraded)]
    [InlineData(10_001, HealthStatus.Degraded)]
    [InlineData(239_999, HealthStatus.Degraded)]
    [InlineData(240_000, HealthStatus.Unhealthy)]
    [InlineData(240_001, HealthStatus.Unhealthy)]
    public void ReplicationLag_SecondaryBehind_StatusFollowsThresholds(int lagMilliseconds, HealthStatus expected)
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromMilliseconds(lagMilliseconds)),
            Member(2, State.Secondary));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(expected, rule.Status);
        Assert.Equal(lagMilliseconds / 1000.0, (double)rule.Data["maxSeconds"], 3);
    }

    [Fact]
    public void ReplicationLag_Degraded_MessageNamesMemberAndLimit()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(12)),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(3)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal($"{Host(1)} lags 12.0 s behind the primary (degraded at 10.0 s or more)", rule.Message);
        var perMember = Assert.IsAssignableFrom<IReadOnlyDictionary<string, double>>(rule.Data["secondsByMember"]);
        Assert.Equal(12, perMember[Host(1)]);
        Assert.Equal(3, perMember[Host(2)]);
    }

    [Fact]
    public void ReplicationLag_SecondaryAheadOfPrimary_ClampedToZero()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true, behind: TimeSpan.FromSeconds(4)),
            Member(1, State.Secondary),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(4)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        var perMember = Assert.IsAssignableFrom<IReadOnlyDictionary<string, double>>(rule.Data["secondsByMember"]);
        Assert.Equal(0, perMember[Host(1)]);
        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void ReplicationLag_UnreachableMemberWithEpochOptime_ExcludedNotCountedAsDecadesBehind()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Down(2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal([Host(2)], (IEnumerable<string>)rule.Data["excludedMembers"]);
        Assert.DoesNotContain(Host(2), ((IReadOnlyDictionary<string, double>)rule.Data["secondsByMember"]).Keys);
    }

    [Fact]
    public void ReplicationLag_HealthyMemberWithZeroOptime_Excluded()
    {
        var fresh = Member(2, State.Secondary) with { OpTime = new OpTime(default, -1), OpTimeDate = DateTimeOffset.UnixEpoch };
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), fresh);

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Contains(Host(2), (IEnumerable<string>)rule.Data["excludedMembers"]);
    }

    [Fact]
    public void ReplicationLag_NoPrimary_MeasuredAgainstFreshestMember()
    {
        var observation = Healthy().WithMembers(
            Down(0),
            Member(1, State.Secondary, self: true, behind: TimeSpan.FromSeconds(2)),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(14)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Equal(Host(1), rule.Data["reference"]);
        Assert.Equal(false, rule.Data["referenceIsPrimary"]);
        Assert.Equal(12, (double)rule.Data["maxSeconds"], 3);
        Assert.Contains($"the freshest member {Host(1)} (no primary)", rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicationLag_NoPrimary_MemberInRollbackIsNoReference()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Rollback),
            Member(1, State.Secondary, self: true, behind: TimeSpan.FromSeconds(30)),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(31)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(Host(1), rule.Data["reference"]);
        Assert.Equal(1, (double)rule.Data["maxSeconds"], 3);
    }

    [Fact]
    public void ReplicationLag_DelayedMember_ConfiguredDelayIsNotLag()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary),
            Member(2, State.Secondary, behind: TimeSpan.FromSeconds(3605)));
        observation = observation.WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "c", votes: 0, delay: TimeSpan.FromHours(1)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(5, (double)rule.Data["maxSeconds"], 3);
        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void ReplicationLag_WithoutOptimeDate_UsesTimestampSeconds()
    {
        var primary = Member(0, State.Primary, self: true) with { OpTimeDate = null };
        var secondary = Member(1, State.Secondary, behind: TimeSpan.FromSeconds(20)) with { OpTimeDate = null };
        var observation = Healthy().WithMembers(primary, secondary);

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(20, (double)rule.Data["maxSeconds"], 3);
    }

    [Fact]
    public void ReplicationLag_ArbiterOnlySecondary_NothingToMeasure()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Arbiter));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(0d, rule.Data["maxSeconds"]);
    }

    // Oplog window and headroom

    [Fact]
    public void OplogWindow_NotObserved_NotEvaluated()
    {
        var rule = Evaluate(Healthy() with { Oplog = null })[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(false, rule.Data["evaluated"]);
    }

    [Theory]
    [InlineData(24 * 3_600_000 + 1, HealthStatus.Healthy)]
    [InlineData(24 * 3_600_000, HealthStatus.Healthy)]
    [InlineData(24 * 3_600_000 - 1, HealthStatus.Degraded)]
    [InlineData(3_600_000 + 1, HealthStatus.Degraded)]
    [InlineData(3_600_000, HealthStatus.Degraded)]
    [InlineData(3_600_000 - 1, HealthStatus.Unhealthy)]
    public void OplogWindow_Length_StatusFollowsThresholds(long windowMilliseconds, HealthStatus expected)
    {
        var observation = Healthy() with { Oplog = new OplogWindow { First = Now - TimeSpan.FromMilliseconds(windowMilliseconds), Last = Now } };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal(expected, rule.Status);
    }

    [Fact]
    public void OplogWindow_Short_MessageNamesTheLimit()
    {
        var observation = Healthy() with { Oplog = new OplogWindow { First = Now - TimeSpan.FromHours(6), Last = Now } };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal("oplog window 6.00 h (degraded below 24.00 h); headroom 6.00 h", rule.Message);
    }

    [Theory]
    [InlineData(-1, HealthStatus.Unhealthy)]
    [InlineData(0, HealthStatus.Unhealthy)]
    [InlineData(1, HealthStatus.Degraded)]
    public void OplogHeadroom_WindowMinusLargestLag_UnhealthyAtZeroOrLess(int headroomSeconds, HealthStatus expected)
    {
        // A two-hour window (degraded, not unhealthy, by length) and a lag of two hours minus the headroom.
        var window = TimeSpan.FromHours(2);
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: window - TimeSpan.FromSeconds(headroomSeconds)));
        observation = observation with { Oplog = new OplogWindow { First = Now - window, Last = Now } };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal(expected, rule.Status);
        Assert.Equal(headroomSeconds / 3600.0, (double)rule.Data["headroomHours"], 6);
    }

    [Fact]
    public void OplogWindow_OplogNotFullYet_WindowIsNoLimit()
    {
        var observation = Healthy() with
        {
            Oplog = new OplogWindow { First = Now - TimeSpan.FromMinutes(20), Last = Now, UsedBytes = 10_000_000, MaxBytes = 1_000_000_000 },
        };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.StartsWith("oplog not full yet", rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OplogWindow_FullOplogWithShortWindow_Unhealthy()
    {
        var observation = Healthy() with
        {
            Oplog = new OplogWindow { First = Now - TimeSpan.FromMinutes(20), Last = Now, UsedBytes = 995_000_000, MaxBytes = 1_000_000_000 },
        };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.OplogWindow];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
    }

    // Heartbeat staleness

    [Theory]
    [InlineData(9_999, HealthStatus.Healthy)]
    [InlineData(10_000, HealthStatus.Healthy)]
    [InlineData(10_001, HealthStatus.Degraded)]
    [InlineData(29_999, HealthStatus.Degraded)]
    [InlineData(30_000, HealthStatus.Degraded)]
    [InlineData(30_001, HealthStatus.Unhealthy)]
    public void Heartbeat_Age_StatusFollowsThresholds(int ageMilliseconds, HealthStatus expected)
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, heartbeatAge: TimeSpan.FromMilliseconds(ageMilliseconds)),
            Member(2, State.Secondary));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Heartbeat];

        Assert.Equal(expected, rule.Status);
        Assert.Equal(ageMilliseconds / 1000.0, (double)rule.Data["maxAgeSeconds"], 3);
    }

    [Fact]
    public void Heartbeat_OneDirectionStale_TheStalerCounts()
    {
        var member = Member(1, State.Secondary) with { LastHeartbeatReceived = Now - TimeSpan.FromSeconds(45) };
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), member);

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Heartbeat];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
        Assert.Equal($"last heartbeat with {Host(1)} is 45.0 s old (unhealthy above 30.0 s)", rule.Message);
    }

    [Fact]
    public void Heartbeat_UnreachableMember_LeftToTheMemberStateRule()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Down(2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Heartbeat];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void Heartbeat_NeverExchanged_Unhealthy()
    {
        var member = Member(1, State.Secondary) with { LastHeartbeat = DateTimeOffset.UnixEpoch, LastHeartbeatReceived = DateTimeOffset.UnixEpoch };
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), member);

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Heartbeat];

        Assert.Equal(HealthStatus.Unhealthy, rule.Status);
        Assert.Contains(Host(1), rule.Message, StringComparison.Ordinal);
    }

    // Member states

    [Theory]
    [InlineData(State.Startup, "STARTUP")]
    [InlineData(State.Startup2, "STARTUP2")]
    [InlineData(State.Recovering, "RECOVERING")]
    [InlineData(State.Rollback, "ROLLBACK")]
    [InlineData(State.Unknown, "UNKNOWN")]
    [InlineData(State.Removed, "REMOVED")]
    [InlineData(State.Fatal, "FATAL")]
    [InlineData(State.Down, "DOWN")]
    public void MemberStates_UnusualState_DegradedNamingMemberAndState(State state, string name)
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Member(2, state));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.MemberStates];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Equal($"members in unusual states: {Host(2)} {name}", rule.Message);
    }

    [Fact]
    public void MemberStates_HealthZero_ReportedDownWithLastState()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary, healthy: false));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.MemberStates];

        Assert.Equal($"members in unusual states: {Host(1)} DOWN (last SECONDARY)", rule.Message);
    }

    [Fact]
    public void MemberStates_PrimarySecondaryArbiter_Healthy()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Member(2, State.Arbiter));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.MemberStates];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(0, rule.Data["count"]);
    }

    // Election churn

    [Theory]
    [InlineData(2, HealthStatus.Healthy)]
    [InlineData(3, HealthStatus.Healthy)]
    [InlineData(4, HealthStatus.Degraded)]
    public void Elections_TermGrowthWithinAnHour_DegradedAboveThree(int elections, HealthStatus expected)
    {
        var history = HistoryWithTerm(Now - TimeSpan.FromMinutes(50), term: 3);
        var observation = Healthy() with { Status = Healthy().Status with { Term = 3 + elections } };

        var rule = Evaluate(observation, history: history)[ReplicaSetHealthRules.Elections];

        Assert.Equal(expected, rule.Status);
        Assert.Equal((long)elections, rule.Data["count"]);
    }

    [Fact]
    public void Elections_Degraded_MessageNamesTheLimit()
    {
        var history = HistoryWithTerm(Now - TimeSpan.FromMinutes(10), term: 3);
        var observation = Healthy() with { Status = Healthy().Status with { Term = 8 } };

        var rule = Evaluate(observation, history: history)[ReplicaSetHealthRules.Elections];

        Assert.Equal("5 elections within 1 h (degraded above 3); term is now 8", rule.Message);
    }

    [Fact]
    public void Elections_OlderThanTheWindow_NotCounted()
    {
        // Term 3 two hours ago, term 9 seventy minutes ago (before the window), term 10 now: one election in the window.
        var history = HistoryWithTerm(Now - TimeSpan.FromHours(2), term: 3)
            .Advance(Healthy().At(Now - TimeSpan.FromMinutes(70)) with { Status = Healthy().Status with { Term = 9 } }, Defaults);
        var observation = Healthy() with { Status = Healthy().Status with { Term = 10 } };

        var rule = Evaluate(observation, history: history)[ReplicaSetHealthRules.Elections];

        Assert.Equal(1L, rule.Data["count"]);
        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void Elections_NoTerm_NotEvaluated()
    {
        var observation = Healthy() with { Status = Healthy().Status with { Term = null } };

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Elections];

        Assert.Equal(false, rule.Data["evaluated"]);
        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void Elections_FirstObservation_CountsNone()
    {
        var rule = Evaluate(Healthy() with { Status = Healthy().Status with { Term = 40 } })[ReplicaSetHealthRules.Elections];

        Assert.Equal(0L, rule.Data["count"]);
    }

    // Restarts

    [Theory]
    [InlineData(599_999, HealthStatus.Degraded)]
    [InlineData(600_000, HealthStatus.Healthy)]
    [InlineData(600_001, HealthStatus.Healthy)]
    public void Restarts_UptimeBelowThreshold_Degraded(int uptimeMilliseconds, HealthStatus expected)
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, uptime: TimeSpan.FromMilliseconds(uptimeMilliseconds)));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Restarts];

        Assert.Equal(expected, rule.Status);
    }

    [Fact]
    public void Restarts_UptimeFellSinceLastObservation_DegradedEvenAboveThreshold()
    {
        var before = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary, uptime: TimeSpan.FromDays(3)));
        var history = ReplicaSetHealthHistory.Empty.Advance(before.At(Now - TimeSpan.FromHours(2)), Defaults);
        var after = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary, uptime: TimeSpan.FromHours(1)));

        var rule = Evaluate(after, history: history)[ReplicaSetHealthRules.Restarts];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Equal($"restarted or reconnected: {Host(1)} uptime fell from 259200.0 s to 3600.0 s", rule.Message);
    }

    [Fact]
    public void Restarts_UnreachableMemberWithZeroUptime_Ignored()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true), Member(1, State.Secondary), Down(2));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.Restarts];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void Restarts_ThresholdZero_OnlyUptimeDropsCount()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true, uptime: TimeSpan.FromSeconds(5)));

        var rule = Evaluate(observation, new ReplicaSetHealthCheckOptions { RecentRestartUptime = TimeSpan.Zero })[ReplicaSetHealthRules.Restarts];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    // Availability-zone spread

    [Fact]
    public void AzSpread_ThreeVotersInThreeZones_Healthy()
    {
        var rule = Evaluate(Healthy())[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(3, rule.Data["distinctZones"]);
    }

    [Fact]
    public void AzSpread_TwoOfThreeVotersInOneZone_DegradedNamingTheZone()
    {
        var observation = Healthy().WithConfigMembers(ConfigMember(0, "us-east-1a"), ConfigMember(1, "us-east-1a"), ConfigMember(2, "us-east-1b"));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Equal("zone us-east-1a holds 2 of 3 votes: losing it loses the voting majority of 2", rule.Message);
    }

    [Fact]
    public void AzSpread_FiveVotersTwoTwoOne_HealthyBecauseNoZoneHoldsAMajority()
    {
        var observation = Healthy().WithConfigMembers(
            ConfigMember(0, "a"), ConfigMember(1, "a"), ConfigMember(2, "b"), ConfigMember(3, "b"), ConfigMember(4, "c"));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(2, rule.Data["maxVotesInOneZone"]);
        Assert.Equal(3, rule.Data["majority"]);
    }

    [Fact]
    public void AzSpread_VoterWithoutTag_DegradedNamingTheHost()
    {
        var observation = Healthy().WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, zone: null));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
        Assert.Contains(Host(2), rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzSpread_NonVoterSharingAZone_Ignored()
    {
        var observation = Healthy().WithConfigMembers(
            ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "c"), ConfigMember(3, "a", votes: 0), ConfigMember(4, zone: null, votes: 0));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
        Assert.Equal(3, rule.Data["votingMembers"]);
    }

    [Fact]
    public void AzSpread_ArbiterVotesCount()
    {
        var observation = Healthy().WithConfigMembers(ConfigMember(0, "a"), ConfigMember(1, "b"), ConfigMember(2, "a", arbiter: true));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Degraded, rule.Status);
    }

    [Fact]
    public void AzSpread_CustomTagKey_Read()
    {
        var tagged = new Dictionary<string, string>(StringComparer.Ordinal) { ["zone"] = "z" };
        var observation = Healthy().WithConfigMembers(
            ConfigMember(0, null) with { Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["zone"] = "x" } },
            ConfigMember(1, null) with { Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["zone"] = "y" } },
            ConfigMember(2, null) with { Tags = tagged });

        var rule = Evaluate(observation, new ReplicaSetHealthCheckOptions { AvailabilityZoneTag = "zone" })[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void AzSpread_SingleVoter_Healthy()
    {
        var observation = With(Member(0, State.Primary, self: true));

        var rule = Evaluate(observation)[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(HealthStatus.Healthy, rule.Status);
    }

    [Fact]
    public void AzSpread_NoConfig_NotEvaluated()
    {
        var rule = Evaluate(Healthy() with { Config = null })[ReplicaSetHealthRules.AvailabilityZoneSpread];

        Assert.Equal(false, rule.Data["evaluated"]);
    }

    // Report

    [Fact]
    public void Report_DegradedAndUnhealthyRules_OverallIsTheWorstAndDescriptionListsWorstFirst()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(300)),
            Member(2, State.Recovering));

        var report = Evaluate(observation);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.StartsWith("replica set rs0 Unhealthy: replicationLag: ", report.Description, StringComparison.Ordinal);
        Assert.Contains("memberStates: members in unusual states", report.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OnlyDegradedRules_OverallDegradedNotUnhealthy()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(11)),
            Member(2, State.Secondary));

        Assert.Equal(HealthStatus.Degraded, Evaluate(observation).Status);
    }

    [Fact]
    public void Report_ToData_PrefixesEveryKeyWithItsRule()
    {
        var data = Evaluate(Healthy()).ToData();

        Assert.Equal("rs0", data["set"]);
        Assert.Equal("Healthy", data["replicationLag.status"]);
        Assert.Equal(0d, data["replicationLag.maxSeconds"]);
        Assert.Equal(3, data["writeMajority.healthyDataBearingVoters"]);
        Assert.True(data.ContainsKey("azSpread.message"));
    }

    private static ReplicaSetObservation NoPrimary() => Healthy().WithMembers(
        Down(0),
        Member(1, State.Secondary, self: true),
        Member(2, State.Secondary));

    private static ReplicaSetHealthHistory HistoryWithTerm(DateTimeOffset at, long term) =>
        ReplicaSetHealthHistory.Empty.Advance(Healthy().At(at) with { Status = Healthy().Status with { Term = term } }, Defaults);
}
