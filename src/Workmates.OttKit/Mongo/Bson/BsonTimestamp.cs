namespace Workmates.OttKit.Mongo.Bson;

/// <summary>A BSON replication timestamp: seconds since the epoch and an increment (oplog ordering).</summary>
/// <param name="Seconds">Seconds since the Unix epoch (high 32 bits on the wire).</param>
/// <param name="Increment">Ordinal within the second (low 32 bits on the wire).</param>
public readonly record struct BsonTimestamp(uint Seconds, uint Increment) : IComparable<BsonTimestamp>
{
    /// <summary>The 64-bit wire value: seconds in the high half, increment in the low half.</summary>
    public ulong Value => ((ulong)Seconds << 32) | Increment;

    /// <summary>Creates a timestamp from its 64-bit wire value.</summary>
    /// <param name="value">Seconds in the high half, increment in the low half.</param>
    /// <returns>The timestamp.</returns>
    public static BsonTimestamp FromValue(ulong value) => new((uint)(value >> 32), (uint)value);

    /// <inheritdoc />
    public int CompareTo(BsonTimestamp other) => Value.CompareTo(other.Value);

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left is earlier.</returns>
    public static bool operator <(BsonTimestamp left, BsonTimestamp right) => left.Value < right.Value;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left is later.</returns>
    public static bool operator >(BsonTimestamp left, BsonTimestamp right) => left.Value > right.Value;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left is earlier or equal.</returns>
    public static bool operator <=(BsonTimestamp left, BsonTimestamp right) => left.Value <= right.Value;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left is later or equal.</returns>
    public static bool operator >=(BsonTimestamp left, BsonTimestamp right) => left.Value >= right.Value;
}
