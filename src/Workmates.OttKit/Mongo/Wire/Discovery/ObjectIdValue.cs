using System.Globalization;

namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>
/// A 12-byte ObjectId as SDAM needs it (electionId, topologyVersion.processId): equality and byte-wise ordering only.
/// Kept internal and independent of the BSON codec on purpose.
/// </summary>
internal readonly record struct ObjectIdValue(ulong High, uint Low) : IComparable<ObjectIdValue>
{
    public static ObjectIdValue Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 24 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException("An ObjectId is 24 hexadecimal digits.");
        }

        return new ObjectIdValue(
            ulong.Parse(hex.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            uint.Parse(hex.AsSpan(16, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    public static ObjectIdValue FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 12)
        {
            throw new ArgumentException("An ObjectId is 12 bytes.", nameof(bytes));
        }

        return new ObjectIdValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));
    }

    public int CompareTo(ObjectIdValue other)
    {
        var high = High.CompareTo(other.High);
        return high != 0 ? high : Low.CompareTo(other.Low);
    }

    public static bool operator <(ObjectIdValue left, ObjectIdValue right) => left.CompareTo(right) < 0;

    public static bool operator >(ObjectIdValue left, ObjectIdValue right) => left.CompareTo(right) > 0;

    public static bool operator <=(ObjectIdValue left, ObjectIdValue right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ObjectIdValue left, ObjectIdValue right) => left.CompareTo(right) >= 0;

    public override string ToString() => High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x8", CultureInfo.InvariantCulture);
}

/// <summary>A server's <c>topologyVersion</c>: comparable only within one process.</summary>
internal sealed record TopologyVersion(ObjectIdValue ProcessId, long Counter)
{
    /// <summary>
    /// Whether <paramref name="candidate"/> is older than <paramref name="current"/> (same process, lower counter).
    /// Different processes or a missing version are never stale.
    /// </summary>
    public static bool IsOlder(TopologyVersion? candidate, TopologyVersion? current) =>
        candidate is not null && current is not null && candidate.ProcessId == current.ProcessId && candidate.Counter < current.Counter;

    /// <summary>Whether an error's version is not newer than the server's: stale errors are ignored.</summary>
    public static bool IsNotNewer(TopologyVersion? candidate, TopologyVersion? current) =>
        candidate is not null && current is not null && candidate.ProcessId == current.ProcessId && candidate.Counter <= current.Counter;
}
