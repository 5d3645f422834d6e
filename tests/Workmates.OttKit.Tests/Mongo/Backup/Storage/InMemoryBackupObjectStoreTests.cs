using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Simulators.Storage;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

/// <summary>The fault-injecting store other backup tests rely on behaves like the S3 store.</summary>
public sealed class InMemoryBackupObjectStoreTests
{
    private readonly InMemoryBackupObjectStore _store = new() { PartSizeBytes = 1000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Completed_upload_is_visible_with_its_sha256_and_part_count()
    {
        var data = BackupTestData.Archive(1500);

        await using var upload = await _store.StartUploadAsync("a", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(data, Ct);
        var result = await upload.CompleteAsync(Ct);

        Assert.Equal(3, result.PartCount);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha256);
        Assert.Equal(data, await _store.GetObjectAsync("a", Ct));
        Assert.Equal(0, _store.UploadsInProgress);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Nothing_is_visible_before_completion()
    {
        await using var upload = await _store.StartUploadAsync("a", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(new byte[1500], Ct);

        Assert.Null(await _store.GetObjectAsync("a", Ct));
        Assert.Equal(1, _store.UploadsInProgress);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_part_failing_twice_is_retried_and_the_object_is_intact()
    {
        _store.FailPart(2, times: 2);
        var data = BackupTestData.Archive(1600)[..2500];

        await using var upload = await _store.StartUploadAsync("a", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(data, Ct);
        await upload.CompleteAsync(Ct);

        Assert.Equal(3, _store.PartAttempts("a", 2));
        Assert.Equal(data, await _store.GetObjectAsync("a", Ct));
        Assert.Empty(_store.Aborts);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_permanently_failing_part_faults_the_upload_which_is_aborted()
    {
        _store.FailPartPermanently(1, keySuffix: ".archive.gz");

        await using var upload = await _store.StartUploadAsync("p/x.archive.gz", new BackupUploadOptions(), Ct);
        var error = await Assert.ThrowsAsync<BackupStorageException>(async () => await upload.Content.WriteAsync(new byte[1200], Ct));
        await Assert.ThrowsAsync<BackupStorageException>(() => upload.CompleteAsync(Ct));

        Assert.Equal(1, error.PartNumber);
        Assert.Equal(["p/x.archive.gz"], _store.Aborts);
        Assert.Empty(_store.Keys);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Disposing_an_unfinished_upload_records_an_abort()
    {
        var upload = await _store.StartUploadAsync("a", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(new byte[10], Ct);

        await upload.DisposeAsync();

        Assert.Equal(["a"], _store.Aborts);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Corrupt_changes_one_byte_and_keeps_the_size()
    {
        await _store.PutObjectAsync("a", new byte[100], "application/octet-stream", Ct);

        _store.Corrupt("a");

        var bytes = await _store.GetObjectAsync("a", Ct);
        Assert.Equal(100, bytes!.Length);
        Assert.Equal(1, bytes.Count(b => b != 0));
    }
}
