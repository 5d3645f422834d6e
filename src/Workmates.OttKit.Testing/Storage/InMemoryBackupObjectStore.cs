using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;

namespace Workmates.OttKit.Simulators.Storage;

/// <summary>
/// An <see cref="IBackupObjectStore"/> in memory with injectable faults, for tests of everything above the store
/// (backup and restore runners, the catalog). Uploads are cut into parts of <see cref="PartSizeBytes"/>; each part is
/// "sent" up to <see cref="MaxPartAttempts"/> times, so a part that fails k times then succeeds behaves as a retried
/// S3 part, and one that fails every time faults the upload, which is then aborted and leaves nothing visible.
/// Every mutating call is logged in <see cref="Operations"/> so tests can assert ordering.
/// </summary>
/// <param name="timeProvider">Clock for <see cref="BackupObjectInfo.LastModified"/>; null means the system clock.</param>
public sealed class InMemoryBackupObjectStore(TimeProvider? timeProvider = null) : IBackupObjectStore
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly List<PartFault> _partFaults = [];
    private readonly HashSet<string> _failingPuts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failingDeletes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, int Part), int> _partAttempts = [];
    private readonly List<string> _aborts = [];
    private readonly List<string> _operations = [];
    private int _uploadsInProgress;

    /// <summary>Part size uploads are cut into.</summary>
    /// <value>Default: 5 MiB, S3's minimum.</value>
    public int PartSizeBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How many times a part is sent before its failure is final (the S3 store's retry, simulated).</summary>
    /// <value>Default: 3.</value>
    public int MaxPartAttempts { get; set; } = 3;

    /// <summary>Keys of the uploads that were aborted, in order.</summary>
    public IReadOnlyList<string> Aborts
    {
        get
        {
            lock (_gate)
            {
                return [.. _aborts];
            }
        }
    }

    /// <summary>Mutations in order: <c>put key</c>, <c>complete key</c>, <c>delete key</c>, <c>abort key</c>.</summary>
    public IReadOnlyList<string> Operations
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations];
            }
        }
    }

    /// <summary>Uploads started and neither completed nor aborted.</summary>
    public int UploadsInProgress => Volatile.Read(ref _uploadsInProgress);

    /// <summary>The stored keys, in order.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _objects.Keys];
            }
        }
    }

    /// <summary>How many times part <paramref name="partNumber"/> of <paramref name="key"/> was sent.</summary>
    public int PartAttempts(string key, int partNumber)
    {
        lock (_gate)
        {
            return _partAttempts.GetValueOrDefault((key, partNumber));
        }
    }

    /// <summary>Part <paramref name="partNumber"/> fails <paramref name="times"/> times, then succeeds.</summary>
    /// <param name="partNumber">1-based part number.</param>
    /// <param name="times">Failures before success.</param>
    /// <param name="keySuffix">Only uploads whose key ends with this; null: every upload.</param>
    public void FailPart(int partNumber, int times, string? keySuffix = null)
    {
        lock (_gate)
        {
            _partFaults.Add(new PartFault(partNumber, times, keySuffix));
        }
    }

    /// <summary>Part <paramref name="partNumber"/> fails every time: the upload fails and is aborted.</summary>
    /// <param name="partNumber">1-based part number.</param>
    /// <param name="keySuffix">Only uploads whose key ends with this; null: every upload.</param>
    public void FailPartPermanently(int partNumber, string? keySuffix = null) => FailPart(partNumber, int.MaxValue, keySuffix);

    /// <summary>Every <see cref="PutObjectAsync"/> to <paramref name="key"/> fails.</summary>
    public void FailPutObject(string key)
    {
        lock (_gate)
        {
            _failingPuts.Add(key);
        }
    }

    /// <summary>Every <see cref="DeleteAsync"/> of <paramref name="key"/> fails (the object stays).</summary>
    public void FailDelete(string key)
    {
        lock (_gate)
        {
            _failingDeletes.Add(key);
        }
    }

    /// <summary>Flips the bits of one byte of a stored object (the middle one by default), keeping its size.</summary>
    public void Corrupt(string key, long offset = -1)
    {
        lock (_gate)
        {
            var stored = _objects[key];
            var bytes = stored.Bytes.ToArray();
            var at = offset < 0 ? bytes.Length / 2 : offset;
            bytes[at] ^= 0xFF;
            _objects[key] = stored with { Bytes = bytes };
        }
    }

    /// <summary>Stores an object directly (no fault, no log), as if written at <paramref name="lastModified"/>.</summary>
    public void Seed(string key, byte[] content, DateTimeOffset lastModified, string contentType = "application/octet-stream")
    {
        lock (_gate)
        {
            _objects[key] = new StoredObject(content, contentType, lastModified);
        }
    }

    /// <summary>The stored bytes of <paramref name="key"/>, or null.</summary>
    public byte[]? Peek(string key)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(key, out var stored) ? stored.Bytes : null;
        }
    }

    /// <inheritdoc />
    public Task<IBackupObjectUpload> StartUploadAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _uploadsInProgress);
        return Task.FromResult<IBackupObjectUpload>(new Upload(this, key, options.ContentType));
    }

    /// <inheritdoc />
    public Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_failingPuts.Contains(key))
            {
                throw new BackupStorageException("PutObject", key, null, MaxPartAttempts, new IOException("injected PutObject failure"));
            }

            _objects[key] = new StoredObject(content.ToArray(), contentType, _time.GetUtcNow());
            _operations.Add($"put {key}");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<byte[]?> GetObjectAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Peek(key)?.ToArray());
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = Peek(key) ?? throw new FileNotFoundException($"No object '{key}'.", key);
        return Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<BackupObjectInfo> page;
        lock (_gate)
        {
            page = [.. _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(o => new BackupObjectInfo(o.Key, o.Value.Bytes.LongLength, o.Value.LastModified))];
        }

        foreach (var item in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_failingDeletes.Contains(key))
            {
                throw new BackupStorageException("DeleteObject", key, null, MaxPartAttempts, new IOException("injected DeleteObject failure"));
            }

            _objects.Remove(key);
            _operations.Add($"delete {key}");
        }

        return Task.CompletedTask;
    }

    private void SendPart(string key, int partNumber)
    {
        lock (_gate)
        {
            var fault = _partFaults.FirstOrDefault(f => f.PartNumber == partNumber && (f.KeySuffix is null || key.EndsWith(f.KeySuffix, StringComparison.Ordinal)) && f.Remaining > 0);
            for (var attempt = 1; ; attempt++)
            {
                _partAttempts[(key, partNumber)] = _partAttempts.GetValueOrDefault((key, partNumber)) + 1;
                if (fault is null || fault.Remaining == 0)
                {
                    return;
                }

                if (fault.Remaining != int.MaxValue)
                {
                    fault.Remaining--;
                }

                if (attempt >= MaxPartAttempts)
                {
                    throw new BackupStorageException("UploadPart", key, partNumber, attempt, new IOException("injected part failure (HTTP 500)"));
                }
            }
        }
    }

    private void Finish(string key, byte[] content, string contentType, bool completed)
    {
        lock (_gate)
        {
            if (completed)
            {
                _objects[key] = new StoredObject(content, contentType, _time.GetUtcNow());
                _operations.Add($"complete {key}");
            }
            else
            {
                _aborts.Add(key);
                _operations.Add($"abort {key}");
            }
        }

        Interlocked.Decrement(ref _uploadsInProgress);
    }

    private sealed record StoredObject(byte[] Bytes, string ContentType, DateTimeOffset LastModified);

    private sealed class PartFault(int partNumber, int remaining, string? keySuffix)
    {
        public int PartNumber { get; } = partNumber;

        public int Remaining { get; set; } = remaining;

        public string? KeySuffix { get; } = keySuffix;
    }

    private sealed class Upload : IBackupObjectUpload
    {
        private readonly InMemoryBackupObjectStore _store;
        private readonly string _contentType;
        private readonly MemoryStream _sent = new();
        private readonly MemoryStream _part = new();
        private int _parts;
        private Exception? _failure;
        private bool _finished;

        public Upload(InMemoryBackupObjectStore store, string key, string contentType)
        {
            _store = store;
            Key = key;
            _contentType = contentType;
            Content = new ContentStream(this);
        }

        public string Key { get; }

        public Stream Content { get; }

        public Task<BackupObjectUploadResult> CompleteAsync(CancellationToken cancellationToken)
        {
            ThrowIfFailed();
            if (_finished)
            {
                throw new InvalidOperationException($"The upload of '{Key}' is already completed or aborted.");
            }

            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfFailed();
                if (_part.Length > 0 || _parts == 0)
                {
                    SendCurrentPart();
                }

                var bytes = _sent.ToArray();
                _finished = true;
                _store.Finish(Key, bytes, _contentType, completed: true);
                return Task.FromResult(new BackupObjectUploadResult(Key, bytes.LongLength, _parts, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            }
            catch (Exception)
            {
                Abort();
                throw;
            }
        }

        public Task AbortAsync(CancellationToken cancellationToken)
        {
            Abort();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Abort();
            _sent.Dispose();
            _part.Dispose();
            return ValueTask.CompletedTask;
        }

        private void Abort()
        {
            if (!_finished)
            {
                _finished = true;
                _store.Finish(Key, [], _contentType, completed: false);
            }
        }

        private void Write(ReadOnlySpan<byte> data)
        {
            ThrowIfFailed();
            if (_finished)
            {
                throw new InvalidOperationException($"The upload of '{Key}' is completed or aborted; no more bytes can be written.");
            }

            ThrowIfFailed();
            while (!data.IsEmpty)
            {
                var count = (int)Math.Min(_store.PartSizeBytes - _part.Length, data.Length);
                _part.Write(data[..count]);
                data = data[count..];
                if (_part.Length == _store.PartSizeBytes)
                {
                    SendCurrentPart();
                }
            }
        }

        private void SendCurrentPart()
        {
            try
            {
                _store.SendPart(Key, ++_parts);
            }
            catch (BackupStorageException error)
            {
                _failure = error;
                Abort();
                throw;
            }

            _part.Position = 0;
            _part.CopyTo(_sent);
            _part.SetLength(0);
        }

        private void ThrowIfFailed()
        {
            if (_failure is not null)
            {
                throw _failure;
            }
        }

        private sealed class ContentStream(Upload upload) : Stream
        {
            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => upload._sent.Length + upload._part.Length;
                set => throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count) => upload.Write(buffer.AsSpan(offset, count));

            public override void Write(ReadOnlySpan<byte> buffer) => upload.Write(buffer);

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                cancellationToken.ThrowIfCancellationRequested();
                upload.Write(buffer.Span);
                return ValueTask.CompletedTask;
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
