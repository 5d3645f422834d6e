using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// A bounded, thread-safe table of field-name strings that lets the decoder reuse one string per distinct ASCII field
/// name instead of allocating it for every element (the idea of <c>System.Xml.NameTable</c>). Share one instance through
/// <see cref="BsonReadOptions.NameTable"/> on hot paths such as a wire client or a bulk decode; it never grows beyond
/// its fixed number of slots, and a collision simply replaces the slot.
/// </summary>
public sealed class BsonNameTable
{
    private const int MaxNameLength = 64;
    private readonly string?[] _slots;
    private readonly int _mask;

    /// <summary>Creates a table with <paramref name="slots"/> slots (rounded up to a power of two).</summary>
    /// <param name="slots">Number of slots; 1024 covers the field names of most schemas.</param>
    public BsonNameTable(int slots = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, 1 << 20);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slots);
        _slots = new string?[size];
        _mask = size - 1;
    }

    /// <summary>Returns the string for UTF-8 name bytes, reusing a cached instance when possible.</summary>
    /// <param name="utf8">The name bytes (validated here: a cache hit is pure ASCII; a miss is decoded strictly).</param>
    /// <param name="offset">Offset for error messages.</param>
    /// <returns>The name.</returns>
    internal string GetOrAdd(ReadOnlySpan<byte> utf8, int offset)
    {
        if (utf8.Length > MaxNameLength || utf8.IsEmpty)
        {
            return BsonDecoder.DecodeUtf8(utf8, offset);
        }

        var slot = Hash(utf8) & _mask;

        // A reference read is atomic; the string is immutable, so a racing writer can only swap in an equal or other name.
        var candidate = Volatile.Read(ref _slots[slot]);
        if (candidate is not null && candidate.Length == utf8.Length && Ascii.Equals(utf8, candidate))
        {
            return candidate;
        }

        var name = BsonDecoder.DecodeUtf8(utf8, offset);
        if (name.Length == utf8.Length)
        {
            // Same length in chars and bytes means pure ASCII, which is what the hit test compares.
            Volatile.Write(ref _slots[slot], name);
        }

        return name;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        // Constant time: length plus the first and last four bytes (the full comparison on a hit makes collisions harmless).
        uint hash;
        if (bytes.Length >= 4)
        {
            hash = (BinaryPrimitives.ReadUInt32LittleEndian(bytes) * 0x9E3779B1u) ^ (BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) * 0x85EBCA77u);
        }
        else
        {
            hash = bytes[0] | ((uint)bytes[^1] << 8) | ((uint)bytes[bytes.Length / 2] << 16);
            hash *= 0x9E3779B1u;
        }

        hash ^= (uint)bytes.Length * 0xC2B2AE3Du;
        return (int)(hash ^ (hash >> 15));
    }
}
