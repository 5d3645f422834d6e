using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// <see cref="IBackupObjectStore"/> on Amazon S3 (AWSSDK.S3): multipart uploads with parts sized from the estimate
/// (see docs/mongo-backup.md), uploaded in parallel through a bounded set of pooled buffers, each part retried with
/// exponential back-off and jitter on transient errors, SHA-256 per part (optional) and for the whole object, SSE-KMS,
/// and an abort on any failure, cancellation or dispose without completion.
/// </summary>
public sealed class S3BackupObjectStore : IBackupObjectStore
{
    private readonly IAmazonS3 _s3;
    private readonly S3BackupObjectStoreOptions _options;
    private readonly TransientRetry _retry;

    /// <summary>Creates the store over one bucket.</summary>
    /// <param name="s3">The S3 client (for example from <c>AwsClientFactory.CreateS3</c>); the caller owns it.</param>
    /// <param name="bucketName">The bucket backups are written to.</param>
    /// <param name="options">Encoding, checksum, encryption and retry options; <see langword="null"/> means defaults.</param>
    /// <param name="timeProvider">Clock for back-off delays; <see langword="null"/> means the system clock.</param>
    public S3BackupObjectStore(IAmazonS3 s3, string bucketName, S3BackupObjectStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        _s3 = s3;
        BucketName = bucketName;
        _options = options ?? new S3BackupObjectStoreOptions();
        _options.Validate();
        _retry = new TransientRetry(_options.MaxAttempts, _options.RetryBaseDelay, _options.RetryMaxDelay, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The bucket backups are written to.</summary>
    public string BucketName { get; }

    /// <summary>Keys per ListObjectsV2 page; null lets S3 choose (1,000). Tests lower it to exercise paging.</summary>
    internal int? ListPageSize { get; init; }

    /// <inheritdoc />
    public async Task<IBackupObjectUpload> StartUploadAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken) =>
        await StartMultipartAsync(key, options, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var bytes = content.ToArray();
        await _retry.ExecuteAsync(
            async ct =>
            {
                using var body = new MemoryStream(bytes, writable: false);
                var request = new PutObjectRequest
                {
                    BucketName = BucketName,
                    Key = key,
                    InputStream = body,
                    ContentType = contentType,
                    UseChunkEncoding = _options.UseChunkEncoding,
                    AutoCloseStream = false,
                };
                if (_options.UsePartChecksums)
                {
                    request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
                    request.ChecksumSHA256 = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(bytes));
                }

                ApplyEncryption(request, _options.KmsKeyId);
                return await _s3.PutObjectAsync(request, ct).ConfigureAwait(false);
            },
            "PutObject",
            key,
            null,
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetObjectAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            return await _retry.ExecuteAsync(
                async ct =>
                {
                    using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = BucketName, Key = key }, ct).ConfigureAwait(false);
                    using var copy = new MemoryStream();
                    await response.ResponseStream.CopyToAsync(copy, ct).ConfigureAwait(false);
                    return copy.ToArray();
                },
                "GetObject",
                key,
                null,
                null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BackupStorageException error) when (IsNotFound(error))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            var response = await _retry.ExecuteAsync(
                ct => _s3.GetObjectAsync(new GetObjectRequest { BucketName = BucketName, Key = key }, ct),
                "GetObject",
                key,
                null,
                null,
                cancellationToken).ConfigureAwait(false);
            return new ResponseOwningStream(response);
        }
        catch (BackupStorageException error) when (IsNotFound(error))
        {
            throw new FileNotFoundException($"No object '{key}' in bucket '{BucketName}'.", key, error);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = BucketName, Prefix = prefix, ContinuationToken = continuation, MaxKeys = ListPageSize };
            var page = await _retry.ExecuteAsync(
                ct => _s3.ListObjectsV2Async(request, ct),
                "ListObjectsV2",
                prefix,
                null,
                null,
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new BackupObjectInfo(
                    item.Key,
                    item.Size ?? 0,
                    item.LastModified is { } modified ? AsUtc(modified) : DateTimeOffset.MinValue);
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await _retry.ExecuteAsync(
                ct => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = BucketName, Key = key }, ct),
                "DeleteObject",
                key,
                null,
                null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (BackupStorageException error) when (IsNotFound(error))
        {
            // Deleting a missing key is not an error (S3 answers 204; some compatible servers 404).
        }
    }

    internal async Task<S3MultipartUpload> StartMultipartAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelParts, 1, nameof(options.MaxParallelParts));
        ArgumentOutOfRangeException.ThrowIfNegative(options.EstimatedSizeBytes, nameof(options.EstimatedSizeBytes));
        var request = new InitiateMultipartUploadRequest { BucketName = BucketName, Key = key, ContentType = options.ContentType };
        if (_options.UsePartChecksums)
        {
            request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
        }

        var kmsKeyId = options.KmsKeyId ?? _options.KmsKeyId;
        if (kmsKeyId is not null)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
        }

        var response = await _retry.ExecuteAsync(
            ct => _s3.InitiateMultipartUploadAsync(request, ct),
            "CreateMultipartUpload",
            key,
            null,
            null,
            cancellationToken).ConfigureAwait(false);
        return new S3MultipartUpload(_s3, BucketName, key, response.UploadId, options, _options, _retry);
    }

    private static void ApplyEncryption(PutObjectRequest request, string? kmsKeyId)
    {
        if (kmsKeyId is not null)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId;
        }
    }

    // S3 sends UTC; an unspecified kind must not be shifted by the machine's time zone.
    private static DateTimeOffset AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Unspecified => new DateTimeOffset(time, TimeSpan.Zero),
        _ => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
    };

    private static bool IsNotFound(BackupStorageException error) =>
        error.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound };

    /// <summary>The response body; disposing it releases the HTTP response.</summary>
    private sealed class ResponseOwningStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _body = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => _body.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _body.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _body.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
