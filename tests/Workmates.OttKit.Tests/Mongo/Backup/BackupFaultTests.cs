using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Simulators.Storage;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class BackupFaultTests
{
    private static bool HasManifest(InMemoryBackupObjectStore store) => store.Keys.Any(k => k.EndsWith(".manifest.json", StringComparison.Ordinal));

    /// <summary>About 600 KB of incompressible documents, so the archive spans several small parts.</summary>
    private static void SeedLarge(ReplicaSetSimulator simulator)
    {
        for (var i = 0; i < 150; i++)
        {
            simulator.Data.Insert("media", "chunks", new BsonDocument { { "_id", i }, { "data", BsonValue.FromBinary(BsonBinarySubtype.Generic, RandomNumberGenerator.GetBytes(4096)) } });
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_SourceMemberDiesMidDump_FailsCleanlyWithoutManifest()
    {
        await using var source = StartSet();
        Seed(source);
        var getMores = 0;
        source.CommandReceived = (member, command) =>
        {
            if (command.Name == "getMore" && Interlocked.Increment(ref getMores) == 3)
            {
                member.Kill();
            }
        };
        var store = new InMemoryBackupObjectStore();

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source), Token));

        Assert.Equal(MongoBackupFailureReason.SourceFailed, error.Reason);
        Assert.False(HasManifest(store));
        Assert.Single(store.Aborts);
        Assert.Equal(0, store.UploadsInProgress);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_PartFailsTwiceThenSucceeds_IsRetriedAndCompletes()
    {
        await using var source = StartSet();
        SeedLarge(source);
        var store = new InMemoryBackupObjectStore { PartSizeBytes = 64 * 1024 };
        store.FailPart(2, times: 2, keySuffix: ".archive.gz");

        var result = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);

        Assert.Equal(3, store.PartAttempts(result.Manifest.ArchiveKey, 2));
        Assert.True(result.PartCount > 2);
        Assert.True(HasManifest(store));
        Assert.Empty(store.Aborts);
        var verified = await BackupVerifier.VerifyAsync(store, "tests/mongo", result.Manifest.BackupId, cancellationToken: Token);
        Assert.Equal(result.Manifest.Sha256, verified.Sha256);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_PartFailsForGood_AbortsTheUploadAndWritesNoManifest()
    {
        await using var source = StartSet();
        SeedLarge(source);
        var store = new InMemoryBackupObjectStore { PartSizeBytes = 64 * 1024 };
        store.FailPartPermanently(2);

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source), Token));

        Assert.Equal(MongoBackupFailureReason.UploadFailed, error.Reason);
        Assert.Single(store.Aborts);
        Assert.False(HasManifest(store));
        Assert.DoesNotContain(store.Keys, k => k.EndsWith(".archive.gz", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_OplogRollsOverDuringTheDump_FailsWithOplogOverflow()
    {
        await using var source = StartSet();
        source.Data.OplogSizeBytes = 4096;
        Seed(source);
        source.CommandReceived = (_, command) =>
        {
            if (command.Name is "find" or "getMore" && command.Database == "ott")
            {
                for (var i = 0; i < 5; i++)
                {
                    source.Data.Insert("ott", "events", new BsonDocument { { "kind", "burst" }, { "pad", new string('x', 200) } });
                }
            }
        };
        var store = new InMemoryBackupObjectStore();

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source), Token));

        Assert.Equal(MongoBackupFailureReason.OplogOverflow, error.Reason);
        Assert.StartsWith("oplog overflow", error.Message, StringComparison.Ordinal);
        Assert.False(HasManifest(store));
        Assert.Single(store.Aborts);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_OplogWindowShorterThanExpected_RefusesBeforeReading()
    {
        await using var source = StartSet();
        Seed(source);
        source.Data.OplogSizeBytes = source.Data.OplogUsedBytes;
        await Task.Delay(1100, Token);
        source.Data.Insert("ott", "events", new BsonDocument("kind", "later"));
        var store = new InMemoryBackupObjectStore();

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source) with { ExpectedDuration = TimeSpan.FromHours(1) }, Token));

        Assert.Equal(MongoBackupFailureReason.OplogWindowTooShort, error.Reason);
        Assert.Contains("replSetResizeOplog", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Keys);
        Assert.DoesNotContain(source.ReceivedCommands, c => c.Name == "find" && c.Database == "ott");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_HiddenSecondary_IsTheSource()
    {
        await using var source = StartSet();
        source.Members[2].Hidden = true;
        Seed(source);

        var result = await new BackupRunner(new InMemoryBackupObjectStore()).RunAsync(BackupOptions(source), Token);

        Assert.Equal(source.Members[2].Name, result.Manifest.SourceMember);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Backup_OnlyAPrimary_RefusesUnlessAllowed()
    {
        await using var source = StartSet(members: 1);
        Seed(source);
        var store = new InMemoryBackupObjectStore();

        var refused = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source), Token));
        var allowed = await new BackupRunner(store).RunAsync(BackupOptions(source) with { AllowPrimary = true }, Token);

        Assert.Equal(MongoBackupFailureReason.NoEligibleSource, refused.Reason);
        Assert.Equal(source.Members[0].Name, allowed.Manifest.SourceMember);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task VerifyAndRestore_CorruptedObject_AreRefusedNamingTheNamespace()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedLarge(source);
        var store = new InMemoryBackupObjectStore();
        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        store.Corrupt(backup.Manifest.ArchiveKey);

        var verify = await Assert.ThrowsAsync<MongoBackupException>(() => BackupVerifier.VerifyAsync(store, "tests/mongo", "latest", cancellationToken: Token));
        var restore = await Assert.ThrowsAsync<MongoBackupException>(() => new RestoreRunner(store).RunAsync(RestoreOptions(target), Token));

        foreach (var error in new[] { verify, restore })
        {
            Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
            Assert.Equal("media.chunks", error.Namespace);
            Assert.Contains("media.chunks", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_VerifyFirst_RefusesACorruptedObjectBeforeWritingAnything()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedLarge(source);
        var store = new InMemoryBackupObjectStore();
        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        store.Corrupt(backup.Manifest.ArchiveKey);

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new RestoreRunner(store).RunAsync(RestoreOptions(target) with { VerifyFirst = true }, Token));

        Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "insert" or "create");
    }
}
