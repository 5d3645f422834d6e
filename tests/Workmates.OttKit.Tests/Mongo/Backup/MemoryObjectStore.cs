using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>A minimal in-memory object store for the runner tests (the fault-injecting store covers S3 behaviour).</summary>
internal sealed class MemoryObjectStore : IBackupObjectStore
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, DateTimeOffset At)> _objects = new(StringComparer.Ordinal);

    public int AbortedUploads;

    public IReadOnlyCollection<string> Keys => [.. _objects.Keys];

    public void Replace(string key, Func<byte[], byte[]> change) => _objects[key] = (change(_objects[key].Bytes), _objects[key].At);

    public Task<IBackupObjectUpload> StartUploadAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IBackupObjectUpload>(new Upload(this, key));

    public Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _objects[key] = (content.ToArray(), DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetObjectAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(key, out var o) ? o.Bytes : null);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        _objects.TryGetValue(key, out var o) ? Task.FromResult<Stream>(new MemoryStream(o.Bytes, writable: false)) : throw new FileNotFoundException(key);

    public async IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var (key, value) in _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            yield return new BackupObjectInfo(key, value.Bytes.Length, value.At);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _objects.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private sealed class Upload(MemoryObjectStore store, string key) : IBackupObjectUpload
    {
        private readonly MemoryStream _content = new();
        private bool _done;

        public string Key => key;

        public Stream Content => _content;

        public Task<BackupObjectUploadResult> CompleteAsync(CancellationToken cancellationToken)
        {
            _done = true;
            var bytes = _content.ToArray();
            store._objects[key] = (bytes, DateTimeOffset.UtcNow);
            return Task.FromResult(new BackupObjectUploadResult(key, bytes.Length, 1, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        public Task AbortAsync(CancellationToken cancellationToken)
        {
            if (!_done)
            {
                _done = true;
                Interlocked.Increment(ref store.AbortedUploads);
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync() => await AbortAsync(CancellationToken.None);
    }
}
