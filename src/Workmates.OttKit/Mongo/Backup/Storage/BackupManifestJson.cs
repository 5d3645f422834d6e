using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// The manifest's JSON form: camelCase, indented, properties in declaration order, CRCs as strings (64-bit values do
/// not survive JavaScript numbers), times in ISO 8601 with offset, the duration as <c>[d.]hh:mm:ss[.fffffff]</c>.
/// Serializing the same manifest always gives the same bytes.
/// </summary>
public static class BackupManifestJson
{
    /// <summary>The manifest format version this library reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Serializes a manifest to UTF-8 JSON.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] Serialize(BackupManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.SerializeToUtf8Bytes(manifest, BackupManifestJsonContext.Default.BackupManifest);
    }

    /// <summary>Reads and checks a manifest.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="key">The object key it was read from (for the error message).</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="BackupManifestException">Not JSON, a required field missing or invalid, or a newer format.</exception>
    public static BackupManifest Deserialize(ReadOnlySpan<byte> json, string key)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, BackupManifestJsonContext.Default.BackupManifest);
        }
        catch (JsonException error)
        {
            throw new BackupManifestException(key, $"not a valid manifest: {error.Message}", error);
        }

        if (manifest is null)
        {
            throw new BackupManifestException(key, "the manifest is JSON null");
        }

        var problem = manifest switch
        {
            { FormatVersion: > CurrentFormatVersion } => $"format version {manifest.FormatVersion} is newer than this tool reads ({CurrentFormatVersion}); upgrade Workmates.OttKit",
            { FormatVersion: < 1 } => $"format version {manifest.FormatVersion} is not valid",
            { BackupId: null or "" } => "backupId is empty",
            { ArchiveKey: null or "" } => "archiveKey is empty",
            { Namespaces: null } => "namespaces is missing",
            { Sha256: var sha } when sha is null || sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower) => "sha256 must be 64 lowercase hex digits",
            { PreludeSha256: { } prelude } when prelude.Length != 64 || !prelude.All(char.IsAsciiHexDigitLower) => "preludeSha256 must be 64 lowercase hex digits",
            { CompressedBytes: < 0 } or { RawBytes: < 0 } => "sizes must not be negative",
            _ => null,
        };
        return problem is null ? manifest : throw new BackupManifestException(key, problem);
    }
}

/// <summary>Source-generated serializer for the manifest (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupManifestJsonContext : JsonSerializerContext;
