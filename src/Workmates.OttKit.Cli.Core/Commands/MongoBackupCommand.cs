using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit mongo backup</c>: one consistent backup of the replica set into S3 (mongodump archive, gzip, with the
/// oplog slice), manifest written last. Exit 0 on success, 1 when the backup failed (nothing is left looking
/// complete), 64 for a usage error.
/// </summary>
internal static class MongoBackupCommand
{
    /// <summary>The most compression workers a backup accepts (<see cref="BackupOptions.CompressionWorkers"/>).</summary>
    private const int MaxCompressionWorkers = ArchiveCompressionOptions.MaxWorkers;

    /// <summary>Adds <c>backup</c>, <c>restore</c> and <c>backups</c> to the <c>mongo</c> command.</summary>
    public static Command AddTo(Command mongo, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(mongo);
        mongo.Add(Create(environment));
        mongo.Add(MongoRestoreCommand.Create(environment));
        mongo.Add(MongoBackupsCommand.Create(environment));
        return mongo;
    }

    /// <summary>Creates the <c>backup</c> command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var settings = new BackupSettings.Options();
        var allowPrimary = new Option<bool>("--allow-primary") { Description = "Read from the primary when no secondary qualifies (off by default)." };
        var maxLag = new Option<double>("--max-lag") { Description = "Skip secondaries lagging more than this many seconds (default 20).", DefaultValueFactory = _ => 20 };
        var expected = new Option<double>("--expected-minutes") { Description = "Refuse to start when the oplog window is shorter than this (default 30; 0 disables).", DefaultValueFactory = _ => 30 };
        var parallel = new Option<int>("--parallel", "-j") { Description = "Collections dumped at the same time (default 4).", DefaultValueFactory = _ => 4 };
        var include = new Option<string[]>("--include") { Description = "Only these namespaces (db.coll, * wildcards); repeatable.", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out these namespaces; repeatable." };
        var compressionWorkers = new Option<int?>("--compression-workers")
        {
            Description = $"Threads compressing the archive, 1-{MaxCompressionWorkers} (default: one per processor, at most 8; 1 is a single gzip stream).",
        };
        var command = new Command(
            "backup",
            "Back up the MongoDB replica set to S3: a consistent mongodump archive (gzip) with the oplog slice, verified checksums and a manifest written last.\n" +
            "Exit codes: 0 backed up, 1 failed (no manifest written), 64 usage error.\n\n" +
            "Examples:\n  ottkit mongo backup --uri \"mongodb://backup:PASSWORD@db1,db2,db3/?replicaSet=rs0\" --bucket acme-prod-backups\n" +
            "  OTTKIT_MONGO_URI=... OTTKIT_BACKUP_BUCKET=acme-prod-backups ottkit mongo backup --output json")
        {
            allowPrimary,
            maxLag,
            expected,
            parallel,
            include,
            exclude,
            compressionWorkers,
        };
        settings.AddTo(command, withUri: true, withKmsKey: true);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: true, environment.Variable, out var exitCode);
            if (resolved is null)
            {
                return Task.FromResult(exitCode);
            }

            var arguments = new MongoBackupArguments(parse.GetValue(allowPrimary), parse.GetValue(maxLag), parse.GetValue(expected), parse.GetValue(parallel), parse.GetValue(include) ?? [], parse.GetValue(exclude) ?? [], parse.GetValue(compressionWorkers));
            return RunAsync(context, resolved, arguments, BackupSettings.CreateS3Store, environment.Time, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs one backup and prints the result.</summary>
    public static async Task<int> RunAsync(CliContext context, BackupSettings settings, MongoBackupArguments arguments, Func<BackupSettings, IBackupObjectStore> store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(store);
        if (arguments.MaxLagSeconds < 0 || arguments.ExpectedMinutes < 0 || arguments.Parallel < 1)
        {
            _ = context.UserError("--max-lag and --expected-minutes must not be negative, and --parallel must be at least 1.", "bad-arguments");
            return ExitCodes.UsageError;
        }

        if (arguments.CompressionWorkers is < 1 or > MaxCompressionWorkers)
        {
            _ = context.UserError(
                string.Create(CultureInfo.InvariantCulture, $"--compression-workers {arguments.CompressionWorkers} is out of range: use 1 to {MaxCompressionWorkers} (1 compresses in one gzip stream; the default is one per processor)."),
                "bad-arguments");
            return ExitCodes.UsageError;
        }

        var uri = settings.ParseUri(context, out var exitCode);
        if (uri is null)
        {
            return exitCode;
        }

        var runner = new BackupRunner(store(settings), time);
        try
        {
            var result = await runner.RunAsync(
                new BackupOptions
                {
                    ConnectionString = uri,
                    Prefix = settings.Prefix,
                    KmsKeyId = settings.KmsKeyId,
                    AllowPrimary = arguments.AllowPrimary,
                    MaxLag = TimeSpan.FromSeconds(arguments.MaxLagSeconds),
                    ExpectedDuration = TimeSpan.FromMinutes(arguments.ExpectedMinutes),
                    ParallelCollections = arguments.Parallel,
                    CompressionWorkers = arguments.CompressionWorkers ?? ArchiveCompressionOptions.DefaultWorkers,
                    IncludeNamespaces = arguments.Include,
                    ExcludeNamespaces = arguments.Exclude,
                    Progress = BackupSettings.ProgressLines(context),
                },
                cancellationToken).ConfigureAwait(false);
            var manifest = result.Manifest;
            context.Line(string.Create(CultureInfo.InvariantCulture, $"backup {manifest.BackupId} complete: {manifest.Namespaces.Count} namespaces, {manifest.Namespaces.Sum(n => n.Documents)} documents, {manifest.CompressedBytes} bytes in s3://{settings.Bucket}/{manifest.ArchiveKey} from {manifest.SourceMember} in {manifest.Duration.TotalSeconds:0.0} s"));
            context.Result(new JsonObject
            {
                ["ok"] = true,
                ["backupId"] = manifest.BackupId,
                ["bucket"] = settings.Bucket,
                ["archiveKey"] = manifest.ArchiveKey,
                ["manifestKey"] = result.ManifestKey,
                ["sourceMember"] = manifest.SourceMember,
                ["serverVersion"] = manifest.ServerVersion,
                ["namespaces"] = manifest.Namespaces.Count,
                ["documents"] = manifest.Namespaces.Sum(n => n.Documents),
                ["rawBytes"] = manifest.RawBytes,
                ["compressedBytes"] = manifest.CompressedBytes,
                ["parts"] = result.PartCount,
                ["sha256"] = manifest.Sha256,
                ["durationSeconds"] = manifest.Duration.TotalSeconds,
            });
            return ExitCodes.Success;
        }
        catch (MongoBackupException ex)
        {
            return BackupSettings.Failed(context, ex);
        }
    }
}

/// <summary>The arguments of <c>ottkit mongo backup</c> beyond the shared settings.</summary>
internal sealed record MongoBackupArguments(bool AllowPrimary, double MaxLagSeconds, double ExpectedMinutes, int Parallel, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, int? CompressionWorkers = null);
