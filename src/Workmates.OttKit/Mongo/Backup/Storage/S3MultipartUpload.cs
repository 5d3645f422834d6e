using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// One multipart upload: bytes written to <see cref="Content"/> are hashed in order (whole-object SHA-256, the one
/// SHA-256 of the object), cut into parts by the <see cref="PartSizePlan"/>, and each full part is uploaded in the
/// background with retries (carrying its CRC-32C, which S3 checks) while the writer fills the next buffer. At most MaxParallelParts + 1 buffers exist: one being filled, the rest uploading.
/// Any failure, cancellation or a dispose without completion aborts the upload, so nothing is visible and no part is
/// kept.
/// </summary>
internal sealed class S3MultipartUpload : IBackupObjectUpload
{
    private const int Open = 0;
    private const int Completing = 1;
    private const int Completed = 2;
    private const int Aborting = 3;

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly S3BackupObjectStoreOptions _options;
    private readonly bool _unsignedPayload;
    private readonly TransientRetry _retry;
    private readonly PartBufferPool _pool;
    private readonly IncrementalHash _objectHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CancellationTokenSource _partsCancellation = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _inFlight = [];
    private readonly List<PartETag> _uploadedParts = [];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private PartBuffer? _current;
    private int _nextPartNumber = 1;
    private long _size;
    private Exception? _failure;
    private int _state;
    private Task? _abort;

    public S3MultipartUpload(
        IAmazonS3 s3,
        string bucket,
        string key,
        string uploadId,
        BackupUploadOptions uploadOptions,
        S3BackupObjectStoreOptions options,
        bool unsignedPayload,
        TransientRetry retry)
    {
        _s3 = s3;
        _bucket = bucket;
        Key = key;
        UploadId = uploadId;
        _options = options;
        _unsignedPayload = unsignedPayload;
        _retry = retry;
        Plan = PartSizePlan.For(uploadOptions.EstimatedSizeBytes);
        _pool = new PartBufferPool(uploadOptions.MaxParallelParts + 1);
        Content = new UploadContentStream(this);
    }

    public string Key { get; }

    public string UploadId { get; }

    public Stream Content { get; }

    public PartSizePlan Plan { get; }

    /// <summary>Part buffers in use now (being filled or uploading).</summary>
    internal int PartBuffersInUse => _pool.InUse;

    /// <summary>The most part buffers ever in use at once.</summary>
    internal int PeakPartBuffersInUse => _pool.PeakInUse;

    /// <summary>The bound on part buffers: MaxParallelParts + 1.</summary>
    internal int PartBufferCapacity => _pool.Capacity;

    /// <summary>Retries sent for parts so far (for tests and progress).</summary>
    internal int PartRetries => Volatile.Read(ref _partRetries);

    private int _partRetries;

    public async Task<BackupObjectUploadResult> CompleteAsync(CancellationToken cancellationToken)
    {
        await ThrowIfFailedAndAbortAsync().ConfigureAwait(false);
        if (Interlocked.CompareExchange(ref _state, Completing, Open) != Open)
        {
            throw new InvalidOperationException($"The upload of '{Key}' is already completed or aborted.");
        }

        try
        {
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfFailed();
                if (_current is { Length: > 0 } || _nextPartNumber == 1)
                {
                    // The last part may be short; an empty object is one empty part.
                    _current ??= await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
                    Dispatch(_current);
                    _current = null;
                }
            }
            finally
            {
                _writeGate.Release();
            }

            Task[] pending;
            lock (_gate)
            {
                pending = [.. _inFlight];
            }

            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();

            PartETag[] parts;
            lock (_gate)
            {
                parts = [.. _uploadedParts.OrderBy(p => p.PartNumber)];
            }

            var request = new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = Key,
                UploadId = UploadId,
                PartETags = [.. parts],
            };
            await _retry.ExecuteAsync(
                ct => _s3.CompleteMultipartUploadAsync(request, ct),
                "CompleteMultipartUpload",
                Key,
                null,
                null,
                cancellationToken).ConfigureAwait(false);

            Volatile.Write(ref _state, Completed);
            var sha256 = Convert.ToHexStringLower(_objectHash.GetHashAndReset());
            return new BackupObjectUploadResult(Key, _size, parts.Length, sha256);
        }
        catch (Exception)
        {
            Volatile.Write(ref _state, Aborting);
            await AbortQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task AbortAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) == Completed)
        {
            return Task.CompletedTask;
        }

        Volatile.Write(ref _state, Aborting);
        return AbortOnceAsync().WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) != Completed)
        {
            Volatile.Write(ref _state, Aborting);
            await AbortQuietlyAsync().ConfigureAwait(false);
        }

        _pool.Dispose();
        _objectHash.Dispose();
        _partsCancellation.Dispose();
        _writeGate.Dispose();
    }

    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfFailedAndAbortAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _state) != Open)
            {
                throw new InvalidOperationException($"The upload of '{Key}' is completed or aborted; no more bytes can be written.");
            }

            while (!data.IsEmpty)
            {
                if (_current is null)
                {
                    // Waits while every buffer is uploading: this is the back-pressure on the producer.
                    _current = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
                    await ThrowIfFailedAndAbortAsync().ConfigureAwait(false);
                }

                var room = Plan.SizeOf(_nextPartNumber) - _current.Length;
                var count = (int)Math.Min(room, data.Length);
                var slice = data.Span[..count];
                _current.Append(slice);
                _objectHash.AppendData(slice);
                _size += count;
                data = data[count..];
                if (_current.Length == Plan.SizeOf(_nextPartNumber))
                {
                    Dispatch(_current);
                    _current = null;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Dispatch(PartBuffer buffer)
    {
        var partNumber = _nextPartNumber++;
        if (partNumber > PartSizePlan.MaxParts)
        {
            _pool.Return(buffer);
            throw new BackupStorageException($"'{Key}' outgrew S3's {PartSizePlan.MaxParts} parts ({_size} bytes so far): pass a larger EstimatedSizeBytes.");
        }

        var upload = Task.Run(() => UploadPartAsync(buffer, partNumber));
        lock (_gate)
        {
            _inFlight.Add(upload);
        }
    }

    private async Task UploadPartAsync(PartBuffer buffer, int partNumber)
    {
        var token = _partsCancellation.Token;
        try
        {
            // One CRC-32C per part, handed to the SDK: with a checksum header present it computes none of its own.
            var checksum = _options.UsePartChecksums ? buffer.ComputeCrc32CBase64() : null;
            var response = await _retry.ExecuteAsync(
                async ct =>
                {
                    using var body = buffer.OpenRead();
                    var request = new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = Key,
                        UploadId = UploadId,
                        PartNumber = partNumber,
                        PartSize = buffer.Length,
                        InputStream = body,
                        UseChunkEncoding = _options.UseChunkEncoding && !_unsignedPayload,
                    };
                    if (_unsignedPayload)
                    {
                        request.DisablePayloadSigning = true;
                    }

                    if (checksum is not null)
                    {
                        request.ChecksumAlgorithm = ChecksumAlgorithm.CRC32C;
                        request.ChecksumCRC32C = checksum;
                    }

                    return await _s3.UploadPartAsync(request, ct).ConfigureAwait(false);
                },
                "UploadPart",
                Key,
                partNumber,
                (_, _) => Interlocked.Increment(ref _partRetries),
                token).ConfigureAwait(false);

            lock (_gate)
            {
                _uploadedParts.Add(new PartETag { PartNumber = partNumber, ETag = response.ETag, ChecksumCRC32C = checksum });
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The upload is being aborted; the abort reports why.
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref _failure, error, null);
            await _partsCancellation.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            _pool.Return(buffer);
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure as BackupStorageException ?? new BackupStorageException("UploadPart", Key, null, 1, failure);
        }
    }

    private async Task ThrowIfFailedAndAbortAsync()
    {
        if (Volatile.Read(ref _failure) is not null)
        {
            Volatile.Write(ref _state, Aborting);
            await AbortQuietlyAsync().ConfigureAwait(false);
            ThrowIfFailed();
        }
    }

    private async Task AbortQuietlyAsync()
    {
        try
        {
            await AbortOnceAsync().ConfigureAwait(false);
        }
        catch (BackupStorageException)
        {
            // The bucket's AbortIncompleteMultipartUpload lifecycle rule removes what a failed abort leaves.
        }
    }

    private Task AbortOnceAsync()
    {
        lock (_gate)
        {
            return _abort ??= AbortCoreAsync();
        }
    }

    private async Task AbortCoreAsync()
    {
        await _partsCancellation.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _inFlight];
        }

        // Parts still in flight could otherwise land after the abort and be kept (and billed).
        await Task.WhenAll(pending).ConfigureAwait(false);
        var request = new AbortMultipartUploadRequest { BucketName = _bucket, Key = Key, UploadId = UploadId };
        await _retry.ExecuteAsync(
            ct => _s3.AbortMultipartUploadAsync(request, ct),
            "AbortMultipartUpload",
            Key,
            null,
            null,
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The write-only stream handed to the producer.</summary>
    private sealed class UploadContentStream(S3MultipartUpload upload) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Volatile.Read(ref upload._size);
            set => throw new NotSupportedException();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            upload.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            upload.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Synchronous writers (a GZipStream used synchronously) block here while buffers are full.
        public override void Write(byte[] buffer, int offset, int count) =>
            upload.WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
