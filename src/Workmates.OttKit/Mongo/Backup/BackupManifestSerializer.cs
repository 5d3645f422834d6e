using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>The manifest's JSON form (camelCase, indented, durations as <c>hh:mm:ss</c>).</summary>
internal static class BackupManifestSerializer
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize(BackupManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, s_options);

    public static BackupManifest Deserialize(ReadOnlySpan<byte> json, string key) =>
        JsonSerializer.Deserialize<BackupManifest>(json, s_options)
        ?? throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"The manifest {key} is empty.");
}
