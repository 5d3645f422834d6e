using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Simulators.Storage;
using Workmates.OttKit.Tests.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>
/// The in-memory S3 endpoint of the rehearsal, through the S3 IAM front and the official SDK, as the backup task uses
/// it: multipart uploads with CRC32C part checksums, listings with continuation, deletes, and S3's error codes.
/// </summary>
public sealed class InMemoryS3ServerTests
{
    private const string Region = "ap-south-1";
    private const string Bucket = "backups";
    private static readonly SimulatorCredentials Key = new("AKIAINMEMORYS3TEST01", "in/memory/s3/EXAMPLEKEY");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_multipart_upload_completes_into_one_object_with_S3s_multipart_ETag_and_composite_checksum()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client();
        var first = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(first);
        var last = "the last part may be small"u8.ToArray();

        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mongo/b1/archive", ChecksumAlgorithm = ChecksumAlgorithm.CRC32C }, Ct);
        var parts = new List<PartETag>();
        foreach (var (number, bytes) in new[] { (1, first), (2, last) })
        {
            var answer = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket, Key = "mongo/b1/archive", UploadId = upload.UploadId, PartNumber = number, InputStream = new MemoryStream(bytes),
                ChecksumAlgorithm = ChecksumAlgorithm.CRC32C, ChecksumCRC32C = Crc32C(bytes),
            }, Ct);
            Assert.Equal(Crc32C(bytes), answer.ChecksumCRC32C);
            parts.Add(new PartETag { PartNumber = number, ETag = answer.ETag, ChecksumCRC32C = Crc32C(bytes) });
        }

        Assert.Equal(["mongo/b1/archive"], bed.Server.OpenUploads(Bucket));
        var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "mongo/b1/archive", UploadId = upload.UploadId, PartETags = parts }, Ct);

        Assert.EndsWith("-2\"", completed.ETag, StringComparison.Ordinal);
        Assert.EndsWith("-2", completed.ChecksumCRC32C, StringComparison.Ordinal);
        Assert.Empty(bed.Server.OpenUploads(Bucket));
        using var read = await s3.GetObjectAsync(Bucket, "mongo/b1/archive", Ct);
        using var copy = new MemoryStream();
        await read.ResponseStream.CopyToAsync(copy, Ct);
        Assert.Equal(first.Concat(last), copy.ToArray());
        Assert.All(bed.Proxy.Requests, r => Assert.Null(r.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Unknown_aborted_and_completed_upload_ids_small_parts_and_wrong_ETags_answer_S3s_error_codes()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client();
        async Task<AmazonS3Exception> Fails(Func<Task> call) => await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        UploadPartRequest Part(string id, int number, byte[] bytes) => new() { BucketName = Bucket, Key = "k", UploadId = id, PartNumber = number, InputStream = new MemoryStream(bytes) };

        var unknown = await Fails(() => s3.UploadPartAsync(Part("no-such-upload", 1, [1, 2, 3]), Ct));
        Assert.Equal("NoSuchUpload", unknown.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);

        var upload = await s3.InitiateMultipartUploadAsync(Bucket, "k", Ct);
        var one = await s3.UploadPartAsync(Part(upload.UploadId, 1, [1, 2, 3]), Ct);
        var two = await s3.UploadPartAsync(Part(upload.UploadId, 2, [4]), Ct);
        Assert.Equal("EntityTooSmall", (await Fails(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "k", UploadId = upload.UploadId, PartETags = [new(1, one.ETag), new(2, two.ETag)],
        }, Ct))).ErrorCode);
        Assert.Equal("InvalidPart", (await Fails(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "k", UploadId = upload.UploadId, PartETags = [new(1, "\"0123456789abcdef0123456789abcdef\"")],
        }, Ct))).ErrorCode);

        await s3.AbortMultipartUploadAsync(Bucket, "k", upload.UploadId, Ct);
        Assert.Equal("NoSuchUpload", (await Fails(() => s3.UploadPartAsync(Part(upload.UploadId, 3, [5]), Ct))).ErrorCode);
        Assert.Empty(bed.Server.OpenUploads(Bucket));

        var bad = await Fails(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = "bad", InputStream = new MemoryStream([1, 2, 3]), ChecksumAlgorithm = ChecksumAlgorithm.CRC32C, ChecksumCRC32C = Crc32C([9]),
        }, Ct));
        Assert.Equal("BadDigest", bad.ErrorCode);
        Assert.Equal("NoSuchKey", (await Fails(() => s3.GetObjectAsync(Bucket, "bad", Ct))).ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListObjectsV2_pages_by_prefix_with_continuation_tokens_and_DeleteObjects_removes_what_it_names()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client();
        foreach (var key in new[] { "mongo/a/manifest.json", "mongo/b/archive", "mongo/b/manifest.json", "mongo/c/archive", "other/x" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = key }, Ct);
        }

        var listed = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "mongo/", MaxKeys = 2, ContinuationToken = token }, Ct);
            pages++;
            listed.AddRange(page.S3Objects.Select(o => o.Key));
            Assert.All(page.S3Objects, o => Assert.Equal(o.Key.Length, o.Size));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        Assert.Equal(["mongo/a/manifest.json", "mongo/b/archive", "mongo/b/manifest.json", "mongo/c/archive"], listed);
        Assert.Equal(2, pages);

        var deleted = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Bucket, Objects = [new() { Key = "mongo/b/archive" }, new() { Key = "mongo/b/manifest.json" }] }, Ct);
        Assert.Equal(["mongo/b/archive", "mongo/b/manifest.json"], deleted.DeletedObjects.Select(d => d.Key));
        await s3.DeleteObjectAsync(Bucket, "mongo/c/archive", Ct);
        await s3.DeleteObjectAsync(Bucket, "mongo/never-was", Ct);
        Assert.Equal(["mongo/a/manifest.json", "other/x"], bed.Server.Keys(Bucket));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket" }, Ct));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);
    }

    private static string Crc32C(byte[] bytes)
    {
        var value = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value, System.IO.Hashing.Crc32.HashToUInt32(System.IO.Hashing.Crc32ParameterSet.Crc32C, bytes));
        return Convert.ToBase64String(value);
    }

    private sealed class Bed : IAsyncDisposable
    {
        private Bed(InMemoryS3Server server, S3IamProxy proxy)
        {
            Server = server;
            Proxy = proxy;
        }

        public InMemoryS3Server Server { get; }

        public S3IamProxy Proxy { get; }

        public static async Task<Bed> StartAsync()
        {
            var server = await InMemoryS3Server.StartAsync(Ct);
            server.CreateBucket(Bucket);
            var iam = new IamAuthority();
            iam.Add(new IamPrincipal(Key.AccessKeyId, "arn:aws:sts::123456789012:assumed-role/backup/s", [JsonNode.Parse("""{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")!]));
            var proxy = await S3IamProxy.StartAsync(new S3IamProxyOptions { Upstream = server.Endpoint, Iam = iam, Region = Region, AccountId = "123456789012" }, Ct);
            return new Bed(server, proxy);
        }

        public IAmazonS3 Client() => new AwsClientFactory(new TestAwsOptions
        {
            Region = Region,
            ServiceURL = Proxy.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials(Key.AccessKeyId, Key.SecretAccessKey),
        }, config => config.MaxErrorRetry = 0).CreateS3();

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
