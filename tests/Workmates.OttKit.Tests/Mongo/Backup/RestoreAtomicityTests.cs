using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Simulators.Storage;
using Workmates.OttKit.Tests.Infrastructure;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>
/// The fault scenarios of issue 16: a corrupted backup, a lost member mid-restore and <c>--drop</c> leave the target
/// unchanged (or the failure reports precisely what changed); an altered prelude fails verify before anything is
/// created.
/// </summary>
public sealed class RestoreAtomicityTests
{
    private const string Prefix = "tests/mongo";

    /// <summary>The source: 300 small documents in ott.videos (collation fr, one index) and 40 in billing.invoices.</summary>
    private static void SeedSource(ReplicaSetSimulator source)
    {
        source.Data.Create("ott", "videos", new BsonDocument("collation", new BsonDocument { { "locale", "fr" }, { "strength", 2 } }));
        for (var i = 0; i < 300; i++)
        {
            source.Data.Insert("ott", "videos", new BsonDocument { { "_id", i }, { "title", $"title-{i:D4}" } });
        }

        source.Data.CreateIndex("ott", "videos", new BsonDocument { { "key", new BsonDocument("title", 1) }, { "name", "title_1" } });
        for (var i = 0; i < 40; i++)
        {
            source.Data.Insert("billing", "invoices", new BsonDocument { { "_id", $"inv-{i}" }, { "amount", i } });
        }
    }

    /// <summary>The target's existing data, which a failed restore must not touch.</summary>
    private static void SeedTarget(ReplicaSetSimulator target)
    {
        for (var i = 0; i < 50; i++)
        {
            target.Data.Insert("ott", "videos", new BsonDocument { { "_id", $"old-{i}" }, { "title", "kept" } });
        }

        target.Data.Insert("billing", "invoices", new BsonDocument { { "_id", "old-invoice" }, { "amount", 1 } });
    }

    private static async Task<(InMemoryBackupObjectStore Store, BackupManifest Manifest)> BackUpAsync(ReplicaSetSimulator source)
    {
        var store = new InMemoryBackupObjectStore();
        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        return (store, backup.Manifest);
    }

    /// <summary>
    /// Rewrites the archive's uncompressed bytes with <paramref name="edit"/>, and the manifest's SHA-256 and size to
    /// match, as if the bytes had been damaged before they were hashed (memory, a bug in a writer): only the archive's
    /// own checksums and the manifest's prelude checksum can catch it.
    /// </summary>
    private static async Task<BackupManifest> TamperBeforeHashingAsync(InMemoryBackupObjectStore store, BackupManifest manifest, Action<byte[]> edit)
    {
        byte[] raw;
        using (var input = new GZipStream(new MemoryStream(store.Peek(manifest.ArchiveKey)!), CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            input.CopyTo(buffer);
            raw = buffer.ToArray();
        }

        edit(raw);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        var stored = output.ToArray();
        store.Seed(manifest.ArchiveKey, stored, DateTimeOffset.UtcNow);
        var tampered = manifest with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(stored)), CompressedBytes = stored.Length };
        await new BackupCatalog(store, Prefix).WriteManifestAsync(tampered, Token);
        return tampered;
    }

    private static void Replace(byte[] bytes, string find, string replacement, bool last = false)
    {
        var pattern = Encoding.UTF8.GetBytes(find);
        var at = last ? bytes.AsSpan().LastIndexOf(pattern) : bytes.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0, $"'{find}' is not in the archive");
        Encoding.UTF8.GetBytes(replacement).CopyTo(bytes, at);
    }

    private static void AssertNoStagingCollections(ReplicaSetSimulator target) =>
        Assert.DoesNotContain(target.Data.Collections, c => c.Name.StartsWith(RestoreRunner.StagingPrefix, StringComparison.Ordinal));

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_DocumentCorruptedLateWithoutVerifyFirstAndDrop_LeavesTheTargetUnchanged()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, manifest) = await BackUpAsync(source);
        await TamperBeforeHashingAsync(store, manifest, raw => Replace(raw, "title-0290", "title-029X"));
        var before = Describe(target);

        var error = await Assert.ThrowsAsync<MongoBackupException>(() =>
            new RestoreRunner(store).RunAsync(RestoreOptions(target) with { VerifyFirst = false, Drop = true }, Token));

        Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
        Assert.Equal("ott.videos", error.Namespace);
        Assert.Contains(target.ReceivedCommands, c => c.Name == "insert");
        Assert.NotNull(error.RestoreReport);
        Assert.True(error.RestoreReport.TargetUnchanged, error.Message);
        Assert.Contains("The target is unchanged", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "drop" && c.Body["drop"].AsString == "videos");
        Assert.Equal(before, Describe(target));
        AssertNoStagingCollections(target);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_CorruptedBackupByDefault_IsRefusedBeforeTheFirstWrite()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, manifest) = await BackUpAsync(source);
        await TamperBeforeHashingAsync(store, manifest, raw => Replace(raw, "title-0290", "title-029X"));
        var before = Describe(target);

        var error = await Assert.ThrowsAsync<MongoBackupException>(() =>
            new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true }, Token));

        Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "insert" or "create" or "drop" or "renameCollection");
        Assert.Equal(before, Describe(target));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Verify_AlteredPrelude_FailsNamingThePrelude()
    {
        await using var source = StartSet();
        SeedSource(source);
        var (store, manifest) = await BackUpAsync(source);
        var tampered = await TamperBeforeHashingAsync(store, manifest, raw => Replace(raw, "\"fr\"", "\"de\""));

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => BackupVerifier.VerifyAsync(store, Prefix, "latest", cancellationToken: Token));
        var archiveError = await Assert.ThrowsAsync<MongoArchiveFormatException>(() =>
            MongoArchiveVerifier.VerifyAsync(new MemoryStream(store.Peek(tampered.ArchiveKey)!), tampered.PreludeSha256, Token));

        Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
        Assert.Contains("prelude", error.Message, StringComparison.Ordinal);
        Assert.Contains("prelude", archiveError.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_AlteredPreludeWithoutVerifyFirst_CreatesNothing()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        var (store, manifest) = await BackUpAsync(source);
        await TamperBeforeHashingAsync(store, manifest, raw => Replace(raw, "\"fr\"", "\"de\""));

        var error = await Assert.ThrowsAsync<MongoBackupException>(() =>
            new RestoreRunner(store).RunAsync(RestoreOptions(target) with { VerifyFirst = false }, Token));

        Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
        Assert.Contains("prelude", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "insert" or "create" or "drop");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Verify_ArchiveWithUnchangedPrelude_MatchesTheManifestsPreludeChecksum()
    {
        await using var source = StartSet();
        SeedSource(source);
        var (store, manifest) = await BackUpAsync(source);

        var verification = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(store.Peek(manifest.ArchiveKey)!), manifest.PreludeSha256, Token);

        Assert.NotNull(manifest.PreludeSha256);
        Assert.Equal(manifest.PreludeSha256, verification.PreludeSha256);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(-10, "truncated: 10 bytes missing")]
    [InlineData(7, "extended: 7 bytes more than written")]
    public async Task VerifyAndRestore_ArchiveOfTheWrongSize_AreReportedCorruptedNotMissing(int change, string expected)
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        var (store, manifest) = await BackUpAsync(source);
        var bytes = store.Peek(manifest.ArchiveKey)!;
        store.Seed(manifest.ArchiveKey, change < 0 ? bytes[..^-change] : [.. bytes, .. new byte[change]], DateTimeOffset.UtcNow);

        var verify = await Assert.ThrowsAsync<MongoBackupException>(() => BackupVerifier.VerifyAsync(store, Prefix, manifest.BackupId, cancellationToken: Token));
        var restore = await Assert.ThrowsAsync<MongoBackupException>(() => new RestoreRunner(store).RunAsync(RestoreOptions(target, manifest.BackupId), Token));

        foreach (var error in new[] { verify, restore })
        {
            Assert.Equal(MongoBackupFailureReason.Corrupted, error.Reason);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_PrimaryLostMidRestoreWithDropAndNoRetries_LeavesTheTargetUnchangedOrSaysWhatChanged()
    {
        // With retryable writes off, the lost insert is not retried: the restore must fail all-or-nothing.
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, _) = await BackUpAsync(source);
        var before = Describe(target);
        var inserts = 0;
        target.CommandReceived = (member, command) =>
        {
            if (command.Name == "insert" && Interlocked.Increment(ref inserts) == 10)
            {
                // The primary goes away mid-restore and another member takes over.
                member.Kill();
                target.ElectPrimary(1);
            }
        };

        var error = await Assert.ThrowsAsync<MongoBackupException>(() =>
            new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true, ConnectionString = MongoConnectionString.Parse(Uri(target) + "&retryWrites=false") }, Token));

        Assert.Equal(MongoBackupFailureReason.TargetFailed, error.Reason);
        var report = error.RestoreReport;
        Assert.NotNull(report);
        Assert.Empty(report.Committed);
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name is "renameCollection");

        // The old data is intact whatever happened to the staging collections; any left over is named in the report.
        var after = Describe(target);
        foreach (var (ns, content) in before)
        {
            Assert.Equal(content, after[ns]);
        }

        var leftOver = target.Data.Collections.Where(c => c.Name.StartsWith(RestoreRunner.StagingPrefix, StringComparison.Ordinal)).Select(c => $"{c.Database}.{c.Name}").Order(StringComparer.Ordinal);
        Assert.Equal(leftOver, report.StagingLeft.Order(StringComparer.Ordinal));
        Assert.Equal(report.StagingLeft.Count == 0, report.TargetUnchanged);
    }

[Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_PrimaryLostMidRestoreWithDrop_IsRetriedOnTheNewPrimaryByTheDriverAndCompletes()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, _) = await BackUpAsync(source);
        var inserts = 0;
        var lost = string.Empty;
        target.CommandReceived = (member, command) =>
        {
            if (command.Name == "insert" && Interlocked.Increment(ref inserts) == 10)
            {
                // The primary goes away before answering; the driver retries the write once on the new primary.
                lost = member.Name;
                member.Kill();
                target.ElectPrimary(1);
            }
        };

        var result = await new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true }, Token);

        Assert.Contains(target.ReceivedCommands, c => c.Name == "insert" && c.Member == lost);
        Assert.Contains(target.ReceivedCommands, c => c.Name == "insert" && c.Member == target.Members[1].Name);
        Assert.Equal(300, target.Data.Find("ott", "videos")!.Documents.Count);
        Assert.Equal(40, target.Data.Find("billing", "invoices")!.Documents.Count);
        Assert.DoesNotContain(target.Data.Find("ott", "videos")!.Documents, d => d["_id"].Type == BsonType.String);
        AssertNoStagingCollections(target);
        Assert.NotNull(result);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_Cancelled_RemovesStagingAndSaysTheTargetIsUnchanged()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, _) = await BackUpAsync(source);
        var before = Describe(target);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var inserts = 0;
        target.CommandReceived = (_, command) =>
        {
            if (command.Name == "insert" && Interlocked.Increment(ref inserts) == 5)
            {
                cancellation.Cancel();
            }
        };

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true }, cancellation.Token));

        Assert.Contains("The target is unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Describe(target));
        AssertNoStagingCollections(target);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Restore_WithDrop_ReplacesTheOldDataInOneRenamePerCollection()
    {
        await using var source = StartSet();
        await using var target = StartSet();
        SeedSource(source);
        SeedTarget(target);
        var (store, _) = await BackUpAsync(source);

        var result = await new RestoreRunner(store).RunAsync(RestoreOptions(target) with { Drop = true }, Token);

        Assert.Equal(340, result.Documents);
        Assert.Equal(300, target.Data.Snapshot("ott", "videos").Count);
        Assert.DoesNotContain(target.Data.Snapshot("ott", "videos"), d => d["_id"].Type == BsonType.String);
        Assert.Equal(2, target.ReceivedCommands.Count(c => c.Name == "renameCollection"));
        Assert.DoesNotContain(target.ReceivedCommands, c => c.Name == "drop");
        Assert.Contains(target.Data.Find("ott", "videos")!.Indexes, i => i["name"].AsString == "title_1");
        AssertNoStagingCollections(target);
    }
}
