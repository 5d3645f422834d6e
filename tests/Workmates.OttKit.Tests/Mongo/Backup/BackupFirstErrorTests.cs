using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Simulators.Storage;
using Workmates.OttKit.Tests.Infrastructure;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>The first error wins: a clean-up that fails too is reported beside the cause, never instead of it.</summary>
public sealed class BackupFirstErrorTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_refused_abort_is_reported_beside_the_failed_upload_not_instead_of_it()
    {
        await using var source = StartSet();
        for (var i = 0; i < 150; i++)
        {
            source.Data.Insert("media", "chunks", new BsonDocument { { "_id", i }, { "data", BsonValue.FromBinary(BsonBinarySubtype.Generic, RandomNumberGenerator.GetBytes(4096)) } });
        }

        var inner = new InMemoryBackupObjectStore { PartSizeBytes = 64 * 1024 };
        inner.FailPartPermanently(2);
        var store = new AbortRefusingStore(inner);

        var error = await Assert.ThrowsAsync<MongoBackupException>(() => new BackupRunner(store).RunAsync(BackupOptions(source), TestContext.Current.CancellationToken));

        Assert.Equal(MongoBackupFailureReason.UploadFailed, error.Reason);
        Assert.StartsWith("The upload of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cleaning up also failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDenied on AbortMultipartUpload", error.Message, StringComparison.Ordinal);
        Assert.IsNotType<InvalidOperationException>(error.InnerException);
    }

    /// <summary>A store whose uploads cannot be aborted (say, a role without s3:AbortMultipartUpload).</summary>
    private sealed class AbortRefusingStore(IBackupObjectStore inner) : IBackupObjectStore
    {
        public async Task<IBackupObjectUpload> StartUploadAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken) =>
            new Upload(await inner.StartUploadAsync(key, options, cancellationToken));

        public Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) => inner.PutObjectAsync(key, content, contentType, cancellationToken);

        public Task<byte[]?> GetObjectAsync(string key, CancellationToken cancellationToken) => inner.GetObjectAsync(key, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

        public IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        private sealed class Upload(IBackupObjectUpload upload) : IBackupObjectUpload
        {
            public string Key => upload.Key;

            public Stream Content => upload.Content;

            public Task<BackupObjectUploadResult> CompleteAsync(CancellationToken cancellationToken) => upload.CompleteAsync(cancellationToken);

            public Task AbortAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("AccessDenied on AbortMultipartUpload");

            public ValueTask DisposeAsync() => upload.DisposeAsync();
        }
    }
}
