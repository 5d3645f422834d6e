using System.Text.Json.Serialization;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// The record of one complete backup, stored last as <c>&lt;prefix&gt;/&lt;backup-id&gt;.manifest.json</c> next to the
/// archive <c>&lt;prefix&gt;/&lt;backup-id&gt;.archive.gz</c>. Its presence is what makes a backup complete: a backup
/// without a manifest is unfinished or half-deleted and is never restored or counted as kept.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>Format version of this manifest.</summary>
    /// <value>Currently 1.</value>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Backup id: the UTC start time, sortable, for example <c>20261122T031500Z</c>.</summary>
    public required string BackupId { get; init; }

    /// <summary>Object key of the archive (mongodump <c>--archive --gzip</c> format).</summary>
    public required string ArchiveKey { get; init; }

    /// <summary>When the dump started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the manifest was written (UTC).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>The member the data was read from, <c>host:port</c>.</summary>
    public required string SourceMember { get; init; }

    /// <summary>Replica set name.</summary>
    public string? ReplicaSetName { get; init; }

    /// <summary>MongoDB server version of the source member.</summary>
    public required string ServerVersion { get; init; }

    /// <summary>Oplog position (timestamp seconds and increment) before the first collection was read.</summary>
    public required BackupOplogPosition OplogStart { get; init; }

    /// <summary>Last oplog entry copied into the archive: restore replays up to and including it.</summary>
    public required BackupOplogPosition OplogEnd { get; init; }

    /// <summary>Per-namespace document counts and uncompressed BSON bytes, in archive order.</summary>
    public required IReadOnlyList<BackupNamespaceEntry> Namespaces { get; init; }

    /// <summary>Size of the archive before compression, in bytes.</summary>
    public required long RawBytes { get; init; }

    /// <summary>Size of the stored (gzip-compressed) archive, in bytes.</summary>
    public required long CompressedBytes { get; init; }

    /// <summary>SHA-256 of the stored archive object, lowercase hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>
    /// SHA-256 of the archive's uncompressed prelude (magic number, header, collection entries, terminator), lowercase
    /// hex. mongodump's format checksums only the documents (CRC-64 per namespace); this covers the bytes that
    /// create collections, views and indexes, so restore checks it before acting on the prelude. Absent in manifests
    /// written before it existed.
    /// </summary>
    public string? PreludeSha256 { get; init; }

    /// <summary>Wall-clock duration of the backup.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Version of the library that wrote the backup.</summary>
    public required string ToolVersion { get; init; }
}

/// <summary>An oplog position: a BSON timestamp.</summary>
/// <param name="Seconds">Seconds since the Unix epoch.</param>
/// <param name="Increment">Ordinal within the second.</param>
public sealed record BackupOplogPosition(uint Seconds, uint Increment);

/// <summary>One namespace of a backup.</summary>
/// <param name="Database">Database name.</param>
/// <param name="Collection">Collection name (<c>oplog.rs</c> for the oplog slice).</param>
/// <param name="Documents">Documents written.</param>
/// <param name="Bytes">Uncompressed BSON bytes written.</param>
/// <param name="Crc64">CRC-64/XZ of the namespace's bodies as recorded in the archive's EOF header.</param>
public sealed record BackupNamespaceEntry(
    string Database,
    string Collection,
    long Documents,
    long Bytes,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)] long Crc64);
