namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>
/// The fields of a <c>hello</c> (or legacy <c>isMaster</c>) reply that discovery and selection read. The wire client
/// fills it from BSON; tests fill it from Extended JSON.
/// </summary>
internal sealed record HelloResult
{
    public bool Ok { get; init; }

    /// <summary><c>isWritablePrimary</c>, or legacy <c>ismaster</c>.</summary>
    public bool IsWritablePrimary { get; init; }

    public bool Secondary { get; init; }

    public bool ArbiterOnly { get; init; }

    public bool Hidden { get; init; }

    /// <summary><c>isreplicaset: true</c>: a member not yet initiated (a ghost).</summary>
    public bool IsReplicaSet { get; init; }

    public string? SetName { get; init; }

    public int? SetVersion { get; init; }

    public ObjectIdValue? ElectionId { get; init; }

    public string? Primary { get; init; }

    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<string> Passives { get; init; } = [];

    public IReadOnlyList<string> Arbiters { get; init; } = [];

    public string? Me { get; init; }

    public int MinWireVersion { get; init; }

    public int MaxWireVersion { get; init; }

    public int? LogicalSessionTimeoutMinutes { get; init; }

    public TopologyVersion? TopologyVersion { get; init; }

    /// <summary><c>lastWrite.lastWriteDate</c>, for max-staleness.</summary>
    public DateTimeOffset? LastWriteDate { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>msg</c>; <c>isdbgrid</c> marks a mongos.</summary>
    public string? Msg { get; init; }

    public bool HelloOk { get; init; }

    /// <summary><c>saslSupportedMechs</c>, when the handshake asked for it.</summary>
    public IReadOnlyList<string>? SaslSupportedMechs { get; init; }
}
