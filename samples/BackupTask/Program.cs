using System.Globalization;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Mongo.Client;

// The blueprint's scheduled backup task (an ECS task on a schedule). Everything comes from the environment:
//   OTTKIT_MONGO_CONNECTION_STRING  mongodb:// URI of the set without credentials (the database stack's output), and
//   OTTKIT_MONGO_USERNAME / OTTKIT_MONGO_PASSWORD  the backup user, injected by ECS from the {username,password}
//                                 secret (the task definition's "secrets", valueFrom "<secret ARN>:username::")
//   OTTKIT_MONGO_URI              or a complete mongodb:// URI instead of the three above
//   OTTKIT_BACKUP_BUCKET          the backup bucket
//   OTTKIT_BACKUP_PREFIX          key prefix (default "mongo")
//   OTTKIT_BACKUP_KMS_KEY_ID      KMS key for SSE-KMS (default: the bucket's default encryption)
//   OTTKIT_BACKUP_RETENTION_DAYS  retention (default 15)
//   OTTKIT_BACKUP_MIN_KEEP        complete backups always kept (default 3)
//   OTTKIT_ENVIRONMENT            the Environment dimension of the metric (default "default")
// Exit codes: 0 backed up and pruned; 1 the backup failed; 2 the prune or the metric failed; 64 bad configuration.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

string? uri;
try
{
    // With TLS the CA certificate (OTTKIT_MONGO_TLS_CA, a PEM) becomes a tlsCAFile on the task's tmpfs.
    uri = BackupTaskEnvironment.ConnectionUri(Env, Path.GetTempPath());
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 64;
}

var bucket = Env("OTTKIT_BACKUP_BUCKET");
if (uri is null || bucket is null)
{
    Console.Error.WriteLine("error: set OTTKIT_BACKUP_BUCKET and either OTTKIT_MONGO_URI or OTTKIT_MONGO_CONNECTION_STRING with OTTKIT_MONGO_USERNAME and OTTKIT_MONGO_PASSWORD.");
    return 64;
}

if (!int.TryParse(Env("OTTKIT_BACKUP_RETENTION_DAYS") ?? "15", NumberStyles.None, CultureInfo.InvariantCulture, out var retentionDays) || retentionDays < 1
    || !int.TryParse(Env("OTTKIT_BACKUP_MIN_KEEP") ?? "3", NumberStyles.None, CultureInfo.InvariantCulture, out var minimumKept) || minimumKept < 1)
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

var prefix = Env("OTTKIT_BACKUP_PREFIX") ?? "mongo";
var environment = Env("OTTKIT_ENVIRONMENT") ?? "default";
var factory = new AwsClientFactory();
using var s3 = factory.CreateS3();
var store = new S3BackupObjectStore(s3, bucket, new S3BackupObjectStoreOptions { KmsKeyId = Env("OTTKIT_BACKUP_KMS_KEY_ID") });
var exitCode = 0;

try
{
    var result = await new BackupRunner(store).RunAsync(
        new BackupOptions
        {
            ConnectionString = connectionString,
            Prefix = prefix,
            KmsKeyId = Env("OTTKIT_BACKUP_KMS_KEY_ID"),
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
    var report = await catalog.PruneAsync(TimeSpan.FromDays(retentionDays), minimumKept, DateTimeOffset.UtcNow, dryRun: false, cancellation.Token);
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
    var age = listing.Latest is { } latest ? (DateTimeOffset.UtcNow - latest.Manifest.CompletedAt).TotalSeconds : 1e9;
    var cloudWatch = factory.CreateCloudWatch();
    using var disposeCloudWatch = cloudWatch as IDisposable;
    await cloudWatch.PutMetricDataAsync(
        new PutMetricDataRequest
        {
            Namespace = "OttKit/Backup",
            MetricData =
            [
                new MetricDatum
                {
                    MetricName = "LastSuccessfulBackupAgeSeconds",
                    Value = age,
                    Unit = "Seconds",
                    Timestamp = DateTime.UtcNow,
                    Dimensions = [new Dimension { Name = "Environment", Value = environment }],
                },
            ],
        },
        cancellation.Token);
    Console.WriteLine($"metric OttKit/Backup LastSuccessfulBackupAgeSeconds = {age:0} (Environment={environment})");
}
catch (Exception e) when (e is CloudWatchException or BackupStorageException or IOException or HttpRequestException)
{
    Console.Error.WriteLine($"error: the backup age metric was not published: {e.Message}");
    exitCode = exitCode == 0 ? 2 : exitCode;
}

return exitCode;
