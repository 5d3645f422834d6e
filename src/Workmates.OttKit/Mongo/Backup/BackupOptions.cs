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

    /// <summary>The rules of <see cref="BackupOptions"/> (see <see cref="OptionsRules{TOptions}"/>), checked before anything is read.</summary>
    internal sealed class Rules : OptionsRules<BackupOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(BackupOptions options, OptionsProblems problems)
        {
            if (string.IsNullOrWhiteSpace(options.Prefix))
            {
                problems.Add(nameof(Prefix), "is empty", "use for example 'mongo' or 'prod/mongo'.");
            }

            if (options.MaxLag < TimeSpan.Zero)
            {
                problems.Add(nameof(MaxLag), $"is {options.MaxLag}, negative", "use zero or more (the default is 00:00:20).");
            }

            if (options.ExpectedDuration < TimeSpan.Zero)
            {
                problems.Add(nameof(ExpectedDuration), $"is {options.ExpectedDuration}, negative", "use zero or more (the default is 00:30:00).");
            }

            if (options.ParallelCollections is < 1 or > 64)
            {
                problems.Add(nameof(ParallelCollections), $"is {options.ParallelCollections}, outside 1..64", "use 4 (mongodump's default) or another value from 1 to 64.");
            }

            if (options.BatchSize is < 1)
            {
                problems.Add(nameof(BatchSize), $"is {options.BatchSize}, less than 1", "leave it null for the server's default batch size.");
            }

            if (!Enum.IsDefined(options.CompressionLevel))
            {
                problems.Add(nameof(CompressionLevel), $"is {(int)options.CompressionLevel}, not a CompressionLevel", "use Fastest (the default, zlib level 1), Optimal (6), SmallestSize (9) or NoCompression.");
            }

            if (options.CompressionWorkers is < 1 or > Archive.ArchiveCompressionOptions.MaxWorkers)
            {
                problems.Add(nameof(CompressionWorkers), $"is {options.CompressionWorkers}, outside 1..{Archive.ArchiveCompressionOptions.MaxWorkers}", "set 1 for one gzip stream, or leave it unset for one per processor (at most 8).");
            }

            if (options.MaxParallelParts < 1)
            {
                problems.Add(nameof(MaxParallelParts), $"is {options.MaxParallelParts}, less than 1", "use at least 1 (the default is 4).");
            }
        }
    }
}

/// <summary>A completed backup.</summary>
/// <param name="Manifest">The manifest as written.</param>
/// <param name="ManifestKey">Object key of the manifest.</param>
/// <param name="PartCount">Parts the archive was uploaded in.</param>
public sealed record BackupResult(BackupManifest Manifest, string ManifestKey, int PartCount);
