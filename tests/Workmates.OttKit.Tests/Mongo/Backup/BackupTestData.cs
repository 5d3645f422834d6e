using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>Manifests and archives for catalog tests.</summary>
internal static class BackupTestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    public static BackupManifest Manifest(string backupId, DateTimeOffset completedAt, byte[] archive, string prefix = "mongo/rs0") => new()
    {
        BackupId = backupId,
        ArchiveKey = $"{prefix}/{backupId}.archive.gz",
        StartedAt = completedAt.AddMinutes(-7),
        CompletedAt = completedAt,
        SourceMember = "mongo-2.internal:27017",
        ReplicaSetName = "rs0",
        ServerVersion = "7.0.14",
        OplogStart = new BackupOplogPosition(1_763_780_000, 1),
        OplogEnd = new BackupOplogPosition(1_763_780_420, 17),
        Namespaces =
        [
            new BackupNamespaceEntry("ott", "videos", 1200, 3_400_000, unchecked((long)0xE7A3_2C41_9B00_12F5UL)),
            new BackupNamespaceEntry("local", "oplog.rs", 42, 9_000, 12345),
        ],
        RawBytes = 3_409_000,
        CompressedBytes = archive.LongLength,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(archive)),
        Duration = TimeSpan.FromSeconds(421.5),
        ToolVersion = "0.1.0",
    };

    public static byte[] Archive(int seed)
    {
        var bytes = new byte[1000 + seed];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
