using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// <see cref="IBackupObjectStore"/> on Amazon S3 (AWSSDK.S3): multipart uploads with parts sized from the estimate
/// (see docs/mongo-backup.md), uploaded in parallel through a bounded set of pooled buffers, each part retried with
/// exponential back-off and jitter on transient errors, a CRC-32C per part (optional, checked by S3), one SHA-256 of
/// the whole object (for the manifest), unsigned payloads over HTTPS (no SigV4 SHA-256 of the body), SSE-KMS,
/// and an abort on any failure, cancellation or dispose without completion.
/// </summary>
public sealed class S3BackupObjectStore : IBackupObjectStore
{
    private readonly IAmazonS3 _s3;
    private readonly S3BackupObjectStoreOptions _options;
    private readonly TransientRetry _retry;
    private readonly bool _unsignedPayload;

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
        _unsignedPayload = SendsUnsignedPayload(s3.Config, _options);
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
                    UseChunkEncoding = _options.UseChunkEncoding && !_unsignedPayload,
                    AutoCloseStream = false,
                };
                if (_unsignedPayload)
                {
                    request.DisablePayloadSigning = true;
                }

                if (_options.UsePartChecksums)
                {
                    request.ChecksumAlgorithm = ChecksumAlgorithm.CRC32C;
                    request.ChecksumCRC32C = Crc32CBase64(bytes);
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
            request.ChecksumAlgorithm = ChecksumAlgorithm.CRC32C;
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
        return new S3MultipartUpload(_s3, BucketName, key, response.UploadId, options, _options, _unsignedPayload, _retry);
    }

    /// <summary>
    /// Whether bodies go out as <c>UNSIGNED-PAYLOAD</c>: only when <see cref="S3BackupObjectStoreOptions.SignPayload"/> is
    /// off and the client talks HTTPS (SigV4 allows an unsigned payload only over TLS; over plain HTTP the SDK refuses it).
    /// </summary>
    internal static bool SendsUnsignedPayload(IClientConfig config, S3BackupObjectStoreOptions options)
    {
        if (options.SignPayload || config.UseHttp)
        {
            return false;
        }

        return string.IsNullOrEmpty(config.ServiceURL) || config.ServiceURL.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>CRC-32C of <paramref name="bytes"/> as S3 expects it: base64 of the big-endian 4 bytes.</summary>
    internal static string Crc32CBase64(ReadOnlySpan<byte> bytes)
    {
        Span<byte> value = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value, System.IO.Hashing.Crc32.HashToUInt32(System.IO.Hashing.Crc32ParameterSet.Crc32C, bytes));
        return Convert.ToBase64String(value);
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
