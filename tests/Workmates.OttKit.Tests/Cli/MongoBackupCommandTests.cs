using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Cli.Commands;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Simulators.Storage;
using Workmates.OttKit.Tests.Mongo.Backup;

namespace Workmates.OttKit.Tests.Cli;

/// <summary><c>ottkit mongo backup|restore|backups</c> in-process against the simulator and the in-memory store.</summary>
public sealed class MongoBackupCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static (CliContext Context, StringWriter Output, StringWriter Error) Json()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (new CliContext(output, error, OutputFormat.Json, verbose: false), output, error);
    }

    private static BackupSettings Settings(string? uri) => new("acme-backups", "tests/mongo", null, uri, 15);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_then_list_verify_and_dry_run_restore_all_exit_zero_with_json_documents()
    {
        await using var source = BackupFixture.StartSet();
        BackupFixture.Seed(source);
        var store = new InMemoryBackupObjectStore();
        var settings = Settings(BackupFixture.Uri(source));
        var arguments = new MongoBackupArguments(false, 20, 0, 2, [], []);

        var backup = Json();
        var backupExit = await MongoBackupCommand.RunAsync(backup.Context, settings, arguments, _ => store, TimeProvider.System, Token);
        var list = Json();
        var listExit = await MongoBackupsCommand.ListAsync(list.Context, settings, _ => store, TimeProvider.System, Token);
        var verify = Json();
        var verifyExit = await MongoBackupsCommand.VerifyAsync(verify.Context, settings, "latest", _ => store, Token);
        var restore = Json();
        var restoreExit = await MongoRestoreCommand.RunAsync(restore.Context, settings with { Uri = null }, new MongoRestoreArguments("latest", [], [], [], false, true, true, false, 4), _ => store, Token);

        Assert.True(backupExit == ExitCodes.Success, backup.Output.ToString() + backup.Error);
        var backupId = JsonNode.Parse(backup.Output.ToString())!["backupId"]!.GetValue<string>();
        Assert.Equal(ExitCodes.Success, listExit);
        Assert.Equal(backupId, JsonNode.Parse(list.Output.ToString())!["latest"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Success, verifyExit);
        Assert.True(JsonNode.Parse(verify.Output.ToString())!["ok"]!.GetValue<bool>());
        Assert.True(restoreExit == ExitCodes.Success, restore.Output.ToString() + restore.Error);
        Assert.True(JsonNode.Parse(restore.Output.ToString())!["dryRun"]!.GetValue<bool>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_with_one_or_three_compression_workers_restores_the_same_documents()
    {
        await using var source = BackupFixture.StartSet();
        BackupFixture.Seed(source);
        var settings = Settings(BackupFixture.Uri(source));
        var documents = new List<int>();

        foreach (var workers in new[] { 1, 3 })
        {
            var store = new InMemoryBackupObjectStore();
            var output = new StringWriter();
            var error = new StringWriter();
            var text = new CliContext(output, error, OutputFormat.Text, verbose: false);
            var exit = await MongoBackupCommand.RunAsync(text, settings, new MongoBackupArguments(false, 20, 0, 2, [], [], workers), _ => store, TimeProvider.System, Token);
            Assert.True(exit == ExitCodes.Success, output.ToString() + error);
            Assert.Contains($"on {workers} compression thread(s)", output.ToString() + error, StringComparison.Ordinal);
            var verify = Json();
            Assert.Equal(ExitCodes.Success, await MongoBackupsCommand.VerifyAsync(verify.Context, settings, "latest", _ => store, Token));
            var restore = Json();
            Assert.Equal(ExitCodes.Success, await MongoRestoreCommand.RunAsync(restore.Context, settings with { Uri = null }, new MongoRestoreArguments("latest", [], [], [], false, true, true, false, 4), _ => store, Token));
            documents.Add(JsonNode.Parse(restore.Output.ToString())!["documents"]!.GetValue<int>());
        }

        Assert.Equal(documents[0], documents[1]);
        Assert.True(documents[0] > 0);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("0")]
    [InlineData("65")]
    public async Task Backup_with_compression_workers_out_of_range_is_a_usage_error_naming_the_flag(string workers)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await OttKitCommandLine.InvokeAsync(
            ["mongo", "backup", "--uri", "mongodb://127.0.0.1:1/?replicaSet=rs0", "--bucket", "acme-backups", "--region", "ap-south-1", "--compression-workers", workers],
            output,
            error,
            Token);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains($"--compression-workers {workers} is out of range: use 1 to 64", error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Verify_corrupted_backup_exits_one_with_the_corrupted_code()
    {
        await using var source = BackupFixture.StartSet();
        BackupFixture.Seed(source);
        var store = new InMemoryBackupObjectStore();
        var result = await new BackupRunner(store).RunAsync(BackupFixture.BackupOptions(source), Token);
        store.Corrupt(result.Manifest.ArchiveKey);
        var verify = Json();

        var exit = await MongoBackupsCommand.VerifyAsync(verify.Context, Settings(null), result.Manifest.BackupId, _ => store, Token);

        Assert.Equal(ExitCodes.Failure, exit);
        var document = JsonNode.Parse(verify.Output.ToString())!;
        Assert.Equal("corrupted", document["error"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_without_a_bucket_is_a_usage_error_naming_the_variable()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await OttKitCommandLine.InvokeAsync(["mongo", "backup", "--uri", "mongodb://127.0.0.1:1/?replicaSet=rs0"], output, error, Token);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Contains(BackupSettings.BucketVariable, error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_dry_run_keeps_the_newest_backup_and_says_why()
    {
        await using var source = BackupFixture.StartSet();
        BackupFixture.Seed(source);
        var store = new InMemoryBackupObjectStore();
        var clock = new FakeTimeProvider();
        await new BackupRunner(store, clock).RunAsync(BackupFixture.BackupOptions(source), Token);
        clock.Advance(TimeSpan.FromDays(30));
        var prune = Json();

        var exit = await MongoBackupsCommand.PruneAsync(prune.Context, Settings(null), 1, 1, true, _ => store, clock, Token);

        Assert.Equal(ExitCodes.Success, exit);
        var decision = JsonNode.Parse(prune.Output.ToString())!["decisions"]!.AsArray().Single()!;
        Assert.Equal("keep", decision["action"]!.GetValue<string>());
        Assert.Single(store.Keys, k => k.EndsWith(".manifest.json", StringComparison.Ordinal));
    }
}
