using System.Globalization;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace Workmates.OttKit.Deployment;

/// <summary>
/// Stores templates in the environment's artifacts bucket with AWSSDK.S3 (versioned keys; the bucket should have
/// versioning on). The TemplateURL is path-style on the client's ServiceURL when one is set (S3-compatible servers),
/// else virtual-hosted <c>https://&lt;bucket&gt;.s3.&lt;region&gt;.amazonaws.com/&lt;key&gt;</c>.
/// </summary>
public sealed class S3TemplateArtifactStore : ITemplateArtifactStore
{
    private readonly IAmazonS3 _s3;
    private readonly Func<CancellationToken, Task<string?>>? _findBucket;
    private string? _bucket;

    /// <summary>Creates the store.</summary>
    /// <param name="s3">The S3 client (see <c>AwsClientFactory.CreateS3</c>).</param>
    /// <param name="bucket">The artifacts bucket.</param>
    public S3TemplateArtifactStore(IAmazonS3 s3, string bucket)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _s3 = s3;
        _bucket = bucket;
    }

    /// <summary>
    /// Creates a store that finds its bucket when first needed (and asks again until it exists): the bootstrap stack's
    /// output, see <see cref="StackDeployer.FindArtifactsBucketAsync"/>.
    /// </summary>
    /// <param name="s3">The S3 client.</param>
    /// <param name="findBucket">Finds the bucket's name; <see langword="null"/> while it does not exist.</param>
    public S3TemplateArtifactStore(IAmazonS3 s3, Func<CancellationToken, Task<string?>> findBucket)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(findBucket);
        _s3 = s3;
        _findBucket = findBucket;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default)
    {
        if (_bucket is null && _findBucket is not null)
        {
            _bucket = await _findBucket(cancellationToken).ConfigureAwait(false);
        }

        return _bucket is not null;
    }

    /// <inheritdoc/>
    public async Task<Uri> UploadAsync(string key, string body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(body);
        if (!await IsAvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The artifacts bucket does not exist yet: deploy the bootstrap stack first (docs/pipelines.md, Bootstrap).");
        }

        var request = new PutObjectRequest
        {
            BucketName = _bucket!,
            Key = key,
            ContentBody = body,
            ContentType = "application/x-yaml",
            // A plain signed body: S3-compatible servers (and proxies) do not all accept aws-chunked uploads.
            UseChunkEncoding = false,
        };
        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return ObjectUrl(key);
    }

    internal Uri ObjectUrl(string key)
    {
        var escaped = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        var config = _s3.Config;
        if (!string.IsNullOrEmpty(config.ServiceURL))
        {
            return new Uri($"{config.ServiceURL.TrimEnd('/')}/{_bucket}/{escaped}");
        }

        var region = config.RegionEndpoint?.SystemName ?? "us-east-1";
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{_bucket}.s3.{region}.{suffix}/{escaped}"));
    }

    /// <summary>Length of a template in UTF-8 bytes (the unit of CloudFormation's limits).</summary>
    internal static int ByteCount(string body) => Encoding.UTF8.GetByteCount(body);
}
