namespace Workmates.OttKit.Mongo.Backup;

/// <summary>Why a backup, restore or verify failed.</summary>
public enum MongoBackupFailureReason
{
    /// <summary>No member may serve the backup: none is a healthy secondary within the lag limit and the primary is not allowed.</summary>
    NoEligibleSource,

    /// <summary>The oplog window is shorter than the expected duration: the oplog would roll over during the dump.</summary>
    OplogWindowTooShort,

    /// <summary>The oplog rolled over during the dump: entries after the recorded start are gone, the backup would be inconsistent.</summary>
    OplogOverflow,

    /// <summary>The source member failed (connection lost, command refused) while reading.</summary>
    SourceFailed,

    /// <summary>The object store refused the upload for good; the multipart upload was aborted.</summary>
    UploadFailed,

    /// <summary>The stored backup does not match its manifest: SHA-256, archive structure or a namespace CRC.</summary>
    Corrupted,

    /// <summary>The backup named (or "latest") does not exist or has no manifest.</summary>
    NotFound,

    /// <summary>The target refused a write during a restore.</summary>
    TargetFailed,

    /// <summary>A namespace pattern or rename is invalid; the message names it and the fix. (Out-of-range options
    /// throw <see cref="Blueprint.OttKitValidationException"/>, as every OttKit options type does.)</summary>
    InvalidOptions,
}

/// <summary>
/// A backup, restore or verify failed. No manifest is ever written for a failed backup, so a failed backup is never
/// listed as complete. <see cref="Reason"/> says which family of failure; <see cref="Namespace"/> names the
/// namespace involved when there is one.
/// </summary>
public sealed class MongoBackupException : OttKitMongoException
{
    /// <summary>Creates the exception with <see cref="MongoBackupFailureReason.SourceFailed"/>.</summary>
    public MongoBackupException()
        : this(MongoBackupFailureReason.SourceFailed, "The backup failed.")
    {
    }

    /// <summary>Creates the exception with <see cref="MongoBackupFailureReason.SourceFailed"/>.</summary>
    /// <param name="message">What happened.</param>
    public MongoBackupException(string message)
        : this(MongoBackupFailureReason.SourceFailed, message)
    {
    }

    /// <summary>Creates the exception with <see cref="MongoBackupFailureReason.SourceFailed"/>.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public MongoBackupException(string message, Exception innerException)
        : this(MongoBackupFailureReason.SourceFailed, message, innerException: innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The failure family.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="ns">The namespace involved (<c>db.collection</c>), if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MongoBackupException(MongoBackupFailureReason reason, string message, string? ns = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Namespace = ns;
    }

    /// <summary>The failure family.</summary>
    public MongoBackupFailureReason Reason { get; }

    /// <summary>The namespace involved (<c>db.collection</c>), or <see langword="null"/>.</summary>
    public string? Namespace { get; }

    /// <summary>
    /// For a restore that failed after connecting to the target: what it had changed there (committed namespaces,
    /// in-place writes, staging collections left) and how to undo it; <see langword="null"/> otherwise.
    /// </summary>
    public RestoreReport? RestoreReport { get; init; }

    /// <summary>A short stable code for scripts and JSON output, e.g. <c>oplog-overflow</c>.</summary>
    public string Code => Reason switch
    {
        MongoBackupFailureReason.NoEligibleSource => "no-eligible-source",
        MongoBackupFailureReason.OplogWindowTooShort => "oplog-window-too-short",
        MongoBackupFailureReason.OplogOverflow => "oplog-overflow",
        MongoBackupFailureReason.SourceFailed => "source-failed",
        MongoBackupFailureReason.UploadFailed => "upload-failed",
        MongoBackupFailureReason.Corrupted => "corrupted",
        MongoBackupFailureReason.NotFound => "not-found",
        MongoBackupFailureReason.TargetFailed => "target-failed",
        _ => "invalid-options",
    };
}
