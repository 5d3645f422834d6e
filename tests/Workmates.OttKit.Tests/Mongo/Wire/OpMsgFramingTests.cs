using System.Buffers.Binary;
using System.Text;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class OpMsgFramingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static RawBsonDocument Raw(BsonDocument document) => RawBsonDocument.Create(document.ToBson());

    private static async Task<byte[]> EncodeAsync(BsonDocument body, IReadOnlyList<DocumentSequence> sequences, OpMsgFlags flags, int bufferSize = 16 * 1024)
    {
        using var stream = new MemoryStream();
        using (var writer = new MessageWriter(stream, bufferSize))
        {
            await writer.WriteOpMsgAsync(7, flags, body.ToBson(), sequences, Token);
        }

        return stream.ToArray();
    }

    [Fact]
    public void Crc32C_CheckValue_MatchesCastagnoli()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Crc32C_Incremental_EqualsOneShot()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        var running = Crc32C.Append(Crc32C.Append(Crc32C.Initial, data.AsSpan(0, 10)), data.AsSpan(10));

        Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(running));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Encode_BodyAndSequence_DecodesToSameSections()
    {
        var documents = Enumerable.Range(0, 5).Select(i => Raw(new BsonDocument { { "_id", i }, { "title", $"episode {i}" } })).ToList();

        var bytes = await EncodeAsync(new BsonDocument { { "insert", "videos" }, { "$db", "catalog" } }, [new DocumentSequence("documents", documents)], OpMsgFlags.None);
        var message = OpMsgCodec.Decode(bytes);

        Assert.Equal(bytes.Length, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        Assert.Equal(7, message.RequestId);
        Assert.Equal("videos", message.Body["insert"].AsString);
        var sequence = Assert.Single(message.Sequences);
        Assert.Equal("documents", sequence.Identifier);
        Assert.Equal(documents.Select(d => d.Bytes.ToArray()), sequence.Documents.Select(d => d.Bytes.ToArray()));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Encode_ThroughTinyBuffer_ProducesSameBytesAsLargeBuffer()
    {
        var documents = Enumerable.Range(0, 20).Select(i => Raw(new BsonDocument { { "_id", i }, { "payload", new string('x', 100) } })).ToList();
        var body = new BsonDocument { { "insert", "events" }, { "$db", "ott" } };

        var small = await EncodeAsync(body, [new DocumentSequence("documents", documents)], OpMsgFlags.ChecksumPresent, bufferSize: 64);
        var large = await EncodeAsync(body, [new DocumentSequence("documents", documents)], OpMsgFlags.ChecksumPresent);

        Assert.Equal(large, small);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_WithChecksum_VerifiesIt()
    {
        var bytes = await EncodeAsync(new BsonDocument("ping", 1), [], OpMsgFlags.ChecksumPresent);

        var message = OpMsgCodec.Decode(bytes);

        Assert.Equal(Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
        Assert.Equal(1, message.Body["ping"].AsInt32);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_CorruptedChecksum_IsRejected()
    {
        var bytes = await EncodeAsync(new BsonDocument("ping", 1), [], OpMsgFlags.ChecksumPresent);
        bytes[^1] ^= 0x5A;

        var error = Assert.Throws<InvalidDataException>(() => OpMsgCodec.Decode(bytes));

        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_CorruptedContentUnderChecksum_IsRejected()
    {
        var bytes = await EncodeAsync(new BsonDocument("ping", 1), [], OpMsgFlags.ChecksumPresent);
        bytes[bytes.Length - 8] ^= 0x01; // inside the body, before the checksum

        Assert.Throws<InvalidDataException>(() => OpMsgCodec.Decode(bytes));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_UnknownRequiredFlag_IsRejected()
    {
        var bytes = await EncodeAsync(new BsonDocument("ping", 1), [], OpMsgFlags.None);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 1u << 4);

        var error = Assert.Throws<InvalidDataException>(() => OpMsgCodec.Decode(bytes));

        Assert.Contains("required flag", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_MoreToCome_IsReported()
    {
        var bytes = await EncodeAsync(new BsonDocument("insert", "x"), [], OpMsgFlags.MoreToCome);

        Assert.True(OpMsgCodec.Decode(bytes).MoreToCome);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Decode_SequenceLengthPastEnd_IsRejected()
    {
        var bytes = await EncodeAsync(new BsonDocument("insert", "x"), [new DocumentSequence("documents", [Raw(new BsonDocument("a", 1))])], OpMsgFlags.None);
        var sequenceStart = 21 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(21)) + 1;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(sequenceStart), 1_000_000);

        Assert.Throws<InvalidDataException>(() => OpMsgCodec.Decode(bytes));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Read_LengthBeyondMaxMessageSize_IsRejectedWithoutAllocatingIt()
    {
        var header = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(header, 1_500_000_000);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), 2013);
        using var stream = new MemoryStream(header);
        using var reader = new MessageReader(stream);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadMessageAsync(OpMsgCodec.DefaultMaxMessageSize, Token));

        Assert.Contains("maxMessageSizeBytes", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the declared 1.5 GB must not be allocated");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Read_CompressedZlibMessage_DecodesOriginal()
    {
        using var stream = new MemoryStream();
        using (var writer = new MessageWriter(stream))
        {
            await writer.WriteCompressedOpMsgAsync(9, OpMsgFlags.None, new BsonDocument { { "find", "videos" }, { "filter", new BsonDocument("genre", new string('a', 500)) } }.ToBson(), [], 6, Token);
        }

        stream.Position = 0;
        using var reader = new MessageReader(stream);
        var message = await reader.ReadMessageAsync(OpMsgCodec.DefaultMaxMessageSize, Token);

        Assert.Equal(2012, BinaryPrimitives.ReadInt32LittleEndian(stream.ToArray().AsSpan(12)));
        Assert.Equal("videos", message.Body["find"].AsString);
        Assert.Equal(9, message.RequestId);
    }

    [Fact]
    public void InsertBatching_RespectsMaxCount()
    {
        var batches = InsertBatching.Split(Enumerable.Repeat(100, 10).ToList(), maxCount: 3, maxMessageSize: 1_000_000, maxDocumentSize: 1000, fixedOverhead: 60);

        Assert.Equal([(0, 3), (3, 3), (6, 3), (9, 1)], batches);
    }

    [Fact]
    public void InsertBatching_RespectsMaxMessageSize()
    {
        var batches = InsertBatching.Split(Enumerable.Repeat(100, 10).ToList(), maxCount: 1000, maxMessageSize: 360, maxDocumentSize: 1000, fixedOverhead: 60);

        Assert.All(batches, b => Assert.True(60 + (b.Count * 100) <= 360));
        Assert.Equal(10, batches.Sum(b => b.Count));
        Assert.Equal(4, batches.Count);
    }

    [Fact]
    public void InsertBatching_OversizedDocument_NamesItsIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => InsertBatching.Split([10, 5000], 10, 100_000, 1000, 60));

        Assert.Contains("Document 1", error.Message, StringComparison.Ordinal);
    }
}
