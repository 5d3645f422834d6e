using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit mongo backups list|prune|verify</c>: the complete backups in the bucket, retention, and an end-to-end
/// check of one backup without restoring it. Exit 0 ok, 1 failed (verify found corruption), 64 usage error.
/// </summary>
internal static class MongoBackupsCommand
{
    /// <summary>Creates the <c>backups</c> command with its subcommands.</summary>
    public static Command Create(CliEnvironment environment) => new("backups", "List, prune and verify the backups in S3.")
    {
        CreateList(environment),
        CreatePrune(environment),
        CreateVerify(environment),
    };

    private static Command CreateList(CliEnvironment environment)
    {
        var settings = new BackupSettings.Options();
        var command = new Command(
            "list",
            "List the complete backups (those with a manifest), newest first, and any unfinished ones.\n" +
            "Exit codes: 0 listed, 1 the bucket could not be read, 64 usage error.\n\n" +
            "Example:\n  ottkit mongo backups list --bucket acme-prod-backups --output json");
        settings.AddTo(command, withUri: false);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: false, environment.Variable, out var exitCode);
            return resolved is null ? Task.FromResult(exitCode) : ListAsync(context, resolved, BackupSettings.CreateS3Store, environment.Time, cancellationToken);
        });
        return command;
    }

    /// <summary>Lists the backups and prints them.</summary>
    public static async Task<int> ListAsync(CliContext context, BackupSettings settings, Func<BackupSettings, IBackupObjectStore> store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var listing = await new BackupCatalog(store(settings), settings.Prefix).ListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        context.Line($"{listing.Complete.Count} complete backups in s3://{settings.Bucket}/{settings.Prefix}/");
        foreach (var entry in listing.Complete)
        {
            var m = entry.Manifest;
            context.Line(string.Create(CultureInfo.InvariantCulture, $"  {m.BackupId}  {m.CompletedAt:yyyy-MM-dd HH:mm}Z  age {(now - m.CompletedAt).TotalHours,6:0.0} h  {m.CompressedBytes,14} bytes  {m.Namespaces.Sum(n => n.Documents),12} documents  from {m.SourceMember}"));
        }

        foreach (var incomplete in listing.Incomplete)
        {
            context.Line($"  {incomplete.BackupId}  INCOMPLETE (archive without manifest: never restored, pruned with the others)");
        }

        foreach (var problem in listing.Problems)
        {
            context.Line($"  {problem.BackupId}  PROBLEM {problem.Key}: {problem.Problem}");
        }

        context.Result(new JsonObject
        {
            ["ok"] = true,
            ["bucket"] = settings.Bucket,
            ["prefix"] = settings.Prefix,
            ["latest"] = listing.Latest?.BackupId,
            ["latestAgeSeconds"] = listing.Latest is { } latest ? (now - latest.Manifest.CompletedAt).TotalSeconds : null,
            ["complete"] = new JsonArray([.. listing.Complete.Select(e => (JsonNode)new JsonObject
            {
                ["backupId"] = e.BackupId,
                ["completedAt"] = e.Manifest.CompletedAt.ToString("O", CultureInfo.InvariantCulture),
                ["compressedBytes"] = e.Manifest.CompressedBytes,
                ["documents"] = e.Manifest.Namespaces.Sum(n => n.Documents),
                ["sourceMember"] = e.Manifest.SourceMember,
                ["sha256"] = e.Manifest.Sha256,
            })]),
            ["incomplete"] = new JsonArray([.. listing.Incomplete.Select(i => (JsonNode)JsonValue.Create(i.BackupId)!)]),
            ["problems"] = new JsonArray([.. listing.Problems.Select(p => (JsonNode)new JsonObject { ["backupId"] = p.BackupId, ["key"] = p.Key, ["problem"] = p.Problem })]),
        });
        return ExitCodes.Success;
    }

    private static Command CreatePrune(CliEnvironment environment)
    {
        var settings = new BackupSettings.Options();
        var retention = new Option<int?>("--retention-days") { Description = $"Delete backups older than this (default: ${BackupSettings.RetentionVariable}, else {BackupSettings.DefaultRetentionDays})." };
        var minimum = new Option<int>("--min-keep") { Description = "Never keep fewer complete backups than this (default 3); the newest is always kept.", DefaultValueFactory = _ => 3 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be deleted and why; delete nothing." };
        var command = new Command(
            "prune",
            "Delete backups older than the retention, never the newest complete one and never below --min-keep; manifests are deleted first so a half-deleted backup never looks complete.\n" +
            "Exit codes: 0 pruned (or reported), 1 a deletion failed, 64 usage error.\n\n" +
            "Example:\n  ottkit mongo backups prune --bucket acme-prod-backups --retention-days 15 --dry-run")
        {
            retention,
            minimum,
            dryRun,
        };
        settings.AddTo(command, withUri: false);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: false, environment.Variable, out var exitCode);
            if (resolved is null)
            {
                return Task.FromResult(exitCode);
            }

            var days = parse.GetValue(retention) ?? resolved.RetentionDays;
            return PruneAsync(context, resolved, days, parse.GetValue(minimum), parse.GetValue(dryRun), BackupSettings.CreateS3Store, environment.Time, cancellationToken);
        });
        return command;
    }

    /// <summary>Applies the retention and prints what was kept and deleted, and why.</summary>
    public static async Task<int> PruneAsync(CliContext context, BackupSettings settings, int retentionDays, int minimumKept, bool dryRun, Func<BackupSettings, IBackupObjectStore> store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (retentionDays < 1 || minimumKept < 1)
        {
            _ = context.UserError("--retention-days and --min-keep must be at least 1.", "bad-arguments");
            return ExitCodes.UsageError;
        }

        var report = await new BackupCatalog(store(settings), settings.Prefix)
            .PruneAsync(TimeSpan.FromDays(retentionDays), minimumKept, time.GetUtcNow(), dryRun, cancellationToken).ConfigureAwait(false);
        foreach (var decision in report.Decisions)
        {
            var verb = decision.Action == BackupPruneAction.Keep ? "keep  " : dryRun ? "would delete" : decision.Error is null ? "deleted" : "FAILED to delete";
            context.Line(string.Create(CultureInfo.InvariantCulture, $"  {verb} {decision.BackupId} (age {decision.Age.TotalDays:0.0} d): {decision.Reason}{(decision.Error is { } e ? " — " + e : string.Empty)}"));
        }

        context.Line(string.Create(CultureInfo.InvariantCulture, $"{(dryRun ? "dry run: " : string.Empty)}kept {report.Kept.Count()}, {(dryRun ? "would delete" : "deleted")} {report.ToDelete.Count()} (retention {retentionDays} d, at least {minimumKept} kept)"));
        context.Result(new JsonObject
        {
            ["ok"] = !report.HasFailures,
            ["dryRun"] = dryRun,
            ["retentionDays"] = retentionDays,
            ["minimumKept"] = minimumKept,
            ["decisions"] = new JsonArray([.. report.Decisions.Select(d => (JsonNode)new JsonObject
            {
                ["backupId"] = d.BackupId,
                ["action"] = d.Action == BackupPruneAction.Keep ? "keep" : "delete",
                ["complete"] = d.Complete,
                ["reason"] = d.Reason,
                ["ageDays"] = d.Age.TotalDays,
                ["deleted"] = d.Deleted,
                ["error"] = d.Error,
            })]),
        });
        return report.HasFailures ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static Command CreateVerify(CliEnvironment environment)
    {
        var settings = new BackupSettings.Options();
        var backupId = new Option<string>("--backup-id") { Description = "The backup to verify, or 'latest' (default).", DefaultValueFactory = _ => "latest" };
        var command = new Command(
            "verify",
            "Re-read a backup from S3 and check its SHA-256, the archive structure and every namespace CRC, without restoring.\n" +
            "Exit codes: 0 intact, 1 missing or corrupted, 64 usage error.\n\n" +
            "Example:\n  ottkit mongo backups verify --bucket acme-prod-backups --backup-id latest")
        {
            backupId,
        };
        settings.AddTo(command, withUri: false);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: false, environment.Variable, out var exitCode);
            return resolved is null
                ? Task.FromResult(exitCode)
                : VerifyAsync(context, resolved, parse.GetValue(backupId) ?? "latest", BackupSettings.CreateS3Store, cancellationToken);
        });
        return command;
    }

    /// <summary>Verifies one backup and prints the outcome.</summary>
    public static async Task<int> VerifyAsync(CliContext context, BackupSettings settings, string backupId, Func<BackupSettings, IBackupObjectStore> store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            var result = await BackupVerifier.VerifyAsync(store(settings), settings.Prefix, backupId, null, cancellationToken).ConfigureAwait(false);
            context.Line(string.Create(CultureInfo.InvariantCulture, $"backup {result.BackupId} is intact: SHA-256 {result.Sha256}, {result.CompressedBytes} bytes, {result.Namespaces.Count} namespaces, {result.Namespaces.Sum(n => n.Documents)} documents, every CRC matches"));
            context.Result(new JsonObject
            {
                ["ok"] = true,
                ["backupId"] = result.BackupId,
                ["sha256"] = result.Sha256,
                ["compressedBytes"] = result.CompressedBytes,
                ["namespaces"] = new JsonArray([.. result.Namespaces.Select(n => (JsonNode)new JsonObject
                {
                    ["namespace"] = $"{n.Database}.{n.Collection}",
                    ["documents"] = n.Documents,
                    ["bytes"] = n.Bytes,
                    ["crc64"] = unchecked((ulong)n.Crc64).ToString("x16", CultureInfo.InvariantCulture),
                })]),
            });
            return ExitCodes.Success;
        }
        catch (MongoBackupException ex)
        {
            return BackupSettings.Failed(context, ex);
        }
    }
}
