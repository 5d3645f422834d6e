using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using FsCheck;
using FsCheck.Fluent;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class ParallelGzipStreamTests
{
    private const int Block = ArchiveCompressionOptions.MinBlockSizeBytes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RandomBlockBoundaries_AlwaysGiveOneGzipMemberThatInflatesToTheInput()
    {
        // Any input length, block size, worker count, queue, write sizes, level and priming: the output is exactly
        // header + one raw deflate stream + trailer(CRC-32, length) of the input.
        var cases = from seed in Gen.Choose(0, int.MaxValue)
                    from blockSize in Gen.Choose(Block, 3 * Block)
                    from lengthKind in Gen.Choose(0, 2)
                    from anyLength in Gen.Choose(0, 700_000)
                    from blocks in Gen.Choose(1, 4)
                    from delta in Gen.Choose(-1, 1)
                    from tiny in Gen.Choose(0, 1)
                    let length = lengthKind switch
                    {
                        0 => anyLength,
                        1 => (blocks * blockSize) + delta, // at a block multiple, one short or one over
                        _ => tiny, // 0 or 1 byte
                    }
                    from workers in Gen.Choose(2, 4)
                    from queued in Gen.Choose(1, 3)
                    from maxWrite in Gen.Choose(1, 200_000)
                    from level in Gen.Elements(CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize, CompressionLevel.NoCompression)
                    from prime in Gen.Elements(true, false)
                    select (seed, length, blockSize, workers, queued, maxWrite, level, prime);
        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var data = MixedData(c.seed, c.length);
            var options = new ArchiveCompressionOptions { Level = c.level, Workers = c.workers, MaxQueuedBlocks = c.queued, BlockSizeBytes = c.blockSize, PrimeDictionary = c.prime };
            var gz = Compress(data, options, RandomWrites(c.seed, c.maxWrite));
            AssertOneMember(gz, data, options.ZlibLevel);
            return true;
        });

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property), Ct);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EdgeSizes_AreOneGzipMemberThatGnuGzipAndPigzTestAndDecompress()
    {
        // 0 and 1 byte, and every size at one, two and five block multiples minus one, exactly and plus one; primed
        // and independent blocks; 2 and 3 workers. gzip -t and pigz -t check the member (deflate data, CRC-32, ISIZE,
        // nothing after the trailer), and gzip -dc must give back the input.
        var gzip = GzipTools.Require("gzip", "apt-get install gzip");
        var pigz = GzipTools.Require("pigz", "apt-get install pigz; test.sh installs it");
        int[] sizes = [0, 1, Block - 1, Block, Block + 1, (2 * Block) - 1, 2 * Block, (2 * Block) + 1, (5 * Block) - 1, 5 * Block, (5 * Block) + 1];
        var failures = new List<string>();
        var file = Path.Combine(Path.GetTempPath(), $"ottkit-edge-{Guid.NewGuid():N}.gz");
        try
        {
            foreach (var size in sizes)
            {
                foreach (var (workers, prime) in new[] { (2, true), (3, false) })
                {
                    var data = MixedData(size, size);
                    var options = new ArchiveCompressionOptions { Workers = workers, MaxQueuedBlocks = 1, BlockSizeBytes = Block, PrimeDictionary = prime };
                    var gz = Compress(data, options, RandomWrites(size, 3 * Block));
                    AssertOneMember(gz, data, options.ZlibLevel);
                    await File.WriteAllBytesAsync(file, gz, Ct);
                    var label = $"{size} bytes, {workers} workers, {(prime ? "primed" : "independent")}";
                    foreach (var (tool, name) in new[] { (gzip, "gzip"), (pigz, "pigz") })
                    {
                        var (exitCode, _, error) = await GzipTools.RunAsync(tool, ["-t", file], Ct);
                        if (exitCode != 0)
                        {
                            failures.Add($"{label}: {name} -t exited {exitCode}: {error}");
                        }
                    }

                    var (code, inflated, gunzipError) = await GzipTools.RunAsync(gzip, ["-dc", file], Ct);
                    if (code != 0 || !inflated.AsSpan().SequenceEqual(data))
                    {
                        failures.Add($"{label}: gzip -dc exited {code} with {inflated.Length} bytes: {gunzipError}");
                    }
                }
            }
        }
        finally
        {
            File.Delete(file);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WritePattern_DoesNotChangeTheOutput()
    {
        var data = MixedData(7, 5 * Block + 123);
        var options = new ArchiveCompressionOptions { Workers = 3, BlockSizeBytes = Block };

        var oneWrite = Compress(data, options, [data.Length]);
        var smallWrites = Compress(data, options, RandomWrites(3, 5000));
        var asyncWrites = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(asyncWrites, options))
        {
            for (var offset = 0; offset < data.Length; offset += 40_000)
            {
                await gzip.WriteAsync(data.AsMemory(offset, Math.Min(40_000, data.Length - offset)), Ct);
                await gzip.FlushAsync(Ct);
            }

            await gzip.CompleteAsync(Ct);
        }

        Assert.Equal(oneWrite, smallWrites);
        Assert.Equal(oneWrite, asyncWrites.ToArray());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task EmptyInput_IsAValidEmptyGzipMember()
    {
        var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, new ArchiveCompressionOptions { Workers = 2 }))
        {
            await gzip.CompleteAsync(Ct);
        }

        AssertOneMember(output.ToArray(), [], 1);
    }

    [Fact]
    public void Priming_LetsABlockReferToTheEndOfThePreviousOne()
    {
        // A 20 KiB random pattern repeated: with priming each block's first copy of it is a match into the previous
        // block; independent blocks must spell it out again in every block.
        var pattern = new byte[20_000];
        new Random(5).NextBytes(pattern);
        var data = Enumerable.Repeat(pattern, 40).SelectMany(p => p).ToArray();

        var primed = Compress(data, new ArchiveCompressionOptions { Workers = 2, BlockSizeBytes = Block }, [data.Length]);
        var independent = Compress(data, new ArchiveCompressionOptions { Workers = 2, BlockSizeBytes = Block, PrimeDictionary = false }, [data.Length]);

        AssertOneMember(primed, data, 1);
        AssertOneMember(independent, data, 1);
        Assert.True(independent.Length - primed.Length > 8 * pattern.Length, $"primed {primed.Length} bytes, independent {independent.Length} bytes");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SlowDestination_MakesTheWriterWaitWithinWorkersPlusQueuedBlocks()
    {
        var destination = new GatedStream();
        var options = new ArchiveCompressionOptions { Workers = 2, MaxQueuedBlocks = 1, BlockSizeBytes = Block };
        await using var gzip = new ParallelGzipStream(destination, options);
        var data = MixedData(11, 10 * Block);

        // The destination holds the header write, so no block is ever written out and no slot comes back: three
        // blocks fill, the fourth must wait.
        await gzip.WriteAsync(data.AsMemory(0, 3 * Block), Ct);
        var blocked = gzip.WriteAsync(data.AsMemory(3 * Block), Ct).AsTask();

        Assert.Equal(3, gzip.Slots);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(3, gzip.InputBuffersCreated);

        destination.Open();
        await blocked;
        await gzip.CompleteAsync(Ct);
        Assert.True(gzip.InputBuffersCreated <= 3);
        AssertOneMember(destination.ToArray(), data, 1);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task FailingDestination_FailsTheWriterWithTheDestinationsError()
    {
        await using var gzip = new ParallelGzipStream(new FailingStream(), new ArchiveCompressionOptions { Workers = 2, MaxQueuedBlocks = 1, BlockSizeBytes = Block });
        var data = MixedData(2, 20 * Block);

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await gzip.WriteAsync(data, Ct);
            await gzip.CompleteAsync(Ct);
        });

        Assert.Equal("disk full", error.Message);
        Assert.Throws<IOException>(() => gzip.Write(data.AsSpan(0, 10)));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CancelledWrite_WhileWaitingForABlock_ThrowsOperationCanceled()
    {
        var destination = new GatedStream();
        await using var gzip = new ParallelGzipStream(destination, new ArchiveCompressionOptions { Workers = 2, MaxQueuedBlocks = 1, BlockSizeBytes = Block });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var data = MixedData(3, 4 * Block);
        await gzip.WriteAsync(data.AsMemory(0, 3 * Block), Ct);

        var waiting = gzip.WriteAsync(data.AsMemory(3 * Block), cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DisposeWithoutComplete_LeavesATruncatedGzipStream()
    {
        var output = new MemoryStream();
        var data = MixedData(4, 3 * Block);
        await using (var gzip = new ParallelGzipStream(output, new ArchiveCompressionOptions { Workers = 2, BlockSizeBytes = Block }))
        {
            await gzip.WriteAsync(data, Ct);
        }

        // Every block may already be written when the stream is abandoned, and .NET's GZipStream returns the data of a
        // member without a trailer silently; what a reader that checks the member (Go's gzip behind mongorestore,
        // gzip -t, Python) relies on is the trailer: CRC-32 and ISIZE of the data. An abandoned stream never has it.
        var stored = output.ToArray();
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);

        Assert.False(stored.AsSpan().EndsWith(trailer), "an abandoned stream must not end with the complete member's trailer");
    }

    [Fact]
    public void Options_OutOfRange_AreAllReportedAtOnce()
    {
        var error = Assert.Throws<OttKitValidationException>(() =>
            new ParallelGzipStream(Stream.Null, new ArchiveCompressionOptions { Level = (CompressionLevel)42, Workers = 0, BlockSizeBytes = 1000, MaxQueuedBlocks = 0 }));

        // Each names the member's path, the bad value and what to set instead, as every OttKit options type does.
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains("ArchiveCompressionOptions.Level is 42, not a CompressionLevel; use Fastest", error.Message, StringComparison.Ordinal);
        Assert.Contains("ArchiveCompressionOptions.Workers is 0, outside 1..64; set 1 for one gzip stream, or leave it unset for one per processor", error.Message, StringComparison.Ordinal);
        Assert.Contains("ArchiveCompressionOptions.BlockSizeBytes is 1000, outside 65536..67108864 (64 KiB to 64 MiB); leave it unset for 4194304 (4 MiB)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ArchiveCompressionOptions.MaxQueuedBlocks is 0, less than 1; leave it null for as many as Workers", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Compressible text, random bytes and runs of one byte, in random order.</summary>
    internal static byte[] MixedData(int seed, int length)
    {
        var random = new Random(seed);
        var data = new byte[length];
        var offset = 0;
        while (offset < length)
        {
            var run = Math.Min(length - offset, random.Next(1, 50_000));
            var part = data.AsSpan(offset, run);
            switch (random.Next(3))
            {
                case 0:
                    random.NextBytes(part);
                    break;
                case 1:
                    part.Fill((byte)random.Next(256));
                    break;
                default:
                    var text = "{\"event\":\"play\",\"user\":\"u-00042\",\"pos\":1234}"u8;
                    for (var i = 0; i < run; i++)
                    {
                        part[i] = text[(i + (seed % 1000)) % text.Length];
                    }

                    break;
            }

            offset += run;
        }

        return data;
    }

    /// <summary>Whole BSON documents, some compressible and some random, about 5 KiB per call.</summary>
    internal static byte[] MixedDocuments(int seed)
    {
        var random = new Random(seed);
        var output = new MemoryStream();
        for (var i = 0; i < 10; i++)
        {
            var noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            output.Write(ArchiveTestData.Document((seed * 10) + i, padding: random.Next(0, 400)));
            output.Write(new Workmates.OttKit.Mongo.Bson.BsonDocument()
                .Add("_id", Workmates.OttKit.Mongo.Bson.BsonValue.FromInt32(seed))
                .Add("noise", Workmates.OttKit.Mongo.Bson.BsonValue.FromString(Convert.ToBase64String(noise)))
                .ToBson());
        }

        return output.ToArray();
    }

    private static IEnumerable<int> RandomWrites(int seed, int maxWrite)
    {
        var random = new Random(seed ^ 0x5A5A);
        while (true)
        {
            yield return random.Next(1, maxWrite + 1);
        }
    }

    private static byte[] Compress(byte[] data, ArchiveCompressionOptions options, IEnumerable<int> writeSizes)
    {
        var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, options))
        {
            var offset = 0;
            using var sizes = writeSizes.GetEnumerator();
            while (offset < data.Length && sizes.MoveNext())
            {
                var size = Math.Min(sizes.Current, data.Length - offset);
                gzip.Write(data.AsSpan(offset, size));
                offset += size;
            }

            gzip.CompleteAsync().GetAwaiter().GetResult();
        }

        return output.ToArray();
    }

    /// <summary>The 10-byte header, a raw deflate stream that ends exactly at the trailer, and CRC-32 + length of the input.</summary>
    internal static void AssertOneMember(byte[] gz, byte[] expected, int zlibLevel)
    {
        Assert.True(gz.Length >= 20, $"only {gz.Length} bytes");
        Assert.Equal(ParallelGzipStream.Header(zlibLevel), gz[..10]);
        Assert.Equal(Crc32.HashToUInt32(expected), BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)));
        Assert.Equal(unchecked((uint)expected.Length), BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)));

        var body = new MemoryStream(gz, 10, gz.Length - 18);
        var inflated = new MemoryStream();
        using (var inflate = new DeflateStream(body, CompressionMode.Decompress, leaveOpen: true))
        {
            inflate.CopyTo(inflated);
        }

        Assert.Equal(body.Length, body.Position);
        Assert.True(expected.AsSpan().SequenceEqual(inflated.ToArray()), "the raw deflate stream does not inflate to the input");
        using var gunzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var viaGzip = new MemoryStream();
        gunzip.CopyTo(viaGzip);
        Assert.True(expected.AsSpan().SequenceEqual(viaGzip.ToArray()), "GZipStream does not read the input back");
    }

    /// <summary>Holds every write until <see cref="Open"/>.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            Write(buffer.Span);
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("disk full"));
    }
}
