using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Simulators.Storage;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupTestData;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class BackupCatalogTests
{
    private static readonly TimeSpan FifteenDays = TimeSpan.FromDays(15);
    private readonly InMemoryBackupObjectStore _store = new();
    private readonly BackupCatalog _catalog;

    public BackupCatalogTests() => _catalog = new BackupCatalog(_store, "mongo/rs0");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task List_returns_complete_backups_newest_first()
    {
        await AddBackupAsync("20261101T030000Z", Now.AddDays(-21));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        await AddBackupAsync("20261115T030000Z", Now.AddDays(-7));

        var listing = await _catalog.ListAsync(Ct);

        Assert.Equal(["20261121T030000Z", "20261115T030000Z", "20261101T030000Z"], listing.Complete.Select(e => e.BackupId));
        Assert.Equal("20261121T030000Z", listing.Latest?.BackupId);
        Assert.Empty(listing.Incomplete);
        Assert.Empty(listing.Problems);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task An_archive_without_manifest_is_listed_as_incomplete_not_complete()
    {
        await AddBackupAsync("20261120T030000Z", Now.AddDays(-2));
        _store.Seed(_catalog.ArchiveKey("20261121T030000Z"), BackupTestData.Archive(9), Now.AddDays(-1));

        var listing = await _catalog.ListAsync(Ct);

        Assert.Equal("20261120T030000Z", Assert.Single(listing.Complete).BackupId);
        Assert.Equal("20261121T030000Z", Assert.Single(listing.Incomplete).BackupId);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_manifest_with_bad_json_is_reported_as_a_problem_without_failing_the_listing()
    {
        await AddBackupAsync("20261120T030000Z", Now.AddDays(-2));
        _store.Seed(_catalog.ManifestKey("20261121T030000Z"), "{\"backupId\": \"20261121T03"u8.ToArray(), Now.AddDays(-1));
        _store.Seed(_catalog.ArchiveKey("20261121T030000Z"), BackupTestData.Archive(9), Now.AddDays(-1));

        var listing = await _catalog.ListAsync(Ct);

        var problem = Assert.Single(listing.Problems);
        Assert.Equal(_catalog.ManifestKey("20261121T030000Z"), problem.Key);
        Assert.Contains("not a valid manifest", problem.Problem, StringComparison.Ordinal);
        Assert.Equal("20261120T030000Z", Assert.Single(listing.Complete).BackupId);
        Assert.Empty(listing.Incomplete);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_manifest_whose_archive_size_differs_is_not_complete()
    {
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        _store.Seed(_catalog.ArchiveKey("20261121T030000Z"), BackupTestData.Archive(1)[..10], Now.AddDays(-1));

        var listing = await _catalog.ListAsync(Ct);

        Assert.Empty(listing.Complete);
        Assert.Contains("truncated", Assert.Single(listing.Problems).Problem, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Keys_in_nested_folders_and_other_files_are_ignored()
    {
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        _store.Seed("mongo/rs0/old/20261001T030000Z.archive.gz", BackupTestData.Archive(2), Now.AddDays(-50));
        _store.Seed("mongo/rs0/README.txt", "x"u8.ToArray(), Now.AddDays(-50));
        _store.Seed("mongo/rs01/20261001T030000Z.archive.gz", BackupTestData.Archive(3), Now.AddDays(-50));

        var listing = await _catalog.ListAsync(Ct);

        Assert.Single(listing.Complete);
        Assert.Empty(listing.Incomplete);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Find_latest_returns_the_newest_complete_backup_and_an_unknown_id_returns_null()
    {
        await AddBackupAsync("20261120T030000Z", Now.AddDays(-2));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));

        Assert.Equal("20261121T030000Z", (await _catalog.FindAsync("latest", Ct))?.BackupId);
        Assert.Equal("20261120T030000Z", (await _catalog.FindAsync("20261120T030000Z", Ct))?.BackupId);
        Assert.Null(await _catalog.FindAsync("20261119T030000Z", Ct));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_with_only_expired_backups_keeps_the_newest()
    {
        await AddBackupAsync("20261001T030000Z", Now.AddDays(-52));
        await AddBackupAsync("20261002T030000Z", Now.AddDays(-51));
        await AddBackupAsync("20261003T030000Z", Now.AddDays(-50));

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        var kept = Assert.Single(report.Kept);
        Assert.Equal("20261003T030000Z", kept.BackupId);
        Assert.Equal("newest complete backup", kept.Reason);
        Assert.Equal(["20261003T030000Z"], (await _catalog.ListAsync(Ct)).Complete.Select(e => e.BackupId));
        Assert.Equal(2, report.ToDelete.Count(d => d.Deleted));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_never_keeps_fewer_than_the_minimum()
    {
        for (var day = 1; day <= 6; day++)
        {
            await AddBackupAsync($"202610{day:D2}T030000Z", Now.AddDays(-60 + day));
        }

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 4, Now, dryRun: false, Ct);

        Assert.Equal(["20261006T030000Z", "20261005T030000Z", "20261004T030000Z", "20261003T030000Z"], report.Kept.Select(d => d.BackupId));
        Assert.Equal(4, (await _catalog.ListAsync(Ct)).Complete.Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_keeps_backups_within_retention_and_deletes_older_ones()
    {
        await AddBackupAsync("20261101T030000Z", Now.AddDays(-21));
        await AddBackupAsync("20261110T030000Z", Now.AddDays(-12));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        Assert.Equal(["20261121T030000Z", "20261110T030000Z"], report.Kept.Select(d => d.BackupId));
        var deleted = Assert.Single(report.ToDelete);
        Assert.Equal("20261101T030000Z", deleted.BackupId);
        Assert.Equal("older than the 15-day retention (21 days old)", deleted.Reason);
        Assert.Null(_store.Peek(_catalog.ArchiveKey("20261101T030000Z")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_dry_run_reports_the_same_decisions_and_deletes_nothing()
    {
        await AddBackupAsync("20261101T030000Z", Now.AddDays(-21));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        _store.Seed(_catalog.ArchiveKey("20261001T030000Z"), BackupTestData.Archive(5), Now.AddDays(-50));
        var keysBefore = _store.Keys;

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: true, Ct);

        Assert.True(report.DryRun);
        Assert.Equal(["20261101T030000Z", "20261001T030000Z"], report.ToDelete.Select(d => d.BackupId));
        Assert.All(report.ToDelete, d => Assert.False(d.Deleted));
        Assert.Equal(keysBefore, _store.Keys);
        Assert.DoesNotContain(_store.Operations, o => o.StartsWith("delete", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_deletes_each_manifest_before_its_archive()
    {
        await AddBackupAsync("20261001T030000Z", Now.AddDays(-52));
        await AddBackupAsync("20261002T030000Z", Now.AddDays(-51));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));

        await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        var deletes = _store.Operations.Where(o => o.StartsWith("delete", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "delete " + _catalog.ManifestKey("20261001T030000Z"),
                "delete " + _catalog.ArchiveKey("20261001T030000Z"),
                "delete " + _catalog.ManifestKey("20261002T030000Z"),
                "delete " + _catalog.ArchiveKey("20261002T030000Z"),
            ],
            deletes);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_removes_old_incomplete_archives_and_keeps_recent_ones()
    {
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        _store.Seed(_catalog.ArchiveKey("20261001T030000Z"), BackupTestData.Archive(5), Now.AddDays(-50));
        _store.Seed(_catalog.ArchiveKey("20261122T020000Z"), BackupTestData.Archive(6), Now.AddHours(-1));

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        var deleted = Assert.Single(report.ToDelete);
        Assert.False(deleted.Complete);
        Assert.Equal("20261001T030000Z", deleted.BackupId);
        Assert.Null(_store.Peek(_catalog.ArchiveKey("20261001T030000Z")));
        Assert.NotNull(_store.Peek(_catalog.ArchiveKey("20261122T020000Z")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_leaves_backups_with_unreadable_manifests_alone_and_reports_them()
    {
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));
        _store.Seed(_catalog.ManifestKey("20261001T030000Z"), "not json"u8.ToArray(), Now.AddDays(-50));
        _store.Seed(_catalog.ArchiveKey("20261001T030000Z"), BackupTestData.Archive(5), Now.AddDays(-50));

        var report = await _catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        Assert.Empty(report.ToDelete);
        Assert.Equal(_catalog.ManifestKey("20261001T030000Z"), Assert.Single(report.Problems).Key);
        Assert.NotNull(_store.Peek(_catalog.ArchiveKey("20261001T030000Z")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_pruned_backup_whose_archive_delete_failed_no_longer_looks_complete()
    {
        _store.FailDelete(_catalog.ArchiveKey("20261001T030000Z"));
        var catalog = _catalog;
        await AddBackupAsync("20261001T030000Z", Now.AddDays(-52));
        await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));

        var report = await catalog.PruneAsync(FifteenDays, minimumKept: 1, Now, dryRun: false, Ct);

        Assert.True(report.HasFailures);
        Assert.Contains("archive.gz", Assert.Single(report.ToDelete).Error, StringComparison.Ordinal);
        var listing = await catalog.ListAsync(Ct);
        Assert.Equal(["20261121T030000Z"], listing.Complete.Select(e => e.BackupId));
        Assert.Equal("20261001T030000Z", Assert.Single(listing.Incomplete).BackupId);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task OpenArchive_reads_an_intact_archive_and_rejects_a_corrupted_one()
    {
        var manifest = await AddBackupAsync("20261121T030000Z", Now.AddDays(-1));

        await _catalog.VerifyChecksumAsync(manifest, Ct);
        _store.Corrupt(manifest.ArchiveKey);
        var error = await Assert.ThrowsAsync<BackupChecksumMismatchException>(() => _catalog.VerifyChecksumAsync(manifest, Ct));

        Assert.Equal(manifest.ArchiveKey, error.Key);
        Assert.Equal(manifest.Sha256, error.ExpectedSha256);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WriteManifest_stores_it_under_the_manifest_key()
    {
        var manifest = Manifest("20261121T030000Z", Now, BackupTestData.Archive(1));

        var key = await _catalog.WriteManifestAsync(manifest, Ct);

        Assert.Equal("mongo/rs0/20261121T030000Z.manifest.json", key);
        Assert.Equal(manifest.Sha256, BackupManifestJson.Deserialize(_store.Peek(key), key).Sha256);
    }

    [Fact]
    public void NewBackupId_is_the_sortable_utc_start_time()
    {
        Assert.Equal("20261122T031500Z", BackupCatalog.NewBackupId(new DateTimeOffset(2026, 11, 22, 4, 15, 0, TimeSpan.FromHours(1))));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Prune_rejects_a_minimum_below_one()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _catalog.PruneAsync(FifteenDays, 0, Now, dryRun: true, Ct));
    }

    private async Task<BackupManifest> AddBackupAsync(string id, DateTimeOffset completedAt)
    {
        var archive = BackupTestData.Archive(id.GetHashCode(StringComparison.Ordinal) & 0xFF);
        var manifest = Manifest(id, completedAt, archive);
        _store.Seed(manifest.ArchiveKey, archive, completedAt.AddSeconds(-1));
        _store.Seed(_catalog.ManifestKey(id), BackupManifestJson.Serialize(manifest), completedAt);
        await Task.CompletedTask;
        return manifest;
    }
}
