using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Backup;

/// <summary>
/// Backup pipeline throughput harness (not BenchmarkDotNet: one pass over GiBs is the measurement, and peak memory is
/// read from <c>/usr/bin/time -v</c>). Modes, on the same OTT-shaped raw documents:
/// <list type="bullet">
/// <item><c>pipeline</c>: 4 parallel "collections" of raw batches → <see cref="MongoArchiveWriter"/> (gzip form) → a
/// part-buffering sink that SHA-256s 8 MiB parts and the whole object, as the S3 upload does before sending.</item>
/// <item><c>gzip</c>: the ceiling — the same document bytes through one <see cref="GZipStream"/> at the same level,
/// one thread, to <see cref="Stream.Null"/>.</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project tests/Workmates.OttKit.Benchmarks -- backup-throughput --size-mib 1024
/// [--mode both|pipeline|gzip] [--level fastest|optimal]</c>. The socket side (cursor reads) is not part of it.
/// </summary>
internal static class BackupThroughput
{
    private const int Collections = 4;
    private const int BatchDocuments = 1000;

    public static int Run(string[] args)
    {
        var sizeMiB = 1024L;
        var mode = "both";
        var level = CompressionLevel.Fastest;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size-mib":
                    sizeMiB = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--mode":
                    mode = args[i + 1];
                    break;
                case "--level":
                    level = args[i + 1] == "optimal" ? CompressionLevel.Optimal : CompressionLevel.Fastest;
                    break;
            }
        }

        var pool = DocumentPool(4096);
        var total = sizeMiB * 1024 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"documents: {pool.Length} distinct OTT-shaped, {pool.Average(d => d.Length):0} bytes on average; {sizeMiB} MiB per run; level {level}"));
        double? gzip = null, pipeline = null;
        if (mode is "both" or "gzip")
        {
            gzip = GzipOnly(pool, total, level);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gzip-only (1 thread)        : {gzip:0.0} MB/s"));
        }

        if (mode is "both" or "pipeline")
        {
            pipeline = PipelineAsync(pool, total, level).GetAwaiter().GetResult();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dump→archive→gzip→parts      : {pipeline:0.0} MB/s"));
        }

        if (gzip is { } g && pipeline is { } p)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline / gzip-only ceiling : {p / g:P0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed heap after run       : {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB"));
        return 0;
    }

    private static RawBsonDocument[] DocumentPool(int count)
    {
        var random = new Random(42);
        var devices = new[] { "android", "ios", "webos", "tizen", "roku", "web" };
        var events = new[] { "play", "pause", "seek", "stop", "heartbeat", "error" };
        var pool = new RawBsonDocument[count];
        for (var i = 0; i < count; i++)
        {
            var document = new BsonDocument
            {
                { "_id", ObjectId.Create(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + i), 7, i) },
                { "userId", $"user-{random.Next(1_000_000):D7}" },
                { "videoId", $"vid-{random.Next(50_000):D5}" },
                { "event", events[random.Next(events.Length)] },
                { "positionMs", random.Next(7_200_000) },
                { "bitrateKbps", random.Next(300, 12_000) },
                { "at", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + random.Next()) },
                { "device", new BsonDocument { { "os", devices[random.Next(devices.Length)] }, { "app", $"{random.Next(1, 9)}.{random.Next(20)}.{random.Next(100)}" }, { "ip", $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}" } } },
                { "title", $"Episode {random.Next(1, 40)} — {Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))}" },
                { "tags", new BsonArray { "drama", $"s{random.Next(1, 9)}", random.Next(2) == 0 ? "hd" : "4k" } },
            };
            pool[i] = RawBsonDocument.Create(document.ToBson());
        }

        return pool;
    }

    private static double GzipOnly(RawBsonDocument[] pool, long total, CompressionLevel level)
    {
        // The same bytes handed to one GZipStream in 1 MiB writes, as the archive writer hands its segments over:
        // feeding zlib one 300-byte document at a time would make the ceiling slower than the pipeline it bounds.
        var chunk = new byte[1024 * 1024];
        var watch = Stopwatch.StartNew();
        long written = 0;
        var filled = 0;
        using (var gzip = new GZipStream(Stream.Null, level, leaveOpen: true))
        {
            for (var i = 0; written < total; i++)
            {
                var document = pool[i % pool.Length].Bytes.Span;
                if (filled + document.Length > chunk.Length)
                {
                    gzip.Write(chunk, 0, filled);
                    filled = 0;
                }

                document.CopyTo(chunk.AsSpan(filled));
                filled += document.Length;
                written += document.Length;
            }

            gzip.Write(chunk, 0, filled);
        }

        return written / 1e6 / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> PipelineAsync(RawBsonDocument[] pool, long total, CompressionLevel level)
    {
        var sink = new PartSink(8 * 1024 * 1024);
        var collections = Enumerable.Range(0, Collections).Select(c => new MongoArchiveCollectionEntry
        {
            Database = "ott",
            Collection = $"events{c}",
            Metadata = new MongoCollectionMetadata { CollectionName = $"events{c}", Type = MongoCollectionMetadata.CollectionType }.ToJson(),
            Type = MongoCollectionMetadata.CollectionType,
        }).ToList();
        var prelude = new MongoArchivePrelude(new MongoArchiveHeader { ServerVersion = "8.0.4", ToolVersion = "bench" }, collections);
        var watch = Stopwatch.StartNew();
        long written = 0;
        var writer = await MongoArchiveWriter.StartGzipAsync(sink, prelude, level);
        await using (writer)
        {
            var share = total / Collections;
            await Task.WhenAll(collections.Select((entry, c) => Task.Run(async () =>
            {
                var target = writer.OpenNamespace(entry.Namespace);
                long mine = 0;
                var batch = new List<RawBsonDocument>(BatchDocuments);
                for (var i = c * 997; mine < share; i++)
                {
                    // A cursor batch: the documents one reply holds, written one by one as the runner does.
                    batch.Clear();
                    for (var j = 0; j < BatchDocuments && mine < share; j++)
                    {
                        var document = pool[(i * BatchDocuments + j) % pool.Length];
                        batch.Add(document);
                        mine += document.Length;
                    }

                    foreach (var document in batch)
                    {
                        await target.WriteDocumentsAsync(document.Bytes);
                    }
                }

                Interlocked.Add(ref written, mine);
                await target.CompleteAsync();
            })));
            await writer.CompleteAsync();
        }

        sink.Finish();
        return written / 1e6 / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Buffers fixed-size parts and hashes each and the whole object, as the S3 upload does; sends nothing.</summary>
    private sealed class PartSink(int partSize) : Stream
    {
        private readonly byte[] _part = new byte[partSize];
        private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _filled;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Finish() => Flush(force: true);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var take = Math.Min(buffer.Length, _part.Length - _filled);
                buffer[..take].CopyTo(_part.AsSpan(_filled));
                _filled += take;
                buffer = buffer[take..];
                Flush(force: false);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        private void Flush(bool force)
        {
            if (_filled == _part.Length || (force && _filled > 0))
            {
                _ = SHA256.HashData(_part.AsSpan(0, _filled));
                _whole.AppendData(_part.AsSpan(0, _filled));
                _filled = 0;
            }
        }
    }
}
