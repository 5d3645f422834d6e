namespace Workmates.OttKit.Mongo.Backup;

/// <summary>Finds manifests through the catalog: a backup exists (is complete) exactly when its manifest does.</summary>
internal static class BackupManifests
{
    /// <summary>The manifest of <paramref name="backupId"/>, or of the newest complete backup for <c>latest</c>.</summary>
    public static async Task<BackupManifest> FindAsync(IBackupObjectStore store, string prefix, string backupId, CancellationToken cancellationToken)
    {
        var catalog = new BackupCatalog(store, prefix);
        var entry = await catalog.FindAsync(backupId, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            return entry.Manifest;
        }

        throw new MongoBackupException(
            MongoBackupFailureReason.NotFound,
            string.Equals(backupId, BackupCatalog.Latest, StringComparison.OrdinalIgnoreCase)
                ? $"No complete backup under '{catalog.Prefix}' (no *.manifest.json): take one with 'ottkit mongo backup' first."
                : $"Backup '{backupId}' has no manifest under '{catalog.Prefix}': it does not exist or did not complete. List the complete ones with 'ottkit mongo backups list'.");
    }
}
