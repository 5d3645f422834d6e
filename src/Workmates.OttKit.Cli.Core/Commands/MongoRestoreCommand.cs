using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit mongo restore</c>: restores a backup (an id or <c>latest</c>) into a replica set, with mongorestore's
/// namespace filters and renames, <c>--drop</c>, oplog replay and a dry run. Exit 0 restored (or checked), 1 failed,
/// 64 usage error.
/// </summary>
internal static class MongoRestoreCommand
{
    /// <summary>Creates the <c>restore</c> command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var settings = new BackupSettings.Options();
        var backupId = new Option<string>("--backup-id") { Description = "The backup to restore, or 'latest' (default).", DefaultValueFactory = _ => "latest" };
        var include = new Option<string[]>("--include") { Description = "Only these source namespaces (db.coll, * wildcards); repeatable." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out these source namespaces; repeatable." };
        var nsFrom = new Option<string[]>("--ns-from") { Description = "Rename: source pattern (pairs with --ns-to, in order); repeatable." };
        var nsTo = new Option<string[]>("--ns-to") { Description = "Rename: target pattern for the --ns-from at the same position." };
        var drop = new Option<bool>("--drop") { Description = "Drop each target collection before restoring it." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the backup, list namespaces and counts, write nothing." };
        var noOplog = new Option<bool>("--no-oplog-replay") { Description = "Do not replay the oplog slice (the data is then as of each collection's read)." };
        var verifyFirst = new Option<bool>("--verify-first") { Description = "Verify the whole object before writing anything (the default; reads it twice)." };
        var noVerifyFirst = new Option<bool>("--no-verify-first") { Description = "Read the object once: checks still run while reading and staged collections are committed only if all pass." };
        var parallel = new Option<int>("--parallel", "-j") { Description = "Insert commands in flight (default 4).", DefaultValueFactory = _ => 4 };
        var command = new Command(
            "restore",
            "Restore a backup from S3 into a MongoDB replica set: checksums verified while reading, collections created with their options, data inserted in parallel, the oplog replayed, indexes built last.\n" +
            "Exit codes: 0 restored (or checked, with --dry-run), 1 failed, 64 usage error.\n\n" +
            "Examples:\n  ottkit mongo restore --uri \"mongodb://restore:PASSWORD@staging1/?replicaSet=rs0\" --bucket acme-prod-backups --dry-run\n" +
            "  ottkit mongo restore --backup-id 20261122T031500Z --include 'ott.*' --ns-from 'ott.*' --ns-to 'ott_copy.*' --drop")
        {
            backupId,
            include,
            exclude,
            nsFrom,
            nsTo,
            drop,
            dryRun,
            noOplog,
            verifyFirst,
            noVerifyFirst,
            parallel,
        };
        settings.AddTo(command, withUri: true);
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: !parse.GetValue(dryRun), environment.Variable, out var exitCode);
            if (resolved is null)
            {
                return Task.FromResult(exitCode);
            }

            var from = parse.GetValue(nsFrom) ?? [];
            var to = parse.GetValue(nsTo) ?? [];
            if (from.Length != to.Length)
            {
                _ = context.UserError($"--ns-from and --ns-to come in pairs: got {from.Length} --ns-from and {to.Length} --ns-to.", "bad-rename");
                return Task.FromResult(ExitCodes.UsageError);
            }

            var arguments = new MongoRestoreArguments(
                parse.GetValue(backupId) ?? "latest",
                parse.GetValue(include) ?? [],
                parse.GetValue(exclude) ?? [],
                [.. from.Zip(to, (f, t) => new NamespaceRename(f, t))],
                parse.GetValue(drop),
                parse.GetValue(dryRun),
                !parse.GetValue(noOplog),
                parse.GetValue(verifyFirst) || !parse.GetValue(noVerifyFirst),
                parse.GetValue(parallel));
            return RunAsync(context, resolved, arguments, BackupSettings.CreateS3Store, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the restore and prints the result.</summary>
    public static async Task<int> RunAsync(CliContext context, BackupSettings settings, MongoRestoreArguments arguments, Func<BackupSettings, IBackupObjectStore> store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(store);
        if (arguments.Parallel < 1)
        {
            _ = context.UserError("--parallel must be at least 1.", "bad-arguments");
            return ExitCodes.UsageError;
        }

        // A dry run never connects; it still needs a syntactically valid placeholder for the options record.
        var uri = arguments.DryRun && string.IsNullOrWhiteSpace(settings.Uri)
            ? Workmates.OttKit.Mongo.Client.MongoConnectionString.Parse("mongodb://localhost")
            : settings.ParseUri(context, out var exitCode);
        if (uri is null)
        {
            return ExitCodes.UsageError;
        }

        try
        {
            var result = await new RestoreRunner(store(settings)).RunAsync(
                new RestoreOptions
                {
                    ConnectionString = uri,
                    Prefix = settings.Prefix,
                    BackupId = arguments.BackupId,
                    IncludeNamespaces = arguments.Include,
                    ExcludeNamespaces = arguments.Exclude,
                    Renames = arguments.Renames,
                    Drop = arguments.Drop,
                    DryRun = arguments.DryRun,
                    ReplayOplog = arguments.ReplayOplog,
                    VerifyFirst = arguments.VerifyFirst,
                    ParallelInserts = arguments.Parallel,
                    Progress = BackupSettings.ProgressLines(context),
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var ns in result.Namespaces)
            {
                context.Line(string.Create(CultureInfo.InvariantCulture, $"  {ns.Source,-40} → {ns.Target,-40} {ns.Type,-10} {ns.Documents,10} documents{(ns.FailedDocuments > 0 ? $", {ns.FailedDocuments} refused" : string.Empty)}{(ns.Indexes > 0 ? $", {ns.Indexes} indexes" : string.Empty)}"));
            }

            context.Line(string.Create(CultureInfo.InvariantCulture, $"{(result.DryRun ? "dry run of" : "restored")} backup {result.BackupId}: {result.Namespaces.Count} namespaces, {result.Documents} documents, {result.OplogEntriesApplied} oplog entries{(result.FailedDocuments > 0 ? $", {result.FailedDocuments} documents refused" : string.Empty)}"));
            context.Result(new JsonObject
            {
                ["ok"] = result.FailedDocuments == 0,
                ["backupId"] = result.BackupId,
                ["dryRun"] = result.DryRun,
                ["documents"] = result.Documents,
                ["failedDocuments"] = result.FailedDocuments,
                ["oplogEntriesApplied"] = result.OplogEntriesApplied,
                ["namespaces"] = new JsonArray([.. result.Namespaces.Select(n => (JsonNode)new JsonObject
                {
                    ["source"] = n.Source,
                    ["target"] = n.Target,
                    ["type"] = n.Type,
                    ["documents"] = n.Documents,
                    ["failedDocuments"] = n.FailedDocuments,
                    ["indexes"] = n.Indexes,
                })]),
            });
            return result.FailedDocuments == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (MongoBackupException ex)
        {
            return BackupSettings.Failed(context, ex);
        }
    }
}

/// <summary>The arguments of <c>ottkit mongo restore</c> beyond the shared settings.</summary>
internal sealed record MongoRestoreArguments(
    string BackupId,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<NamespaceRename> Renames,
    bool Drop,
    bool DryRun,
    bool ReplayOplog,
    bool VerifyFirst,
    int Parallel);
