using System.Buffers.Binary;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class MongoArchiveReaderTests
{
    private static readonly MongoArchiveNamespace Ns = new("db", "c");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_BadMagic_FailsAtOffsetZero()
    {
        var archive = await SmallArchiveAsync();
        archive[0] = 0x00;

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(archive)));

        Assert.Equal(0, ex.Offset);
        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_AFlippedDocumentByte_FailsWithACrcMismatchNamingTheNamespace()
    {
        var archive = await SmallArchiveAsync();
        var documentOffset = FirstDocumentOffset(archive);
        archive[documentOffset + 10] ^= 0x20;

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(archive)));

        Assert.Equal("db.c", ex.Namespace);
        Assert.Contains("CRC", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset > documentOffset);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_ADocumentLengthAbove16MiB_FailsAsCorrupt()
    {
        var archive = await SmallArchiveAsync();
        var documentOffset = FirstDocumentOffset(archive);
        BinaryPrimitives.WriteInt32LittleEndian(archive.AsSpan(documentOffset), (16 * 1024 * 1024) + 1);

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(archive)));

        Assert.Equal(documentOffset, ex.Offset);
        Assert.Equal("db.c", ex.Namespace);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_ANamespaceReopenedAfterItsEof_Fails()
    {
        var archive = await SmallArchiveAsync();
        var blocks = archive.AsSpan(BlocksOffset(archive)).ToArray();

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream([.. archive, .. blocks])));

        Assert.Contains("again after its EOF", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_ConsecutiveTerminators_Fail()
    {
        var archive = await SmallArchiveAsync();

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream([.. archive, 0xFF, 0xFF, 0xFF, 0xFF])));

        Assert.Contains("terminators", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_ANamespaceHeaderWithAnUnknownField_Fails()
    {
        var writer = new BsonWriter();
        writer.WriteStartDocument();
        writer.WriteName("db");
        writer.WriteString("db");
        writer.WriteName("collection");
        writer.WriteString("c");
        writer.WriteName("extra");
        writer.WriteInt32(1);
        writer.WriteEndDocument();
        var archive = await SmallArchiveAsync();
        var prefix = archive.AsSpan(0, BlocksOffset(archive)).ToArray();

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(
            () => ArchiveTestData.ReadAllAsync(new MemoryStream([.. prefix, .. writer.WrittenSpan, 0xFF, 0xFF, 0xFF, 0xFF])));

        Assert.Contains("'extra'", ex.Message, StringComparison.Ordinal);
        writer.Dispose();
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_ANamespaceWithoutAPreludeEntry_Fails()
    {
        var preludeOnlyOplog = await OplogOnlyArchiveAsync();
        var withCollection = await SmallArchiveAsync();

        // A prelude that lists only the oplog, followed by the blocks of db.c.
        byte[] mixed = [.. preludeOnlyOplog.AsSpan(0, BlocksOffset(preludeOnlyOplog)), .. withCollection.AsSpan(BlocksOffset(withCollection))];
        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(mixed)));

        Assert.Equal("db.c", ex.Namespace);
        Assert.Contains("prelude", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_SmallBatchSize_SplitsDocumentsIntoBatchesOfWholeDocuments()
    {
        var archive = await SmallArchiveAsync();

        var read = await ArchiveTestData.ReadAllAsync(new MemoryStream(archive), new MongoArchiveReaderOptions { BatchSizeBytes = 100 });

        Assert.True(read.Documents.Count > 3);
        Assert.Equal(ArchiveTestData.Documents(0, 50), read.BytesOf(Ns));
        Assert.Equal(50, read.Documents.Sum(d => d.Count));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_OneByteAtATime_ReadsTheSameItems()
    {
        var archive = await SmallArchiveAsync();

        var read = await ArchiveTestData.ReadAllAsync(new TrickleStream(archive));

        Assert.Equal(ArchiveTestData.Documents(0, 50), read.BytesOf(Ns));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_CorruptGzip_FailsAsAFormatException()
    {
        var plain = await SmallArchiveAsync();
        var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(plain, Ct);
        }

        var bytes = compressed.ToArray();
        for (var i = 20; i < bytes.Length - 20; i += 3)
        {
            bytes[i] ^= 0x5A;
        }

        await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(bytes)));
    }

    internal static async Task<byte[]> SmallArchiveAsync(params MongoArchiveCollectionEntry[] extra)
    {
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(output, ArchiveTestData.Prelude([ArchiveTestData.Collection("db", "c"), .. extra]), cancellationToken: Ct))
        {
            var ns = writer.OpenNamespace(Ns);
            await ns.WriteDocumentsAsync(ArchiveTestData.Documents(0, 50), Ct);
            await ns.CompleteAsync(Ct);
            foreach (var entry in extra)
            {
                await writer.OpenNamespace(entry.Namespace).CompleteAsync(Ct);
            }

            await writer.CompleteAsync(Ct);
        }

        return output.ToArray();
    }

    private static async Task<byte[]> OplogOnlyArchiveAsync()
    {
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(output, ArchiveTestData.Prelude(MongoArchiveCollectionEntry.ForOplog()), cancellationToken: Ct))
        {
            await writer.OpenNamespace(MongoArchiveNamespace.Oplog).CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        return output.ToArray();
    }

    private static int BlocksOffset(byte[] archive)
    {
        var position = 4 + BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(4));
        while (BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan(position)) != 0xFFFFFFFF)
        {
            position += BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(position));
        }

        return position + 4;
    }

    private static int FirstDocumentOffset(byte[] archive)
    {
        var header = BlocksOffset(archive);
        return header + BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(header));
    }

    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
