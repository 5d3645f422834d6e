using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Simulators.Storage;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class BackupRoundTripTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task BackupThenRestore_IntoAnEmptySet_GivesIdenticalDocumentsIndexesOptionsAndViews()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        var store = new InMemoryBackupObjectStore();

        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        var restored = await new RestoreRunner(store).RunAsync(RestoreOptions(target), Token);

        AssertSameData(source, target);
        Assert.Equal(backup.Manifest.BackupId, restored.BackupId);
        Assert.Equal(40 + 25 + 12 + 9, restored.Documents);
        Assert.Equal(0, restored.FailedDocuments);
        Assert.Contains(restored.Namespaces, n => n is { Target: "ott.playable", Type: "view" });
        Assert.Equal(4, restored.Namespaces.Single(n => n.Target == "ott.videos").Indexes);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task BackupThenRestore_WithOneOrSeveralCompressionWorkers_GivesIdenticalDocuments(int workers)
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        var store = new InMemoryBackupObjectStore();

        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source) with { CompressionWorkers = workers }, Token);
        var verified = await BackupVerifier.VerifyAsync(store, "tests/mongo", backup.Manifest.BackupId, cancellationToken: Token);
        var restored = await new RestoreRunner(store).RunAsync(RestoreOptions(target), Token);

        AssertSameData(source, target);
        Assert.Equal(backup.Manifest.Sha256, verified.Sha256);
        Assert.Equal(40 + 25 + 12 + 9, restored.Documents);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_CompressionWorkersOutOfRange_IsRefusedBeforeAnythingIsRead()
    {
        await using var source = StartSet();

        var store = new InMemoryBackupObjectStore();
        var error = await Assert.ThrowsAsync<OttKitValidationException>(() =>
            new BackupRunner(store).RunAsync(BackupOptions(source) with { CompressionWorkers = 0 }, Token));

        Assert.Equal("BackupOptions.CompressionWorkers", Assert.Single(error.Problems).Path);
        Assert.Contains("BackupOptions.CompressionWorkers is 0, outside 1..64", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync(string.Empty, Token).ToListAsync(Token));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_UndefinedCompressionLevel_IsRefusedNamingTheOptionAndTheLevelsToUse()
    {
        await using var source = StartSet();

        var error = await Assert.ThrowsAsync<OttKitValidationException>(() =>
            new BackupRunner(new InMemoryBackupObjectStore()).RunAsync(BackupOptions(source) with { CompressionLevel = (System.IO.Compression.CompressionLevel)42 }, Token));

        Assert.Contains("BackupOptions.CompressionLevel is 42, not a CompressionLevel; use Fastest", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_ReadsFromASecondaryAndWritesTheManifestLast()
    {
        await using var source = StartSet();
        Seed(source);
        var store = new InMemoryBackupObjectStore();

        var result = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);

        var manifest = result.Manifest;
        Assert.Contains(manifest.SourceMember, source.Members.Skip(1).Select(m => m.Name));
        Assert.DoesNotContain(source.ReceivedCommands, c => c.Member == source.Members[0].Name && c.Name is "find" or "getMore" && c.Database != "admin");
        Assert.Equal("8.0.4", manifest.ServerVersion);
        Assert.Equal("rs0", manifest.ReplicaSetName);
        Assert.Equal(40, manifest.Namespaces.Single(n => n is { Database: "ott", Collection: "videos" }).Documents);
        Assert.Contains(manifest.Namespaces, n => n is { Database: "local", Collection: "oplog.rs" });
        Assert.DoesNotContain(manifest.Namespaces, n => n.Database == "config");
        Assert.True(manifest.CompressedBytes > 0 && manifest.RawBytes > manifest.CompressedBytes);
        Assert.Equal(64, manifest.Sha256.Length);
        Assert.Equal($"tests/mongo/{manifest.BackupId}.manifest.json", result.ManifestKey);
        Assert.NotNull(await store.GetObjectAsync(result.ManifestKey, Token));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_ProgressEvents_CountEveryNamespaceAndDocument()
    {
        await using var source = StartSet();
        Seed(source);
        var log = new ProgressLog();

        await new BackupRunner(new InMemoryBackupObjectStore()).RunAsync(BackupOptions(source, log), Token);

        var last = log.Events[^1];
        Assert.Equal(BackupStage.Completed, last.Stage);
        Assert.Equal(last.NamespacesTotal, last.NamespacesDone);
        Assert.True(last.Documents >= 40 + 25 + 12 + 9);
        Assert.Contains(log.Events, e => e.Stage == BackupStage.Collections && e.Namespace == "ott.videos");
        Assert.Contains(log.Events, e => e.Stage == BackupStage.Oplog);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task BackupWithWritesDuringTheDump_RestoreReplaysTheOplog_ToTheStateAtTheEnd()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        var writes = 0;
        source.CommandReceived = (_, command) =>
        {
            // Writes land while collections are read, never after the oplog end is recorded (reads of local).
            if (command.Name is "find" or "getMore" && command.Database is "ott" or "billing")
            {
                var n = Interlocked.Increment(ref writes);
                source.Data.Insert("ott", "events", new BsonDocument { { "_id", 1000 + n }, { "kind", "during" } });
                source.Data.Replace("ott", "videos", n % 40, EveryType(n % 40).Set("string", $"changed {n}"));
                source.Data.Delete("billing", "invoices", $"inv-{n % 9}");
            }
        };
        var store = new InMemoryBackupObjectStore();

        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        source.CommandReceived = null;
        var restored = await new RestoreRunner(store).RunAsync(RestoreOptions(target), Token);

        Assert.True(writes > 3, $"only {writes} writes happened during the dump");
        Assert.True(restored.OplogEntriesApplied >= writes * 2);
        Assert.True(backup.Manifest.OplogEnd.Seconds > backup.Manifest.OplogStart.Seconds
            || backup.Manifest.OplogEnd.Increment > backup.Manifest.OplogStart.Increment);
        AssertSameData(source, target);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_DryRun_ListsNamespacesAndCountsAndWritesNothing()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        var store = new InMemoryBackupObjectStore();
        await new BackupRunner(store).RunAsync(BackupOptions(source), Token);

        var result = await new RestoreRunner(store).RunAsync(RestoreOptions(target) with { DryRun = true }, Token);

        Assert.True(result.DryRun);
        Assert.Equal(40, result.Namespaces.Single(n => n.Source == "ott.videos").Documents);
        Assert.Empty(Describe(target));
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "insert" or "create" or "createIndexes" or "applyOps");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_IncludeAndRename_RestoresOnlyThatDatabaseUnderTheNewName()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        var store = new InMemoryBackupObjectStore();
        await new BackupRunner(store).RunAsync(BackupOptions(source), Token);

        await new RestoreRunner(store).RunAsync(
            RestoreOptions(target) with { IncludeNamespaces = ["billing.*"], Renames = [new NamespaceRename("billing.*", "billing_copy.*")] },
            Token);

        var restored = Describe(target);
        Assert.Equal(["billing_copy.empty", "billing_copy.invoices"], restored.Keys);
        Assert.Equal(9, target.Data.Snapshot("billing_copy", "invoices").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_WithDrop_ReplacesExistingData()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);
        target.Data.Insert("ott", "videos", new BsonDocument { { "_id", "stale" } });
        var store = new InMemoryBackupObjectStore();
        await new BackupRunner(store).RunAsync(BackupOptions(source), Token);

        await new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true }, Token);

        AssertSameData(source, target);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_UnknownBackupId_FailsAsNotFound()
    {
        await using var target = StartSet();

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new RestoreRunner(new InMemoryBackupObjectStore()).RunAsync(RestoreOptions(target, "20990101T000000Z"), Token));

        Assert.Equal(MongoBackupFailureReason.NotFound, error.Reason);
        Assert.Contains("20990101T000000Z", error.Message, StringComparison.Ordinal);
    }
}
