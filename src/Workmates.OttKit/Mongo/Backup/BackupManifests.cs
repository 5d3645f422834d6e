namespace Workmates.OttKit.Mongo.Backup;

/// <summary>Finds and reads manifests: a backup exists (is complete) exactly when its manifest does.</summary>
internal static class BackupManifests
{
    public const string ManifestSuffix = ".manifest.json";

    /// <summary>The manifest of <paramref name="backupId"/>, or of the newest complete backup for <c>latest</c>.</summary>
    public static async Task<BackupManifest> FindAsync(IBackupObjectStore store, string prefix, string backupId, CancellationToken cancellationToken)
    {
        prefix = prefix.TrimEnd('/');
        var id = backupId;
        if (string.Equals(backupId, "latest", StringComparison.OrdinalIgnoreCase))
        {
            string? newest = null;
            await foreach (var info in store.ListAsync(prefix + "/", cancellationToken).ConfigureAwait(false))
            {
                if (info.Key.EndsWith(ManifestSuffix, StringComparison.Ordinal))
                {
                    var candidate = info.Key[(prefix.Length + 1)..^ManifestSuffix.Length];
                    if (!candidate.Contains('/', StringComparison.Ordinal) && (newest is null || string.CompareOrdinal(candidate, newest) > 0))
                    {
                        newest = candidate;
                    }
                }
            }

            id = newest ?? throw new MongoBackupException(MongoBackupFailureReason.NotFound, $"No complete backup under '{prefix}/' (no *.manifest.json): take one with 'ottkit mongo backup' first.");
        }

        var key = $"{prefix}/{id}{ManifestSuffix}";
        var bytes = await store.GetObjectAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new MongoBackupException(MongoBackupFailureReason.NotFound, $"Backup '{id}' has no manifest ({key}): it does not exist or did not complete. List the complete ones with 'ottkit mongo backups list'.");
        try
        {
            return BackupManifestSerializer.Deserialize(bytes, key);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"The manifest {key} is not valid JSON: {e.Message}", null, e);
        }
    }
}
