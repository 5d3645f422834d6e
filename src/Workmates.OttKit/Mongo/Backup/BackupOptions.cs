using System.IO.Compression;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>How to take one backup.</summary>
public sealed record BackupOptions
{
    /// <summary>The replica set to back up (a user with the <c>backup</c> role).</summary>
    public required MongoConnectionString ConnectionString { get; init; }

    /// <summary>Key prefix of the backups in the store (no trailing slash), e.g. <c>prod/mongo</c>.</summary>
    /// <value>Default: <c>mongo</c>.</value>
    public string Prefix { get; init; } = "mongo";

    /// <summary>Whether the primary may serve the backup when no secondary qualifies.</summary>
    /// <value>Default: <see langword="false"/> (a backup never loads the primary unless told to).</value>
    public bool AllowPrimary { get; init; }

    /// <summary>A secondary whose replication lag is above this is not used.</summary>
    /// <value>Default: 20 seconds.</value>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long the dump is expected to take: the backup refuses to start when the source's oplog window is shorter
    /// (the oplog would roll over before the dump ends). <see cref="TimeSpan.Zero"/> disables the check.
    /// </summary>
    /// <value>Default: 30 minutes.</value>
    public TimeSpan ExpectedDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Collections dumped at the same time (mongodump's <c>-j</c>).</summary>
    /// <value>Default: 4.</value>
    public int ParallelCollections { get; init; } = 4;

    /// <summary>Documents per cursor batch; <see langword="null"/> lets the server choose (up to 16 MiB per batch).</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public int? BatchSize { get; init; }

    /// <summary>Namespaces to include, as mongodump's <c>--nsInclude</c> (<c>db.coll</c>, <c>*</c> wildcards); empty means all.</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyList<string> IncludeNamespaces { get; init; } = [];

    /// <summary>Namespaces to leave out (<c>--nsExclude</c>).</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    /// <summary>Gzip level of the archive.</summary>
    /// <value>Default: <see cref="CompressionLevel.Fastest"/>.</value>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Threads that deflate the archive. With more than one, the archive is compressed in 4 MiB blocks in parallel
    /// and still stored as one gzip stream that <c>mongorestore --archive --gzip</c> reads (see
    /// <see cref="Archive.ArchiveCompressionOptions"/>); 1 compresses on one thread as a plain gzip stream does.
    /// </summary>
    /// <value>Default: <see cref="Archive.ArchiveCompressionOptions.DefaultWorkers"/> (one per processor, at most 8); 1 to 64.</value>
    public int CompressionWorkers { get; init; } = Archive.ArchiveCompressionOptions.DefaultWorkers;

    /// <summary>KMS key for SSE-KMS of the archive and the manifest; <see langword="null"/> uses the bucket default.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? KmsKeyId { get; init; }

    /// <summary>Parts uploaded at the same time.</summary>
    /// <value>Default: 4.</value>
    public int MaxParallelParts { get; init; } = 4;

    /// <summary>The backup id; <see langword="null"/> uses the start time, e.g. <c>20261122T031500Z</c>.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? BackupId { get; init; }

    /// <summary>Where progress events go.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public IProgress<BackupProgress>? Progress { get; init; }
}

/// <summary>A completed backup.</summary>
/// <param name="Manifest">The manifest as written.</param>
/// <param name="ManifestKey">Object key of the manifest.</param>
/// <param name="PartCount">Parts the archive was uploaded in.</param>
public sealed record BackupResult(BackupManifest Manifest, string ManifestKey, int PartCount);
