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
    public static Command Create() => new("backups", "List, prune and verify the backups in S3.")
    {
        CreateVerify(),
    };

    private static Command CreateVerify()
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
            var resolved = BackupSettings.Resolve(context, parse, settings, needsUri: false, Environment.GetEnvironmentVariable, out var exitCode);
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
