namespace Workmates.OttKit.Mongo.Backup;

/// <summary>Verification of a stored backup, without restoring it.</summary>
public sealed partial class BackupCatalog
{
    /// <summary>
    /// Re-reads a backup end to end and checks the SHA-256 of the object, the archive structure and every namespace's
    /// CRC-64 and document count against the archive's EOF blocks and the manifest (see <see cref="BackupVerifier"/>).
    /// </summary>
    /// <param name="backupId">A backup id or <c>latest</c>.</param>
    /// <param name="progress">Where progress events go.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What was checked.</returns>
    /// <exception cref="MongoBackupException">Missing (<see cref="MongoBackupFailureReason.NotFound"/>) or corrupted
    /// (<see cref="MongoBackupFailureReason.Corrupted"/>, naming the namespace at fault).</exception>
    public Task<BackupVerification> VerifyAsync(string backupId, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default) =>
        BackupVerifier.VerifyAsync(_store, Prefix, backupId, progress, cancellationToken);
}
