namespace Workmates.OttKit.Mongo.Health;

/// <summary>The fields of <c>replSetGetConfig</c> (<c>rs.conf()</c>) that the health check reads.</summary>
public sealed record ReplicaSetConfig
{
    /// <summary>Gets the replica-set name (<c>_id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the configuration version (<c>version</c>).</summary>
    public int Version { get; init; }

    /// <summary>Gets the configuration term (<c>term</c>, 4.4+).</summary>
    public long? Term { get; init; }

    /// <summary>Gets the configured members (<c>members</c>).</summary>
    public IReadOnlyList<ReplicaSetConfigMember> Members { get; init; } = [];

    /// <summary>Gets the set-wide settings (<c>settings</c>), when present.</summary>
    public ReplicaSetSettings? Settings { get; init; }
}

/// <summary>One entry of <c>replSetGetConfig.config.members</c>.</summary>
public sealed record ReplicaSetConfigMember
{
    /// <summary>Gets the member id (<c>_id</c>).</summary>
    public int Id { get; init; }

    /// <summary>Gets the member's <c>host:port</c> (<c>host</c>).</summary>
    public required string Host { get; init; }

    /// <summary>Gets a value indicating whether the member is an arbiter (<c>arbiterOnly</c>).</summary>
    public bool ArbiterOnly { get; init; }

    /// <summary>Gets a value indicating whether the member is hidden from clients (<c>hidden</c>).</summary>
    public bool Hidden { get; init; }

    /// <summary>Gets the election priority (<c>priority</c>); 0 means it can never become primary.</summary>
    public double Priority { get; init; } = 1;

    /// <summary>Gets the member's votes (<c>votes</c>): 0 or 1.</summary>
    public int Votes { get; init; } = 1;

    /// <summary>Gets the configured replication delay (<c>secondaryDelaySecs</c>, formerly <c>slaveDelay</c>).</summary>
    public TimeSpan SecondaryDelay { get; init; }

    /// <summary>Gets the member tags (<c>tags</c>); the blueprint sets the availability zone under <c>az</c>.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The subset of <c>replSetGetConfig.config.settings</c> the health check reads.</summary>
public sealed record ReplicaSetSettings
{
    /// <summary>Gets <c>heartbeatIntervalMillis</c>.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Gets <c>heartbeatTimeoutSecs</c>.</summary>
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>Gets <c>electionTimeoutMillis</c>.</summary>
    public TimeSpan? ElectionTimeout { get; init; }

    /// <summary>Gets <c>chainingAllowed</c>.</summary>
    public bool? ChainingAllowed { get; init; }
}

/// <summary>The subset of <c>serverStatus</c> the health check reads, from the member that answered.</summary>
public sealed record ServerStatusSummary
{
    /// <summary>Gets the server's host name (<c>host</c>).</summary>
    public required string Host { get; init; }

    /// <summary>Gets the process uptime (<c>uptime</c>).</summary>
    public TimeSpan Uptime { get; init; }

    /// <summary>Gets the replica-set name (<c>repl.setName</c>).</summary>
    public string? ReplicaSetName { get; init; }

    /// <summary>Gets the member's own <c>host:port</c> (<c>repl.me</c>).</summary>
    public string? Me { get; init; }

    /// <summary>Gets the primary the server knows of (<c>repl.primary</c>).</summary>
    public string? Primary { get; init; }

    /// <summary>Gets a value indicating whether the server is the writable primary (<c>repl.isWritablePrimary</c>, formerly <c>ismaster</c>).</summary>
    public bool? IsWritablePrimary { get; init; }
}

/// <summary>
/// The span of the oplog: the timestamps of its first and last entries (what <c>db.getReplicationInfo()</c> reports as
/// <c>tFirst</c> and <c>tLast</c>) and, when known, its size.
/// </summary>
public sealed record OplogWindow
{
    /// <summary>Gets the time of the oldest entry still in the oplog.</summary>
    public required DateTimeOffset First { get; init; }

    /// <summary>Gets the time of the newest entry.</summary>
    public required DateTimeOffset Last { get; init; }

    /// <summary>Gets the bytes the oplog uses, when known.</summary>
    public long? UsedBytes { get; init; }

    /// <summary>Gets the configured maximum size in bytes, when known.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Gets the time the oplog covers.</summary>
    public TimeSpan Duration => Last - First;
}

/// <summary>
/// Everything the health check reads from a replica set at one moment. The wire client fills it; tests and the CLI can
/// fill it from JSON.
/// </summary>
public sealed record ReplicaSetObservation
{
    /// <summary>Gets the answer to <c>replSetGetStatus</c>.</summary>
    public required ReplicaSetStatus Status { get; init; }

    /// <summary>Gets the answer to <c>replSetGetConfig</c>; without it the AZ-spread rule and delay-aware lag are skipped.</summary>
    public ReplicaSetConfig? Config { get; init; }

    /// <summary>Gets the <c>serverStatus</c> subset of the member that answered.</summary>
    public ServerStatusSummary? ServerStatus { get; init; }

    /// <summary>Gets the oplog span of the member that answered; without it the oplog-window rule is skipped.</summary>
    public OplogWindow? Oplog { get; init; }

    /// <summary>Gets when the observer (not the server) took this observation; history-based rules measure time with it.</summary>
    public required DateTimeOffset ObservedAt { get; init; }
}
