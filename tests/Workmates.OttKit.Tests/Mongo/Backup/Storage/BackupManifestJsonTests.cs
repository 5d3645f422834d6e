using System.Text;
using System.Text.Json;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupTestData;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

public sealed class BackupManifestJsonTests
{
    [Fact]
    public void Round_trip_gives_an_equal_manifest()
    {
        var manifest = Manifest("20261122T031500Z", Now, BackupTestData.Archive(1));

        var read = BackupManifestJson.Deserialize(BackupManifestJson.Serialize(manifest), "k");

        Assert.Equal(manifest with { Namespaces = [] }, read with { Namespaces = [] });
        Assert.Equal(manifest.Namespaces, read.Namespaces);
    }

    [Fact]
    public void Serialization_is_stable_camelCase_with_crc_as_string()
    {
        var manifest = Manifest("20261122T031500Z", Now, BackupTestData.Archive(1));

        var first = BackupManifestJson.Serialize(manifest);
        var second = BackupManifestJson.Serialize(manifest with { Namespaces = [.. manifest.Namespaces] });
        using var document = JsonDocument.Parse(first);
        var root = document.RootElement;

        Assert.Equal(first, second);
        Assert.Equal(
            ["formatVersion", "backupId", "archiveKey", "startedAt", "completedAt", "sourceMember", "replicaSetName", "serverVersion", "oplogStart", "oplogEnd", "namespaces", "rawBytes", "compressedBytes", "sha256", "duration", "toolVersion"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.String, root.GetProperty("namespaces")[0].GetProperty("crc64").ValueKind);
        Assert.Equal("2026-11-22T03:00:00+00:00", root.GetProperty("completedAt").GetString());
        Assert.Equal(1_763_780_420u, root.GetProperty("oplogEnd").GetProperty("seconds").GetUInt32());
        Assert.Equal("00:07:01.5000000", root.GetProperty("duration").GetString());
    }

    [Fact]
    public void A_64_bit_crc_above_long_max_survives_the_round_trip()
    {
        var manifest = Manifest("20261122T031500Z", Now, BackupTestData.Archive(1));
        var crc = manifest.Namespaces[0].Crc64;

        var read = BackupManifestJson.Deserialize(BackupManifestJson.Serialize(manifest), "k");

        Assert.True(crc < 0);
        Assert.Equal(crc, read.Namespaces[0].Crc64);
    }

    [Fact]
    public void Bad_json_throws_a_manifest_exception_naming_the_key()
    {
        var error = Assert.Throws<BackupManifestException>(() => BackupManifestJson.Deserialize("{\"backupId\":"u8, "p/x.manifest.json"));

        Assert.Equal("p/x.manifest.json", error.Key);
        Assert.Contains("p/x.manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_field_is_rejected()
    {
        var json = Encoding.UTF8.GetString(BackupManifestJson.Serialize(Manifest("20261122T031500Z", Now, BackupTestData.Archive(1))))
            .Replace("\"sha256\"", "\"sha256x\"", StringComparison.Ordinal);

        Assert.Throws<BackupManifestException>(() => BackupManifestJson.Deserialize(Encoding.UTF8.GetBytes(json), "k"));
    }

    [Fact]
    public void A_newer_format_version_is_rejected_with_an_upgrade_hint()
    {
        var manifest = Manifest("20261122T031500Z", Now, BackupTestData.Archive(1)) with { FormatVersion = 2 };

        var error = Assert.Throws<BackupManifestException>(() => BackupManifestJson.Deserialize(BackupManifestJson.Serialize(manifest), "k"));

        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_sha256_is_rejected()
    {
        var manifest = Manifest("20261122T031500Z", Now, BackupTestData.Archive(1)) with { Sha256 = "ABC" };

        Assert.Throws<BackupManifestException>(() => BackupManifestJson.Deserialize(BackupManifestJson.Serialize(manifest), "k"));
    }

    [Fact]
    public void Unknown_properties_are_ignored_for_forward_compatibility()
    {
        var json = Encoding.UTF8.GetString(BackupManifestJson.Serialize(Manifest("20261122T031500Z", Now, BackupTestData.Archive(1))))
            .Replace("\"formatVersion\": 1,", "\"formatVersion\": 1, \"futureField\": {\"a\": 1},", StringComparison.Ordinal);

        Assert.Equal("20261122T031500Z", BackupManifestJson.Deserialize(Encoding.UTF8.GetBytes(json), "k").BackupId);
    }
}
