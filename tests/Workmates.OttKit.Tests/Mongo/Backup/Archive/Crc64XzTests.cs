using System.Text;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class Crc64XzTests
{
    [Fact]
    public void Compute_CheckString_GivesThePublishedCheckValue()
    {
        Assert.Equal(0x995DC9BBDF1939FAUL, Crc64Xz.Compute("123456789"u8));
        Assert.Equal(Crc64Xz.CheckValue, Crc64Xz.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_NoBytes_IsZero() => Assert.Equal(0UL, Crc64Xz.Compute([]));

    [Fact]
    public void Append_InPieces_EqualsOneCall()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 50)));
        var whole = Crc64Xz.Compute(data);

        for (var split = 0; split <= data.Length; split += 7)
        {
            Assert.Equal(whole, Crc64Xz.Append(Crc64Xz.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Compute_FastPaths_AgreeWithTheBytewiseReferenceForEveryLengthAndAlignment()
    {
        var random = new Random(9);
        var data = new byte[700];
        random.NextBytes(data);
        var failures = new List<string>();
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length < data.Length - start; length++)
            {
                var span = data.AsSpan(start, length);
                var expected = Crc64Xz.AppendBytewise(0x1234, span);
                if (Crc64Xz.Append(0x1234, span) != expected || Crc64Xz.AppendSlicingBy8(0x1234, span) != expected)
                {
                    failures.Add($"start {start} length {length}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(", ", failures.Take(20)));
    }

    [Fact]
    public void Compute_OneMegabyte_AgreesWithTheBytewiseReference()
    {
        var data = new byte[(1 << 20) + 13];
        new Random(3).NextBytes(data);

        Assert.Equal(Crc64Xz.AppendBytewise(0, data), Crc64Xz.Compute(data));
    }

    [Fact]
    public void Compute_KnownVectorFromGo_MatchesTheEcmaTable()
    {
        // Independent value: `printf "hello world" | xz --check=crc64 | xz -lvv` shows CheckVal 53037ecdef2352da.
        Assert.Equal(0x53037ECDEF2352DAUL, Crc64Xz.Compute("hello world"u8));
    }
}
