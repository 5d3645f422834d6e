using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Tests.Infrastructure;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class BackupS3rverTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task BackupThenRestore_ThroughARealS3ProtocolServer_RoundTrips()
    {
        using var client = s3rver.CreateClient();
        var bucket = await s3rver.CreateBucketAsync(Token);
        var store = new S3BackupObjectStore(client, bucket, new S3BackupObjectStoreOptions { UseChunkEncoding = false, UsePartChecksums = false });
        await using var source = StartSet();
        await using var target = StartSet();
        Seed(source);

        var backup = await new BackupRunner(store).RunAsync(BackupOptions(source), Token);
        var verified = await new BackupCatalog(store, "tests/mongo").VerifyAsync("latest", cancellationToken: Token);
        var restored = await new RestoreRunner(store).RunAsync(RestoreOptions(target), Token);

        Assert.Equal(backup.Manifest.Sha256, verified.Sha256);
        Assert.Equal(backup.Manifest.BackupId, restored.BackupId);
        AssertSameData(source, target);
    }
}
