namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The fields of <c>replSetGetStatus</c> (<c>rs.status()</c>) that the health check reads, as seen by the member that
/// answered. Heartbeat-derived fields can be a few seconds old.
/// </summary>
public sealed record ReplicaSetStatus
{
    /// <summary>Gets the replica-set name (<c>set</c>).</summary>
    public required string Set { get; init; }

    /// <summary>Gets the answering member's clock when it answered (<c>date</c>); heartbeat ages are measured against it.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>Gets the answering member's own state (<c>myState</c>).</summary>
    public ReplicaSetMemberState MyState { get; init; }

    /// <summary>Gets the current election term (<c>term</c>); <see langword="null"/> on protocol version 0.</summary>
    public long? Term { get; init; }

    /// <summary>Gets the heartbeat interval (<c>heartbeatIntervalMillis</c>).</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Gets the votes needed to elect a primary (<c>majorityVoteCount</c>, MongoDB 4.2.1+).</summary>
    public int? MajorityVoteCount { get; init; }

    /// <summary>Gets the members that must acknowledge a <c>w: "majority"</c> write (<c>writeMajorityCount</c>, 4.2.1+).</summary>
    public int? WriteMajorityCount { get; init; }

    /// <summary>Gets the number of voting members (<c>votingMembersCount</c>, 4.4+).</summary>
    public int? VotingMembersCount { get; init; }

    /// <summary>Gets the number of data-bearing voting members (<c>writableVotingMembersCount</c>, 4.4+).</summary>
    public int? WritableVotingMembersCount { get; init; }

    /// <summary>Gets the set-wide optimes (<c>optimes</c>), when reported.</summary>
    public ReplicaSetOpTimes? OpTimes { get; init; }

    /// <summary>Gets the members in the order the server listed them (<c>members</c>).</summary>
    public IReadOnlyList<ReplicaSetMemberStatus> Members { get; init; } = [];
}

/// <summary>The set-wide optimes of <c>replSetGetStatus.optimes</c>.</summary>
public sealed record ReplicaSetOpTimes
{
    /// <summary>Gets the most recent operation written to a majority (<c>lastCommittedOpTime</c>).</summary>
    public OpTime? LastCommitted { get; init; }

    /// <summary>Gets the wall time of <see cref="LastCommitted"/> (<c>lastCommittedWallTime</c>, 4.2+).</summary>
    public DateTimeOffset? LastCommittedWallTime { get; init; }

    /// <summary>Gets the majority read point (<c>readConcernMajorityOpTime</c>).</summary>
    public OpTime? ReadConcernMajority { get; init; }

    /// <summary>Gets the last operation applied on the answering member (<c>appliedOpTime</c>).</summary>
    public OpTime? Applied { get; init; }

    /// <summary>Gets the last operation journaled on the answering member (<c>durableOpTime</c>).</summary>
    public OpTime? Durable { get; init; }
}

/// <summary>One entry of <c>replSetGetStatus.members</c>.</summary>
public sealed record ReplicaSetMemberStatus
{
    /// <summary>Gets the member id (<c>_id</c>), which matches <see cref="ReplicaSetConfigMember.Id"/>.</summary>
    public int Id { get; init; }

    /// <summary>Gets the member's <c>host:port</c> (<c>name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets a value indicating whether the member is reachable (<c>health</c> is 1) from the answering member.</summary>
    public bool Healthy { get; init; }

    /// <summary>Gets the member's state (<c>state</c>).</summary>
    public ReplicaSetMemberState State { get; init; }

    /// <summary>Gets the state as the server spells it (<c>stateStr</c>), e.g. <c>(not reachable/healthy)</c>.</summary>
    public string? StateText { get; init; }

    /// <summary>
    /// Gets <c>uptime</c>: for the answering member, how long its process has run; for the others, how long they have been in
    /// continuous contact with it.
    /// </summary>
    public TimeSpan? Uptime { get; init; }

    /// <summary>Gets the last operation the member applied (<c>optime</c>).</summary>
    public OpTime? OpTime { get; init; }

    /// <summary>Gets the wall time of <see cref="OpTime"/> (<c>optimeDate</c>); the Unix epoch for unreachable members.</summary>
    public DateTimeOffset? OpTimeDate { get; init; }

    /// <summary>Gets when the answering member last received a heartbeat response from this member (<c>lastHeartbeat</c>).</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>Gets when the answering member last received a heartbeat request from this member (<c>lastHeartbeatRecv</c>).</summary>
    public DateTimeOffset? LastHeartbeatReceived { get; init; }

    /// <summary>Gets the heartbeat round-trip time (<c>pingMs</c>).</summary>
    public TimeSpan? Ping { get; init; }

    /// <summary>Gets the last heartbeat error or note (<c>lastHeartbeatMessage</c>).</summary>
    public string? LastHeartbeatMessage { get; init; }

    /// <summary>Gets the member this one replicates from (<c>syncSourceHost</c>); empty for the primary.</summary>
    public string? SyncSourceHost { get; init; }

    /// <summary>Gets the timestamp of the election that made this member primary (<c>electionTime</c>), primary only.</summary>
    public ReplicationTimestamp? ElectionTime { get; init; }

    /// <summary>Gets the wall time of that election (<c>electionDate</c>), primary only.</summary>
    public DateTimeOffset? ElectionDate { get; init; }

    /// <summary>Gets the configuration version the member runs (<c>configVersion</c>); -1 when unknown.</summary>
    public int? ConfigVersion { get; init; }

    /// <summary>Gets the configuration term the member runs (<c>configTerm</c>, 4.4+).</summary>
    public long? ConfigTerm { get; init; }

    /// <summary>Gets a value indicating whether this entry describes the answering member (<c>self</c>).</summary>
    public bool Self { get; init; }

    /// <summary>Gets a value indicating whether the member is the primary.</summary>
    public bool IsPrimary => State == ReplicaSetMemberState.Primary;

    /// <summary>Gets a value indicating whether the member reports no optime yet (<c>Timestamp(0, 0)</c> or a 1970 <c>optimeDate</c>).</summary>
    public bool HasNoOpTime =>
        OpTime is null or { Timestamp.IsZero: true } || OpTimeDate is { } date && date.ToUnixTimeSeconds() <= 0;
}
