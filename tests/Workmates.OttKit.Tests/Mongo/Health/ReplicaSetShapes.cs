using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Health;

/// <summary>Builds observations for rule tests: a healthy three-member set in three zones unless a test changes it.</summary>
internal static class ReplicaSetShapes
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    public static string Host(int id) => $"m{id}.example.net:27017";

    public static ReplicaSetMemberStatus Member(
        int id,
        ReplicaSetMemberState state,
        TimeSpan behind = default,
        bool healthy = true,
        bool self = false,
        TimeSpan? heartbeatAge = null,
        TimeSpan? uptime = null)
    {
        var optimeDate = Now - behind;
        var heard = Now - (heartbeatAge ?? TimeSpan.FromSeconds(1));
        return new ReplicaSetMemberStatus
        {
            Id = id,
            Name = Host(id),
            Healthy = healthy,
            State = state,
            StateText = state.ToString().ToUpperInvariant(),
            Uptime = uptime ?? TimeSpan.FromDays(14),
            OpTime = state == ReplicaSetMemberState.Arbiter ? null : new OpTime(new ReplicationTimestamp((uint)optimeDate.ToUnixTimeSeconds(), 1), 3),
            OpTimeDate = state == ReplicaSetMemberState.Arbiter ? null : optimeDate,
            LastHeartbeat = self ? null : heard,
            LastHeartbeatReceived = self ? null : heard,
            Self = self,
        };
    }

    public static ReplicaSetMemberStatus Down(int id) => new()
    {
        Id = id,
        Name = Host(id),
        Healthy = false,
        State = ReplicaSetMemberState.Down,
        StateText = "(not reachable/healthy)",
        Uptime = TimeSpan.Zero,
        OpTime = new OpTime(default, -1),
        OpTimeDate = DateTimeOffset.UnixEpoch,
        LastHeartbeat = Now - TimeSpan.FromSeconds(1),
        LastHeartbeatReceived = Now - TimeSpan.FromMinutes(25),
    };

    public static ReplicaSetConfigMember ConfigMember(int id, string? zone, int votes = 1, bool arbiter = false, TimeSpan delay = default) => new()
    {
        Id = id,
        Host = Host(id),
        Votes = votes,
        ArbiterOnly = arbiter,
        Priority = arbiter || votes == 0 ? 0 : 1,
        SecondaryDelay = delay,
        Tags = zone is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { ["az"] = zone },
    };

    /// <summary>A healthy primary (self) and two secondaries, configured in us-east-1a/b/c, with a 48-hour oplog.</summary>
    public static ReplicaSetObservation Healthy() => With(
        Member(0, ReplicaSetMemberState.Primary, self: true),
        Member(1, ReplicaSetMemberState.Secondary),
        Member(2, ReplicaSetMemberState.Secondary));

    /// <summary>An observation of the given members with a matching configuration (one zone per member) and a 48-hour oplog.</summary>
    public static ReplicaSetObservation With(params ReplicaSetMemberStatus[] members) => new()
    {
        Status = new ReplicaSetStatus
        {
            Set = "rs0",
            Date = Now,
            MyState = members.FirstOrDefault(member => member.Self)?.State ?? ReplicaSetMemberState.Secondary,
            Term = 3,
            Members = members,
        },
        Config = new ReplicaSetConfig
        {
            Id = "rs0",
            Version = 1,
            Members = [.. members.Select(member => ConfigMember(member.Id, $"us-east-1{(char)('a' + member.Id)}", arbiter: member.State == ReplicaSetMemberState.Arbiter))],
        },
        Oplog = new OplogWindow { First = Now - TimeSpan.FromHours(48), Last = Now },
        ObservedAt = Now,
    };

    public static ReplicaSetObservation WithMembers(this ReplicaSetObservation observation, params ReplicaSetMemberStatus[] members) =>
        observation with { Status = observation.Status with { Members = members } };

    public static ReplicaSetObservation WithConfigMembers(this ReplicaSetObservation observation, params ReplicaSetConfigMember[] members) =>
        observation with { Config = observation.Config! with { Members = members } };

    public static ReplicaSetObservation At(this ReplicaSetObservation observation, DateTimeOffset observedAt) =>
        observation with { ObservedAt = observedAt };

    public static ReplicaSetHealthReport Evaluate(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions? options = null, ReplicaSetHealthHistory? history = null) =>
        ReplicaSetHealthEvaluator.Evaluate(observation, options ?? new ReplicaSetHealthCheckOptions(), history ?? ReplicaSetHealthHistory.Empty);

    public static string FixturePath(string name) =>
        Path.Combine(RepositoryPaths.Root, "tests", "Workmates.OttKit.Tests", "Mongo", "Health", "Fixtures", name);

    public static ReplicaSetObservation Fixture(string name) => ReplicaSetStatusJson.ParseObservation(File.ReadAllText(FixturePath(name)));
}
