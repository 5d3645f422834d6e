using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    // Carry-less multiplication folding constants, reflected: (x^(d+63) mod P, x^(d-1) mod P) for a fold distance of d
    // bits, so that clmul's one-bit shift of reflected products lands exactly on x^(d+64) and x^d.
    private static readonly Vector128<ulong> Fold512 = Vector128.Create(XPowerModP(575), XPowerModP(511));
    private static readonly Vector128<ulong> Fold128 = Vector128.Create(XPowerModP(191), XPowerModP(127));

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
        var register = ~crc;
        if (data.Length >= 128 && Pclmulqdq.IsSupported)
        {
            // Fold 64 bytes at a time with carry-less multiplication, then finish the last bytes with the tables.
            Span<byte> folded = stackalloc byte[16];
            FoldVectorized(register, data, out var consumed).AsByte().CopyTo(folded);
            register = UpdateTables(0, folded);
            data = data[consumed..];
        }

        return ~UpdateTables(register, data);
    }

    /// <summary>The slicing-by-8 table algorithm alone (no carry-less multiplication), for tests and benchmarks.</summary>
    internal static ulong AppendSlicingBy8(ulong crc, ReadOnlySpan<byte> data) => ~UpdateTables(~crc, data);

    /// <summary>Folds all whole 16-byte blocks of <paramref name="data"/>; returns the 16 bytes whose plain CRC continues the register.</summary>
    private static Vector128<ulong> FoldVectorized(ulong register, ReadOnlySpan<byte> data, out int consumed)
    {
        ref var p = ref MemoryMarshal.GetReference(data);
        var x0 = Vector128.LoadUnsafe(ref p, 0).AsUInt64() ^ Vector128.CreateScalar(register);
        var x1 = Vector128.LoadUnsafe(ref p, 16).AsUInt64();
        var x2 = Vector128.LoadUnsafe(ref p, 32).AsUInt64();
        var x3 = Vector128.LoadUnsafe(ref p, 48).AsUInt64();
        nuint i = 64;
        var length = (nuint)data.Length;
        for (; length - i >= 64; i += 64)
        {
            x0 = Fold(x0, Fold512) ^ Vector128.LoadUnsafe(ref p, i).AsUInt64();
            x1 = Fold(x1, Fold512) ^ Vector128.LoadUnsafe(ref p, i + 16).AsUInt64();
            x2 = Fold(x2, Fold512) ^ Vector128.LoadUnsafe(ref p, i + 32).AsUInt64();
            x3 = Fold(x3, Fold512) ^ Vector128.LoadUnsafe(ref p, i + 48).AsUInt64();
        }

        var x = Fold(x0, Fold128) ^ x1;
        x = Fold(x, Fold128) ^ x2;
        x = Fold(x, Fold128) ^ x3;
        for (; length - i >= 16; i += 16)
        {
            x = Fold(x, Fold128) ^ Vector128.LoadUnsafe(ref p, i).AsUInt64();
        }

        consumed = (int)i;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> constants) =>
        Pclmulqdq.CarrylessMultiply(x, constants, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, constants, 0x11);

    /// <summary>x^n mod P in the reflected bit order (bit i holds the coefficient of x^(63-i)).</summary>
    private static ulong XPowerModP(int n)
    {
        var value = 1UL << 63;
        for (var k = 0; k < n; k++)
        {
            value = (value & 1) != 0 ? (value >> 1) ^ ReflectedPolynomial : value >> 1;
        }

        return value;
    }

    private static ulong UpdateTables(ulong crc, ReadOnlySpan<byte> data)
    {
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

        return crc;
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
