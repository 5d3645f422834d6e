using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Patching;

// The blueprint's scheduled database tasks (ECS tasks on a schedule), one image with two modes named by the first
// argument: "backup" (the default) and "health". Everything comes from the environment, and each mode reads only the
// variables BackupTaskEnvironment.Settings(mode) declares (the blueprint generates the task definitions from it):
//   OTTKIT_MONGO_CONNECTION_STRING  mongodb:// URI of the set without credentials (the database stack's output), and
//   OTTKIT_MONGO_USERNAME / OTTKIT_MONGO_PASSWORD  the backup user, injected by ECS from the {username,password}
//                                 secret (the task definition's "secrets", valueFrom "<secret ARN>:username::")
//   OTTKIT_MONGO_TLS_CA           with TLS, the replica set's CA certificate (the secret's "ca" key)
//   OTTKIT_MONGO_URI              or a complete mongodb:// URI instead of the three above
//   OTTKIT_ENVIRONMENT            the Environment dimension of the metrics (default "default")
// backup:
//   OTTKIT_BACKUP_BUCKET          the backup bucket
//   OTTKIT_BACKUP_PREFIX          key prefix (default "mongo")
//   OTTKIT_BACKUP_KMS_KEY_ID      KMS key for SSE-KMS (default: the bucket's default encryption)
//   OTTKIT_BACKUP_RETENTION_DAYS  retention (default 15)
//   OTTKIT_BACKUP_MIN_KEEP        complete backups always kept (default 3)
//   Exit codes: 0 backed up and pruned; 1 the backup failed; 2 the prune or the metric failed; 64 bad configuration.
// health (what `ottkit mongo health --publish-metrics` does, once):
//   OTTKIT_HEALTH_TIMEOUT_SECONDS the check's timeout (default 10)
//   Exit codes: 0 checked and published, whatever the verdict (the alarms judge it); 2 the metrics were not published;
//   3 the set could not be evaluated (nothing published: the "no primary" alarm treats missing data as breaching);
//   64 bad configuration.
// patch (what `ottkit patch install --target database` does; the connection is the ADMIN user's, for replSetStepDown):
//   MongoDB members patched with AWS-RunPatchBaseline one at a time, secondaries first, the primary after a step-down,
//   each waited for until SECONDARY with a lag under 10 s. OTTKIT_ENVIRONMENT names the patch group <env>-mongodb.
//   Exit codes: 0 every member patched; 1 the run stopped (the failing member and the set's state are printed);
//   64 bad configuration.

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var mode = args.Length == 0 ? BackupTaskEnvironment.BackupMode : args[0];
if (args.Length > 1 || mode is not (BackupTaskEnvironment.BackupMode or BackupTaskEnvironment.HealthMode or BackupTaskEnvironment.PatchMode))
{
    Console.Error.WriteLine($"error: expected one argument, '{BackupTaskEnvironment.BackupMode}' (the default), '{BackupTaskEnvironment.HealthMode}' or '{BackupTaskEnvironment.PatchMode}'.");
    return 64;
}

var env = BackupTaskEnvironment.Reader(mode, Environment.GetEnvironmentVariable);

string? uri;
try
{
    // With TLS the CA certificate (OTTKIT_MONGO_TLS_CA, a PEM) becomes a tlsCAFile on the task's tmpfs.
    uri = BackupTaskEnvironment.ConnectionUri(env, Path.GetTempPath());
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 64;
}

if (mode == BackupTaskEnvironment.HealthMode)
{
    return await HealthTask.RunAsync(uri, env, cancellation.Token);
}

if (mode == BackupTaskEnvironment.PatchMode)
{
    return await PatchTask.RunAsync(uri, env, cancellation.Token);
}

var bucket = env(BackupTaskEnvironment.BucketVariable);
if (uri is null || bucket is null)
{
    Console.Error.WriteLine("error: set OTTKIT_BACKUP_BUCKET and either OTTKIT_MONGO_URI or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD.");
    return 64;
}

if (!int.TryParse(env(BackupTaskEnvironment.RetentionDaysVariable) ?? "15", NumberStyles.None, CultureInfo.InvariantCulture, out var retentionDays) || retentionDays < 1
    || !int.TryParse(env(BackupTaskEnvironment.MinimumKeptVariable) ?? "3", NumberStyles.None, CultureInfo.InvariantCulture, out var minimumKept) || minimumKept < 1)
{
    Console.Error.WriteLine("error: OTTKIT_BACKUP_RETENTION_DAYS and OTTKIT_BACKUP_MIN_KEEP must be whole numbers of at least 1.");
    return 64;
}

MongoConnectionString connectionString;
try
{
    connectionString = MongoConnectionString.Parse(uri);
}
catch (MongoConfigurationException e)
{
    Console.Error.WriteLine($"error: OTTKIT_MONGO_URI is not usable: {e.Message}");
    return 64;
}

var prefix = env(BackupTaskEnvironment.PrefixVariable) ?? "mongo";
var environment = env(BackupTaskEnvironment.EnvironmentVariable) ?? "default";
var factory = new AwsClientFactory();
using var s3 = factory.CreateS3();
var store = new S3BackupObjectStore(s3, bucket, new S3BackupObjectStoreOptions { KmsKeyId = env(BackupTaskEnvironment.KmsKeyIdVariable) });
// The one clock of the task (the system clock at this edge): backup ids, retention and the published age.
var clock = TimeProvider.System;
var exitCode = 0;

try
{
    var result = await new BackupRunner(store, clock).RunAsync(
        new BackupOptions
        {
            ConnectionString = connectionString,
            Prefix = prefix,
            KmsKeyId = env(BackupTaskEnvironment.KmsKeyIdVariable),
            Progress = new Progress<BackupProgress>(p => Console.WriteLine($"[{p.Stage}] {p.Message}")),
        },
        cancellation.Token);
    Console.WriteLine($"backup {result.Manifest.BackupId}: {result.Manifest.CompressedBytes} bytes, SHA-256 {result.Manifest.Sha256}");
}
catch (MongoBackupException e)
{
    Console.Error.WriteLine($"error: backup failed ({e.Code}): {e.Message}");
    exitCode = 1;
}

var catalog = new BackupCatalog(store, prefix);
try
{
    var report = await catalog.PruneAsync(TimeSpan.FromDays(retentionDays), minimumKept, clock.GetUtcNow(), dryRun: false, cancellation.Token);
    foreach (var decision in report.Decisions)
    {
        Console.WriteLine($"prune: {decision.Action} {decision.BackupId}: {decision.Reason}{(decision.Error is { } error ? " — " + error : string.Empty)}");
    }

    exitCode = exitCode == 0 && report.HasFailures ? 2 : exitCode;
}
catch (Exception e) when (e is BackupStorageException or IOException)
{
    Console.Error.WriteLine($"error: prune failed: {e.Message}");
    exitCode = exitCode == 0 ? 2 : exitCode;
}

// Published whatever happened above: after a failure the age keeps growing and the alarm on it fires.
try
{
    var listing = await catalog.ListAsync(cancellation.Token);
    // No complete backup at all reads as a billion seconds (CloudWatch refuses values above about 1e108).
    var age = listing.Latest is { } latest ? (clock.GetUtcNow() - latest.Manifest.CompletedAt).TotalSeconds : 1e9;
    var cloudWatch = factory.CreateCloudWatch();
    using var disposeCloudWatch = cloudWatch as IDisposable;
    // The library's CloudWatch publisher (the one the health mode uses) sends any namespace's data points.
    await new CloudWatchHealthMetricsPublisher(cloudWatch).PublishAsync(
        BackupMetricNames.Namespace,
        [
            new HealthMetricDatum(
                BackupMetricNames.LastSuccessfulBackupAgeSeconds,
                age,
                HealthMetricUnit.Seconds,
                new Dictionary<string, string> { [BackupMetricNames.EnvironmentDimension] = environment },
                clock.GetUtcNow()),
        ],
        cancellation.Token);
    Console.WriteLine($"metric OttKit/Backup LastSuccessfulBackupAgeSeconds = {age:0} (Environment={environment})");
}
catch (Exception e) when (e is CloudWatchException or BackupStorageException or IOException or HttpRequestException)
{
    Console.Error.WriteLine($"error: the backup age metric was not published: {e.Message}");
    exitCode = exitCode == 0 ? 2 : exitCode;
}

return exitCode;

/// <summary>The health mode: one replica-set check through the library's health check, its metrics published to CloudWatch.</summary>
internal static class HealthTask
{
    private const string CheckName = "mongo";

    public static async Task<int> RunAsync(string? uri, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var environment = env(BackupTaskEnvironment.EnvironmentVariable) ?? "default";
        if (uri is null)
        {
            Console.Error.WriteLine("error: set OTTKIT_MONGO_URI, or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD.");
            return 64;
        }

        if (!double.TryParse(env(BackupTaskEnvironment.HealthTimeoutVariable) ?? "10", NumberStyles.Float, CultureInfo.InvariantCulture, out var timeout) || !(timeout > 0))
        {
            Console.Error.WriteLine($"error: {BackupTaskEnvironment.HealthTimeoutVariable} must be a positive number of seconds, such as 10.");
            return 64;
        }

        var factory = new AwsClientFactory();
        var cloudWatch = factory.CreateCloudWatch();
        using var disposeCloudWatch = cloudWatch as IDisposable;
        var publisher = new RecordingPublisher(new CloudWatchHealthMetricsPublisher(cloudWatch));
        var services = new ServiceCollection();
        _ = services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        _ = services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        _ = services.AddSingleton<IHealthMetricsPublisher>(publisher);
        try
        {
            _ = services.AddHealthChecks().AddMongoReplicaSet(CheckName, uri, options =>
            {
                options.Timeout = TimeSpan.FromSeconds(timeout);
                options.EnvironmentName = environment;
            });
        }
        catch (MongoConfigurationException e)
        {
            Console.Error.WriteLine($"error: the MongoDB connection string is not usable: {e.Message}");
            return 64;
        }

        HealthReportEntry entry;
        var provider = services.BuildServiceProvider();
        await using (provider)
        {
            var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken);
            entry = report.Entries[CheckName];
        }

        var verdict = entry.GetReplicaSetReport();
        Console.WriteLine($"health {(verdict is null ? "CouldNotEvaluate" : verdict.Status.ToString())}: {entry.Description}");
        if (verdict is null)
        {
            Console.Error.WriteLine($"error: the replica set could not be evaluated ({entry.GetNotEvaluatedReason()}); nothing published.");
            return 3;
        }

        if (publisher.Failure is { } failure)
        {
            Console.Error.WriteLine($"error: the health metrics were not published: {failure.Message}");
            return 2;
        }

        Console.WriteLine($"metrics {ReplicaSetHealthMetricNames.Namespace}: {publisher.Published} data points (Environment={environment})");
        return 0;
    }

    /// <summary>Remembers what happened to the publication: the health check only logs a publishing failure.</summary>
    private sealed class RecordingPublisher(IHealthMetricsPublisher inner) : IHealthMetricsPublisher
    {
        public int Published { get; private set; }

        public Exception? Failure { get; private set; }

        public async Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken)
        {
            try
            {
                await inner.PublishAsync(metricNamespace, data, cancellationToken);
                Published += data.Count;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failure = ex;
                throw;
            }
        }
    }
}

/// <summary>The patch mode: the library's <see cref="PatchRunner"/> on the MongoDB members, in step-down order.</summary>
internal static class PatchTask
{
    public static async Task<int> RunAsync(string? uri, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var environment = env(BackupTaskEnvironment.EnvironmentVariable);
        if (uri is null || environment is null)
        {
            Console.Error.WriteLine("error: set OTTKIT_ENVIRONMENT and OTTKIT_MONGO_URI, or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD (the admin user).");
            return 64;
        }

        MongoConnectionString connectionString;
        try
        {
            connectionString = MongoConnectionString.Parse(uri);
        }
        catch (MongoConfigurationException e)
        {
            Console.Error.WriteLine($"error: the MongoDB connection string is not usable: {e.Message}");
            return 64;
        }

        var clock = TimeProvider.System;
        using var ssm = new AwsClientFactory().CreateSimpleSystemsManagement();
        await using var replicaSet = new MongoReplicaSetControl(connectionString, clock);
        var runner = new PatchRunner(ssm, drainer: null, replicaSet, clock);
        PatchResult result;
        try
        {
            result = await runner.InstallAsync(
                new PatchOptions
                {
                    Environment = environment,
                    Target = PatchTarget.Database,
                    Progress = new Progress<PatchEvent>(e => Console.WriteLine($"{e.At:O} {e}")),
                },
                cancellationToken);
        }
        catch (PatchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        foreach (var instance in result.Instances)
        {
            Console.WriteLine($"  {instance.InstanceId} {instance.Role} {instance.Status}{(instance.Details is null ? string.Empty : $": {instance.Details}")}");
        }

        Console.WriteLine($"{(result.Succeeded ? "ok" : "failed")}: {result.Verdict}{(result.ReplicaSetState is { } state ? $" (replica set: {state})" : string.Empty)}");
        return result.Succeeded ? 0 : 1;
    }
}
