using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

/// <summary>Archive header values outside their range are format errors, never <see cref="OverflowException"/>.</summary>
public sealed class ArchiveHeaderLimitTests
{
    private static byte[] ArchiveWithHeader(BsonDocument header) =>
        [0x6D, 0xE2, 0x99, 0x81, .. header.ToBson(), 0xFF, 0xFF, 0xFF, 0xFF];

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(5_000_000_000L)]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    public async Task Read_ConcurrentCollectionsOutsideInt32_IsAFormatError(long value)
    {
        var bytes = ArchiveWithHeader(new BsonDocument { { "concurrent_collections", value }, { "version", "0.1" } });

        var error = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(new MemoryStream(bytes)));

        Assert.Contains("concurrent_collections", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Read_ConcurrentCollectionsAsInt64InRange_IsAccepted()
    {
        var bytes = ArchiveWithHeader(new BsonDocument { { "concurrent_collections", 4L }, { "version", "0.1" } });

        var read = await ArchiveTestData.ReadAllAsync(new MemoryStream(bytes));

        Assert.Equal(4, read.Prelude!.Header.ConcurrentCollections);
    }
}
