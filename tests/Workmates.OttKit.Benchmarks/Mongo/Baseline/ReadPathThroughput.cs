using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Workmates.OttKit.Benchmarks.Mongo.Bson;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Benchmarks.Mongo.Baseline;

/// <summary>
/// <c>read-path [--size-mib 64] [--rounds 5] [--batch-size 1000]</c>: backup read throughput through the official driver
/// (<see cref="MongoBackupSession.DumpAsync"/>, the backup's data path: a direct connection to a secondary, raw batches
/// copied once out of the driver's buffer) against the previous hand-written client's read path
/// (<see cref="BaselineWireConnection"/>, frozen from commit 1587301), in the same process, on the same loopback
/// replica-set simulator holding the same OTT-shaped documents in 4 collections read in parallel (the backup's
/// <c>ParallelCollections</c> default). Two sinks: <c>read</c> (the raw batches' bytes are summed: the path that
/// changed) and <c>gzip</c> (every document's bytes into a per-collection <see cref="GZipStream"/> at Fastest, as the
/// archive writer's single-thread form compresses them: the backup's shape). Every round runs all four combinations,
/// alternating which client goes first; the summary keeps each combination's best and median round and prints the
/// ratio driver/baseline. The simulator (in the same process, on the same cores) encodes every reply, so ratios are
/// what matter, not absolute MB/s.
/// </summary>
internal static class ReadPathThroughput
{
    private const int Collections = 4;

    public static int Run(string[] args)
    {
        var sizeMiB = 64L;
        var rounds = 5;
        var batchSize = 1000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size-mib":
                    sizeMiB = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--rounds":
                    rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--batch-size":
                    batchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        return RunAsync(sizeMiB * 1024 * 1024, rounds, batchSize).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(long total, int rounds, int batchSize)
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.Data.OplogSizeBytes = 1024 * 1024; // the oplog is not read here; keep the loading's copy small
        var data = new OttDataSet(20261122);
        long loaded = 0;
        var count = 0;
        for (; loaded < total; count++)
        {
            var document = data.Next();
            document["_id"] = count;
            loaded += document.ToBson().Length;
            _ = simulator.Data.Insert("bench", $"c{count % Collections}", document);
        }

        var secondary = simulator.Members[1].Name;
        var setUri = MongoConnectionString.Parse(simulator.ConnectionString(null, null, "serverSelectionTimeoutMS=30000&connectTimeoutMS=10000"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read path: {count} OTT-shaped documents, {loaded / 1048576.0:0.0} MiB in {Collections} collections, read in parallel from the secondary {secondary}; batchSize {batchSize}; {rounds} round(s); {Environment.ProcessorCount} processors"));

        var results = new Dictionary<string, List<(double MBps, double CpuPerGB)>>(StringComparer.Ordinal);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var sink in new[] { "read", "gzip" })
            {
                var order = round % 2 == 0 ? new[] { "baseline", "driver" } : ["driver", "baseline"];
                foreach (var client in order)
                {
                    var (bytes, documents, elapsed, cpu) = client == "baseline"
                        ? await BaselineAsync(secondary, batchSize, sink == "gzip").ConfigureAwait(false)
                        : await DriverAsync(setUri, secondary, batchSize, sink == "gzip").ConfigureAwait(false);
                    if (documents != count)
                    {
                        Console.WriteLine($"{client}/{sink}: read {documents} documents, expected {count}");
                        return 1;
                    }

                    var key = $"{client}/{sink}";
                    var mbps = bytes / 1e6 / elapsed.TotalSeconds;
                    var cpuPerGb = cpu.TotalSeconds / (bytes / 1e9);
                    (results.TryGetValue(key, out var list) ? list : results[key] = []).Add((mbps, cpuPerGb));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1} {key,-14} {mbps,8:0.0} MB/s  {cpuPerGb,6:0.00} CPU s/GB (process, simulator included)"));
                }
            }
        }

        Console.WriteLine("summary (best round / median round; ratio = driver / baseline, > 1 is faster)");
        foreach (var sink in new[] { "read", "gzip" })
        {
            var b = results[$"baseline/{sink}"];
            var d = results[$"driver/{sink}"];
            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            }

            var bestB = b.Max(r => r.MBps);
            var bestD = d.Max(r => r.MBps);
            var medB = Median(b.Select(r => r.MBps));
            var medD = Median(d.Select(r => r.MBps));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {sink}: baseline {bestB:0.0} / {medB:0.0} MB/s, driver {bestD:0.0} / {medD:0.0} MB/s; ratio best {bestD / bestB:0.00}, median {medD / medB:0.00}; CPU s/GB median baseline {Median(b.Select(r => r.CpuPerGB)):0.00}, driver {Median(d.Select(r => r.CpuPerGB)):0.00}"));
        }

        return 0;
    }

    private static async Task<(long Bytes, int Documents, TimeSpan Elapsed, TimeSpan Cpu)> BaselineAsync(string member, int batchSize, bool gzip)
    {
        var meter = Start();
        var results = await Task.WhenAll(Enumerable.Range(0, Collections).Select(c => Task.Run(async () =>
        {
            await using var connection = await BaselineWireConnection.OpenAsync(MongoServerAddress.Parse(member), CancellationToken.None).ConfigureAwait(false);
            var command = new BsonDocument { { "find", $"c{c}" }, { "filter", new BsonDocument() }, { "batchSize", batchSize } };
            return await DrainAsync(connection.CursorAsync("bench", $"c{c}", command, batchSize, CancellationToken.None), gzip).ConfigureAwait(false);
        }))).ConfigureAwait(false);
        return meter(results);
    }

    private static async Task<(long Bytes, int Documents, TimeSpan Elapsed, TimeSpan Cpu)> DriverAsync(MongoConnectionString setUri, string member, int batchSize, bool gzip)
    {
        var meter = Start();
        await using var session = new MongoBackupSession(setUri, member, TimeProvider.System);
        var results = await Task.WhenAll(Enumerable.Range(0, Collections).Select(c => Task.Run(() =>
            DrainAsync(session.DumpAsync("bench", $"c{c}", batchSize, CancellationToken.None), gzip)))).ConfigureAwait(false);
        return meter(results);
    }

    private static Func<(long Bytes, int Documents)[], (long, int, TimeSpan, TimeSpan)> Start()
    {
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        return results => (results.Sum(r => r.Bytes), results.Sum(r => r.Documents), watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(long Bytes, int Documents)> DrainAsync(IAsyncEnumerable<MongoRawBatch> batches, bool gzip)
    {
        long bytes = 0;
        var documents = 0;
        using var compressor = gzip ? new GZipStream(Stream.Null, CompressionLevel.Fastest) : null;
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            foreach (var document in batch.Documents)
            {
                bytes += document.Length;
                documents++;
                compressor?.Write(document.Bytes.Span);
            }
        }

        return (bytes, documents);
    }
}
