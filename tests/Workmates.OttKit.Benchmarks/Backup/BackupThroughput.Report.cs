using System.Diagnostics;
using System.Globalization;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Backup;

/// <summary>
/// <c>--mode report</c>: the one command behind the table of docs/mongo-backup.md ("Parallel compression"). Every round
/// measures, on the same bytes and in this order: the single-thread <c>GZipStream</c> ceiling, two ceilings side by side
/// (what two threads get from the machine in that round), the parallel compressor alone, <c>pigz -1 -p 2</c>, the backup
/// pipeline end to end, and the CPU cost of the pipeline's two other stages alone (the archive writer without gzip; the
/// upload sink's part copy, CRC-32C and whole-object SHA-256 over as many bytes as the pipeline uploads). Then it runs the
/// pipeline alone in a child process for 256 MiB and for 2 GiB and reads each child's peak resident set, and prints the
/// final table with the load average of every round. <c>--mode tune</c> runs pipeline variants (queue, block size,
/// workers, priming) against the ceiling of the same round.
/// </summary>
internal static partial class BackupThroughput
{
    private const string CompressorName = "parallel compressor alone";
    private const string PipelineName = "backup pipeline end to end";
    private const string ArchiveAloneName = "archive writer alone (no gzip, no upload)";
    private const string SinkAloneName = "upload sink alone (copy, CRC-32C, SHA-256)";

    private static int FinalReport(RawBsonDocument[] pool, long total, long sizeMiB, ArchiveCompressionOptions compression, int rounds, int pigzThreads)
    {
        var pigzName = $"pigz -1 -p {pigzThreads}";
        var names = new[] { CeilingName, SideBySideName, CompressorName, pigzName, PipelineName, ArchiveAloneName, SinkAloneName };
        var results = names.ToDictionary(n => n, _ => new List<Result>());
        var ratios = names.ToDictionary(n => n, _ => new List<double>());
        var bounds = new List<double>();
        var budgets = new List<double>();
        var loads = new List<string>();
        WarmUp(pool, compression);
        Print($"report: {sizeMiB} MiB per row, {rounds} rounds, level {compression.Level}, {compression.Workers} workers, blocks of {compression.BlockSizeBytes / 1024} KiB, queue {compression.EffectiveQueuedBlocks}, priming {(compression.PrimeDictionary ? "on" : "off")}");
        for (var round = 1; round <= rounds; round++)
        {
            var before = LoadAverage();
            var measured = new List<(string Name, Result? Result)>
            {
                (CeilingName, GzipOnly(pool, total, compression.Level)),
                (SideBySideName, SideBySide(pool, total, compression.Level)),
                (CompressorName, Parallel(pool, total, compression)),
                (pigzName, Pigz(pool, total, compression.Level, pigzThreads)),
                (PipelineName, PipelineAsync(pool, total, compression, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult()),
                (ArchiveAloneName, PipelineAsync(pool, total, compression, Stream.Null, gzip: false).GetAwaiter().GetResult()),
            };
            var pipeline = measured[4].Result!;
            measured.Add((SinkAloneName, SinkAlone(pipeline.Input, pipeline.Compressed)));
            var load = $"{before} → {LoadAverage()}";
            loads.Add(load);
            Print($"round {round} (load average {load}):");
            var ceiling = measured[0].Result!;
            foreach (var (name, result) in measured)
            {
                Report(name, result, name == CeilingName ? null : ceiling);
                if (result is not null)
                {
                    results[name].Add(result);
                    ratios[name].Add(result.MegabytesPerSecond / ceiling.MegabytesPerSecond);
                }
            }

            // The CPU budget: two threads give this round `side by side` × the ceiling on gzip alone. Running both cores as
            // fully as the side-by-side row, the pipeline reaches side-by-side × ceiling CPU / pipeline CPU per GB and no
            // more, whatever its threading; 1.7× needs a pipeline CPU per GB of at most side-by-side × ceiling CPU / 1.7.
            // The compressor, archive writer and upload sink rows say where the pipeline's CPU goes (their sum counts
            // the making of the input bytes twice, so it is a little above the pipeline's own figure).
            var side = measured[1].Result!;
            var twoThreads = side.MegabytesPerSecond / ceiling.MegabytesPerSecond;
            var bound = twoThreads * Cpu(ceiling) / Cpu(pipeline);
            bounds.Add(bound);
            budgets.Add(twoThreads * Cpu(ceiling) / 1.7);
            Print($"CPU budget this round: two threads give {twoThreads:0.00}× the ceiling ({Cpu(ceiling):0.00} CPU s/GB); the pipeline costs {Cpu(pipeline):0.00} s/GB (compressor alone {Cpu(measured[2].Result):0.00}, archive writer alone {Cpu(measured[5].Result):0.00}, upload sink alone {Cpu(measured[6].Result):0.00}), so it can reach at most {bound:0.00}× (measured {pipeline.MegabytesPerSecond / ceiling.MegabytesPerSecond:0.00}×, {pipeline.Cores:0.00} cores); 1.7× would need at most {twoThreads * Cpu(ceiling) / 1.7:0.00} CPU s/GB");
        }

        var memory = new List<(long MiB, string Peak)>();
        foreach (var mib in new long[] { 256, 2048 })
        {
            memory.Add((mib, ChildPeak(mib, compression)));
        }

        Print($"");
        Print($"final table ({sizeMiB} MiB per row, {rounds} rounds; ratios are to the ceiling of the same round, min / median / max; CPU and cores are medians):");
        Print($"| row | × ceiling | MB/s (median) | CPU s/GB | cores | compressed |");
        Print($"| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var name in names)
        {
            var list = results[name];
            if (list.Count == 0)
            {
                Print($"| {name} | not run | | | | |");
                continue;
            }

            var r = ratios[name].Order().ToList();
            var rate = Median(list.Select(x => x.MegabytesPerSecond));
            var cpu = list.All(x => x.CpuSecondsPerGigabyte is not null) ? Median(list.Select(x => x.CpuSecondsPerGigabyte!.Value)).ToString("0.00", CultureInfo.InvariantCulture) : "(other process)";
            var cores = list.All(x => x.Cores is not null) ? Median(list.Select(x => x.Cores!.Value)).ToString("0.00", CultureInfo.InvariantCulture) : "";
            var ratio = name == CeilingName ? "1.00" : string.Create(CultureInfo.InvariantCulture, $"{r[0]:0.00} / {r[r.Count / 2]:0.00} / {r[^1]:0.00}");
            var compressed = name is ArchiveAloneName or SinkAloneName ? "" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * list[0].Compressed / list[0].Input:0.00} %");
            Print($"| {name} | {ratio} | {rate:0.0} | {cpu} | {cores} | {compressed} |");
        }

        var sortedBounds = bounds.Order().ToList();
        Print($"| CPU-budget bound for the pipeline (side by side × ceiling CPU / pipeline CPU) | {sortedBounds[0]:0.00} / {sortedBounds[sortedBounds.Count / 2]:0.00} / {sortedBounds[^1]:0.00} | | | | |");
        Print($"| pipeline CPU per GB that 1.7× would need (side by side × ceiling CPU / 1.7) | | | {Median(budgets):0.00} | | |");
        foreach (var (mib, peak) in memory)
        {
            Print($"| peak memory, pipeline alone in its process, {mib} MiB dump (VmHWM) | {peak} | | | | |");
        }

        Print($"load average (1/5/15 min) at the start → end of each round: {string.Join("; ", loads)}; {Environment.ProcessorCount} processors");
        return 0;
    }

    private static int Tune(RawBsonDocument[] pool, long total, ArchiveCompressionOptions compression, int rounds)
    {
        var mib = 1024 * 1024;
        var variants = new (string Name, ArchiveCompressionOptions Options)[]
        {
            ($"pipeline as given ({compression.BlockSizeBytes / 1024} KiB, queue {compression.EffectiveQueuedBlocks})", compression),
            ("pipeline, 1 MiB blocks, queue 2× workers", compression with { BlockSizeBytes = mib, MaxQueuedBlocks = 2 * compression.Workers }),
            ("pipeline, 2 MiB blocks, queue = workers", compression with { BlockSizeBytes = 2 * mib, MaxQueuedBlocks = compression.Workers }),
            ("pipeline, 2 MiB blocks, queue 2× workers", compression with { BlockSizeBytes = 2 * mib, MaxQueuedBlocks = 2 * compression.Workers }),
            ("pipeline, 4 MiB blocks, queue = workers", compression with { BlockSizeBytes = 4 * mib, MaxQueuedBlocks = compression.Workers }),
            ("pipeline, 4 MiB blocks, queue 2× workers", compression with { BlockSizeBytes = 4 * mib, MaxQueuedBlocks = 2 * compression.Workers }),
            ("pipeline, 4 MiB blocks, independent", compression with { BlockSizeBytes = 4 * mib, MaxQueuedBlocks = compression.Workers, PrimeDictionary = false }),
        };
        WarmUp(pool, compression);
        var ratios = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var cpus = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            var load = LoadAverage();
            var ceiling = GzipOnly(pool, total, compression.Level);
            Print($"round {round} (load average {load}):");
            Report(CeilingName, ceiling, null);
            foreach (var (name, options) in variants)
            {
                var result = PipelineAsync(pool, total, options, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult();
                Report(name, result, ceiling);
                ratios[name].Add(result.MegabytesPerSecond / ceiling.MegabytesPerSecond);
                cpus[name].Add(Cpu(result));
            }
        }

        Print($"within-round × ceiling over {rounds} rounds (min / median / max), median CPU s/GB:");
        foreach (var (name, _) in variants)
        {
            var sorted = ratios[name].Order().ToList();
            Print($"{name,-46}: {sorted[0],5:0.00} / {sorted[sorted.Count / 2],5:0.00} / {sorted[^1],5:0.00}   {Median(cpus[name]):0.00} CPU s/GB");
        }

        return 0;
    }

    /// <summary>The upload sink's work alone: as many compressed bytes as the pipeline produced, per GB of the dump.</summary>
    private static Result SinkAlone(long dumpBytes, long compressedBytes)
    {
        var data = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var sink = new PartSink(8 * 1024 * 1024);
        var meter = new Meter();
        for (var left = compressedBytes; left > 0; left -= data.Length)
        {
            sink.Write(data.AsSpan(0, (int)Math.Min(left, data.Length)));
        }

        sink.Finish();
        return meter.Stop(dumpBytes, compressedBytes);
    }

    /// <summary>Runs every code path once on 64 MiB so that the first measured row does not pay for the JIT.</summary>
    private static void WarmUp(RawBsonDocument[] pool, ArchiveCompressionOptions compression)
    {
        const long bytes = 64L * 1024 * 1024;
        _ = GzipOnly(pool, bytes, compression.Level);
        _ = Parallel(pool, bytes, compression);
        _ = PipelineAsync(pool, bytes, compression, new PartSink(8 * 1024 * 1024)).GetAwaiter().GetResult();
        _ = PipelineAsync(pool, bytes, compression, Stream.Null, gzip: false).GetAwaiter().GetResult();
    }

    private static double Cpu(Result? result) => result?.CpuSecondsPerGigabyte ?? double.NaN;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Runs <c>--mode memory</c> in a child process (same runtime, same options) and returns its peak resident set.</summary>
    private static string ChildPeak(long sizeMiB, ArchiveCompressionOptions compression)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BackupThroughput).Assembly.Location);
        }

        foreach (var argument in new[]
        {
            "backup-throughput", "--mode", "memory", "--size-mib", sizeMiB.ToString(CultureInfo.InvariantCulture),
            "--level", compression.Level == System.IO.Compression.CompressionLevel.Optimal ? "optimal" : "fastest",
            "--workers", compression.Workers.ToString(CultureInfo.InvariantCulture),
            "--block-kib", (compression.BlockSizeBytes / 1024).ToString(CultureInfo.InvariantCulture),
            "--queue", compression.EffectiveQueuedBlocks.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        Console.Write(output);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("peak resident set", StringComparison.Ordinal));
        return line is null ? $"n/a (exit {child.ExitCode})" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
