using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// CRC-64/XZ (also called CRC-64/GO-ECMA: Go's <c>hash/crc64</c> with the ECMA table): reflected polynomial
/// <c>0xC96C5795D7870F42</c> (0x42F0E1EBA9EA3693 unreflected), initial value and final XOR all ones. mongodump stores it
/// per namespace in the archive's EOF headers. Values are finalized, so a running CRC is continued by passing it back to
/// <see cref="Append"/>, exactly as Go's <c>crc64.Update</c>.
/// </summary>
public static class Crc64Xz
{
    /// <summary>The published check value: the CRC of the ASCII bytes <c>"123456789"</c>.</summary>
    public const ulong CheckValue = 0x995DC9BBDF1939FA;

    /// <summary>The reflected generator polynomial.</summary>
    public const ulong ReflectedPolynomial = 0xC96C5795D7870F42;

    // Slicing-by-8: eight 256-entry tables, immutable after the type initializer.
    private static readonly ulong[] Tables = BuildTables();

    /// <summary>Computes the CRC of <paramref name="data"/>; the CRC of no bytes is 0.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The finalized CRC.</returns>
    public static ulong Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC over more bytes.</summary>
    /// <param name="crc">The finalized CRC of the bytes so far (0 for none).</param>
    /// <param name="data">The next bytes.</param>
    /// <returns>The finalized CRC of all the bytes.</returns>
    public static ulong Append(ulong crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        ref var table = ref MemoryMarshal.GetArrayDataReference(Tables);
        ref var p = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        for (; length - i >= 8; i += 8)
        {
            var v = crc ^ BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref p, i), 8));
            crc = Unsafe.Add(ref table, (7 * 256) + (int)(v & 0xFF))
                ^ Unsafe.Add(ref table, (6 * 256) + (int)((v >> 8) & 0xFF))
                ^ Unsafe.Add(ref table, (5 * 256) + (int)((v >> 16) & 0xFF))
                ^ Unsafe.Add(ref table, (4 * 256) + (int)((v >> 24) & 0xFF))
                ^ Unsafe.Add(ref table, (3 * 256) + (int)((v >> 32) & 0xFF))
                ^ Unsafe.Add(ref table, (2 * 256) + (int)((v >> 40) & 0xFF))
                ^ Unsafe.Add(ref table, 256 + (int)((v >> 48) & 0xFF))
                ^ Unsafe.Add(ref table, (int)(v >> 56));
        }

        for (; i < length; i++)
        {
            crc = Unsafe.Add(ref table, (int)((crc ^ Unsafe.Add(ref p, i)) & 0xFF)) ^ (crc >> 8);
        }

        return ~crc;
    }

    /// <summary>The plain byte-at-a-time algorithm, kept as the reference the fast path is tested against.</summary>
    internal static ulong AppendBytewise(ulong crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        foreach (var b in data)
        {
            crc = Tables[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static ulong[] BuildTables()
    {
        var tables = new ulong[8 * 256];
        for (var n = 0; n < 256; n++)
        {
            var c = (ulong)n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            }

            tables[n] = c;
        }

        for (var t = 1; t < 8; t++)
        {
            for (var n = 0; n < 256; n++)
            {
                var previous = tables[((t - 1) * 256) + n];
                tables[(t * 256) + n] = (previous >> 8) ^ tables[(int)(previous & 0xFF)];
            }
        }

        return tables;
    }
}
