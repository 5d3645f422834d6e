using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>The S3 IAM front: S3 and KMS authorization in front of s3rver, denied calls answered as S3 answers them.</summary>
public sealed class S3IamProxyTests
{
    private const string Account = "123456789012";
    private const string Region = "ap-south-1";
    private const string Bucket = "artifacts";
    private const string KeyArn = $"arn:aws:kms:{Region}:{Account}:key/0f0f0f0f-1111-2222-3333-444444444444";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // As the blueprint writes them: the key policy delegates to IAM through S3 only, the bucket policy denies plain HTTP.
    private static readonly JsonNode KeyPolicy = Json("""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"AccountUsesThroughS3","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},
           "Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*",
           "Condition":{"StringEquals":{"kms:CallerAccount":"ACCOUNT","kms:ViaService":"s3.REGION.amazonaws.com"}}}]}
        """);

    private static readonly JsonNode BucketPolicy = Json("""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
           "Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
          {"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::BUCKET/protected/*"}]}
        """);

    private static JsonNode Identity(string actions, bool kms) => Json("""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":[ACTIONS],"Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"]}
          KMS]}
        """.Replace("ACTIONS", actions, StringComparison.Ordinal).Replace("KMS", kms
            ? """,{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"KEYARN","Condition":{"StringEquals":{"kms:ViaService":"s3.REGION.amazonaws.com"}}}"""
            : string.Empty, StringComparison.Ordinal));

    private static JsonNode Json(string text) => JsonNode.Parse(text
        .Replace("KEYARN", KeyArn, StringComparison.Ordinal).Replace("ACCOUNT", Account, StringComparison.Ordinal)
        .Replace("REGION", Region, StringComparison.Ordinal).Replace("BUCKET", Bucket, StringComparison.Ordinal))!;

    private static readonly SimulatorCredentials Writer = new("AKIAS3FRONTWRITER001", "writer-secret");
    private static readonly SimulatorCredentials NoKms = new("AKIAS3FRONTNOKMS0001", "nokms-secret");
    private static readonly SimulatorCredentials ReadOnly = new("AKIAS3FRONTREADER001", "reader-secret");

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Allowed_calls_reach_s3rver_and_every_authorization_is_recorded()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client(Writer);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "env/stack/t.yaml", ContentBody = "Resources: {}", UseChunkEncoding = false }, Ct);
        var head = await s3.GetObjectMetadataAsync(Bucket, "env/stack/t.yaml", Ct);
        using var read = await s3.GetObjectAsync(Bucket, "env/stack/t.yaml", Ct);
        using var reader = new StreamReader(read.ResponseStream);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "env/" }, Ct);
        await s3.DeleteObjectAsync(Bucket, "env/stack/t.yaml", Ct);

        Assert.Equal("Resources: {}", await reader.ReadToEndAsync(Ct));
        Assert.Equal(13, head.ContentLength);
        Assert.Equal("env/stack/t.yaml", Assert.Single(listed.S3Objects).Key);
        Assert.Empty(bed.Iam.Denied);
        var calls = bed.Iam.Calls.Select(c => $"{c.Action} {c.Resource}").ToList();
        Assert.Equal(
            [
                "s3:PutObject arn:aws:s3:::artifacts/env/stack/t.yaml", $"kms:GenerateDataKey {KeyArn}",
                "s3:GetObject arn:aws:s3:::artifacts/env/stack/t.yaml",
                "s3:GetObject arn:aws:s3:::artifacts/env/stack/t.yaml", $"kms:Decrypt {KeyArn}",
                "s3:ListBucket arn:aws:s3:::artifacts",
                "s3:DeleteObject arn:aws:s3:::artifacts/env/stack/t.yaml",
            ],
            calls);
        Assert.Equal(["PutObject", "HeadObject", "GetObject", "ListObjects", "DeleteObject"], bed.Proxy.Requests.Select(r => r.Operation));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_write_without_the_key_permission_is_denied_as_S3_denies_it_and_nothing_is_stored()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client(NoKms);

        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "t.yaml", ContentBody = "x", UseChunkEncoding = false }, Ct));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("AccessDenied", denied.ErrorCode);
        Assert.Contains($"is not authorized to perform: kms:GenerateDataKey on resource: \"{KeyArn}\"", denied.Message, StringComparison.Ordinal);
        Assert.StartsWith($"User: arn:aws:sts::{Account}:assumed-role/nokms/s ", denied.Message, StringComparison.Ordinal);
        var call = Assert.Single(bed.Iam.Denied);
        Assert.Equal("kms:GenerateDataKey", call.Action);
        using var owner = bed.Client(Writer);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => owner.GetObjectMetadataAsync(Bucket, "t.yaml", Ct));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Identity_policy_bucket_policy_deny_and_unknown_callers_are_each_enforced()
    {
        await using var bed = await Bed.StartAsync();
        using var writer = bed.Client(Writer);
        using var reader = bed.Client(ReadOnly);
        await writer.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "protected/a", ContentBody = "a", UseChunkEncoding = false }, Ct);

        var put = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            reader.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "b", ContentBody = "b", UseChunkEncoding = false }, Ct));
        var delete = await Assert.ThrowsAsync<AmazonS3Exception>(() => writer.DeleteObjectAsync(Bucket, "protected/a", Ct));
        using var stranger = bed.Client(new SimulatorCredentials("AKIANOBODYKNOWSTHIS1", "x"));
        var list = await Assert.ThrowsAsync<AmazonS3Exception>(() => stranger.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }, Ct));

        Assert.Contains("s3:PutObject on resource: \"arn:aws:s3:::artifacts/b\" because no identity-based policy allows the s3:PutObject action", put.Message, StringComparison.Ordinal);
        Assert.Contains("s3:DeleteObject on resource: \"arn:aws:s3:::artifacts/protected/a\" with an explicit deny in a resource-based policy", delete.Message, StringComparison.Ordinal);
        Assert.Equal("AccessDenied", list.ErrorCode);
        Assert.Equal(3, bed.Iam.Denied.Count);
        using var stillThere = await writer.GetObjectAsync(Bucket, "protected/a", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, stillThere.HttpStatusCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_multipart_upload_is_authorized_as_PutObject_with_the_key_and_its_abort_as_AbortMultipartUpload()
    {
        await using var bed = await Bed.StartAsync();
        using var s3 = bed.Client(Writer);
        var part = new byte[5 * 1024 * 1024];

        var started = await s3.InitiateMultipartUploadAsync(Bucket, "big", Ct);
        var one = await s3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "big", UploadId = started.UploadId, PartNumber = 1, InputStream = new MemoryStream(part), UseChunkEncoding = false }, Ct);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "big", UploadId = started.UploadId, PartETags = [new PartETag(1, one.ETag)] }, Ct);
        var (operation, checks) = bed.Proxy.Authorizations("DELETE", "/artifacts/big", new Dictionary<string, string> { ["uploadId"] = "u" }, new Dictionary<string, string>(), []);

        Assert.Equal(["CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"], bed.Proxy.Requests.Select(r => r.Operation));
        Assert.Equal(
            ["s3:PutObject", "kms:GenerateDataKey", "s3:PutObject", "kms:Decrypt", "s3:PutObject", "kms:Decrypt"],
            bed.Iam.Calls.Select(c => c.Action));
        Assert.Equal("AbortMultipartUpload", operation);
        Assert.Equal("s3:AbortMultipartUpload", Assert.Single(checks).Request.Action);
        Assert.Empty(bed.Iam.Denied);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Requests_map_to_the_actions_S3_authorizes()
    {
        await using var proxy = await S3IamProxy.StartAsync(new S3IamProxyOptions
        {
            Upstream = new Uri("http://127.0.0.1:9/"),
            Iam = new IamAuthority(),
            Region = Region,
            AccountId = Account,
            Buckets = [new S3BucketAccess(Bucket) { KmsKeyArn = KeyArn, KeyPolicy = KeyPolicy, BucketKeyEnabled = true }],
        }, Ct);
        string Map(string method, string path, string query = "", Dictionary<string, string>? headers = null, string body = "")
        {
            var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
            var (operation, checks) = proxy.Authorizations(method, path, parameters, headers ?? [], Encoding.UTF8.GetBytes(body));
            return operation + " " + string.Join(" ", checks.Select(c => $"{c.Request.Action}@{c.Request.Resource}"));
        }

        Assert.Equal("ListBuckets s3:ListAllMyBuckets@*", Map("GET", "/"));
        Assert.Equal("HeadBucket s3:ListBucket@arn:aws:s3:::artifacts", Map("HEAD", "/artifacts"));
        Assert.Equal("ListObjectVersions s3:ListBucketVersions@arn:aws:s3:::artifacts", Map("GET", "/artifacts", "versions"));
        Assert.Equal("GetBucketLocation s3:GetBucketLocation@arn:aws:s3:::artifacts", Map("GET", "/artifacts", "location"));
        Assert.Equal("GetObject s3:GetObjectVersion@arn:aws:s3:::artifacts/a b kms:Decrypt@" + KeyArn, Map("GET", "/artifacts/a%20b", "versionId=3"));
        Assert.Equal("DeleteObject s3:DeleteObjectVersion@arn:aws:s3:::artifacts/k", Map("DELETE", "/artifacts/k", "versionId=3"));
        Assert.Equal("ListParts s3:ListMultipartUploadParts@arn:aws:s3:::artifacts/k", Map("GET", "/artifacts/k", "uploadId=u"));
        Assert.Equal(
            "CopyObject s3:PutObject@arn:aws:s3:::artifacts/k s3:GetObject@arn:aws:s3:::artifacts/src kms:Decrypt@" + KeyArn + " kms:GenerateDataKey@" + KeyArn,
            Map("PUT", "/artifacts/k", headers: new() { ["x-amz-copy-source"] = "/artifacts/src" }));
        Assert.Equal(
            "DeleteObjects s3:DeleteObject@arn:aws:s3:::artifacts/a s3:DeleteObjectVersion@arn:aws:s3:::artifacts/b",
            Map("POST", "/artifacts", "delete", body: "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>1</VersionId></Object></Delete>"));
        var (_, put) = proxy.Authorizations("PUT", "/artifacts/k", new Dictionary<string, string>(), new Dictionary<string, string>(), []);
        Assert.Equal("arn:aws:s3:::artifacts", put[1].Request.Context!["kms:EncryptionContext:aws:s3:arn"]);
        Assert.Equal($"s3.{Region}.amazonaws.com", put[1].Request.Context!["kms:ViaService"]);
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly S3rverProcess _s3rver;

        private Bed(S3rverProcess s3rver, IamAuthority iam, S3IamProxy proxy)
        {
            _s3rver = s3rver;
            Iam = iam;
            Proxy = proxy;
        }

        public IamAuthority Iam { get; }

        public S3IamProxy Proxy { get; }

        public static async Task<Bed> StartAsync()
        {
            var s3rver = await S3rverProcess.StartAsync(Bucket);
            var iam = new IamAuthority();
            iam.Add(new IamPrincipal(Writer.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/writer/s",
                [Identity("\"s3:PutObject\",\"s3:GetObject\",\"s3:ListBucket\",\"s3:DeleteObject\"", kms: true)]));
            iam.Add(new IamPrincipal(NoKms.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/nokms/s", [Identity("\"s3:PutObject\"", kms: false)]));
            iam.Add(new IamPrincipal(ReadOnly.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/reader/s", [Identity("\"s3:GetObject\"", kms: true)]));
            var proxy = await S3IamProxy.StartAsync(new S3IamProxyOptions
            {
                Upstream = s3rver.Endpoint,
                Iam = iam,
                Region = Region,
                AccountId = Account,
                Buckets = [new S3BucketAccess(Bucket) { Policy = BucketPolicy, KmsKeyArn = KeyArn, KeyPolicy = KeyPolicy, BucketKeyEnabled = true }],
            }, Ct);
            return new Bed(s3rver, iam, proxy);
        }

        public IAmazonS3 Client(SimulatorCredentials credentials) => new AwsClientFactory(new TestAwsOptions
        {
            Region = Region,
            ServiceURL = Proxy.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
        }, config =>
        {
            config.MaxErrorRetry = 0;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }).CreateS3();

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            _s3rver.Dispose();
        }
    }
}
