namespace Workmates.OttKit.Mongo.Backup;

/// <summary>Finds manifests through the catalog: a backup exists (is complete) exactly when its manifest does.</summary>
internal static class BackupManifests
{
    /// <summary>The manifest of <paramref name="backupId"/>, or of the newest complete backup for <c>latest</c>.</summary>
    public static async Task<BackupManifest> FindAsync(IBackupObjectStore store, string prefix, string backupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupId);
        var catalog = new BackupCatalog(store, prefix);
        var listing = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        var entry = string.Equals(backupId, BackupCatalog.Latest, StringComparison.OrdinalIgnoreCase)
            ? listing.Latest
            : listing.Complete.FirstOrDefault(e => e.BackupId == backupId);
        if (entry is not null)
        {
            return entry.Manifest;
        }

        // A backup whose manifest exists but whose archive is damaged is corrupted, not missing.
        if (listing.Problems.FirstOrDefault(p => p.BackupId == backupId) is { } problem)
        {
            throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup '{backupId}' is {problem.Problem} ({problem.Key}); restore another backup or take a new one.");
        }

        throw new MongoBackupException(
            MongoBackupFailureReason.NotFound,
            string.Equals(backupId, BackupCatalog.Latest, StringComparison.OrdinalIgnoreCase)
                ? $"No complete backup under '{catalog.Prefix}' (no *.manifest.json): take one with 'ottkit mongo backup' first."
                : $"Backup '{backupId}' has no manifest under '{catalog.Prefix}': it does not exist or did not complete. List the complete ones with 'ottkit mongo backups list'.");
    }
}
