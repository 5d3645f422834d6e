namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>What discovery has concluded about one server (SDAM ServerType).</summary>
internal enum ServerType
{
    Unknown,
    Standalone,
    Mongos,
    PossiblePrimary,
    RSPrimary,
    RSSecondary,
    RSArbiter,
    RSOther,
    RSGhost,
    LoadBalancer,
}

/// <summary>The SDAM ServerDescription: immutable; a new one replaces the old after each check or error.</summary>
internal sealed record ServerDescription
{
    public required string Address { get; init; }

    public ServerType Type { get; init; }

    /// <summary>Why the server is Unknown (network error, state-change error), if it is.</summary>
    public string? Error { get; init; }

    /// <summary>Exponentially weighted average round-trip time of <c>hello</c>.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    public DateTimeOffset? LastWriteDate { get; init; }

    /// <summary>When the monitor last heard from the server (client clock), for max-staleness.</summary>
    public DateTimeOffset? LastUpdateTime { get; init; }

    public int MinWireVersion { get; init; }

    public int MaxWireVersion { get; init; }

    public string? Me { get; init; }

    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<string> Passives { get; init; } = [];

    public IReadOnlyList<string> Arbiters { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string? SetName { get; init; }

    public int? SetVersion { get; init; }

    public ObjectIdValue? ElectionId { get; init; }

    public string? Primary { get; init; }

    public int? LogicalSessionTimeoutMinutes { get; init; }

    public TopologyVersion? TopologyVersion { get; init; }

    /// <summary>Every member the server reports: hosts, passives and arbiters.</summary>
    public IEnumerable<string> Members => Hosts.Concat(Passives).Concat(Arbiters);

    /// <summary>Primaries, secondaries, standalones and mongoses hold data (and count for session timeouts).</summary>
    public bool IsDataBearing => Type is ServerType.RSPrimary or ServerType.RSSecondary or ServerType.Standalone or ServerType.Mongos or ServerType.LoadBalancer;

    public static ServerDescription Unknown(string address, string? error = null, TopologyVersion? topologyVersion = null) =>
        new() { Address = address, Type = ServerType.Unknown, Error = error, TopologyVersion = topologyVersion };

    /// <summary>Classifies a <c>hello</c> reply (SDAM "parsing a hello response").</summary>
    public static ServerDescription FromHello(string address, HelloResult hello, TimeSpan? roundTripTime = null, DateTimeOffset? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (!hello.Ok)
        {
            return Unknown(address, "hello returned ok: 0") with { RoundTripTime = roundTripTime };
        }

        var type = hello switch
        {
            { Msg: "isdbgrid" } => ServerType.Mongos,
            { IsReplicaSet: true } => ServerType.RSGhost,
            { SetName: null } => ServerType.Standalone,
            { Hidden: true } => ServerType.RSOther,
            { IsWritablePrimary: true } => ServerType.RSPrimary,
            { Secondary: true } => ServerType.RSSecondary,
            { ArbiterOnly: true } => ServerType.RSArbiter,
            _ => ServerType.RSOther,
        };

        return new ServerDescription
        {
            Address = address,
            Type = type,
            RoundTripTime = roundTripTime,
            LastWriteDate = hello.LastWriteDate,
            LastUpdateTime = receivedAt,
            MinWireVersion = hello.MinWireVersion,
            MaxWireVersion = hello.MaxWireVersion,
            Me = Normalize(hello.Me),
            Hosts = hello.Hosts.Select(h => Normalize(h)!).ToList(),
            Passives = hello.Passives.Select(h => Normalize(h)!).ToList(),
            Arbiters = hello.Arbiters.Select(h => Normalize(h)!).ToList(),
            Tags = hello.Tags,
            SetName = hello.SetName,
            SetVersion = hello.SetVersion,
            ElectionId = hello.ElectionId,
            Primary = Normalize(hello.Primary),
            LogicalSessionTimeoutMinutes = hello.LogicalSessionTimeoutMinutes,
            TopologyVersion = hello.TopologyVersion,
        };
    }

    /// <summary>Addresses compare case-insensitively; the canonical key is lower-case <c>host:port</c>.</summary>
    public static string? Normalize(string? address) =>
        address is null ? null : MongoServerAddress.Parse(address).ToString();

    /// <summary>SDAM equality for change events: everything except round-trip and update times.</summary>
    public bool IsEquivalentTo(ServerDescription other) =>
        Address == other.Address && Type == other.Type && Error == other.Error
        && MinWireVersion == other.MinWireVersion && MaxWireVersion == other.MaxWireVersion && Me == other.Me
        && Hosts.Order(StringComparer.Ordinal).SequenceEqual(other.Hosts.Order(StringComparer.Ordinal))
        && Passives.Order(StringComparer.Ordinal).SequenceEqual(other.Passives.Order(StringComparer.Ordinal))
        && Arbiters.Order(StringComparer.Ordinal).SequenceEqual(other.Arbiters.Order(StringComparer.Ordinal))
        && Tags.Count == other.Tags.Count && Tags.All(t => other.Tags.TryGetValue(t.Key, out var v) && v == t.Value)
        && SetName == other.SetName && SetVersion == other.SetVersion && ElectionId == other.ElectionId
        && Primary == other.Primary && LogicalSessionTimeoutMinutes == other.LogicalSessionTimeoutMinutes
        && TopologyVersion == other.TopologyVersion;
}
