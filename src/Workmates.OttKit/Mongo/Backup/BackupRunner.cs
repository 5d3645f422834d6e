using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// Takes a consistent backup of a replica set into an <see cref="IBackupObjectStore"/>, as
/// <c>mongodump --archive --gzip --oplog</c> would: it picks a source member, records the oplog position, dumps every
/// collection in parallel as raw batches into a mongodump archive, gzips it straight into a multipart upload, copies
/// the oplog slice written meanwhile, and writes the manifest last. Any failure aborts the upload and leaves no
/// manifest, so a failed backup never looks complete.
/// </summary>
public sealed partial class BackupRunner
{
    private static readonly HashSet<string> s_skippedDatabases = new(StringComparer.Ordinal) { "local", "config" };
    private static readonly HashSet<string> s_keptAdminSystemCollections = new(StringComparer.Ordinal) { "system.users", "system.roles", "system.version" };
    private readonly IBackupObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="store">Where backups go.</param>
    /// <param name="time">The clock (backup ids, durations); the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log.</param>
    public BackupRunner(IBackupObjectStore store, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The version written as <c>tool_version</c> and in the manifest.</summary>
    internal static string ToolVersion =>
        "ottkit " + (typeof(BackupRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    /// <summary>Runs one backup.</summary>
    /// <param name="options">What to back up and where.</param>
    /// <param name="cancellationToken">Cancels the backup (the upload is aborted, no manifest is written).</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="Blueprint.OttKitValidationException">An option is out of range (every problem is named, with the fix); nothing was read or written.</exception>
    /// <exception cref="MongoBackupException">The backup failed; <see cref="MongoBackupException.Reason"/> says why.</exception>
    public async Task<BackupResult> RunAsync(BackupOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        BackupOptions.Rules.Instance.ThrowIfInvalid(options);
        var started = _time.GetUtcNow();
        var backupId = options.BackupId ?? BackupCatalog.NewBackupId(started);
        var catalog = new BackupCatalog(_store, options.Prefix);
        var archiveKey = catalog.ArchiveKey(backupId);
        var progress = new ProgressCounter(options.Progress);
        progress.Report(BackupStage.Preparing, "choosing the source member", null);
        try
        {
            var set = new MongoDriverClient(options.ConnectionString, _logger, _time);
            await using var setScope = set.ConfigureAwait(false);
            var choice = await BackupSourceSelector.ChooseAsync(set, options.AllowPrimary, options.MaxLag, cancellationToken).ConfigureAwait(false);
            var session = new MongoBackupSession(options.ConnectionString, choice.Member.Host, _time);
            await using var sessionScope = session.ConfigureAwait(false);
            progress.Report(BackupStage.Preparing, $"reading from {choice.Member.Host}" + (choice.Member.State == 1 ? " (primary)" : choice.Member.Hidden ? " (hidden secondary)" : " (secondary)"), null);
            var serverVersion = await session.ServerVersionAsync(cancellationToken).ConfigureAwait(false);
            var extent = await session.OplogExtentAsync(cancellationToken).ConfigureAwait(false);
            if (options.ExpectedDuration > TimeSpan.Zero && extent.Window < options.ExpectedDuration)
            {
                throw new MongoBackupException(
                    MongoBackupFailureReason.OplogWindowTooShort,
                    string.Create(CultureInfo.InvariantCulture, $"The oplog of {choice.Member.Host} holds about {extent.Window.TotalMinutes:0.#} min, less than the expected backup duration of {options.ExpectedDuration.TotalMinutes:0.#} min: it would roll over before the dump ends. Enlarge the oplog (replSetResizeOplog) or back up at a quieter time."));
            }

            var plan = await PlanAsync(session, options, cancellationToken).ConfigureAwait(false);
            var estimate = plan.Sum(c => c.EstimatedBytes) + Math.Min(extent.UsedBytes, 1L << 30);
            progress.Total = plan.Count(c => !c.IsView) + 1;

            // mongodump --oplog: the position before the first collection is read.
            var oplogStart = await session.OplogEdgeAsync(-1, cancellationToken).ConfigureAwait(false) ?? extent.Last;
            var upload = await _store.StartUploadAsync(archiveKey, new BackupUploadOptions { EstimatedSizeBytes = estimate, MaxParallelParts = options.MaxParallelParts, KmsKeyId = options.KmsKeyId }, cancellationToken).ConfigureAwait(false);
            await using (upload.ConfigureAwait(false))
            {
                try
                {
                    var compressed = new CountingWriteStream(upload.Content);
                    var prelude = new MongoArchivePrelude(
                        new MongoArchiveHeader { ConcurrentCollections = options.ParallelCollections, ServerVersion = serverVersion, ToolVersion = ToolVersion },
                        [.. plan.Select(c => c.Entry), MongoArchiveCollectionEntry.ForOplog()]);
                    var compression = new ArchiveCompressionOptions { Level = options.CompressionLevel, Workers = options.CompressionWorkers };
                    var writer = await MongoArchiveWriter.StartGzipAsync(compressed, prelude, compression, null, cancellationToken).ConfigureAwait(false);
                    MongoArchiveWriteResult written;
                    BsonTimestamp oplogEnd;
                    await using (writer.ConfigureAwait(false))
                    {
                        progress.Report(BackupStage.Collections, $"dumping {plan.Count} namespaces, {options.ParallelCollections} at a time; gzip {options.CompressionLevel} on {options.CompressionWorkers} compression thread(s)", null);
                        await DumpCollectionsAsync(session, writer, plan, options, progress, cancellationToken).ConfigureAwait(false);
                        oplogEnd = await CopyOplogAsync(session, writer, oplogStart, options, progress, cancellationToken).ConfigureAwait(false);
                        progress.Report(BackupStage.Finishing, "completing the upload", null);
                        written = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await compressed.FlushAsync(cancellationToken).ConfigureAwait(false);
                    var stored = await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
                    var completed = _time.GetUtcNow();
                    var manifest = new BackupManifest
                    {
                        BackupId = backupId,
                        ArchiveKey = archiveKey,
                        StartedAt = started,
                        CompletedAt = completed,
                        SourceMember = choice.Member.Host,
                        ReplicaSetName = options.ConnectionString.ReplicaSet,
                        ServerVersion = serverVersion,
                        OplogStart = new BackupOplogPosition(oplogStart.Seconds, oplogStart.Increment),
                        OplogEnd = new BackupOplogPosition(oplogEnd.Seconds, oplogEnd.Increment),
                        Namespaces = [.. written.Namespaces.Select(n => n.Namespace.IsOplog
                            ? new BackupNamespaceEntry("local", "oplog.rs", n.Documents, n.Bytes, unchecked((long)n.Crc64))
                            : new BackupNamespaceEntry(n.Namespace.Database, n.Namespace.Collection, n.Documents, n.Bytes, unchecked((long)n.Crc64)))],
                        RawBytes = written.ArchiveBytes,
                        CompressedBytes = stored.SizeBytes,
                        Sha256 = stored.Sha256,
                        PreludeSha256 = writer.PreludeSha256,
                        Duration = completed - started,
                        ToolVersion = ToolVersion,
                    };

                    // The manifest goes last: its presence is what makes the backup complete.
                    var manifestKey = await catalog.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
                    progress.Report(BackupStage.Completed, $"backup {backupId} complete: {written.Documents} documents, {stored.SizeBytes} bytes stored", null);
                    return new BackupResult(manifest, manifestKey, stored.PartCount);
                }
                catch (Exception e)
                {
                    // The first error wins: a refused abort is reported beside the cause, never instead of it.
                    if (await TryAbortAsync(upload).ConfigureAwait(false) is { } abortFailure && e is not OperationCanceledException)
                    {
                        throw WithCleanupFailure(e, archiveKey, abortFailure);
                    }

                    if (e is not (MongoBackupException or OperationCanceledException) && !IsSourceFailure(e))
                    {
                        throw new MongoBackupException(MongoBackupFailureReason.UploadFailed, $"The upload of {archiveKey} failed and was aborted; no manifest was written: {e.Message}", null, e);
                    }

                    throw;
                }
            }
        }
        catch (Exception e) when (IsSourceFailure(e))
        {
            throw new MongoBackupException(MongoBackupFailureReason.SourceFailed, $"The source failed during the backup; the upload was aborted and no manifest was written: {e.Message}", null, e);
        }
    }

    private static async Task<Exception?> TryAbortAsync(IBackupObjectUpload upload)
    {
        try
        {
            await upload.AbortAsync(CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (Exception abort) when (abort is not OutOfMemoryException)
        {
            return abort;
        }
    }

    /// <summary>The original failure, as it would have been reported, with the failed clean-up named after it.</summary>
    private static MongoBackupException WithCleanupFailure(Exception cause, string archiveKey, Exception abortFailure)
    {
        var (reason, message) = cause switch
        {
            MongoBackupException m => (m.Reason, m.Message),
            _ when IsSourceFailure(cause) => (MongoBackupFailureReason.SourceFailed, $"The source failed during the backup; no manifest was written: {cause.Message}"),
            _ => (MongoBackupFailureReason.UploadFailed, $"The upload of {archiveKey} failed; no manifest was written: {cause.Message}"),
        };
        var exception = new MongoBackupException(
            reason,
            $"{message.TrimEnd('.')}. Cleaning up also failed: aborting the multipart upload of {archiveKey} was refused ({abortFailure.Message.TrimEnd('.')}); the bucket's AbortIncompleteMultipartUpload lifecycle rule removes the parts left behind.",
            (cause as MongoBackupException)?.Namespace,
            cause);
        exception.Data["cleanupFailure"] = abortFailure.Message;
        return exception;
    }

    private static bool IsSourceFailure(Exception e) =>
        e is MongoConnectionException or MongoCommandException or MongoServerSelectionException or MongoAuthenticationException;

    /// <summary>One prelude entry and where its data comes from (<see cref="IsView"/>: metadata and an empty block only).</summary>
    private sealed record PlannedCollection(MongoArchiveCollectionEntry Entry, MongoArchiveNamespace Namespace, bool IsView, long EstimatedBytes);

    private static async Task<List<PlannedCollection>> PlanAsync(MongoBackupSession session, BackupOptions options, CancellationToken cancellationToken)
    {
        var filter = BackupNamespaces.Filter(options.IncludeNamespaces, options.ExcludeNamespaces);
        var plan = new List<PlannedCollection>();
        foreach (var database in await session.DatabasesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (s_skippedDatabases.Contains(database))
            {
                continue;
            }

            foreach (var info in await session.CollectionsAsync(database, cancellationToken).ConfigureAwait(false))
            {
                var name = info["name"].AsString;
                var type = info.TryGetValue("type", out var t) && t.Type == BsonType.String ? t.AsString : MongoCollectionMetadata.CollectionType;
                if (IsSkippedSystemCollection(database, name) || !filter.Includes($"{database}.{name}"))
                {
                    continue;
                }

                var options2 = info.TryGetValue("options", out var o) && o.Type == BsonType.Document ? o.AsDocument : new BsonDocument();
                string? uuid = null;
                if (info.TryGetValue("info", out var i) && i.Type == BsonType.Document && i.AsDocument.TryGetValue("uuid", out var u) && u.Type == BsonType.Binary && u.AsBinary.Length == 16)
                {
                    uuid = Convert.ToHexStringLower(u.AsBinary.Span);
                }

                var isView = type == MongoCollectionMetadata.ViewType;
                var indexes = isView ? [] : await session.IndexesAsync(database, name, cancellationToken).ConfigureAwait(false);
                var metadata = new MongoCollectionMetadata
                {
                    Options = options2.Count == 0 ? null : options2,
                    Indexes = indexes,
                    Uuid = uuid,
                    CollectionName = name,
                    Type = type,
                };
                var entry = MongoArchiveCollectionEntry.For(database, metadata);

                // Views carry only metadata, and an empty data block that makes mongorestore create them.
                var dataNamespace = type == MongoCollectionMetadata.TimeseriesType
                    ? new MongoArchiveNamespace(database, "system.buckets." + name)
                    : new MongoArchiveNamespace(database, name);
                var size = isView ? 0 : await session.SizeAsync(database, dataNamespace.Collection, cancellationToken).ConfigureAwait(false);
                plan.Add(new PlannedCollection(entry, dataNamespace, isView, size));
            }
        }

        return plan;
    }

    // mongodump leaves out system collections except the ones that describe users, roles, the auth schema and
    // stored JavaScript (and dumps views as metadata).
    private static bool IsSkippedSystemCollection(string database, string collection) =>
        collection.StartsWith("system.", StringComparison.Ordinal)
        && collection != "system.js"
        && !(database == "admin" && s_keptAdminSystemCollections.Contains(collection));

    private static async Task DumpCollectionsAsync(MongoBackupSession session, MongoArchiveWriter writer, List<PlannedCollection> plan, BackupOptions options, ProgressCounter progress, CancellationToken cancellationToken)
    {
        // Biggest first: the long poles start early and the parallel slots stay busy.
        var order = plan.OrderByDescending(c => c.EstimatedBytes).ToList();
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = options.ParallelCollections, CancellationToken = cancellationToken }, async (collection, ct) =>
        {
            var target = writer.OpenNamespace(collection.Namespace);
            if (!collection.IsView)
            {
                var dataNamespace = collection.Namespace;
                long documents = 0;
                await foreach (var batch in session.DumpAsync(dataNamespace.Database, dataNamespace.Collection, options.BatchSize, ct).ConfigureAwait(false))
                {
                    await WriteAsync(target, batch, ct).ConfigureAwait(false);
                    documents += batch.Documents.Count;
                    progress.Add(batch.Documents.Count, batch.ByteCount);
                }

                await target.CompleteAsync(ct).ConfigureAwait(false);
                progress.NamespaceDone(BackupStage.Collections, $"dumped {dataNamespace} ({documents} documents)", dataNamespace.ToString());
            }
            else
            {
                await target.CompleteAsync(ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static async Task<BsonTimestamp> CopyOplogAsync(MongoBackupSession session, MongoArchiveWriter writer, BsonTimestamp start, BackupOptions options, ProgressCounter progress, CancellationToken cancellationToken)
    {
        var end = await session.OplogEdgeAsync(-1, cancellationToken).ConfigureAwait(false) ?? start;
        var oldest = await session.OplogEdgeAsync(1, cancellationToken).ConfigureAwait(false);
        if (oldest is not { } first || first > start)
        {
            throw Overflow(session.Host, start, oldest);
        }

        progress.Report(BackupStage.Oplog, string.Create(CultureInfo.InvariantCulture, $"copying the oplog from {start.Seconds}:{start.Increment} to {end.Seconds}:{end.Increment}"), "local.oplog.rs");
        var target = writer.OpenNamespace(MongoArchiveNamespace.Oplog);
        var sawStart = false;
        long entries = 0;
        await foreach (var batch in session.OplogSliceAsync(start, end, options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (!sawStart && batch.Documents.Count > 0)
            {
                // The first entry must be the recorded start itself: if it is gone, entries between it and the
                // oldest one left were overwritten while we read, and replaying the rest would miss writes.
                if (batch.Documents[0]["ts"].AsTimestamp != start)
                {
                    throw Overflow(session.Host, start, batch.Documents[0]["ts"].AsTimestamp);
                }

                sawStart = true;
            }

            await WriteAsync(target, batch, cancellationToken).ConfigureAwait(false);
            entries += batch.Documents.Count;
            progress.Add(batch.Documents.Count, batch.ByteCount);
        }

        if (!sawStart)
        {
            throw Overflow(session.Host, start, null);
        }

        await target.CompleteAsync(cancellationToken).ConfigureAwait(false);
        progress.NamespaceDone(BackupStage.Oplog, $"copied {entries} oplog entries", "local.oplog.rs");
        return end;
    }

    private static async ValueTask WriteAsync(MongoArchiveNamespaceWriter target, MongoRawBatch batch, CancellationToken cancellationToken)
    {
        // Each raw document is a slice of the reply; they are not contiguous (array element names sit between them).
        foreach (var document in batch.Documents)
        {
            await target.WriteDocumentsAsync(document.Bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static MongoBackupException Overflow(string host, BsonTimestamp start, BsonTimestamp? oldest) => new(
        MongoBackupFailureReason.OplogOverflow,
        string.Create(CultureInfo.InvariantCulture, $"oplog overflow: the oplog of {host} rolled over during the dump (start {start.Seconds}:{start.Increment} is gone; oldest entry now {(oldest is { } o ? $"{o.Seconds}:{o.Increment}" : "none")}); the backup would be inconsistent and was abandoned. Enlarge the oplog or back up at a quieter time."),
        "local.oplog.rs");
}
