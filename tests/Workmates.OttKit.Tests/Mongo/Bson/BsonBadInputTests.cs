using System.Buffers.Binary;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Bson;

public sealed class BsonBadInputTests
{
    [Fact]
    public void FromBson_NestingAtTheLimit_Decodes()
    {
        var bytes = Nested(100);

        var document = BsonDocument.FromBson(bytes);

        Assert.Equal(1, document.Count);
    }

    [Fact]
    public void FromBson_NestingBeyondTheLimit_ThrowsBsonFormatException()
    {
        var bytes = Nested(101);

        var ex = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));

        Assert.Contains("deeper", ex.Message, StringComparison.Ordinal);
        Assert.Throws<BsonFormatException>(() => RawBsonDocument.Create(bytes));
    }

    [Fact]
    public void FromBson_HundredThousandLevels_IsRejectedWithoutStackOverflow()
    {
        var bytes = Nested(100_000);

        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));
        Assert.Throws<BsonFormatException>(() => RawBsonDocument.Create(bytes));
    }

    [Fact]
    public void FromBson_HugeDeclaredBinaryLength_IsRejectedWithoutAllocatingIt()
    {
        // {"b": binary} whose length field claims 2 GiB.
        byte[] bytes = [0x11, 0, 0, 0, 0x05, (byte)'b', 0, 0xF0, 0xFF, 0xFF, 0x7F, 0x00, 1, 2, 3, 4, 0];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "the declared size must never be allocated");
        Assert.Equal(7, ex.Offset);
    }

    [Fact]
    public void FromBson_HugeDeclaredDocumentLength_ReportsOffsetZero()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0x7F, 0];

        var ex = Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));

        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void FromBson_InvalidUtf8InFieldName_ThrowsBsonFormatException()
    {
        byte[] bytes = [0x0C, 0, 0, 0, 0x10, 0xC3, 0x28, 0, 1, 0, 0, 0, 0];
        bytes[0] = (byte)bytes.Length;

        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));
        Assert.Throws<BsonFormatException>(() => RawBsonDocument.Create(bytes));
    }

    [Fact]
    public void FromBson_OverlongUtf8EncodingInString_ThrowsBsonFormatException()
    {
        // "/" encoded overlong as C0 AF.
        var bytes = new BsonDocument { { "s", "ab" } }.ToBson();
        bytes[^4] = 0xC0;
        bytes[^3] = 0xAF;

        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));
    }

    [Fact]
    public void FromBson_BooleanOtherThanZeroOrOne_ThrowsBsonFormatException()
    {
        var bytes = new BsonDocument { { "b", true } }.ToBson();
        bytes[^2] = 2;

        Assert.Throws<BsonFormatException>(() => BsonDocument.FromBson(bytes));
    }

    [Fact]
    public void ReadDeclaredLength_AboveMaximum_ThrowsBsonFormatException()
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, 64 * 1024 * 1024);

        try
        {
            RawBsonDocument.ReadDeclaredLength(prefix);
            Assert.Fail("expected BsonFormatException");
        }
        catch (BsonFormatException ex)
        {
            Assert.Equal(0, ex.Offset);
        }
    }

    private static byte[] Nested(int depth)
    {
        // Level k starts at 7k: int32 length, 0x03 'a' 0x00, then level k+1, then the 0x00 terminator (already zero).
        var total = 5 + ((depth - 1) * 8);
        var bytes = new byte[total];
        for (var level = 0; level < depth; level++)
        {
            var start = 7 * level;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(start), 5 + ((depth - 1 - level) * 8));
            if (level < depth - 1)
            {
                bytes[start + 4] = 0x03;
                bytes[start + 5] = (byte)'a';
            }
        }

        return bytes;
    }
}
