using System.Globalization;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>The outcome of verifying one stored backup.</summary>
/// <param name="BackupId">The backup.</param>
/// <param name="Sha256">The SHA-256 computed over the stored object (equal to the manifest's).</param>
/// <param name="CompressedBytes">Bytes read from the store.</param>
/// <param name="Namespaces">Every namespace with its documents, bytes and CRC as read (all equal to the manifest's).</param>
public sealed record BackupVerification(string BackupId, string Sha256, long CompressedBytes, IReadOnlyList<BackupNamespaceEntry> Namespaces);

/// <summary>
/// Re-reads a stored backup end to end without restoring: the SHA-256 of the object, the archive structure (magic,
/// prelude, blocks, terminators, an EOF for every prelude entry) and every namespace's CRC-64 and document count
/// against both the archive's EOF header and the manifest.
/// </summary>
public static class BackupVerifier
{
    /// <summary>Verifies one backup.</summary>
    /// <param name="store">Where the backups are.</param>
    /// <param name="prefix">Key prefix of the backups.</param>
    /// <param name="backupId">The backup id, or <c>latest</c>.</param>
    /// <param name="progress">Where progress events go.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What was checked.</returns>
    /// <exception cref="MongoBackupException">The backup is missing (<see cref="MongoBackupFailureReason.NotFound"/>) or
    /// corrupted (<see cref="MongoBackupFailureReason.Corrupted"/>, naming the namespace when one is at fault).</exception>
    public static async Task<BackupVerification> VerifyAsync(IBackupObjectStore store, string prefix, string backupId, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(backupId);
        var manifest = await BackupManifests.FindAsync(store, prefix, backupId, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(store, manifest, progress, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<BackupVerification> VerifyAsync(IBackupObjectStore store, BackupManifest manifest, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var expected = manifest.Namespaces.ToDictionary(RestoreRunner.ArchiveNamespaceOf, n => n);
        var found = new List<BackupNamespaceEntry>();
        Stream raw;
        try
        {
            raw = await store.OpenReadAsync(manifest.ArchiveKey, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new MongoBackupException(MongoBackupFailureReason.NotFound, $"The archive {manifest.ArchiveKey} of backup {manifest.BackupId} is missing.", null, e);
        }

        var hashing = new HashingReadStream(raw);
        await using (hashing.ConfigureAwait(false))
        {
            MongoArchiveNamespace? current = null;
            long documents = 0;
            long bytes = 0;
            try
            {
                var reader = new MongoArchiveReader(hashing, new MongoArchiveReaderOptions { Compression = MongoArchiveCompression.Gzip });
                await using (reader.ConfigureAwait(false))
                {
                    await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (item is MongoArchivePreludeItem)
                        {
                            CheckPrelude(manifest, reader.PreludeSha256);
                            continue;
                        }

                        if (item is MongoArchiveDocumentsItem batch)
                        {
                            current = batch.Namespace;
                            documents += batch.DocumentCount;
                            bytes += batch.Documents.Length;
                            continue;
                        }

                        if (item is not MongoArchiveNamespaceEndItem end)
                        {
                            continue;
                        }

                        var summary = end.Summary;
                        current = summary.Namespace;
                        var entry = manifest.Namespaces.FirstOrDefault(n => RestoreRunner.ArchiveNamespaceOf(n) == summary.Namespace);
                        if (entry is null || entry.Documents != summary.Documents || unchecked((ulong)entry.Crc64) != summary.Crc64)
                        {
                            throw new MongoBackupException(
                                MongoBackupFailureReason.Corrupted,
                                string.Create(CultureInfo.InvariantCulture, $"Backup {manifest.BackupId} is corrupted in namespace {summary.Namespace}: the archive holds {summary.Documents} documents with CRC {summary.Crc64:x16}, the manifest {(entry is null ? "does not list it" : $"says {entry.Documents} with CRC {unchecked((ulong)entry.Crc64):x16}")}."),
                                summary.Namespace.ToString());
                        }

                        found.Add(entry);
                        progress?.Report(new BackupProgress(BackupStage.Collections, $"verified {summary.Namespace} ({summary.Documents} documents)", summary.Namespace.ToString(), documents, bytes, found.Count, expected.Count));
                    }
                }
            }
            catch (MongoArchiveFormatException e)
            {
                var ns = e.Namespace ?? current?.ToString();
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted{(ns is null ? string.Empty : $" in namespace {ns}")}: {e.Message}", ns, e);
            }
            catch (InvalidDataException e)
            {
                var ns = current?.ToString();
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted{(ns is null ? string.Empty : $" in namespace {ns}")}: the gzip stream is damaged ({e.Message}).", ns, e);
            }

            var missing = expected.Keys.Except(found.Select(RestoreRunner.ArchiveNamespaceOf)).ToList();
            if (missing.Count > 0)
            {
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted: namespace {missing[0]} is listed in the manifest but missing from the archive.", missing[0].ToString());
            }

            var sha = await hashing.FinishAsync(cancellationToken).ConfigureAwait(false);
            CheckSize(manifest, hashing.BytesRead);
            if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted: the stored object's SHA-256 is {sha}, the manifest says {manifest.Sha256}.");
            }

            return new BackupVerification(manifest.BackupId, sha, hashing.BytesRead, found);
        }
    }

    /// <summary>Refuses a prelude whose SHA-256 differs from the manifest's (manifests before the field have none).</summary>
    internal static void CheckPrelude(BackupManifest manifest, string? preludeSha256)
    {
        if (manifest.PreludeSha256 is { } expected && !string.Equals(expected, preludeSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new MongoBackupException(
                MongoBackupFailureReason.Corrupted,
                $"Backup {manifest.BackupId} is corrupted: the archive prelude (collection options, index specifications) has SHA-256 {preludeSha256}, the manifest says {expected}; nothing was created from it.");
        }
    }

    /// <summary>Reports a stored object longer or shorter than the manifest records as corrupted, with the difference.</summary>
    internal static void CheckSize(BackupManifest manifest, long bytesRead)
    {
        if (bytesRead != manifest.CompressedBytes)
        {
            var change = bytesRead < manifest.CompressedBytes
                ? $"truncated: {manifest.CompressedBytes - bytesRead} bytes missing"
                : $"extended: {bytesRead - manifest.CompressedBytes} bytes more than written";
            throw new MongoBackupException(
                MongoBackupFailureReason.Corrupted,
                string.Create(CultureInfo.InvariantCulture, $"Backup {manifest.BackupId} is corrupted ({change}): the stored object is {bytesRead} bytes, the manifest records {manifest.CompressedBytes}."));
        }
    }
}
