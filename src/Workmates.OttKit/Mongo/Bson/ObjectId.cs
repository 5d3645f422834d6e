using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>A 12-byte MongoDB ObjectId: 4-byte big-endian seconds, 5 random bytes, 3-byte counter.</summary>
public readonly struct ObjectId : IEquatable<ObjectId>, IComparable<ObjectId>, ISpanFormattable
{
    // Stored big-endian so that ordinal comparison of the fields equals byte-wise comparison.
    private readonly uint _a;
    private readonly uint _b;
    private readonly uint _c;

    /// <summary>Creates an ObjectId from its 12 bytes.</summary>
    /// <param name="bytes">Exactly 12 bytes.</param>
    public ObjectId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 12)
        {
            throw new ArgumentException("An ObjectId is exactly 12 bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
    }

    private ObjectId(uint a, uint b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    /// <summary>The all-zero ObjectId.</summary>
    public static ObjectId Empty => default;

    /// <summary>The creation time encoded in the first four bytes.</summary>
    public DateTimeOffset CreationTime => DateTimeOffset.FromUnixTimeSeconds(_a);

    /// <summary>Builds an ObjectId from a timestamp, a 5-byte process value and a 3-byte counter.</summary>
    /// <param name="timestamp">Creation time (seconds are kept).</param>
    /// <param name="processValue">Process-unique value; the low 40 bits are used.</param>
    /// <param name="counter">Counter; the low 24 bits are used.</param>
    /// <returns>The ObjectId.</returns>
    public static ObjectId Create(DateTimeOffset timestamp, long processValue, int counter)
    {
        var seconds = unchecked((uint)timestamp.ToUnixTimeSeconds());
        var b = unchecked((uint)(processValue >> 8));
        var c = unchecked((uint)(((processValue & 0xFF) << 24) | (uint)(counter & 0xFFFFFF)));
        return new ObjectId(seconds, b, c);
    }

    /// <summary>Parses 24 hexadecimal digits.</summary>
    /// <param name="hex">The text.</param>
    /// <returns>The ObjectId.</returns>
    /// <exception cref="FormatException">The text is not 24 hex digits.</exception>
    public static ObjectId Parse(ReadOnlySpan<char> hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not an ObjectId: expected 24 hexadecimal digits.");

    /// <summary>Parses 24 hexadecimal digits.</summary>
    /// <param name="hex">The text.</param>
    /// <param name="id">The ObjectId when the text is valid.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> hex, out ObjectId id)
    {
        id = default;
        if (hex.Length != 24)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[12];
        for (var i = 0; i < 12; i++)
        {
            var hi = HexValue(hex[2 * i]);
            var lo = HexValue(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            bytes[i] = (byte)((hi << 4) | lo);
        }

        id = new ObjectId(bytes);
        return true;
    }

    /// <summary>Writes the 12 bytes.</summary>
    /// <param name="destination">At least 12 bytes.</param>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _c);
    }

    /// <summary>Returns the 12 bytes as a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToByteArray()
    {
        var bytes = new byte[12];
        WriteTo(bytes);
        return bytes;
    }

    /// <inheritdoc />
    public bool Equals(ObjectId other) => _a == other._a && _b == other._b && _c == other._c;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ObjectId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    /// <inheritdoc />
    public int CompareTo(ObjectId other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }

    /// <summary>The 24 lowercase hexadecimal digits.</summary>
    /// <returns>The hex text.</returns>
    public override string ToString() => string.Create(24, this, static (span, id) => id.TryFormat(span, out _, default, null));

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 24)
        {
            charsWritten = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[12];
        WriteTo(bytes);
        for (var i = 0; i < 12; i++)
        {
            destination[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            destination[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }

        charsWritten = 24;
        return true;
    }

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether equal.</returns>
    public static bool operator ==(ObjectId left, ObjectId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether different.</returns>
    public static bool operator !=(ObjectId left, ObjectId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left sorts before right.</returns>
    public static bool operator <(ObjectId left, ObjectId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left sorts after right.</returns>
    public static bool operator >(ObjectId left, ObjectId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left sorts before or equals right.</returns>
    public static bool operator <=(ObjectId left, ObjectId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether left sorts after or equals right.</returns>
    public static bool operator >=(ObjectId left, ObjectId right) => left.CompareTo(right) >= 0;

    internal static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
