using System.Buffers.Binary;
using System.IO.Compression;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class MongoArchiveWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ParallelNamespaces_WithSmallSegments_InterleaveAndReadBackIdentically()
    {
        var names = Enumerable.Range(0, 4).Select(i => new MongoArchiveNamespace("ott", "coll" + i)).ToArray();
        var prelude = ArchiveTestData.Prelude([.. names.Select(n => ArchiveTestData.Collection(n.Database, n.Collection))]);
        var sent = names.ToDictionary(n => n, _ => new MemoryStream());
        var output = new MemoryStream();
        MongoArchiveWriteResult result;
        await using (var writer = await MongoArchiveWriter.StartAsync(output, prelude, new MongoArchiveWriterOptions { SegmentSizeBytes = 300, MaxQueuedSegments = 2 }, Ct))
        {
            await Task.WhenAll(names.Select((ns, index) => Task.Run(
                async () =>
                {
                    var target = writer.OpenNamespace(ns);
                    for (var batch = 0; batch < 40; batch++)
                    {
                        var bytes = ArchiveTestData.Documents((index * 1000) + (batch * 3), 3, padding: batch % 7);
                        sent[ns].Write(bytes);
                        await target.WriteDocumentsAsync(bytes, Ct);
                    }

                    await target.CompleteAsync(Ct);
                },
                Ct)));
            result = await writer.CompleteAsync(Ct);
        }

        output.Position = 0;
        var read = await ArchiveTestData.ReadAllAsync(output);
        foreach (var ns in names)
        {
            Assert.Equal(sent[ns].ToArray(), read.BytesOf(ns));
            var summary = result.Namespaces.Single(n => n.Namespace == ns);
            Assert.Equal(120, summary.Documents);
            Assert.Equal(Crc64Xz.Compute(sent[ns].ToArray()), summary.Crc64);
        }

        Assert.Equal(output.Length, result.ArchiveBytes);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AlternatingNamespaces_SwitchBlocksWithATerminatorAndMergeConsecutiveSegments()
    {
        var a = new MongoArchiveNamespace("db", "a");
        var b = new MongoArchiveNamespace("db", "b");
        var document = ArchiveTestData.Document(1, padding: 40);
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(
            output, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "a"), ArchiveTestData.Collection("db", "b")), new MongoArchiveWriterOptions { SegmentSizeBytes = 64 }, Ct))
        {
            var writeA = writer.OpenNamespace(a);
            var writeB = writer.OpenNamespace(b);
            await writeA.WriteDocumentsAsync(document, Ct);
            await writeA.WriteDocumentsAsync(document, Ct);
            await writeB.WriteDocumentsAsync(document, Ct);
            await writeA.WriteDocumentsAsync(document, Ct);
            await writeB.CompleteAsync(Ct);
            await writeA.CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        var blocks = Blocks(output.ToArray());

        Assert.Equal(
            [("db.a", false, 0L, 2), ("db.b", false, 0L, 1), ("db.a", false, 0L, 1), ("db.b", true, (long)Crc64Xz.Compute(document), 0), ("db.a", true, (long)Crc64Xz.Compute([.. document, .. document, .. document]), 0)],
            blocks);
        var read = await ArchiveTestData.ReadAllAsync(new MemoryStream(output.ToArray()));
        Assert.Equal(3, read.Ends.Single(e => e.Namespace == a).Documents);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task EmptyNamespace_GetsAZeroDocumentBlockThenItsEofWithCrcZero()
    {
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(output, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "empty")), cancellationToken: Ct))
        {
            await writer.OpenNamespace(new MongoArchiveNamespace("db", "empty")).CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        var blocks = Blocks(output.ToArray());

        Assert.Equal([("db.empty", false, 0L, 0), ("db.empty", true, 0L, 0)], blocks);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Oplog_IsWrittenAsTheEmptyDatabaseOplogNamespace()
    {
        var prelude = ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c"), MongoArchiveCollectionEntry.ForOplog());
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(output, prelude, cancellationToken: Ct))
        {
            await writer.OpenNamespace(new MongoArchiveNamespace("db", "c")).CompleteAsync(Ct);
            var oplog = writer.OpenNamespace(MongoArchiveNamespace.Oplog);
            await oplog.WriteDocumentsAsync(ArchiveTestData.Documents(0, 2), Ct);
            await oplog.CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        var blocks = Blocks(output.ToArray());

        Assert.Equal(".oplog", blocks[^1].Namespace);
        Assert.Equal(2, blocks[^2].Documents);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Gzip_WrapsTheWholeArchiveInOneGzipStreamThatTheReaderDetects()
    {
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartGzipAsync(output, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), CompressionLevel.Optimal, cancellationToken: Ct))
        {
            var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));
            await ns.WriteDocumentsAsync(ArchiveTestData.Documents(0, 100, padding: 50), Ct);
            await ns.CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        var bytes = output.ToArray();
        Assert.Equal([0x1F, 0x8B], bytes[..2]);
        using (var gunzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            var magic = new byte[4];
            gunzip.ReadExactly(magic);
            Assert.Equal([0x6D, 0xE2, 0x99, 0x81], magic);
        }

        var read = await ArchiveTestData.ReadAllAsync(new MemoryStream(bytes));
        Assert.Equal(100, Assert.Single(read.Ends).Documents);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DocumentLargerThanASegment_IsWrittenWhole()
    {
        var big = ArchiveTestData.Document(1, padding: 5000);
        var output = new MemoryStream();
        await using (var writer = await MongoArchiveWriter.StartAsync(output, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), new MongoArchiveWriterOptions { SegmentSizeBytes = 1024 }, Ct))
        {
            var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));
            await ns.WriteDocumentsAsync(ArchiveTestData.Documents(0, 3), Ct);
            await ns.WriteDocumentsAsync(big, Ct);
            await ns.CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        }

        output.Position = 0;
        var read = await ArchiveTestData.ReadAllAsync(output);
        Assert.Equal([.. ArchiveTestData.Documents(0, 3), .. big], read.BytesOf(new MongoArchiveNamespace("db", "c")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task OpenNamespace_WithoutAPreludeEntry_Throws()
    {
        await using var writer = await MongoArchiveWriter.StartAsync(Stream.Null, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), cancellationToken: Ct);

        var ex = Assert.Throws<ArgumentException>(() => writer.OpenNamespace(new MongoArchiveNamespace("db", "other")));

        Assert.Contains("db.other", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task OpenNamespace_Twice_Throws()
    {
        await using var writer = await MongoArchiveWriter.StartAsync(Stream.Null, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), cancellationToken: Ct);
        writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));

        Assert.Throws<InvalidOperationException>(() => writer.OpenNamespace(new MongoArchiveNamespace("db", "c")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CompleteAsync_WithAPreludeEntryNeverWritten_ThrowsNamingIt()
    {
        await using var writer = await MongoArchiveWriter.StartAsync(
            Stream.Null, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "a"), ArchiveTestData.Collection("db", "b")), cancellationToken: Ct);
        await writer.OpenNamespace(new MongoArchiveNamespace("db", "a")).CompleteAsync(Ct);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(Ct));

        Assert.Contains("db.b", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CompleteAsync_WithANamespaceStillOpen_Throws()
    {
        await using var writer = await MongoArchiveWriter.StartAsync(Stream.Null, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), cancellationToken: Ct);
        writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(Ct));
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(new byte[] { 4, 0, 0, 0 })]
    [InlineData(new byte[] { 6, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 5, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 5, 0 })]
    public async Task WriteDocumentsAsync_BytesThatAreNotWholeDocuments_Throws(byte[] bytes)
    {
        await using var writer = await MongoArchiveWriter.StartAsync(Stream.Null, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), cancellationToken: Ct);
        var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await ns.WriteDocumentsAsync(bytes, Ct));

        Assert.Contains("db.c", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WriteDocumentsAsync_WhenTheStreamIsStalled_WaitsOnceTheQueueIsFull()
    {
        var stream = new GatedStream();
        await using var writer = await MongoArchiveWriter.StartAsync(
            stream, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), new MongoArchiveWriterOptions { SegmentSizeBytes = 64, MaxQueuedSegments = 2 }, Ct);
        stream.Close();
        var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));
        var document = ArchiveTestData.Document(1, padding: 40);
        Assert.True(document.Length > 32, "each document fills its own segment");

        var completed = 0;
        Task pending = Task.CompletedTask;
        for (var i = 0; i < 20; i++)
        {
            pending = ns.WriteDocumentsAsync(document, Ct).AsTask();
            await Task.WhenAny(pending, Task.Delay(1500, Ct));
            if (!pending.IsCompleted)
            {
                break;
            }

            completed++;
        }

        Assert.False(pending.IsCompleted, "a producer must wait while the queue is full");
        Assert.InRange(completed, 1, 5);
        stream.Open();
        await pending;
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WriteDocumentsAsync_AfterTheStreamFailed_ThrowsTheStreamsError()
    {
        var stream = new FailingStream();
        await using var writer = await MongoArchiveWriter.StartAsync(
            stream, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), new MongoArchiveWriterOptions { SegmentSizeBytes = 64, MaxQueuedSegments = 1 }, Ct);
        stream.Fail = true;
        var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));

        var ex = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await ns.WriteDocumentsAsync(ArchiveTestData.Document(i, padding: 60), Ct);
            }
        });

        Assert.Equal("disk on fire", ex.Message);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DisposeAsync_WithoutComplete_AbortsWhileAProducerWaits()
    {
        var stream = new GatedStream();
        var writer = await MongoArchiveWriter.StartAsync(
            stream, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), new MongoArchiveWriterOptions { SegmentSizeBytes = 64, MaxQueuedSegments = 1 }, Ct);
        stream.Close();
        var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));
        var producer = Task.Run(
            async () =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    await ns.WriteDocumentsAsync(ArchiveTestData.Document(i, padding: 60), Ct);
                }
            },
            Ct);
        await Task.Delay(100, Ct);

        await writer.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => producer);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DisposeAsync_AfterTheStreamFailed_DoesNotThrow()
    {
        var stream = new FailingStream();
        var writer = await MongoArchiveWriter.StartGzipAsync(
            stream, ArchiveTestData.Prelude(ArchiveTestData.Collection("db", "c")), options: new MongoArchiveWriterOptions { SegmentSizeBytes = 64 }, cancellationToken: Ct);
        stream.Fail = true;
        var ns = writer.OpenNamespace(new MongoArchiveNamespace("db", "c"));
        await ns.WriteDocumentsAsync(ArchiveTestData.Documents(0, 2000, padding: 60), Ct).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);

        var ex = await Record.ExceptionAsync(async () => await writer.DisposeAsync());

        Assert.Null(ex);
    }

    internal static int CountNamespaceHeaders(byte[] archive) => Blocks(archive).Count;

    /// <summary>Walks the blocks after the prelude: (namespace, EOF, CRC, documents).</summary>
    internal static List<(string Namespace, bool Eof, long Crc, int Documents)> Blocks(byte[] archive)
    {
        var position = 4;
        position += BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(position));
        while (BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan(position)) != 0xFFFFFFFF)
        {
            position += BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(position));
        }

        position += 4;
        var blocks = new List<(string, bool, long, int)>();
        while (position < archive.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(position));
            var header = Workmates.OttKit.Mongo.Bson.BsonDocument.FromBson(archive.AsSpan(position, length));
            position += length;
            var documents = 0;
            while (BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan(position)) != 0xFFFFFFFF)
            {
                position += BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(position));
                documents++;
            }

            position += 4;
            blocks.Add(($"{header["db"].AsString}.{header["collection"].AsString}", header["EOF"].AsBoolean, header["CRC"].AsInt64, documents));
        }

        return blocks;
    }

    /// <summary>A sink whose writes wait while it is closed.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private volatile TaskCompletionSource _gate = CompletedGate();

        public new void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            await base.WriteAsync(buffer, cancellationToken);
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public bool Fail { get; set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Fail ? ValueTask.FromException(new IOException("disk on fire")) : base.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Fail)
            {
                throw new IOException("disk on fire");
            }

            base.Write(buffer, offset, count);
        }
    }
}
