namespace Workmates.OttKit.Mongo.Backup;

/// <summary>What a backup or restore is doing.</summary>
public enum BackupStage
{
    /// <summary>Choosing the member to read from, checking the oplog window.</summary>
    Preparing,

    /// <summary>Copying collections (or, for a restore, inserting them).</summary>
    Collections,

    /// <summary>Copying (or replaying) the oplog slice.</summary>
    Oplog,

    /// <summary>Building indexes (restore).</summary>
    Indexes,

    /// <summary>Completing the upload and writing the manifest (backup) or finishing (restore).</summary>
    Finishing,

    /// <summary>Done.</summary>
    Completed,
}

/// <summary>
/// One progress event of a backup, restore or verify: cumulative counters, the stage and the namespace the event is
/// about. Published through <see cref="IProgress{T}"/>; the CLI renders them, tests assert on them.
/// </summary>
/// <param name="Stage">The stage.</param>
/// <param name="Message">A short human line, e.g. <c>dumped ott.videos (1200 documents)</c>.</param>
/// <param name="Namespace">The namespace the event is about, or <see langword="null"/>.</param>
/// <param name="Documents">Documents processed so far (all namespaces).</param>
/// <param name="Bytes">Uncompressed BSON bytes processed so far.</param>
/// <param name="NamespacesDone">Namespaces finished so far.</param>
/// <param name="NamespacesTotal">Namespaces to process.</param>
public sealed record BackupProgress(BackupStage Stage, string Message, string? Namespace, long Documents, long Bytes, int NamespacesDone, int NamespacesTotal);
