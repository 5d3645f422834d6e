using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Backup;

/// <summary>
/// Backup compression throughput harness (not BenchmarkDotNet: one pass over GiBs is the measurement, and peak memory is
/// read from <c>/usr/bin/time -v</c>). Every mode runs in the same process on the same OTT-shaped raw documents, so the
/// ratios between them hold even on a busy machine:
/// <list type="bullet">
/// <item><c>gzip</c>: the single-thread ceiling — the document bytes through one <see cref="GZipStream"/>, 1 MiB writes,
/// to <see cref="Stream.Null"/>.</item>
/// <item><c>parallel</c>: the same bytes through <see cref="ParallelGzipStream"/> (primed blocks, and again with
/// independent blocks to show what priming buys).</item>
/// <item><c>gzip</c> also runs two ceilings side by side on two threads: what two threads get from the machine in that
/// round, the bound for every 2-thread row of the round.</item>
/// <item><c>pigz</c>: the same bytes piped through <c>pigz -1 -p 2</c> (Debian package <c>pigz</c>; skipped with a note
/// when it is not installed).</item>
/// <item><c>pipeline</c>: end to end — 4 parallel "collections" of raw batches → <see cref="MongoArchiveWriter"/> (gzip
/// form, <c>--workers</c> compression workers) → a part-buffering sink that CRC-32Cs 8 MiB parts and SHA-256s the whole
/// object, as the S3 upload does before sending; and again with a SHA-256 per part, as the upload did before.</item>
/// <item><c>sweep</c>: <c>parallel</c> with 1 to 4 workers (how the default worker count was chosen).</item>
/// <item><c>inflate</c>: the restore side — one pipeline archive kept in memory, then read back by one
/// <see cref="GZipStream"/> alone and by <see cref="MongoArchiveVerifier"/> (gunzip, framing and CRC-64 checks).</item>
/// </list>
/// Usage: <c>dotnet tests/Workmates.OttKit.Benchmarks/bin/Release/net10.0/Workmates.OttKit.Benchmarks.dll
/// backup-throughput --size-mib 256 [--mode report|tune|memory|all|gzip|parallel|pigz|pipeline|sweep|inflate|driver|profile]
/// [--level fastest|optimal] [--workers N] [--block-kib N] [--queue N] [--pigz-threads N] [--rounds N]</c>; <c>report</c> prints the final
/// table of docs/mongo-backup.md in one command (see BackupThroughput.Report.cs); with several rounds every mode runs once per round and the
/// summary keeps each mode's best round (the least disturbed on a shared machine); <c>all</c> is gzip, parallel, pigz and pipeline. The socket side (cursor reads)
/// and the network upload are not part of it.
/// </summary>
internal static partial class BackupThroughput
{
    private const int Collections = 4;
    private const int BatchDocuments = 1000;
    private const int ChunkBytes = 1024 * 1024;
    private const string CeilingName = "gzip-only ceiling (1 thread)";
    private const string SideBySideName = "2 × GZipStream side by side (machine, 2 thr)";

    public static int Run(string[] args)
    {
        var sizeMiB = 1024L;
        var mode = "all";
        var level = CompressionLevel.Fastest;
        var workers = ArchiveCompressionOptions.DefaultWorkers;
        var pigzThreads = 2;
        var rounds = 1;
        int? blockKiB = null;
        int? queue = null;
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
                case "--workers":
                    workers = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--rounds":
                    rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--block-kib":
                    blockKiB = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--queue":
                    queue = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--pigz-threads":
                    pigzThreads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        var pool = DocumentPool(4096);
        var total = sizeMiB * 1024 * 1024;
        var compression = new ArchiveCompressionOptions
        {
            Level = level,
            Workers = workers,
            BlockSizeBytes = blockKiB is { } kib ? kib * 1024 : ArchiveCompressionOptions.DefaultBlockSizeBytes,
            MaxQueuedBlocks = queue,
        };
        if (mode == "memory")
        {
            // One pipeline run alone in this process: its peak resident set is the backup's memory (read by "report").
            var alone = PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult();
            Report("pipeline end to end (alone in its process)", alone, null);
            Print($"peak resident set (VmHWM): {PeakResidentMiB()}");
            return 0;
        }

        if (mode == "report")
        {
            return FinalReport(pool, total, sizeMiB, compression, Math.Max(rounds, 3), pigzThreads);
        }

        if (mode == "tune")
        {
            return Tune(pool, total, compression, Math.Max(rounds, 1));
        }

        var all = mode == "all";
        var pigzName = $"pigz -{(level == CompressionLevel.Fastest ? 1 : 6)} -p {pigzThreads}";
        Print($"documents: {pool.Length} distinct OTT-shaped, {pool.Average(d => d.Length):0} bytes on average; {sizeMiB} MiB per run; level {level}; {Environment.ProcessorCount} processors; {rounds} round(s); load average {LoadAverage()}");
        if (mode == "inflate")
        {
            InflateAsync(pool, total, compression).GetAwaiter().GetResult();
            Print($"peak resident set (VmHWM): {PeakResidentMiB()}");
            return 0;
        }

        // Every round runs every mode once, interleaved, so a burst of load from elsewhere hits all of them alike;
        // the summary keeps each mode's best round (the least disturbed one).
        var best = new Dictionary<string, Result>();
        var order = new List<string>();
        var ratios = new Dictionary<string, List<double>>(); // × ceiling, each measured within its own round

        for (var round = 1; round <= rounds; round++)
        {
            var measured = new List<(string Name, Result? Result)>();
            if (all || mode is "gzip" or "sweep" or "driver" or "profile")
            {
                measured.Add((CeilingName, GzipOnly(pool, total, level)));
            }

            if (all || mode is "gzip" or "sweep")
            {
                // What two threads can get from this machine at all: two independent single-stream compressions.
                measured.Add((SideBySideName, SideBySide(pool, total, level)));
            }

            if (all || mode == "parallel")
            {
                measured.Add(($"parallel gzip, {workers} workers, primed", Parallel(pool, total, level, workers, prime: true)));
                measured.Add(($"parallel gzip, {workers} workers, independent", Parallel(pool, total, level, workers, prime: false)));
            }

            if (mode == "sweep")
            {
                for (var w = 1; w <= 4; w++)
                {
                    measured.Add(($"parallel gzip, {w} workers, primed", Parallel(pool, total, level, w, prime: true)));
                }
            }

            if (all || mode == "pigz")
            {
                measured.Add((pigzName, Pigz(pool, total, level, pigzThreads)));
            }

            if (all || mode == "pipeline")
            {
                measured.Add(($"pipeline, {workers} compression workers", PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult()));
                measured.Add(($"pipeline, {workers} workers, part SHA-256 (before)", PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024, partSha256: true)).GetAwaiter().GetResult()));
                if (all && workers != 1)
                {
                    measured.Add(("pipeline, 1 compression worker (GZipStream)", PipelineAsync(pool, total, compression with { Workers = 1 }, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult()));
                }
            }

            if (mode == "profile")
            {
                // Where the pipeline's CPU goes beyond the compressor: the archive writer alone (copies, CRC-64,
                // framing), then the compressed pipeline without the upload's part buffering and SHA-256s.
                measured.Add(("pipeline, no gzip, no upload hashing", PipelineAsync(pool, total, compression, Stream.Null, gzip: false).GetAwaiter().GetResult()));
                measured.Add(($"pipeline, {workers} workers, no upload hashing", PipelineAsync(pool, total, compression, Stream.Null).GetAwaiter().GetResult()));
                measured.Add(($"pipeline, {workers} compression workers", PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult()));
                measured.Add(($"pipeline, {workers} workers, part SHA-256 (before)", PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024, partSha256: true)).GetAwaiter().GetResult()));
            }

            if (mode == "driver")
            {
                measured.Add(($"backup through MongoDB.Driver (simulator, {workers} compression workers)", DriverBackupAsync(pool, total, level, workers).GetAwaiter().GetResult()));
            }

            Print($"round {round} (load average {LoadAverage()}):");
            var ceiling = measured.FirstOrDefault(m => m.Name == CeilingName).Result;
            foreach (var (name, result) in measured)
            {
                Report(name, result, name == CeilingName ? null : ceiling);
                if (result is null)
                {
                    continue;
                }

                if (ceiling is not null && name != CeilingName)
                {
                    (ratios.TryGetValue(name, out var list) ? list : ratios[name] = []).Add(result.MegabytesPerSecond / ceiling.MegabytesPerSecond);
                }

                if (!best.TryGetValue(name, out var previous))
                {
                    order.Add(name);
                    best[name] = result;
                }
                else if (result.MegabytesPerSecond > previous.MegabytesPerSecond)
                {
                    best[name] = result;
                }
            }
        }

        if (rounds > 1)
        {
            Print($"best of {rounds} rounds:");
            best.TryGetValue(CeilingName, out var bestCeiling);
            foreach (var name in order)
            {
                Report(name, best[name], name == CeilingName ? null : bestCeiling);
            }
        }

        if (rounds > 1 && ratios.Count > 0)
        {
            // The figures to quote: ratios to the ceiling of the same round (the best-of rows above mix rounds).
            Print($"within-round × ceiling over {rounds} rounds (min / median / max):");
            foreach (var name in order.Where(ratios.ContainsKey))
            {
                var sorted = ratios[name].Order().ToList();
                Print($"{name,-46}: {sorted[0],5:0.00} / {sorted[sorted.Count / 2],5:0.00} / {sorted[^1],5:0.00}");
            }
        }

        if (best.TryGetValue(pigzName, out var pigz))
        {
            foreach (var name in order.Where(n => n != CeilingName && n != pigzName && n != SideBySideName))
            {
                Print($"{name,-46}: {best[name].MegabytesPerSecond / pigz.MegabytesPerSecond,5:0.00}× {pigzName}");
            }
        }

        Print($"managed heap after run: {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB; peak resident set (VmHWM): {PeakResidentMiB()}");
        return 0;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static void Report(string name, Result? result, Result? ceiling)
    {
        if (result is not { } r)
        {
            return;
        }

        var ratio = ceiling is { } c ? string.Create(CultureInfo.InvariantCulture, $"{r.MegabytesPerSecond / c.MegabytesPerSecond,5:0.00}× ceiling") : "";
        // Cores used = CPU time / wall time: on a shared machine, what this mode actually got.
        var cpu = r.CpuSecondsPerGigabyte is { } perGigabyte
            ? string.Create(CultureInfo.InvariantCulture, $"{perGigabyte,5:0.00} CPU s/GB, {r.Cpu!.Value / r.Elapsed:0.00} cores")
            : "  (other process)          ";
        Print($"{name,-46}: {r.MegabytesPerSecond,7:0.0} MB/s  {ratio,-14}  {cpu}  compressed to {100.0 * r.Compressed / r.Input:0.00} % ({r.Compressed} bytes)");
        if (r.Note is not null)
        {
            Print($"{"",-46}  {r.Note}");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string PeakResidentMiB()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return "n/a";
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0:0.0} MiB");
    }

    /// <summary>Bytes in, bytes out, wall time, and the CPU time this process spent (null for pigz, another process).</summary>
    private sealed record Result(long Input, long Compressed, TimeSpan Elapsed, TimeSpan? Cpu = null)
    {
        /// <summary>Where the pipeline's threads waited (pipeline rows only).</summary>
        public string? Note { get; init; }

        /// <summary>Cores used: CPU time over wall time.</summary>
        public double? Cores => Cpu is { } cpu ? cpu / Elapsed : null;

        public double MegabytesPerSecond => Input / 1e6 / Elapsed.TotalSeconds;

        /// <summary>CPU seconds per GB of input: what the work costs, much less sensitive to other load than the rate.</summary>
        public double? CpuSecondsPerGigabyte => Cpu is { } cpu ? cpu.TotalSeconds / (Input / 1e9) : null;
    }

    /// <summary>Measures one mode's wall and CPU time.</summary>
    private sealed class Meter
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

        public Result Stop(long input, long compressed) =>
            new(input, compressed, _watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - _cpu);
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

    /// <summary>The document bytes in 1 MiB chunks, the same sequence for every mode that takes "the same bytes".</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(RawBsonDocument[] pool, long total)
    {
        // The same bytes handed over in 1 MiB writes, as the archive writer hands over its segments: feeding zlib one
        // 300-byte document at a time would make the ceiling slower than the pipeline it bounds.
        var chunk = new byte[ChunkBytes];
        long written = 0;
        var filled = 0;
        for (var i = 0; written < total; i++)
        {
            var document = pool[i % pool.Length].Bytes;
            if (filled + document.Length > chunk.Length)
            {
                yield return chunk.AsMemory(0, filled);
                filled = 0;
            }

            document.Span.CopyTo(chunk.AsSpan(filled));
            filled += document.Length;
            written += document.Length;
        }

        yield return chunk.AsMemory(0, filled);
    }

    private static Result GzipOnly(RawBsonDocument[] pool, long total, CompressionLevel level)
    {
        var sink = new CountingSink();
        long input = 0;
        var meter = new Meter();
        using (var gzip = new GZipStream(sink, level, leaveOpen: true))
        {
            foreach (var chunk in Chunks(pool, total))
            {
                gzip.Write(chunk.Span);
                input += chunk.Length;
            }
        }

        return meter.Stop(input, sink.Count);
    }

    /// <summary>
    /// Two single-thread ceilings at once on two threads, each over all the bytes: the rate is both inputs over the wall
    /// time. Its ratio to the ceiling is what two threads can get from this machine in this round (shared caches, memory
    /// bandwidth, a hypervisor's sibling threads, other load), the bound for any 2-thread compressor in the same round.
    /// </summary>
    private static Result SideBySide(RawBsonDocument[] pool, long total, CompressionLevel level)
    {
        var meter = new Meter();
        var results = new Result[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => results[i] = GzipOnly(pool, total, level))).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return meter.Stop(results.Sum(r => r.Input), results.Sum(r => r.Compressed));
    }

    private static Result Parallel(RawBsonDocument[] pool, long total, CompressionLevel level, int workers, bool prime) =>
        Parallel(pool, total, new ArchiveCompressionOptions { Level = level, Workers = Math.Max(workers, 1), PrimeDictionary = prime });

    private static Result Parallel(RawBsonDocument[] pool, long total, ArchiveCompressionOptions options)
    {
        var sink = new CountingSink();
        long input = 0;
        var meter = new Meter();
        using (var gzip = new ParallelGzipStream(sink, options))
        {
            foreach (var chunk in Chunks(pool, total))
            {
                gzip.Write(chunk.Span);
                input += chunk.Length;
            }

            gzip.CompleteAsync().GetAwaiter().GetResult();
        }

        return meter.Stop(input, sink.Count);
    }

    private static Result? Pigz(RawBsonDocument[] pool, long total, CompressionLevel level, int threads)
    {
        var start = new ProcessStartInfo("pigz", ["-" + (level == CompressionLevel.Fastest ? "1" : "6"), "-p", threads.ToString(CultureInfo.InvariantCulture), "-c"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process? pigz;
        try
        {
            pigz = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            pigz = null;
        }

        if (pigz is null)
        {
            Console.WriteLine("pigz: not installed (apt-get install pigz); skipped");
            return null;
        }

        using (pigz)
        {
            var sink = new CountingSink();
            long input = 0;
            var watch = Stopwatch.StartNew();
            var drain = pigz.StandardOutput.BaseStream.CopyToAsync(sink);
            var stdin = pigz.StandardInput.BaseStream;
            foreach (var chunk in Chunks(pool, total))
            {
                stdin.Write(chunk.Span);
                input += chunk.Length;
            }

            stdin.Close();
            drain.GetAwaiter().GetResult();
            pigz.WaitForExit();
            return new Result(input, sink.Count, watch.Elapsed);
        }
    }

    private static async Task<Result> PipelineAsync(RawBsonDocument[] pool, long total, ArchiveCompressionOptions compression, Stream sink, bool gzip = true)
    {
        var counted = new CountingSink(sink);
        var collections = Enumerable.Range(0, Collections).Select(c => new MongoArchiveCollectionEntry
        {
            Database = "ott",
            Collection = $"events{c}",
            Metadata = new MongoCollectionMetadata { CollectionName = $"events{c}", Type = MongoCollectionMetadata.CollectionType }.ToJson(),
            Type = MongoCollectionMetadata.CollectionType,
        }).ToList();
        var prelude = new MongoArchivePrelude(new MongoArchiveHeader { ServerVersion = "8.0.4", ToolVersion = "bench" }, collections);
        var meter = new Meter();
        long written = 0;
        var writer = gzip
            ? await MongoArchiveWriter.StartGzipAsync(counted, prelude, compression)
            : await MongoArchiveWriter.StartAsync(counted, prelude);
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

        (sink as PartSink)?.Finish();
        var result = meter.Stop(written, counted.Count);
        var waits = writer.ParallelGzip?.Waits;
        return result with
        {
            Note = waits is { } w
                ? string.Create(CultureInfo.InvariantCulture, $"of {result.Elapsed.TotalSeconds:0.00} s wall: workers idle {w.WorkerIdle.TotalSeconds:0.00} s (sum of {compression.Workers}), producer waiting for a block {w.ProducerWaitingForBlock.TotalSeconds:0.00} s, writer waiting in order {w.WriterWaitingInOrder.TotalSeconds:0.00} s, writer in the upload sink {w.WriterInDestination.TotalSeconds:0.00} s, archive consumer waiting for segments {writer.ConsumerIdle.TotalSeconds:0.00} s")
                : string.Create(CultureInfo.InvariantCulture, $"archive consumer waiting for segments {writer.ConsumerIdle.TotalSeconds:0.00} s of {result.Elapsed.TotalSeconds:0.00} s"),
        };
    }

    private static async Task InflateAsync(RawBsonDocument[] pool, long total, ArchiveCompressionOptions compression)
    {
        var level = compression.Level;
        var archive = new MemoryStream();
        var made = await PipelineAsync(pool, total, compression, archive);
        Report($"pipeline into memory, {compression.Workers} compression workers", made, null);
        var bytes = archive.GetBuffer().AsMemory(0, (int)archive.Length);

        var ceiling = GzipOnly(pool, total, level);
        Report(CeilingName, ceiling, null);
        var stored = bytes.ToArray();
        var meter = new Meter();
        long inflated = 0;
        using (var gunzip = new GZipStream(new MemoryStream(stored, writable: false), CompressionMode.Decompress))
        {
            var buffer = new byte[ChunkBytes];
            int read;
            while ((read = gunzip.Read(buffer)) > 0)
            {
                inflated += read;
            }
        }

        Report("restore side: GZipStream inflate (1 thread)", meter.Stop(inflated, stored.Length), ceiling);

        meter = new Meter();
        var verification = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(stored, writable: false));
        Report("restore side: verifier (inflate, CRC-64, SHA-256)", meter.Stop(verification.ArchiveBytes, stored.Length), ceiling);
    }

    /// <summary>Counts what is written and passes it on (or drops it).</summary>
    private sealed class CountingSink(Stream? inner = null) : Stream
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner?.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Interlocked.Add(ref _count, buffer.Length);
            inner?.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Buffers fixed-size parts and checksums each (CRC-32C, as the S3 upload does now; or SHA-256, as it did before
    /// issue 19) and SHA-256s the whole object, as the S3 upload does; sends nothing. The SDK's SigV4 payload hash is
    /// not modelled: over HTTPS the store sends unsigned payloads.
    /// </summary>
    private sealed class PartSink(int partSize, bool partSha256 = false) : Stream
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
                if (partSha256)
                {
                    _ = SHA256.HashData(_part.AsSpan(0, _filled));
                }
                else
                {
                    _ = System.IO.Hashing.Crc32.HashToUInt32(System.IO.Hashing.Crc32ParameterSet.Crc32C, _part.AsSpan(0, _filled));
                }

                _whole.AppendData(_part.AsSpan(0, _filled));
                _filled = 0;
            }
        }
    }
}
