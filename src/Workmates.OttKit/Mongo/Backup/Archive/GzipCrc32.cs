using System.IO.Hashing;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// The CRC-32 of gzip (ISO 3309, reflected polynomial <c>0xEDB88320</c>, initial value and final XOR all ones), with
/// the one operation <see cref="Crc32"/> lacks: combining the CRCs of two pieces computed apart into the CRC of their
/// concatenation, so blocks compressed on different threads still get one gzip trailer.
/// </summary>
internal static class GzipCrc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    // In the reflected representation bit 31 holds x^0 and bit 0 holds x^31.
    private const uint One = 0x8000_0000;

    // x^(2^k) mod P for k = 0..63: shifting a CRC over n bytes multiplies it by x^(8n), built from these squares.
    private static readonly uint[] PowersOfTwo = BuildPowersOfTwo();

    /// <summary>Computes the CRC of <paramref name="data"/> (vectorized, from System.IO.Hashing).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The finalized CRC; 0 for no bytes.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(data);

    /// <summary>The CRC of A followed by B, from the CRC of A, the CRC of B and the length of B.</summary>
    /// <param name="crcA">The finalized CRC of the first piece.</param>
    /// <param name="crcB">The finalized CRC of the second piece.</param>
    /// <param name="lengthB">The length of the second piece in bytes.</param>
    /// <returns>The finalized CRC of the concatenation.</returns>
    /// <remarks>
    /// A CRC is linear over GF(2) once the all-ones pre- and post-conditioning are taken into account, and those
    /// cancel here: crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B). Cost: at most 64 polynomial multiplications.
    /// </remarks>
    public static uint Combine(uint crcA, uint crcB, long lengthB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lengthB);
        return Multiply(crcA, XPowerOfBytes(lengthB)) ^ crcB;
    }

    /// <summary>x^(8·<paramref name="bytes"/>) mod P.</summary>
    private static uint XPowerOfBytes(long bytes)
    {
        var result = One;
        var exponent = (ulong)bytes << 3;
        for (var k = 0; exponent != 0; k++, exponent >>= 1)
        {
            if ((exponent & 1) != 0)
            {
                result = Multiply(result, PowersOfTwo[k]);
            }
        }

        return result;
    }

    /// <summary>a·b mod P, both reflected.</summary>
    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (var degree = 0; degree < 32; degree++)
        {
            if ((a & (One >> degree)) != 0)
            {
                product ^= b;
            }

            // b·x: one degree up is one bit right in the reflected form, reduced by P when x^31 falls off.
            b = (b & 1) != 0 ? (b >> 1) ^ ReflectedPolynomial : b >> 1;
        }

        return product;
    }

    private static uint[] BuildPowersOfTwo()
    {
        var powers = new uint[64];
        powers[0] = One >> 1; // x^1
        for (var k = 1; k < powers.Length; k++)
        {
            powers[k] = Multiply(powers[k - 1], powers[k - 1]);
        }

        return powers;
    }
}
