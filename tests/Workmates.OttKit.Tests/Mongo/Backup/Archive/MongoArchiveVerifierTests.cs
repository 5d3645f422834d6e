using System.IO.Compression;
using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class MongoArchiveVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task VerifyAsync_EveryValidRealArchive_ReportsCountsAndTheSha256OfTheFile()
    {
        var reports = 0;
        foreach (var path in ArchiveTestData.RealArchives().Where(p => !p.EndsWith("bad-format.archive", StringComparison.Ordinal)))
        {
            var bytes = await File.ReadAllBytesAsync(path, Ct);

            var report = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(bytes), Ct);

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), report.Sha256);
            Assert.Equal(bytes.Length, report.StoredBytes);
            Assert.Equal(bytes.Length, report.ArchiveBytes);
            Assert.False(report.Gzip);
            Assert.Equal(report.Prelude.Collections.Count, report.CrcsVerified);
            reports++;
        }

        Assert.Equal(3, reports);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task VerifyAsync_GzipArchive_HashesTheCompressedBytesAndCountsTheArchive()
    {
        var plain = await File.ReadAllBytesAsync(ArchiveTestData.RealArchive("mongorestore/testdata/dump-w-oplog.archive"), Ct);
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(plain, Ct);
        }

        var report = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(compressed.ToArray()), Ct);

        Assert.True(report.Gzip);
        Assert.Equal(compressed.Length, report.StoredBytes);
        Assert.Equal(plain.Length, report.ArchiveBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(compressed.ToArray())), report.Sha256);
        Assert.Equal(44, report.Documents);
        Assert.Equal(3, report.CrcsVerified);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task VerifyAsync_CorruptedDocument_FailsNamingTheNamespace()
    {
        var bytes = await File.ReadAllBytesAsync(ArchiveTestData.RealArchive("mongorestore/testdata/test.bar.archive"), Ct);
        bytes[739 + 69 + 20] ^= 0x01; // inside the one document of test.bar (its block starts at 739, the header is 69 bytes)

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => MongoArchiveVerifier.VerifyAsync(new MemoryStream(bytes), Ct));

        Assert.Equal("test.bar", ex.Namespace);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task VerifyAsync_ChangedStoredCrc_FailsNamingTheNamespace()
    {
        var bytes = await File.ReadAllBytesAsync(ArchiveTestData.RealArchive("mongorestore/testdata/test.bar.archive"), Ct);
        bytes[666 + 60] ^= 0x01; // inside the CRC of the EOF header of admin.system.version at 666

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => MongoArchiveVerifier.VerifyAsync(new MemoryStream(bytes), Ct));

        Assert.Equal("admin.system.version", ex.Namespace);
        Assert.Equal(666, ex.Offset);
    }
}
