using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

/// <summary>The S3 store against a real s3rver on loopback, with HTTP faults injected in front of it.</summary>
public sealed class S3BackupObjectStoreTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>
{
    private const int MiB = 1024 * 1024;

    // s3rver stores aws-chunked framing inside objects and has no checksum support.
    private static readonly S3BackupObjectStoreOptions s_s3rverOptions = new()
    {
        UseChunkEncoding = false,
        UsePartChecksums = false,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(10),
        MaxAttempts = 4,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Upload_of_50_MiB_in_parts_reads_back_byte_for_byte_with_the_reported_sha256()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        var data = RandomBytes(50 * MiB, seed: 1);

        BackupObjectUploadResult result;
        await using (var upload = await store.StartUploadAsync("backups/b1.archive.gz", new BackupUploadOptions { EstimatedSizeBytes = data.Length }, Ct))
        {
            await WriteInSlicesAsync(upload.Content, data, 64 * 1024);
            result = await upload.CompleteAsync(Ct);
        }

        await using var read = await store.OpenReadAsync("backups/b1.archive.gz", Ct);
        var stored = await SHA256.HashDataAsync(read, Ct);
        Assert.Equal(10, result.PartCount);
        Assert.Equal(data.LongLength, result.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha256);
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(stored));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Upload_shorter_than_one_part_is_stored_as_one_part()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        var data = RandomBytes(1000, seed: 2);

        await using var upload = await store.StartUploadAsync("small.gz", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(data, Ct);
        var result = await upload.CompleteAsync(Ct);

        Assert.Equal(1, result.PartCount);
        Assert.Equal(data, await store.GetObjectAsync("small.gz", Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task PutObject_then_GetObject_returns_the_same_bytes()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        var manifest = "{\"backupId\":\"x\"}"u8.ToArray();

        await store.PutObjectAsync("p/x.manifest.json", manifest, "application/json", Ct);

        Assert.Equal(manifest, await store.GetObjectAsync("p/x.manifest.json", Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task GetObject_of_a_missing_key_returns_null()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;

        Assert.Null(await store.GetObjectAsync("nothing-here", Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task OpenRead_of_a_missing_key_throws_FileNotFound()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("nothing-here", Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Delete_removes_the_object_and_deleting_again_is_not_an_error()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        await store.PutObjectAsync("d/1", "a"u8.ToArray(), "text/plain", Ct);

        await store.DeleteAsync("d/1", Ct);
        await store.DeleteAsync("d/1", Ct);

        Assert.Null(await store.GetObjectAsync("d/1", Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task List_follows_continuation_pages_and_returns_only_the_prefix_in_key_order()
    {
        var faults = new S3FaultInjector();
        var (s3Store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;
        var store = new S3BackupObjectStore(client, s3Store.BucketName, s_s3rverOptions) { ListPageSize = 10 };
        var keys = Enumerable.Range(0, 25).Select(i => $"many/{i:D5}").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (key, ct) =>
            await store.PutObjectAsync(key, "x"u8.ToArray(), "text/plain", ct));
        await store.PutObjectAsync("other/1", "x"u8.ToArray(), "text/plain", Ct);

        var listed = await store.ListAsync("many/", Ct).ToListAsync(Ct);

        Assert.Equal(keys, listed.Select(o => o.Key));
        Assert.Equal(3, faults.Requests.Count(r => r == "GET ListObjectsV2"));
        Assert.All(listed, o => Assert.Equal(1, o.SizeBytes));
        Assert.All(listed, o => Assert.InRange(o.LastModified, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_part_that_fails_twice_with_500_is_retried_and_the_object_is_intact()
    {
        var faults = new S3FaultInjector();
        faults.FailPart(2, times: 2);
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;
        var data = RandomBytes(12 * MiB, seed: 3);

        await using var upload = await store.StartUploadAsync("retry.gz", new BackupUploadOptions { EstimatedSizeBytes = data.Length }, Ct);
        await WriteInSlicesAsync(upload.Content, data, 100_000);
        var result = await upload.CompleteAsync(Ct);

        Assert.Equal(3, faults.UploadPartAttempts(2));
        Assert.Equal(1, faults.UploadPartAttempts(1));
        Assert.Empty(faults.Aborts);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(SHA256.HashData((await store.GetObjectAsync("retry.gz", Ct))!)));
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Throttling_503_SlowDown_is_retried()
    {
        var faults = new S3FaultInjector();
        faults.FailPart(1, times: 1, HttpStatusCode.ServiceUnavailable, "SlowDown");
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;

        await using var upload = await store.StartUploadAsync("slow.gz", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(RandomBytes(100, seed: 4), Ct);
        await upload.CompleteAsync(Ct);

        Assert.Equal(2, faults.UploadPartAttempts(1));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_permanently_failing_part_aborts_the_upload_and_nothing_is_visible()
    {
        var faults = new S3FaultInjector();
        faults.FailEveryPart(HttpStatusCode.InternalServerError, "InternalError");
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;
        var data = RandomBytes(11 * MiB, seed: 5);

        var upload = await store.StartUploadAsync("doomed.gz", new BackupUploadOptions(), Ct);
        var error = await Assert.ThrowsAsync<BackupStorageException>(async () =>
        {
            await WriteInSlicesAsync(upload.Content, data, 1 * MiB);
            await upload.CompleteAsync(Ct);
        });
        var later = await Assert.ThrowsAsync<BackupStorageException>(async () => await upload.Content.WriteAsync(data.AsMemory(0, 10), Ct));
        await upload.DisposeAsync();

        Assert.Equal("UploadPart", error.Operation);
        Assert.Equal(s_s3rverOptions.MaxAttempts, error.Attempts);
        Assert.Equal(error.PartNumber, later.PartNumber);
        Assert.Single(faults.Aborts);
        Assert.Empty(await store.ListAsync("doomed", Ct).ToListAsync(Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AccessDenied_on_a_part_is_not_retried()
    {
        var faults = new S3FaultInjector();
        faults.FailPart(1, times: 1, HttpStatusCode.Forbidden, "AccessDenied");
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;

        await using var upload = await store.StartUploadAsync("denied.gz", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(RandomBytes(100, seed: 6), Ct);
        var error = await Assert.ThrowsAsync<BackupStorageException>(() => upload.CompleteAsync(Ct));

        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, faults.UploadPartAttempts(1));
        Assert.Single(faults.Aborts);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Disposing_without_completing_aborts_the_upload()
    {
        var faults = new S3FaultInjector();
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;

        var upload = await store.StartUploadAsync("abandoned.gz", new BackupUploadOptions(), Ct);
        await WriteInSlicesAsync(upload.Content, RandomBytes(9 * MiB, seed: 7), 1 * MiB);
        await upload.DisposeAsync();

        Assert.Single(faults.Aborts);
        Assert.Empty(await store.ListAsync("abandoned", Ct).ToListAsync(Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Cancelling_the_completion_aborts_the_upload()
    {
        var faults = new S3FaultInjector();
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;
        await using var upload = await store.StartUploadAsync("cancelled.gz", new BackupUploadOptions(), Ct);
        await upload.Content.WriteAsync(RandomBytes(100, seed: 8), Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.CompleteAsync(cancelled.Token));

        Assert.Single(faults.Aborts);
        Assert.Empty(await store.ListAsync("cancelled", Ct).ToListAsync(Ct));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Writer_waits_while_every_part_buffer_is_uploading()
    {
        var faults = new S3FaultInjector();
        var (store, client, _) = await CreateStoreAsync(faults);
        using var _client = client;
        var data = RandomBytes(8 * 8 * MiB, seed: 9);
        var upload = (S3MultipartUpload)await store.StartUploadAsync("bounded.gz", new BackupUploadOptions { MaxParallelParts = 2 }, Ct);
        await using var _upload = upload;
        faults.HoldParts();

        var writing = WriteInSlicesAsync(upload.Content, data, 256 * 1024);
        while (faults.HeldParts < 3)
        {
            await Task.Delay(10, Ct);
        }

        // Three parts of 8 MiB hold every buffer (2 parallel + 1): the fourth part cannot be buffered.
        Assert.False(writing.IsCompleted);
        Assert.Equal(3, upload.PartBuffersInUse);
        faults.ReleaseParts();
        await writing;
        var result = await upload.CompleteAsync(Ct);

        Assert.Equal(3, upload.PartBufferCapacity);
        Assert.Equal(3, upload.PeakPartBuffersInUse);
        Assert.Equal(8, result.PartCount);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha256);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Part_checksums_and_SSE_KMS_are_sent_as_S3_headers()
    {
        var faults = new S3FaultInjector();
        var options = s_s3rverOptions with { UsePartChecksums = true, KmsKeyId = "alias/backup" };
        var (store, client, _) = await CreateStoreAsync(faults, options);
        using var _client = client;
        var data = RandomBytes(6 * MiB, seed: 10);

        // s3rver ignores what it does not implement; the headers on the wire are what S3 would check.
        await using var upload = await store.StartUploadAsync("sealed.gz", new BackupUploadOptions { EstimatedSizeBytes = data.Length }, Ct);
        await upload.Content.WriteAsync(data, Ct);
        await upload.CompleteAsync(Ct);

        var create = faults.AmzHeaders.Single(h => h.Operation == "CreateMultipartUpload").Headers;
        var part = faults.AmzHeaders.Single(h => h.Operation == "UploadPart 1").Headers;
        Assert.Equal("aws:kms", create["x-amz-server-side-encryption"]);
        Assert.Equal("alias/backup", create["x-amz-server-side-encryption-aws-kms-key-id"]);
        Assert.Equal("CRC32C", create["x-amz-checksum-algorithm"]);
        Assert.Equal(S3BackupObjectStore.Crc32CBase64(data.AsSpan(0, 5 * MiB)), part["x-amz-checksum-crc32c"]);

        // One checksum per part, ours: the SDK adds no checksum of its own (no second algorithm, no trailer).
        Assert.DoesNotContain(part.Keys, k => k.StartsWith("x-amz-checksum-", StringComparison.Ordinal) && k != "x-amz-checksum-crc32c");
        Assert.DoesNotContain(part.Keys, k => k == "x-amz-trailer");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Over_https_parts_go_unsigned_and_unchunked_with_one_CRC32C_and_the_SDK_adds_no_checksum()
    {
        s3rver.Require();
        var bucket = await s3rver.CreateBucketAsync(Ct);
        var faults = new S3FaultInjector();
        using var client = s3rver.CreateClient(faults, asHttps: true);

        // The store's defaults, as in production (chunk encoding on, part checksums on, payload signing off).
        var store = new S3BackupObjectStore(client, bucket);
        var data = RandomBytes(6 * MiB, seed: 12);
        BackupObjectUploadResult result;
        await using (var upload = await store.StartUploadAsync("tls.gz", new BackupUploadOptions { EstimatedSizeBytes = data.Length }, Ct))
        {
            await upload.Content.WriteAsync(data, Ct);
            result = await upload.CompleteAsync(Ct);
        }

        foreach (var (_, part) in faults.AmzHeaders.Where(h => h.Operation.StartsWith("UploadPart", StringComparison.Ordinal)))
        {
            Assert.Equal("UNSIGNED-PAYLOAD", part["x-amz-content-sha256"]);
            Assert.Equal(["x-amz-checksum-crc32c"], part.Keys.Where(k => k.StartsWith("x-amz-checksum-", StringComparison.Ordinal)));
            Assert.DoesNotContain(part.Keys, k => k is "x-amz-trailer" or "x-amz-decoded-content-length");
        }

        Assert.Equal(2, faults.AmzHeaders.Count(h => h.Operation.StartsWith("UploadPart", StringComparison.Ordinal)));
        Assert.Equal(data, await store.GetObjectAsync("tls.gz", Ct));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha256);
    }

    [Fact]
    public void Crc32C_is_the_Castagnoli_check_value_in_S3s_big_endian_base64()
    {
        // CRC-32C("123456789") = 0xE3069283 (the catalogue check value); S3 wants the 4 bytes big-endian, base64.
        Assert.Equal(Convert.ToBase64String([0xE3, 0x06, 0x92, 0x83]), S3BackupObjectStore.Crc32CBase64("123456789"u8));
        Assert.Equal("AAAAAA==", S3BackupObjectStore.Crc32CBase64([]));
    }

    [Theory]
    [InlineData("https://s3.example.test", false, false, true)]
    [InlineData("http://127.0.0.1:4568", false, false, false)]
    [InlineData("https://s3.example.test", false, true, false)]
    [InlineData("https://s3.example.test", true, false, false)]
    [InlineData(null, false, false, true)]
    public void Payloads_are_unsigned_only_over_https_unless_signing_is_asked_for(string? serviceUrl, bool useHttp, bool signPayload, bool expectUnsignedPayload)
    {
        var config = new Amazon.S3.AmazonS3Config { UseHttp = useHttp };
        if (serviceUrl is null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.APSouth1;
        }
        else
        {
            config.ServiceURL = serviceUrl;
        }

        Assert.Equal(expectUnsignedPayload, S3BackupObjectStore.SendsUnsignedPayload(config, new S3BackupObjectStoreOptions { SignPayload = signPayload }));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Synchronous_writes_through_a_GZipStream_round_trip()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        var data = RandomBytes(12 * MiB, seed: 11);

        BackupObjectUploadResult result;
        await using (var upload = await store.StartUploadAsync("gz.gz", new BackupUploadOptions { MaxParallelParts = 1 }, Ct))
        {
            using (var gzip = new System.IO.Compression.GZipStream(upload.Content, System.IO.Compression.CompressionLevel.NoCompression, leaveOpen: true))
            {
                gzip.Write(data);
            }

            result = await upload.CompleteAsync(Ct);
        }

        await using var read = await store.OpenReadAsync("gz.gz", Ct);
        await using var gunzip = new System.IO.Compression.GZipStream(read, System.IO.Compression.CompressionMode.Decompress);
        var back = new MemoryStream();
        await gunzip.CopyToAsync(back, Ct);
        Assert.True(result.PartCount >= 2);
        Assert.Equal(data, back.ToArray());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Catalog_over_s3rver_lists_verifies_and_prunes_a_backup_written_through_the_store()
    {
        var (store, client, _) = await CreateStoreAsync();
        using var _client = client;
        var catalog = new BackupCatalog(store, "mongo/rs0");
        var archive = RandomBytes(6 * MiB, seed: 12);
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, age) in new[] { ("20261001T030000Z", 40), ("20261121T030000Z", 1) })
        {
            await using var upload = await store.StartUploadAsync(catalog.ArchiveKey(id), new BackupUploadOptions { EstimatedSizeBytes = archive.Length }, Ct);
            await upload.Content.WriteAsync(archive, Ct);
            var stored = await upload.CompleteAsync(Ct);
            await catalog.WriteManifestAsync(BackupTestData.Manifest(id, now.AddDays(-age), archive) with { Sha256 = stored.Sha256 }, Ct);
        }

        var latest = await catalog.FindAsync(BackupCatalog.Latest, Ct);
        await catalog.VerifyChecksumAsync(latest!.Manifest, Ct);
        var report = await catalog.PruneAsync(TimeSpan.FromDays(15), 1, now, dryRun: false, Ct);

        Assert.Equal("20261121T030000Z", latest.BackupId);
        Assert.Equal("20261001T030000Z", Assert.Single(report.ToDelete).BackupId);
        Assert.Equal(
            [catalog.ArchiveKey("20261121T030000Z"), catalog.ManifestKey("20261121T030000Z")],
            (await store.ListAsync("mongo/", Ct).ToListAsync(Ct)).Select(o => o.Key));
    }

    private async Task<(S3BackupObjectStore Store, IAmazonS3 Client, string Bucket)> CreateStoreAsync(
        S3FaultInjector? faults = null,
        S3BackupObjectStoreOptions? options = null)
    {
        s3rver.Require();
        var bucket = await s3rver.CreateBucketAsync(Ct);
        var client = s3rver.CreateClient(faults);
        return (new S3BackupObjectStore(client, bucket, options ?? s_s3rverOptions), client, bucket);
    }

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task WriteInSlicesAsync(Stream destination, byte[] data, int slice)
    {
        for (var offset = 0; offset < data.Length; offset += slice)
        {
            await destination.WriteAsync(data.AsMemory(offset, Math.Min(slice, data.Length - offset)), Ct);
        }
    }
}
