using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetStatusJsonTests
{
    private static readonly DateTimeOffset StatusDate = DateTimeOffset.Parse("2024-08-15T23:06:13.978Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("""{ "$date": { "$numberLong": "1723763173978" } }""")]
    [InlineData("""{ "$date": 1723763173978 }""")]
    [InlineData("""{ "$date": "2024-08-15T23:06:13.978Z" }""")]
    [InlineData("""{ "$date": "2024-08-15T23:06:13.978+00:00" }""")]
    [InlineData("\"2024-08-15T23:06:13.978Z\"")]
    public void ParseStatus_EveryDateForm_SameInstant(string date)
    {
        var status = ReplicaSetStatusJson.ParseStatus($$"""{ "set": "rs0", "date": {{date}}, "members": [] }""");

        Assert.Equal(StatusDate, status.Date);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("""{ "$numberLong": "3" }""")]
    [InlineData("""{ "$numberInt": "3" }""")]
    [InlineData("""{ "$numberDouble": "3.0" }""")]
    [InlineData("3.0")]
    public void ParseStatus_EveryNumberForm_SameValue(string term)
    {
        var status = ReplicaSetStatusJson.ParseStatus($$"""{ "set": "rs0", "date": "2024-08-15T23:06:13.978Z", "term": {{term}}, "members": [] }""");

        Assert.Equal(3, status.Term);
    }

    [Fact]
    public void ParseObservation_CanonicalFixture_ReadsEveryField()
    {
        var observation = Fixture("healthy-mongosh-canonical.json");

        var status = observation.Status;
        Assert.Equal("replset", status.Set);
        Assert.Equal(StatusDate, status.Date);
        Assert.Equal(ReplicaSetMemberState.Primary, status.MyState);
        Assert.Equal(3, status.Term);
        Assert.Equal(TimeSpan.FromSeconds(2), status.HeartbeatInterval);
        Assert.Equal(2, status.MajorityVoteCount);
        Assert.Equal(2, status.WriteMajorityCount);
        Assert.Equal(3, status.VotingMembersCount);
        Assert.Equal(3, status.WritableVotingMembersCount);
        Assert.Equal(new OpTime(new ReplicationTimestamp(1723763173, 1), 3), status.OpTimes!.LastCommitted);

        var primary = status.Members[0];
        Assert.True(primary.Self);
        Assert.True(primary.Healthy);
        Assert.Equal("PRIMARY", primary.StateText);
        Assert.Equal(new ReplicationTimestamp(1722553573, 1), primary.ElectionTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1722553573), primary.ElectionDate);
        Assert.Equal(5, primary.ConfigVersion);
        Assert.Equal(3, primary.ConfigTerm);

        var secondary = status.Members[1];
        Assert.Equal(TimeSpan.FromSeconds(1209590), secondary.Uptime);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1723763172578), secondary.LastHeartbeat);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1723763173120), secondary.LastHeartbeatReceived);
        Assert.Equal(TimeSpan.Zero, secondary.Ping);
        Assert.Equal("m1.example.net:27017", secondary.SyncSourceHost);

        var config = observation.Config!;
        Assert.Equal("replset", config.Id);
        Assert.Equal(5, config.Version);
        Assert.Equal("us-east-1b", config.Members[1].Tags["az"]);
        Assert.Equal(2.0, config.Members[0].Priority);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Settings!.ElectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Settings.HeartbeatTimeout);

        Assert.Equal("m1.example.net:27017", observation.ServerStatus!.Host);
        Assert.Equal(TimeSpan.FromSeconds(1209601), observation.ServerStatus.Uptime);
        Assert.True(observation.ServerStatus.IsWritablePrimary);
        Assert.Equal("replset", observation.ServerStatus.ReplicaSetName);

        Assert.Equal(TimeSpan.FromHours(48), observation.Oplog!.Duration);
        Assert.Equal(53687091200, observation.Oplog.MaxBytes);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1723763174102), observation.ObservedAt);
    }

    [Fact]
    public void ParseObservation_LegacyShellFixture_ReadsMillisDatesArbiterAndSlaveDelay()
    {
        var observation = Fixture("legacy-shell-psa.json");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1447946552597), observation.Status.Date);
        Assert.Null(observation.Status.WriteMajorityCount);
        var arbiter = observation.Status.Members[2];
        Assert.Equal(ReplicaSetMemberState.Arbiter, arbiter.State);
        Assert.Null(arbiter.OpTime);
        Assert.True(observation.Config!.Members[2].ArbiterOnly);
        Assert.Equal("m1.example.net:27017", observation.Status.Members[1].SyncSourceHost);
        Assert.True(observation.ServerStatus!.IsWritablePrimary);
        Assert.Equal(observation.Status.Date, observation.ObservedAt);
    }

    [Fact]
    public void ParseObservation_DownMemberFixture_HealthZeroAndEpochOptime()
    {
        var down = Fixture("member-down-epoch-optime.json").Status.Members[2];

        Assert.False(down.Healthy);
        Assert.Equal(ReplicaSetMemberState.Down, down.State);
        Assert.Equal("(not reachable/healthy)", down.StateText);
        Assert.Equal(DateTimeOffset.UnixEpoch, down.OpTimeDate);
        Assert.Equal(-1, down.OpTime!.Value.Term);
        Assert.True(down.HasNoOpTime);
        Assert.StartsWith("Error connecting", down.LastHeartbeatMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseObservation_ProtocolVersionZero_BareTimestampOptimeWithoutTerm()
    {
        var observation = Fixture("protocol-version-0.json");

        Assert.Null(observation.Status.Term);
        Assert.Equal(new OpTime(new ReplicationTimestamp(1447946538, 1), -1), observation.Status.Members[1].OpTime);
    }

    public static TheoryData<string, HealthStatus, string[]> FixtureVerdicts => new()
    {
        { "healthy-mongosh-canonical.json", HealthStatus.Healthy, [] },
        { "legacy-shell-psa.json", HealthStatus.Healthy, [] },
        { "member-down-epoch-optime.json", HealthStatus.Degraded, [ReplicaSetHealthRules.WriteMajority, ReplicaSetHealthRules.MemberStates] },
        { "secondary-ahead-of-primary.json", HealthStatus.Healthy, [] },
        { "no-primary-election.json", HealthStatus.Degraded, [ReplicaSetHealthRules.Primary, ReplicaSetHealthRules.WriteMajority, ReplicaSetHealthRules.ReplicationLag, ReplicaSetHealthRules.MemberStates] },
        { "protocol-version-0.json", HealthStatus.Degraded, [ReplicaSetHealthRules.ReplicationLag] },
    };

    [Theory]
    [MemberData(nameof(FixtureVerdicts))]
    public void Evaluate_RealWorldShape_ExpectedVerdictAndFailingRules(string fixture, HealthStatus expected, string[] failingRules)
    {
        var report = Evaluate(Fixture(fixture));

        Assert.Equal(expected, report.Status);
        Assert.Equal(failingRules.Order(StringComparer.Ordinal), report.Rules.Where(rule => rule.Status != HealthStatus.Healthy).Select(rule => rule.Rule).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_DownMemberFixture_EpochOptimeExcludedFromLag()
    {
        var lag = Evaluate(Fixture("member-down-epoch-optime.json"))[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal(1, (double)lag.Data["maxSeconds"], 3);
        Assert.Equal(["m3.example.net:27017"], (IEnumerable<string>)lag.Data["excludedMembers"]);
    }

    [Fact]
    public void Evaluate_SecondaryAheadFixture_LagClampedToZero()
    {
        var lag = Evaluate(Fixture("secondary-ahead-of-primary.json"))[ReplicaSetHealthRules.ReplicationLag];

        var perMember = (IReadOnlyDictionary<string, double>)lag.Data["secondsByMember"];
        Assert.Equal(0, perMember["m2.example.net:27017"]);
        Assert.Equal(2, perMember["m3.example.net:27017"]);
    }

    [Fact]
    public void Evaluate_NoPrimaryFixture_LagAgainstFreshestMember()
    {
        var lag = Evaluate(Fixture("no-primary-election.json"))[ReplicaSetHealthRules.ReplicationLag];

        Assert.Equal("m2.example.net:27017", lag.Data["reference"]);
        Assert.Equal(12, (double)lag.Data["maxSeconds"], 3);
    }

    [Fact]
    public void Evaluate_LegacyArbiterFixture_WriteMajorityDerived()
    {
        var rule = Evaluate(Fixture("legacy-shell-psa.json"))[ReplicaSetHealthRules.WriteMajority];

        Assert.Equal(2, rule.Data["writeMajorityCount"]);
        Assert.Equal(2, rule.Data["healthyDataBearingVoters"]);
    }

    [Fact]
    public void ParseStatus_MissingMembers_ErrorNamesThePath()
    {
        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseStatus("""{ "set": "rs0", "date": { "$date": 0 } }"""));

        Assert.Equal("$.members", error.Path);
        Assert.Equal("$.members: required field is missing", error.Message);
    }

    [Fact]
    public void ParseObservation_BadOptime_ErrorNamesTheMember()
    {
        var json = """{ "status": { "set": "rs0", "date": { "$date": 0 }, "members": [ { "_id": 0, "name": "a:1", "health": 1, "state": 1, "optime": { "ts": 5 } } ] } }""";

        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseObservation(json));

        Assert.Equal("$.status.members[0].optime.ts", error.Path);
    }

    [Fact]
    public void ParseStatus_BadDateText_ErrorNamesThePath()
    {
        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseStatus("""{ "set": "rs0", "date": { "$date": "yesterday" }, "members": [] }"""));

        Assert.Equal("$.date", error.Path);
    }

    [Fact]
    public void ParseStatus_NotJson_RootPath()
    {
        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseStatus("rs.status()"));

        Assert.Equal("$", error.Path);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void ParseConfig_BareRsConfDocument_Accepted()
    {
        var config = ReplicaSetStatusJson.ParseConfig("""{ "_id": "rs0", "version": 2, "members": [ { "_id": 0, "host": "a:1", "votes": 0, "priority": 0, "secondaryDelaySecs": 3600, "hidden": true } ] }""");

        var member = Assert.Single(config.Members);
        Assert.Equal(0, member.Votes);
        Assert.True(member.Hidden);
        Assert.Equal(TimeSpan.FromHours(1), member.SecondaryDelay);
    }

    [Theory]
    [InlineData("""{ "$timestamp": { "t": -1, "i": 0 } }""", "$.members[0].optime.ts.$timestamp.t")]
    [InlineData("""{ "$timestamp": { "t": 1, "i": 4294967296 } }""", "$.members[0].optime.ts.$timestamp.i")]
    public void ParseStatus_TimestampOutOfRange_ErrorNamesThePath(string timestamp, string path)
    {
        var json = $$"""{ "set": "rs0", "date": { "$date": 0 }, "members": [ { "_id": 0, "name": "a:1", "health": 1, "state": 1, "optime": { "ts": {{timestamp}}, "t": 1 } } ] }""";

        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseStatus(json));

        Assert.Equal(path, error.Path);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("4294967296")]
    [InlineData("""{ "$numberLong": "x" }""")]
    public void ParseStatus_BadMemberId_ErrorNamesThePath(string id)
    {
        var json = $$"""{ "set": "rs0", "date": { "$date": 0 }, "members": [ { "_id": {{id}}, "name": "a:1", "health": 1, "state": 1 } ] }""";

        var error = Assert.Throws<ReplicaSetStatusFormatException>(() => ReplicaSetStatusJson.ParseStatus(json));

        Assert.Equal("$.members[0]._id", error.Path);
    }
}
