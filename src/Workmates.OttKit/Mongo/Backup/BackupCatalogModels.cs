namespace Workmates.OttKit.Mongo.Backup;

/// <summary>A complete backup: a readable manifest and the archive it describes.</summary>
/// <param name="BackupId">The backup id.</param>
/// <param name="Manifest">The manifest.</param>
/// <param name="ManifestObject">The manifest object.</param>
/// <param name="ArchiveObject">The archive object.</param>
public sealed record BackupCatalogEntry(string BackupId, BackupManifest Manifest, BackupObjectInfo ManifestObject, BackupObjectInfo ArchiveObject);

/// <summary>An archive without a manifest: a backup that is still being finished, failed, or was half-deleted.</summary>
/// <param name="BackupId">The backup id taken from the archive's key.</param>
/// <param name="ArchiveObject">The archive object.</param>
public sealed record BackupIncomplete(string BackupId, BackupObjectInfo ArchiveObject);

/// <summary>Something under the prefix that is neither a complete nor an incomplete backup; it needs a person.</summary>
/// <param name="BackupId">The backup id taken from the key.</param>
/// <param name="Key">The object key concerned.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record BackupCatalogProblem(string BackupId, string Key, string Problem);

/// <summary>What a prefix holds.</summary>
/// <param name="Complete">Complete backups, newest first.</param>
/// <param name="Incomplete">Archives without a manifest, newest first.</param>
/// <param name="Problems">Unreadable manifests, manifests without their archive, size mismatches.</param>
public sealed record BackupCatalogListing(
    IReadOnlyList<BackupCatalogEntry> Complete,
    IReadOnlyList<BackupIncomplete> Incomplete,
    IReadOnlyList<BackupCatalogProblem> Problems)
{
    /// <summary>The newest complete backup, if any.</summary>
    public BackupCatalogEntry? Latest => Complete.Count > 0 ? Complete[0] : null;
}

/// <summary>What retention does with one backup.</summary>
public enum BackupPruneAction
{
    /// <summary>The backup stays.</summary>
    Keep,

    /// <summary>The backup is deleted (or would be, in a dry run).</summary>
    Delete,
}

/// <summary>The decision for one backup, and why.</summary>
/// <param name="BackupId">The backup id.</param>
/// <param name="Complete">Whether it is a complete backup (else an archive without a manifest).</param>
/// <param name="Action">Keep or delete.</param>
/// <param name="Reason">Why, in words, for example "newest complete backup" or "older than the 15-day retention".</param>
/// <param name="Age">Age at the time of the prune (from the manifest's completion, or the archive's last write).</param>
/// <param name="Keys">The objects concerned, in deletion order (manifest first).</param>
public sealed record BackupPruneDecision(
    string BackupId,
    bool Complete,
    BackupPruneAction Action,
    string Reason,
    TimeSpan Age,
    IReadOnlyList<string> Keys)
{
    /// <summary>Whether the objects were deleted (false in a dry run or when a delete failed).</summary>
    public bool Deleted { get; init; }

    /// <summary>Why a delete failed, when it did; the backup may then lack its manifest but never looks complete.</summary>
    public string? Error { get; init; }
}

/// <summary>The outcome of <see cref="BackupCatalog.PruneAsync"/>.</summary>
/// <param name="DryRun">Whether nothing was deleted on purpose.</param>
/// <param name="Now">The time ages were measured from.</param>
/// <param name="Retention">Backups older than this were candidates for deletion.</param>
/// <param name="MinimumKept">Complete backups always kept, newest first.</param>
/// <param name="Decisions">One per backup, newest first (complete ones, then incomplete ones).</param>
/// <param name="Problems">What was left alone because it needs a person.</param>
public sealed record BackupPruneReport(
    bool DryRun,
    DateTimeOffset Now,
    TimeSpan Retention,
    int MinimumKept,
    IReadOnlyList<BackupPruneDecision> Decisions,
    IReadOnlyList<BackupCatalogProblem> Problems)
{
    /// <summary>Backups kept.</summary>
    public IEnumerable<BackupPruneDecision> Kept => Decisions.Where(d => d.Action == BackupPruneAction.Keep);

    /// <summary>Backups deleted, or to delete in a dry run.</summary>
    public IEnumerable<BackupPruneDecision> ToDelete => Decisions.Where(d => d.Action == BackupPruneAction.Delete);

    /// <summary>Whether a delete failed.</summary>
    public bool HasFailures => Decisions.Any(d => d.Error is not null);
}
