using System.IO.Compression;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Simulators.Storage;

namespace Workmates.OttKit.Benchmarks.Backup;

/// <summary>
/// <c>--mode driver</c>: a whole backup through the official driver — a loopback replica-set simulator holding the
/// same OTT-shaped documents in 4 collections, <see cref="BackupRunner"/> reading raw batches from a secondary over a
/// direct connection into the gzip archive and an in-memory store — next to the single-thread gzip ceiling measured in
/// the same round. The simulator serves from memory on the same 2 cores, so this is a floor for the driver's path, not
/// a mongod figure.
/// </summary>
internal static partial class BackupThroughput
{
    private static async Task<Result> DriverBackupAsync(RawBsonDocument[] pool, long total, CompressionLevel level, int workers)
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("bench", "bench-Pass1");
        long loaded = 0;
        for (var i = 0; loaded < total; i++)
        {
            var document = pool[i % pool.Length].ToBsonDocument();
            document["_id"] = i;
            _ = simulator.Data.Insert("bench", $"c{i % Collections}", document);
            loaded += pool[i % pool.Length].Length;
        }

        var store = new InMemoryBackupObjectStore();
        var options = new BackupOptions
        {
            ConnectionString = MongoConnectionString.Parse(simulator.ConnectionString("bench", "bench-Pass1", "serverSelectionTimeoutMS=30000&connectTimeoutMS=10000")),
            Prefix = "bench",
            CompressionLevel = level,
            CompressionWorkers = Math.Max(workers, 1),
            ParallelCollections = Collections,
            ExpectedDuration = TimeSpan.Zero, // the simulator's oplog is the loading itself, seconds long
        };
        var meter = new Meter();
        var result = await new BackupRunner(store).RunAsync(options, CancellationToken.None).ConfigureAwait(false);
        return meter.Stop(result.Manifest.RawBytes, result.Manifest.CompressedBytes);
    }
}
