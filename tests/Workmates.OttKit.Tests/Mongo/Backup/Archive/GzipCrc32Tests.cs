using System.IO.Hashing;
using FsCheck;
using FsCheck.Fluent;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class GzipCrc32Tests
{
    [Fact]
    public void Compute_CheckString_IsTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, GzipCrc32.Compute("123456789"u8));
    }

    [Fact]
    public void Combine_AnySplit_EqualsTheCrcOfTheWhole()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<byte[]>(), (byte[] a, byte[] b) =>
            GzipCrc32.Combine(Crc32.HashToUInt32(a), Crc32.HashToUInt32(b), b.Length) == Crc32.HashToUInt32([.. a, .. b]));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Combine_ManyLargeBlocks_EqualsTheCrcOfTheWhole()
    {
        var random = new Random(19);
        var data = new byte[3 * 1024 * 1024 + 17];
        random.NextBytes(data);
        uint combined = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var length = Math.Min(data.Length - offset, random.Next(0, 400_000));
            combined = GzipCrc32.Combine(combined, GzipCrc32.Compute(data.AsSpan(offset, length)), length);
            offset += length;
        }

        Assert.Equal(Crc32.HashToUInt32(data), combined);
    }

    [Fact]
    public void Combine_EmptySecondPiece_KeepsTheFirstCrc()
    {
        Assert.Equal(0xCBF43926u, GzipCrc32.Combine(0xCBF43926u, 0, 0));
    }
}
