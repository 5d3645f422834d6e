using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>How to restore one backup.</summary>
public sealed record RestoreOptions
{
    /// <summary>The replica set to restore into (a user with the <c>restore</c> role). Not used by a dry run.</summary>
    public required MongoConnectionString ConnectionString { get; init; }

    /// <summary>Key prefix of the backups in the store.</summary>
    /// <value>Default: <c>mongo</c>.</value>
    public string Prefix { get; init; } = "mongo";

    /// <summary>The backup id to restore, or <c>latest</c> for the newest complete backup.</summary>
    /// <value>Default: <c>latest</c>.</value>
    public string BackupId { get; init; } = "latest";

    /// <summary>Source namespaces to restore (<c>--nsInclude</c> patterns); empty means all.</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyList<string> IncludeNamespaces { get; init; } = [];

    /// <summary>Source namespaces to leave out (<c>--nsExclude</c> patterns).</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    /// <summary>Renames (<c>--nsFrom</c>/<c>--nsTo</c>), applied after the include/exclude filter; the first match wins.</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyList<NamespaceRename> Renames { get; init; } = [];

    /// <summary>
    /// Replace each target collection (<c>--drop</c>): the old collection is dropped only when its verified replacement
    /// is renamed onto it (<c>renameCollection</c> with <c>dropTarget</c>), so a failed restore leaves it as it was.
    /// Views and timeseries collections, which cannot be renamed, are dropped and re-created in place.
    /// </summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool Drop { get; init; }

    /// <summary>Read and check the whole backup, list namespaces and counts, and write nothing.</summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool DryRun { get; init; }

    /// <summary>Replay the backup's oplog slice (<c>--oplogReplay</c>) so the data is consistent as of its end.</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ReplayOplog { get; init; } = true;

    /// <summary>
    /// Verify the whole object (SHA-256, size, prelude checksum, structure, every CRC) before the first write, at the
    /// cost of reading it twice. Without it the same checks run while reading and staged collections are still only
    /// committed once all of them passed, but namespaces written in place (timeseries, a merge into an existing
    /// collection without <see cref="Drop"/>) may receive documents before a late fault is found.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool VerifyFirst { get; init; } = true;

    /// <summary>Insert commands in flight at the same time.</summary>
    /// <value>Default: 4.</value>
    public int ParallelInserts { get; init; } = 4;

    /// <summary>Documents per insert batch (the server further splits to its limits).</summary>
    /// <value>Default: 1000.</value>
    public int BatchDocuments { get; init; } = 1000;

    /// <summary>Where progress events go.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public IProgress<BackupProgress>? Progress { get; init; }

    /// <summary>The rules of <see cref="RestoreOptions"/> (see <see cref="OptionsRules{TOptions}"/>), checked before anything is read or written.</summary>
    internal sealed class Rules : OptionsRules<RestoreOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(RestoreOptions options, OptionsProblems problems)
        {
            if (string.IsNullOrWhiteSpace(options.Prefix))
            {
                problems.Add(nameof(Prefix), "is empty", "use the prefix the backups were written under, for example 'mongo'.");
            }

            if (string.IsNullOrWhiteSpace(options.BackupId))
            {
                problems.Add(nameof(BackupId), "is empty", "use 'latest' (the default) or a backup id such as 20261122T031500Z.");
            }

            if (options.ParallelInserts < 1)
            {
                problems.Add(nameof(ParallelInserts), $"is {options.ParallelInserts}, less than 1", "use at least 1 (the default is 4).");
            }

            if (options.BatchDocuments < 1)
            {
                problems.Add(nameof(BatchDocuments), $"is {options.BatchDocuments}, less than 1", "use at least 1 (the default is 1000).");
            }
        }
    }
}

/// <summary>What a restore did (or, for a dry run, would do).</summary>
/// <param name="BackupId">The backup restored.</param>
/// <param name="DryRun">Whether nothing was written.</param>
/// <param name="Namespaces">Every namespace restored, with target names and counts.</param>
/// <param name="OplogEntriesApplied">Oplog entries replayed (or, in a dry run, that would be).</param>
public sealed record RestoreResult(string BackupId, bool DryRun, IReadOnlyList<RestoredNamespace> Namespaces, long OplogEntriesApplied)
{
    /// <summary>Documents inserted (or read, in a dry run).</summary>
    public long Documents => Namespaces.Sum(n => n.Documents);

    /// <summary>Documents the target refused (duplicate keys, validation).</summary>
    public long FailedDocuments => Namespaces.Sum(n => n.FailedDocuments);
}

/// <summary>One namespace of a restore.</summary>
/// <param name="Source">Namespace in the backup (<c>db.coll</c>).</param>
/// <param name="Target">Namespace written (after renames).</param>
/// <param name="Type"><c>collection</c>, <c>view</c> or <c>timeseries</c>.</param>
/// <param name="Documents">Documents inserted (read, in a dry run).</param>
/// <param name="FailedDocuments">Documents the target refused.</param>
/// <param name="Indexes">Indexes built (besides <c>_id_</c>).</param>
public sealed record RestoredNamespace(string Source, string Target, string Type, long Documents, long FailedDocuments, int Indexes);
