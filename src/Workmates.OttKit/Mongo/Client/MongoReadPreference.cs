namespace Workmates.OttKit.Mongo.Client;

/// <summary>Which members of a replica set a read may go to.</summary>
public enum ReadPreferenceMode
{
    /// <summary>Only the primary.</summary>
    Primary,

    /// <summary>The primary when there is one, else a suitable secondary.</summary>
    PrimaryPreferred,

    /// <summary>Only secondaries.</summary>
    Secondary,

    /// <summary>A suitable secondary when there is one, else the primary.</summary>
    SecondaryPreferred,

    /// <summary>Any data-bearing member within the latency window.</summary>
    Nearest,
}

/// <summary>A read preference: mode, ordered tag sets and an optional staleness bound.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="TagSets">Tag sets tried in order; an empty set matches any server. Empty list means no tag filter.</param>
/// <param name="MaxStaleness">How far a secondary may lag the primary; <see langword="null"/> for no bound.</param>
public sealed record MongoReadPreference(
    ReadPreferenceMode Mode,
    IReadOnlyList<IReadOnlyDictionary<string, string>> TagSets,
    TimeSpan? MaxStaleness = null)
{
    /// <summary>Read from the primary only (the default).</summary>
    public static MongoReadPreference Primary { get; } = new(ReadPreferenceMode.Primary, []);

    /// <summary>Creates a read preference with a mode and no tags.</summary>
    /// <param name="mode">The mode.</param>
    public MongoReadPreference(ReadPreferenceMode mode)
        : this(mode, [])
    {
    }
}
