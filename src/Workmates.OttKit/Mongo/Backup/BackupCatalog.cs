using System.Globalization;
using Workmates.OttKit.Mongo.Backup.Storage;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// The backups under one prefix of an <see cref="IBackupObjectStore"/>: <c>&lt;prefix&gt;/&lt;backup-id&gt;.archive.gz</c>
/// and, once complete, <c>&lt;prefix&gt;/&lt;backup-id&gt;.manifest.json</c>. Lists them, finds the latest, applies
/// retention safely, and opens an archive for a verify or a restore with its SHA-256 checked while it is read.
/// </summary>
public sealed partial class BackupCatalog
{
    /// <summary>Suffix of manifest keys.</summary>
    public const string ManifestSuffix = ".manifest.json";

    /// <summary>Suffix of archive keys.</summary>
    public const string ArchiveSuffix = ".archive.gz";

    /// <summary>The id <see cref="FindAsync"/> understands as "the newest complete backup".</summary>
    public const string Latest = "latest";

    private readonly IBackupObjectStore _store;
    private readonly string _keyPrefix;

    /// <summary>Creates the catalog of one prefix.</summary>
    /// <param name="store">Where the backups are.</param>
    /// <param name="prefix">Key prefix without trailing slash, for example <c>mongo/prod-rs0</c>; empty for the bucket root.</param>
    public BackupCatalog(IBackupObjectStore store, string prefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(prefix);
        _store = store;
        Prefix = prefix.TrimEnd('/');
        _keyPrefix = Prefix.Length == 0 ? string.Empty : Prefix + "/";
    }

    /// <summary>The key prefix, without trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>The manifest key of a backup.</summary>
    /// <param name="backupId">The backup id.</param>
    /// <returns><c>&lt;prefix&gt;/&lt;backup-id&gt;.manifest.json</c>.</returns>
    public string ManifestKey(string backupId) => _keyPrefix + backupId + ManifestSuffix;

    /// <summary>The archive key of a backup.</summary>
    /// <param name="backupId">The backup id.</param>
    /// <returns><c>&lt;prefix&gt;/&lt;backup-id&gt;.archive.gz</c>.</returns>
    public string ArchiveKey(string backupId) => _keyPrefix + backupId + ArchiveSuffix;

    /// <summary>The backup id for a start time: <c>yyyyMMddTHHmmssZ</c> in UTC, so ids sort by time.</summary>
    /// <param name="startedAt">When the backup started.</param>
    /// <returns>The id, for example <c>20261122T031500Z</c>.</returns>
    public static string NewBackupId(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lists the complete backups, the incomplete ones and the problems under the prefix.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The listing; a bad manifest is reported as a problem, never thrown.</returns>
    public async Task<BackupCatalogListing> ListAsync(CancellationToken cancellationToken)
    {
        var manifests = new Dictionary<string, BackupObjectInfo>(StringComparer.Ordinal);
        var archives = new Dictionary<string, BackupObjectInfo>(StringComparer.Ordinal);
        await foreach (var item in _store.ListAsync(_keyPrefix, cancellationToken).ConfigureAwait(false))
        {
            var name = item.Key[_keyPrefix.Length..];
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            if (name.EndsWith(ManifestSuffix, StringComparison.Ordinal) && name.Length > ManifestSuffix.Length)
            {
                manifests[name[..^ManifestSuffix.Length]] = item;
            }
            else if (name.EndsWith(ArchiveSuffix, StringComparison.Ordinal) && name.Length > ArchiveSuffix.Length)
            {
                archives[name[..^ArchiveSuffix.Length]] = item;
            }
        }

        var complete = new List<BackupCatalogEntry>();
        var problems = new List<BackupCatalogProblem>();
        foreach (var (id, manifestObject) in manifests)
        {
            var manifest = await ReadManifestAsync(id, manifestObject.Key, problems, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                continue;
            }

            if (!archives.TryGetValue(id, out var archive))
            {
                problems.Add(new BackupCatalogProblem(id, manifestObject.Key, $"manifest without its archive '{ArchiveKey(id)}': the backup cannot be restored"));
            }
            else if (archive.SizeBytes != manifest.CompressedBytes)
            {
                var change = archive.SizeBytes < manifest.CompressedBytes
                    ? $"truncated: {manifest.CompressedBytes - archive.SizeBytes} bytes missing"
                    : $"extended: {archive.SizeBytes - manifest.CompressedBytes} bytes more than written";
                problems.Add(new BackupCatalogProblem(id, archive.Key, $"corrupted ({change}): the archive is {archive.SizeBytes} bytes, the manifest records {manifest.CompressedBytes}"));
            }
            else
            {
                complete.Add(new BackupCatalogEntry(id, manifest, manifestObject, archive));
            }
        }

        var incomplete = archives.Where(a => !manifests.ContainsKey(a.Key))
            .Select(a => new BackupIncomplete(a.Key, a.Value))
            .OrderByDescending(i => i.ArchiveObject.LastModified).ThenByDescending(i => i.BackupId, StringComparer.Ordinal)
            .ToList();
        return new BackupCatalogListing(
            [.. complete.OrderByDescending(e => e.Manifest.CompletedAt).ThenByDescending(e => e.BackupId, StringComparer.Ordinal)],
            incomplete,
            [.. problems.OrderBy(p => p.Key, StringComparer.Ordinal)]);
    }

    /// <summary>Finds a complete backup by id, or the newest with <see cref="Latest"/>.</summary>
    /// <param name="backupId">A backup id or <c>latest</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The backup, or <see langword="null"/> when there is no such complete backup.</returns>
    public async Task<BackupCatalogEntry?> FindAsync(string backupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupId);
        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        return string.Equals(backupId, Latest, StringComparison.OrdinalIgnoreCase)
            ? listing.Latest
            : listing.Complete.FirstOrDefault(e => e.BackupId == backupId);
    }

    /// <summary>Writes a backup's manifest, the step that makes it complete; call it only after the archive upload completed.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The manifest's key.</returns>
    public async Task<string> WriteManifestAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var key = ManifestKey(manifest.BackupId);
        await _store.PutObjectAsync(key, BackupManifestJson.Serialize(manifest), "application/json", cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>
    /// Opens a backup's archive for one sequential read. The stream hashes what passes through it and throws
    /// <see cref="BackupChecksumMismatchException"/> at the end when the SHA-256 or the size differs from the manifest.
    /// A reader that stops before the end must read the rest (the trailing bytes still count).
    /// </summary>
    /// <param name="manifest">The backup's manifest.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The verifying stream; the caller disposes it.</returns>
    public async Task<Stream> OpenArchiveAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var body = await _store.OpenReadAsync(manifest.ArchiveKey, cancellationToken).ConfigureAwait(false);
        return new Sha256VerifyingStream(body, manifest.ArchiveKey, manifest.Sha256, manifest.CompressedBytes);
    }

    /// <summary>Reads a backup's whole archive and checks its SHA-256 and size against the manifest.</summary>
    /// <param name="manifest">The backup's manifest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the archive matched.</returns>
    /// <exception cref="BackupChecksumMismatchException">The archive differs from the manifest.</exception>
    public async Task VerifyChecksumAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        var stream = (Sha256VerifyingStream)await OpenArchiveAsync(manifest, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadToEndAndVerifyAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies retention: deletes complete backups older than <paramref name="retention"/>, except the newest complete
    /// backup and the newest <paramref name="minimumKept"/>, and archives without a manifest older than the retention.
    /// Each backup's manifest is deleted before its archive, so an interrupted prune never leaves something that looks
    /// complete. Unreadable manifests are reported and left alone.
    /// </summary>
    /// <param name="retention">Age after which a backup may be deleted (15 days in the spec's default).</param>
    /// <param name="minimumKept">Complete backups always kept, newest first (at least 1).</param>
    /// <param name="now">The time ages are measured from.</param>
    /// <param name="dryRun">Decide and report, but delete nothing.</param>
    /// <param name="cancellationToken">Cancels the prune (between deletes).</param>
    /// <returns>What was kept and deleted, and why.</returns>
    public async Task<BackupPruneReport> PruneAsync(TimeSpan retention, int minimumKept, DateTimeOffset now, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumKept, 1);
        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        var days = FormatDuration(retention);
        var decisions = new List<BackupPruneDecision>();
        for (var index = 0; index < listing.Complete.Count; index++)
        {
            var entry = listing.Complete[index];
            var age = now - entry.Manifest.CompletedAt;
            var (action, reason) = index switch
            {
                0 => (BackupPruneAction.Keep, "newest complete backup"),
                _ when index < minimumKept => (BackupPruneAction.Keep, $"among the newest {minimumKept} kept at minimum"),
                _ when age <= retention => (BackupPruneAction.Keep, $"within the {days} retention"),
                _ => (BackupPruneAction.Delete, $"older than the {days} retention ({FormatAge(age)} old)"),
            };
            decisions.Add(new BackupPruneDecision(entry.BackupId, true, action, reason, age, [entry.ManifestObject.Key, entry.ArchiveObject.Key]));
        }

        foreach (var incomplete in listing.Incomplete)
        {
            var age = now - incomplete.ArchiveObject.LastModified;
            var (action, reason) = age > retention
                ? (BackupPruneAction.Delete, $"archive without manifest older than the {days} retention ({FormatAge(age)} old)")
                : (BackupPruneAction.Keep, "archive without manifest, recent: may still be being finished");
            decisions.Add(new BackupPruneDecision(incomplete.BackupId, false, action, reason, age, [incomplete.ArchiveObject.Key]));
        }

        if (!dryRun)
        {
            // Oldest first, so an interrupted prune has removed the least valuable backups.
            for (var i = decisions.Count - 1; i >= 0; i--)
            {
                if (decisions[i].Action == BackupPruneAction.Delete)
                {
                    decisions[i] = await DeleteAsync(decisions[i], cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return new BackupPruneReport(dryRun, now, retention, minimumKept, decisions, listing.Problems);
    }

    private async Task<BackupPruneDecision> DeleteAsync(BackupPruneDecision decision, CancellationToken cancellationToken)
    {
        // Keys are in order manifest, archive: once the manifest is gone the backup no longer counts as complete.
        foreach (var key in decision.Keys)
        {
            try
            {
                await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                return decision with { Error = $"deleting '{key}' failed: {error.Message}" };
            }
        }

        return decision with { Deleted = true };
    }

    private async Task<BackupManifest?> ReadManifestAsync(string id, string key, List<BackupCatalogProblem> problems, CancellationToken cancellationToken)
    {
        var bytes = await _store.GetObjectAsync(key, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            // Deleted between the listing and the read: a prune in progress.
            return null;
        }

        try
        {
            var manifest = BackupManifestJson.Deserialize(bytes, key);
            if (manifest.BackupId != id)
            {
                problems.Add(new BackupCatalogProblem(id, key, $"the manifest names backup '{manifest.BackupId}', its key says '{id}'"));
                return null;
            }

            return manifest;
        }
        catch (BackupManifestException error)
        {
            problems.Add(new BackupCatalogProblem(id, key, error.Problem ?? error.Message));
            return null;
        }
    }

    private static string FormatDuration(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#}-day")
        : span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#}-hour")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#}-minute");

    private static string FormatAge(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hours");
}
