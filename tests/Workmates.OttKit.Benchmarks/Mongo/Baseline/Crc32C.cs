namespace Workmates.OttKit.Benchmarks.Mongo.Baseline;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the OP_MSG checksum. Table-driven; System.IO.Hashing does
/// not restore here, and the checksum is only computed when a peer sets <c>checksumPresent</c>.
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    private static readonly uint[] s_table = BuildTable();

    /// <summary>The initial running value for <see cref="Append"/>.</summary>
    public const uint Initial = 0xFFFFFFFF;

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>Feeds more bytes into a running value (start with <see cref="Initial"/>, end with <see cref="Finish"/>).</summary>
    public static uint Append(uint running, ReadOnlySpan<byte> data)
    {
        var table = s_table;
        foreach (var b in data)
        {
            running = table[(running ^ b) & 0xFF] ^ (running >> 8);
        }

        return running;
    }

    /// <summary>Turns a running value into the checksum.</summary>
    public static uint Finish(uint running) => ~running;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
