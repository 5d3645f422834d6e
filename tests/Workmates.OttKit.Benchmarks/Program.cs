using BenchmarkDotNet.Running;
using Workmates.OttKit.Benchmarks.Mongo.Bson;

if (args.Length > 0 && args[0] == "bson-throughput")
{
    // Cross-language comparison harness (see Mongo/Bson/run-bson-comparison.sh); everything else is BenchmarkDotNet.
    return BsonThroughput.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "backup-throughput")
{
    return Workmates.OttKit.Benchmarks.Backup.BackupThroughput.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "health-round-trips")
{
    return Workmates.OttKit.Benchmarks.Mongo.Health.HealthRoundTrips.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "read-path")
{
    return Workmates.OttKit.Benchmarks.Mongo.Baseline.ReadPathThroughput.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
