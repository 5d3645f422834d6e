using System.Globalization;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Mongo.Wire.Selection;

/// <summary>The settings server selection needs besides the read preference.</summary>
/// <param name="LocalThreshold">Width of the latency window above the fastest suitable server (<c>localThresholdMS</c>).</param>
/// <param name="HeartbeatFrequency">Monitor interval (<c>heartbeatFrequencyMS</c>), part of the staleness estimate.</param>
internal sealed record SelectionSettings(TimeSpan LocalThreshold, TimeSpan HeartbeatFrequency)
{
    /// <summary>The driver defaults: 15 ms window, 10 s heartbeat.</summary>
    public static SelectionSettings Default { get; } = new(TimeSpan.FromMilliseconds(15), TimeSpan.FromSeconds(10));

    public static SelectionSettings From(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new(connectionString.LocalThreshold, connectionString.HeartbeatFrequency);
    }
}

/// <summary>
/// Server selection (Server Selection and Max Staleness specs) as a pure function of a topology description: which
/// servers are suitable for a read with a read preference, or for a write, within the latency window.
/// </summary>
internal static class ServerSelector
{
    /// <summary>How often a primary writes a no-op so secondaries' lag stays measurable.</summary>
    public static readonly TimeSpan IdleWritePeriod = TimeSpan.FromSeconds(10);

    /// <summary>The smallest <c>maxStalenessSeconds</c> the spec allows, regardless of heartbeat.</summary>
    public static readonly TimeSpan SmallestMaxStaleness = TimeSpan.FromSeconds(90);

    /// <summary>Servers suitable for a write: the primary, a mongos, the standalone or the load balancer.</summary>
    public static IReadOnlyList<ServerDescription> SelectForWrite(TopologyDescription topology, SelectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(settings);
        EnsureCompatible(topology);
        return topology.Type switch
        {
            TopologyType.ReplicaSetWithPrimary => topology.Servers.Values.Where(s => s.Type == ServerType.RSPrimary).ToList(),
            TopologyType.ReplicaSetNoPrimary or TopologyType.Unknown => [],
            _ => ForNonReplicaSet(topology, settings),
        };
    }

    /// <summary>Servers suitable for a read with <paramref name="readPreference"/>, after tag and latency filtering.</summary>
    public static IReadOnlyList<ServerDescription> SelectForRead(TopologyDescription topology, MongoReadPreference readPreference, SelectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(readPreference);
        ArgumentNullException.ThrowIfNull(settings);
        EnsureCompatible(topology);
        if (topology.Type is not (TopologyType.ReplicaSetNoPrimary or TopologyType.ReplicaSetWithPrimary))
        {
            // Single and load-balanced go to the one server; mongos applies the read preference itself.
            return topology.Type == TopologyType.Unknown ? [] : ForNonReplicaSet(topology, settings);
        }

        ValidateMaxStaleness(readPreference, settings);
        var primary = topology.Servers.Values.FirstOrDefault(s => s.Type == ServerType.RSPrimary);
        var primaryOnly = primary is null ? [] : new List<ServerDescription> { primary };
        return readPreference.Mode switch
        {
            ReadPreferenceMode.Primary => primaryOnly,
            ReadPreferenceMode.PrimaryPreferred => primary is not null ? primaryOnly : Eligible(topology, primary, readPreference, settings, includePrimary: false),
            ReadPreferenceMode.Secondary => Eligible(topology, primary, readPreference, settings, includePrimary: false),
            ReadPreferenceMode.SecondaryPreferred => Eligible(topology, primary, readPreference, settings, includePrimary: false) is { Count: > 0 } secondaries
                ? secondaries
                : primaryOnly,
            ReadPreferenceMode.Nearest => Eligible(topology, primary, readPreference, settings, includePrimary: true),
            _ => throw new InvalidOperationException($"Unhandled mode {readPreference.Mode}."),
        };
    }

    /// <summary>Picks one suitable server at random (the caller supplies the randomness, keeping selection testable).</summary>
    public static ServerDescription? PickOne(IReadOnlyList<ServerDescription> suitable, Random random)
    {
        ArgumentNullException.ThrowIfNull(suitable);
        ArgumentNullException.ThrowIfNull(random);
        return suitable.Count == 0 ? null : suitable[random.Next(suitable.Count)];
    }

    /// <summary>maxStalenessSeconds must be at least max(90 s, heartbeat + idle write period) and is meaningless for primary.</summary>
    public static void ValidateMaxStaleness(MongoReadPreference readPreference, SelectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(readPreference);
        ArgumentNullException.ThrowIfNull(settings);
        if (readPreference.MaxStaleness is not { } maxStaleness)
        {
            return;
        }

        if (readPreference.Mode == ReadPreferenceMode.Primary)
        {
            throw new MongoServerSelectionException("maxStalenessSeconds cannot be combined with readPreference=primary.");
        }

        var floor = settings.HeartbeatFrequency + IdleWritePeriod;
        if (floor < SmallestMaxStaleness)
        {
            floor = SmallestMaxStaleness;
        }

        if (maxStaleness < floor)
        {
            throw new MongoServerSelectionException(string.Create(CultureInfo.InvariantCulture,
                $"maxStalenessSeconds={maxStaleness.TotalSeconds} is too small; it must be at least {floor.TotalSeconds} (max of 90 and heartbeatFrequencyMS/1000 + 10)."));
        }
    }

    private static List<ServerDescription> Eligible(
        TopologyDescription topology, ServerDescription? primary, MongoReadPreference readPreference, SelectionSettings settings, bool includePrimary)
    {
        var candidates = topology.Servers.Values
            .Where(s => s.Type == ServerType.RSSecondary || (includePrimary && s.Type == ServerType.RSPrimary))
            .ToList();
        if (readPreference.MaxStaleness is { } maxStaleness)
        {
            var secondaries = topology.Servers.Values.Where(s => s.Type == ServerType.RSSecondary).ToList();
            candidates = candidates
                .Where(s => s.Type == ServerType.RSPrimary || Staleness(s, primary, secondaries, settings.HeartbeatFrequency) <= maxStaleness)
                .ToList();
        }

        return WithinLatencyWindow(MatchTags(candidates, readPreference.TagSets), settings.LocalThreshold);
    }

    /// <summary>Estimated replication lag of a secondary (Max Staleness spec).</summary>
    internal static TimeSpan Staleness(ServerDescription secondary, ServerDescription? primary, IReadOnlyList<ServerDescription> secondaries, TimeSpan heartbeatFrequency)
    {
        var lastWrite = secondary.LastWriteDate ?? DateTimeOffset.MinValue;
        if (primary is not null)
        {
            var secondaryLag = (secondary.LastUpdateTime ?? lastWrite) - lastWrite;
            var primaryLag = (primary.LastUpdateTime ?? primary.LastWriteDate ?? DateTimeOffset.MinValue) - (primary.LastWriteDate ?? DateTimeOffset.MinValue);
            return secondaryLag - primaryLag + heartbeatFrequency;
        }

        var freshest = secondaries.Max(s => s.LastWriteDate ?? DateTimeOffset.MinValue);
        return freshest - lastWrite + heartbeatFrequency;
    }

    /// <summary>The first tag set that matches at least one server wins; an empty set matches every server.</summary>
    private static List<ServerDescription> MatchTags(List<ServerDescription> candidates, IReadOnlyList<IReadOnlyDictionary<string, string>> tagSets)
    {
        if (tagSets.Count == 0)
        {
            return candidates;
        }

        foreach (var tagSet in tagSets)
        {
            var matching = candidates
                .Where(s => tagSet.All(tag => s.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
                .ToList();
            if (matching.Count > 0)
            {
                return matching;
            }
        }

        return [];
    }

    private static List<ServerDescription> WithinLatencyWindow(List<ServerDescription> candidates, TimeSpan localThreshold)
    {
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var fastest = candidates.Min(s => s.RoundTripTime ?? TimeSpan.Zero);
        return candidates.Where(s => (s.RoundTripTime ?? TimeSpan.Zero) <= fastest + localThreshold).ToList();
    }

    private static List<ServerDescription> ForNonReplicaSet(TopologyDescription topology, SelectionSettings settings)
    {
        var usable = topology.Type switch
        {
            TopologyType.Single => topology.Servers.Values.Where(s => s.Type != ServerType.Unknown).ToList(),
            TopologyType.LoadBalanced => topology.Servers.Values.ToList(),
            TopologyType.Sharded => topology.Servers.Values.Where(s => s.Type == ServerType.Mongos).ToList(),
            _ => [],
        };
        return topology.Type == TopologyType.Sharded ? WithinLatencyWindow(usable, settings.LocalThreshold) : usable;
    }

    private static void EnsureCompatible(TopologyDescription topology)
    {
        if (topology.CompatibilityError is { } error)
        {
            throw new MongoServerSelectionException(error);
        }
    }
}
