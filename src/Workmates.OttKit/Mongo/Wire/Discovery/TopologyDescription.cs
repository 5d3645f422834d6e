using System.Collections.Immutable;
using System.Globalization;

namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>The SDAM TopologyType.</summary>
internal enum TopologyType
{
    Unknown,
    Single,
    ReplicaSetNoPrimary,
    ReplicaSetWithPrimary,
    Sharded,
    LoadBalanced,
}

/// <summary>The SDAM TopologyDescription: what the client believes about the whole deployment. Immutable.</summary>
internal sealed record TopologyDescription
{
    /// <summary>Oldest server wire version this client speaks (MongoDB 4.2).</summary>
    public const int MinSupportedWireVersion = 8;

    /// <summary>Newest server wire version this client knows (MongoDB 8.2).</summary>
    public const int MaxSupportedWireVersion = 27;

    public TopologyType Type { get; init; }

    public string? SetName { get; init; }

    public int? MaxSetVersion { get; init; }

    public ObjectIdValue? MaxElectionId { get; init; }

    public ImmutableSortedDictionary<string, ServerDescription> Servers { get; init; } =
        ImmutableSortedDictionary.Create<string, ServerDescription>(StringComparer.Ordinal);

    /// <summary>Why the client cannot talk to some server (wire version out of range), or <see langword="null"/>.</summary>
    public string? CompatibilityError => Servers.Values
        .Where(s => s.Type != ServerType.Unknown)
        .Select(CompatibilityProblem)
        .FirstOrDefault(p => p is not null);

    public bool IsCompatible => CompatibilityError is null;

    /// <summary>The smallest session timeout among data-bearing servers; <see langword="null"/> if any lacks one.</summary>
    public int? LogicalSessionTimeoutMinutes
    {
        get
        {
            var dataBearing = Servers.Values.Where(s => s.IsDataBearing).ToList();
            if (dataBearing.Count == 0 || dataBearing.Any(s => s.LogicalSessionTimeoutMinutes is null))
            {
                return null;
            }

            return dataBearing.Min(s => s.LogicalSessionTimeoutMinutes);
        }
    }

    /// <summary>The starting description for a seed list (SDAM "initial TopologyType").</summary>
    public static TopologyDescription Initial(IEnumerable<string> seeds, string? replicaSetName, bool directConnection, bool loadBalanced)
    {
        var type = (loadBalanced, directConnection, replicaSetName) switch
        {
            (true, _, _) => TopologyType.LoadBalanced,
            (_, true, _) => TopologyType.Single,
            (_, _, not null) => TopologyType.ReplicaSetNoPrimary,
            _ => TopologyType.Unknown,
        };
        var servers = seeds.Select(ServerDescription.Normalize).Distinct(StringComparer.Ordinal)
            .ToImmutableSortedDictionary(a => a!, a => ServerDescription.Unknown(a!), StringComparer.Ordinal);
        return new TopologyDescription { Type = type, SetName = replicaSetName, Servers = servers };
    }

    /// <summary>The starting description for a parsed connection string.</summary>
    public static TopologyDescription Initial(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return Initial(
            connectionString.Hosts.Select(h => h.ToString()),
            connectionString.ReplicaSet,
            connectionString.DirectConnection == true,
            connectionString.LoadBalanced);
    }

    public bool HasReadableServer => Servers.Values.Any(s => s.Type is not (ServerType.Unknown or ServerType.RSGhost or ServerType.RSArbiter or ServerType.RSOther or ServerType.PossiblePrimary));

    private static string? CompatibilityProblem(ServerDescription server)
    {
        if (server.MinWireVersion > MaxSupportedWireVersion)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Server at {server.Address} requires wire version {server.MinWireVersion}, but this client only supports up to {MaxSupportedWireVersion}.");
        }

        if (server.MaxWireVersion < MinSupportedWireVersion)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Server at {server.Address} reports maximum wire version {server.MaxWireVersion}, but this client requires at least {MinSupportedWireVersion} (MongoDB 4.2).");
        }

        return null;
    }
}
