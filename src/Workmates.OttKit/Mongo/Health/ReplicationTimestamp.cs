namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// A BSON replication timestamp (<c>Timestamp(t, i)</c>): seconds since the Unix epoch and an ordinal within that second.
/// Kept separate from the BSON library so that the health model stands alone.
/// </summary>
/// <param name="Seconds">Seconds since the Unix epoch (<c>t</c>).</param>
/// <param name="Increment">The ordinal of the operation within that second (<c>i</c>).</param>
public readonly record struct ReplicationTimestamp(uint Seconds, uint Increment) : IComparable<ReplicationTimestamp>
{
    /// <summary>Gets a value indicating whether this is <c>Timestamp(0, 0)</c>, which members report when they have no optime.</summary>
    public bool IsZero => Seconds == 0 && Increment == 0;

    /// <summary>Gets the wall-clock second this timestamp names.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(Seconds);

    /// <inheritdoc />
    public int CompareTo(ReplicationTimestamp other)
    {
        var bySeconds = Seconds.CompareTo(other.Seconds);
        return bySeconds != 0 ? bySeconds : Increment.CompareTo(other.Increment);
    }

    /// <summary>Compares two timestamps.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is earlier.</returns>
    public static bool operator <(ReplicationTimestamp left, ReplicationTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Compares two timestamps.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is later.</returns>
    public static bool operator >(ReplicationTimestamp left, ReplicationTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Compares two timestamps.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is earlier or equal.</returns>
    public static bool operator <=(ReplicationTimestamp left, ReplicationTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two timestamps.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is later or equal.</returns>
    public static bool operator >=(ReplicationTimestamp left, ReplicationTimestamp right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => $"Timestamp({Seconds}, {Increment})";
}

/// <summary>An operation time: the oplog timestamp and the election term it was written in (<c>{ ts, t }</c>).</summary>
/// <param name="Timestamp">The oplog timestamp (<c>ts</c>).</param>
/// <param name="Term">The election term (<c>t</c>); -1 for protocol version 0 and for members with no optime.</param>
public readonly record struct OpTime(ReplicationTimestamp Timestamp, long Term);
