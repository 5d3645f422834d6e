using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// Restores a backup written by <see cref="BackupRunner"/> (or any <c>mongodump --archive --gzip --oplog</c> archive
/// described by a manifest), as <c>mongorestore --archive --gzip --oplogReplay</c> would, but all-or-nothing per
/// namespace: by default the whole object is verified before the first write (SHA-256, size, prelude checksum, every
/// namespace CRC); each collection is then written into a staging collection of its target database
/// (<c>ottkit_restore.&lt;run&gt;.&lt;name&gt;</c>), the oplog replayed into the staging collections and the indexes
/// built there, and only when everything has been read and checked is each staging collection renamed onto its target
/// (<c>renameCollection</c> with <c>dropTarget</c> under <c>--drop</c>: the old data is dropped in the same step that
/// puts the verified replacement in place). Views are created after the renames. A failure removes the staging
/// collections and reports in <see cref="MongoBackupException.RestoreReport"/> exactly what was committed, what was
/// written in place (timeseries collections, and collections merged into an existing target without <c>--drop</c>, as
/// mongorestore does) and how to undo it. A dry run reads and checks everything and writes nothing.
/// </summary>
public sealed partial class RestoreRunner
{
    /// <summary>Database-local prefix of the staging collections (<c>ottkit_restore.&lt;run&gt;.&lt;collection&gt;</c>).</summary>
    public const string StagingPrefix = "ottkit_restore.";

    private const int MaxApplyOpsBytes = 8 * 1024 * 1024;
    private const int MaxApplyOpsEntries = 1000;

    // mongod's limit on "db.collection" is 255 bytes; a staging name that would exceed it is written in place instead.
    private const int MaxNamespaceBytes = 255;
    private readonly IBackupObjectStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the runner on the system clock.</summary>
    /// <param name="store">Where the backups are.</param>
    /// <param name="logger">Where to log.</param>
    public RestoreRunner(IBackupObjectStore store, ILogger? logger = null)
        : this(store, null, logger)
    {
    }

    /// <summary>Creates the runner.</summary>
    /// <param name="store">Where the backups are.</param>
    /// <param name="time">The clock of the restore's deadlines (the grace writes in flight get after cancellation); the system clock when <see langword="null"/>.</param>
    /// <param name="logger">Where to log.</param>
    public RestoreRunner(IBackupObjectStore store, TimeProvider? time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Restores one backup.</summary>
    /// <param name="options">Which backup, where to, and how.</param>
    /// <param name="cancellationToken">Cancels the restore: staging collections are removed and the
    /// <see cref="OperationCanceledException"/> says what, if anything, was committed.</param>
    /// <returns>What was restored.</returns>
    /// <exception cref="Blueprint.OttKitValidationException">An option is out of range (every problem is named, with the fix); nothing was read or written.</exception>
    /// <exception cref="MongoBackupException">The backup is missing or corrupted, or the target refused a command;
    /// after a first write, <see cref="MongoBackupException.RestoreReport"/> says what changed on the target.</exception>
    public async Task<RestoreResult> RunAsync(RestoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        RestoreOptions.Rules.Instance.ThrowIfInvalid(options);

        var manifest = await BackupManifests.FindAsync(_store, options.Prefix, options.BackupId, cancellationToken).ConfigureAwait(false);
        if (options.VerifyFirst && !options.DryRun)
        {
            await BackupVerifier.VerifyAsync(_store, manifest, options.Progress, cancellationToken).ConfigureAwait(false);
        }

        var plan = new RestorePlan(options);
        if (options.DryRun)
        {
            var dry = await ReadAsync(manifest, plan, target: null, new RestoreWrites(), options, cancellationToken).ConfigureAwait(false);
            return dry;
        }

        var writes = new RestoreWrites();
        var client = new MongoDriverClient(options.ConnectionString, _logger, _time);
        await using var clientScope = client.ConfigureAwait(false);
        try
        {
            return await ReadAsync(manifest, plan, client, writes, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoBackupException or MongoConnectionException or MongoCommandException or MongoServerSelectionException or MongoAuthenticationException or OperationCanceledException or IOException)
        {
            await writes.RemoveStagingAsync(client, _logger).ConfigureAwait(false);
            var report = writes.Report();
            var summary = report.Describe();
            RestoreLog.RestoreFailed(_logger, manifest.BackupId, summary);
            if (e is OperationCanceledException cancelled)
            {
                throw new OperationCanceledException($"The restore of backup {manifest.BackupId} was cancelled. {summary}", cancelled, cancelled.CancellationToken);
            }

            var (reason, cause, ns) = e is MongoBackupException known
                ? (known.Reason, known.Message, known.Namespace)
                : (MongoBackupFailureReason.TargetFailed, $"The target refused the restore of backup {manifest.BackupId}: {e.Message}", null);
            throw new MongoBackupException(reason, $"{cause} {summary}", ns, e) { RestoreReport = report };
        }
    }

    private async Task<RestoreResult> ReadAsync(BackupManifest manifest, RestorePlan plan, MongoDriverClient? target, RestoreWrites writes, RestoreOptions options, CancellationToken cancellationToken)
    {
        var progress = new ProgressCounter(options.Progress);
        var expected = manifest.Namespaces.ToDictionary(n => ArchiveNamespaceOf(n), n => n);
        progress.Report(BackupStage.Preparing, $"restoring backup {manifest.BackupId} from {manifest.ArchiveKey}" + (options.DryRun ? " (dry run: nothing is written)" : string.Empty), null);
        Stream raw;
        try
        {
            raw = await _store.OpenReadAsync(manifest.ArchiveKey, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new MongoBackupException(MongoBackupFailureReason.NotFound, $"The archive {manifest.ArchiveKey} of backup {manifest.BackupId} is missing.", null, e);
        }

        var hashing = new HashingReadStream(raw);
        await using (hashing.ConfigureAwait(false))
        {
            var reader = new MongoArchiveReader(hashing, new MongoArchiveReaderOptions { Compression = MongoArchiveCompression.Gzip });
            using var state = new RestoreState(plan, target, options, progress, writes, _time);
            state.Bind(cancellationToken);
            try
            {
                await using (reader.ConfigureAwait(false))
                {
                    try
                    {
                        await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            switch (item)
                            {
                                case MongoArchivePreludeItem prelude:
                                    // The prelude creates collections and indexes: it must match the manifest first.
                                    BackupVerifier.CheckPrelude(manifest, reader.PreludeSha256);
                                    state.Prepare(prelude.Prelude);
                                    progress.Total = state.Selected.Count;
                                    if (target is not null)
                                    {
                                        await state.CreateCollectionsAsync(cancellationToken).ConfigureAwait(false);
                                    }

                                    progress.Report(BackupStage.Collections, $"restoring {state.Selected.Count} namespaces", null);
                                    break;
                                case MongoArchiveDocumentsItem documents:
                                    await state.AddAsync(documents.Namespace, documents.Documents, manifest.OplogEnd, cancellationToken).ConfigureAwait(false);
                                    break;
                                case MongoArchiveNamespaceEndItem end:
                                    await state.EndNamespaceAsync(end.Summary.Namespace, end.Summary, expected, cancellationToken).ConfigureAwait(false);
                                    break;
                            }
                        }

                        await state.FinishDataAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (MongoArchiveFormatException e)
                    {
                        var ns = e.Namespace ?? state.CurrentNamespace?.ToString();
                        throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted{(ns is null ? string.Empty : $" in namespace {ns}")}: {e.Message}", ns, e);
                    }
                    catch (InvalidDataException e)
                    {
                        var ns = state.CurrentNamespace?.ToString();
                        throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted{(ns is null ? string.Empty : $" in namespace {ns}")}: the gzip stream is damaged ({e.Message}).", ns, e);
                    }
                }
            }
            catch
            {
                // Inserts still in flight would re-create a staging collection after it is removed.
                await state.QuiesceAsync().ConfigureAwait(false);
                throw;
            }

            var missing = expected.Keys.Where(ns => !state.Seen.Contains(ns)).ToList();
            if (missing.Count > 0)
            {
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted: the archive ends before namespace {missing[0]} (the manifest lists it).", missing[0].ToString());
            }

            var sha = await hashing.FinishAsync(cancellationToken).ConfigureAwait(false);
            BackupVerifier.CheckSize(manifest, hashing.BytesRead);
            if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"Backup {manifest.BackupId} is corrupted: the archive's SHA-256 is {sha}, the manifest says {manifest.Sha256}.");
            }

            if (target is not null)
            {
                await state.BuildIndexesAsync(cancellationToken).ConfigureAwait(false);

                // Everything was read and checked: only now does the target change (per namespace, atomically).
                await state.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            progress.Report(BackupStage.Completed, string.Create(CultureInfo.InvariantCulture, $"restored {state.Results.Sum(r => r.Documents)} documents in {state.Results.Count} namespaces, replayed {state.OplogApplied} oplog entries"), null);
            return new RestoreResult(manifest.BackupId, options.DryRun, state.Results, state.OplogApplied);
        }
    }

    /// <summary>The manifest lists the oplog as local.oplog.rs; the archive carries it as "".oplog.</summary>
    internal static MongoArchiveNamespace ArchiveNamespaceOf(BackupNamespaceEntry entry) =>
        entry.Database == "local" && entry.Collection == "oplog.rs" ? MongoArchiveNamespace.Oplog : new MongoArchiveNamespace(entry.Database, entry.Collection);

    /// <summary>Which namespaces go where.</summary>
    private sealed class RestorePlan(RestoreOptions options)
    {
        private readonly NamespaceFilter _filter = BackupNamespaces.Filter(options.IncludeNamespaces, options.ExcludeNamespaces, options.Renames);

        public bool Includes(string database, string collection) =>
            !IsNeverRestored(database, collection) && _filter.Includes($"{database}.{collection}");

        public (string Database, string Collection) Target(string database, string collection)
        {
            var renamed = _filter.Rename($"{database}.{collection}");
            var dot = renamed.IndexOf('.', StringComparison.Ordinal);
            return dot <= 0 ? (database, collection) : (renamed[..dot], renamed[(dot + 1)..]);
        }

        // Users, roles and the auth schema need mongorestore's _mergeAuthzCollections; session and cache state is
        // per cluster. They are left out (documented).
        private static bool IsNeverRestored(string database, string collection) =>
            database is "local" or "config"
            || (collection.StartsWith("system.", StringComparison.Ordinal) && collection != "system.js" && !collection.StartsWith("system.buckets.", StringComparison.Ordinal));
    }

    /// <summary>One namespace selected for the restore.</summary>
    private sealed class SelectedNamespace(MongoArchiveCollectionEntry entry, MongoCollectionMetadata metadata, string database, string collection)
    {
        public MongoArchiveCollectionEntry Entry { get; } = entry;

        public MongoCollectionMetadata Metadata { get; } = metadata;

        public string Database { get; } = database;

        public string Collection { get; } = collection;

        public string Type => Entry.Type is { Length: > 0 } type ? type : MongoCollectionMetadata.CollectionType;

        /// <summary>Where documents, oplog entries and indexes go: the staging collection, or the target itself.</summary>
        public string WriteCollection { get; set; } = collection;

        public RestoreWriteMode Mode { get; set; } = RestoreWriteMode.Staged;

        public string Target => $"{Database}.{Collection}";

        public List<RawBsonDocument> Pending { get; set; } = [];

        public int PendingBytes { get; set; }

        public long Documents;

        public long Failed;

        public int IndexesBuilt { get; set; }
    }

    /// <summary>The mutable state of one restore.</summary>
    private sealed class RestoreState(RestorePlan plan, MongoDriverClient? target, RestoreOptions options, ProgressCounter progress, RestoreWrites writes, TimeProvider time) : IDisposable
    {
        // A write that reached the server is applied there even when the client stops waiting for its answer; if the
        // staging collections were removed before that, the write would create one again. So a cancelled restore
        // stops issuing writes at once but lets those already sent answer (for at most InFlightGrace) before cleanup.
        private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(30);
        private readonly CancellationTokenSource _writes = new(Timeout.InfiniteTimeSpan, time);
        private CancellationTokenRegistration _cancellation;
        private readonly Dictionary<(string Database, string Collection), SelectedNamespace> _byTarget = [];
        private readonly Dictionary<MongoArchiveNamespace, SelectedNamespace> _byDataNamespace = [];
        private readonly List<Task> _inFlight = [];
        private readonly List<BsonDocument> _oplogBatch = [];
        private int _oplogBatchBytes;

        public List<SelectedNamespace> Selected { get; } = [];

        /// <summary>Ties the writes to the caller's cancellation: once it is cancelled, writes in flight get
        /// <see cref="InFlightGrace"/> to answer, and no new write starts.</summary>
        public void Bind(CancellationToken cancellationToken) =>
            _cancellation = cancellationToken.Register(static s => ((CancellationTokenSource)s!).CancelAfter(InFlightGrace), _writes);

        public void Dispose()
        {
            _cancellation.Dispose();
            _writes.Dispose();
        }

        /// <summary>The token for a write to the target: refuses to start one after cancellation, and lets one that
        /// started finish (see <see cref="InFlightGrace"/>).</summary>
        private CancellationToken WriteToken(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _writes.Token;
        }

        public HashSet<MongoArchiveNamespace> Seen { get; } = [];

        public List<RestoredNamespace> Results { get; } = [];

        public long OplogApplied { get; private set; }

        public MongoArchiveNamespace? CurrentNamespace { get; private set; }

        public void Prepare(MongoArchivePrelude prelude)
        {
            foreach (var entry in prelude.Collections)
            {
                if (entry.Namespace.IsOplog || !plan.Includes(entry.Database, entry.Collection))
                {
                    continue;
                }

                var metadata = string.IsNullOrEmpty(entry.Metadata) ? new MongoCollectionMetadata { CollectionName = entry.Collection } : ParseMetadata(entry);
                var (database, collection) = plan.Target(entry.Database, entry.Collection);
                var selected = new SelectedNamespace(entry, metadata, database, collection);
                Selected.Add(selected);
                _byTarget[(database, collection)] = selected;
                foreach (var ns in entry.DataNamespaces())
                {
                    _byDataNamespace[ns] = selected;
                }
            }
        }

        private static MongoCollectionMetadata ParseMetadata(MongoArchiveCollectionEntry entry)
        {
            try
            {
                return MongoCollectionMetadata.Parse(entry.Metadata);
            }
            catch (BsonFormatException e)
            {
                throw new MongoBackupException(MongoBackupFailureReason.Corrupted, $"The metadata of {entry.Namespace} in the archive is not valid JSON: {e.Message}", entry.Namespace.ToString(), e);
            }
        }

        public async Task CreateCollectionsAsync(CancellationToken cancellationToken)
        {
            // Decide, before the first write, where each namespace goes.
            var existing = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var database in Selected.Select(s => s.Database).Distinct(StringComparer.Ordinal))
            {
                var collections = await target!.ListCollectionsAsync(database, cancellationToken).ConfigureAwait(false);
                existing[database] = collections
                    .Where(c => c.TryGetValue("name", out var n) && n.Type == BsonType.String)
                    .Select(c => c["name"].AsString)
                    .ToHashSet(StringComparer.Ordinal);
            }

            foreach (var selected in Selected)
            {
                var exists = existing[selected.Database].Contains(selected.Collection);
                var staging = $"{StagingPrefix}{writes.RunId}.{selected.Collection}";
                selected.Mode = selected.Type switch
                {
                    MongoCollectionMetadata.ViewType => RestoreWriteMode.View,
                    MongoCollectionMetadata.CollectionType when (options.Drop || !exists) && System.Text.Encoding.UTF8.GetByteCount($"{selected.Database}.{staging}") <= MaxNamespaceBytes => RestoreWriteMode.Staged,
                    _ => RestoreWriteMode.InPlace,
                };
                if (selected.Mode == RestoreWriteMode.Staged)
                {
                    selected.WriteCollection = staging;
                }
            }

            foreach (var selected in Selected.Where(s => s.Mode != RestoreWriteMode.View))
            {
                if (selected.Mode == RestoreWriteMode.InPlace && options.Drop)
                {
                    // A timeseries collection cannot be renamed: under --drop it is replaced in place (documented).
                    if (await target!.DropAsync(selected.Database, selected.Collection, cancellationToken).ConfigureAwait(false))
                    {
                        writes.Dropped(selected.Target);
                    }
                }

                var createOptions = selected.Metadata.Options?.DeepClone() ?? new BsonDocument();
                try
                {
                    if (selected.Mode == RestoreWriteMode.Staged)
                    {
                        writes.Staging(selected.Database, selected.WriteCollection, selected.Target);
                    }

                    await target!.CreateCollectionAsync(selected.Database, selected.WriteCollection, createOptions, cancellationToken).ConfigureAwait(false);
                    if (selected.Mode == RestoreWriteMode.InPlace)
                    {
                        writes.CreatedInPlace(selected.Target);
                    }
                }
                catch (MongoCommandException e) when (e.Code == 48 && selected.Mode == RestoreWriteMode.InPlace)
                {
                    // NamespaceExists without --drop: restore into the existing collection, as mongorestore does.
                }
            }
        }

        /// <summary>Renames every staging collection onto its target, then creates the views.</summary>
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            foreach (var selected in Selected.Where(s => s.Mode == RestoreWriteMode.Staged))
            {
                var command = new BsonDocument
                {
                    { "renameCollection", $"{selected.Database}.{selected.WriteCollection}" },
                    { "to", selected.Target },
                    { "dropTarget", options.Drop },
                };
                try
                {
                    await target!.RunCommandAsync("admin", command, null, cancellationToken).ConfigureAwait(false);
                }
                catch (MongoCommandException e) when (e.Code == 26)
                {
                    // The replayed oplog dropped the collection during the backup window: nothing to put in place.
                }

                writes.Committed(selected.Database, selected.WriteCollection, selected.Target);
            }

            foreach (var selected in Selected.Where(s => s.Mode == RestoreWriteMode.View))
            {
                if (options.Drop && await target!.DropAsync(selected.Database, selected.Collection, cancellationToken).ConfigureAwait(false))
                {
                    writes.Dropped(selected.Target);
                }

                var createOptions = selected.Metadata.Options?.DeepClone() ?? new BsonDocument();
                if (createOptions.TryGetValue("viewOn", out var viewOn) && viewOn.Type == BsonType.String)
                {
                    // A renamed database keeps its views pointing into it.
                    createOptions.Set("viewOn", plan.Target(selected.Entry.Database, viewOn.AsString).Collection);
                }

                try
                {
                    await target!.CreateCollectionAsync(selected.Database, selected.Collection, createOptions, cancellationToken).ConfigureAwait(false);
                    writes.ViewCreated(selected.Target);
                }
                catch (MongoCommandException e) when (e.Code == 48)
                {
                    // The view exists and --drop was not given: kept, as mongorestore does.
                }
            }
        }

        /// <summary>Where the oplog replay writes a target namespace: its staging collection while one exists.</summary>
        private (string Database, string Collection) WriteTarget(string database, string collection)
        {
            var (db, coll) = plan.Target(database, collection);
            return _byTarget.TryGetValue((db, coll), out var selected) && selected.Mode == RestoreWriteMode.Staged
                ? (db, selected.WriteCollection)
                : (db, coll);
        }

        public async Task AddAsync(MongoArchiveNamespace ns, ReadOnlyMemory<byte> documents, BackupOplogPosition end, CancellationToken cancellationToken)
        {
            CurrentNamespace = ns;
            var isOplog = ns.IsOplog;
            if (!isOplog && !_byDataNamespace.ContainsKey(ns))
            {
                return;
            }

            // The reader's buffer moves on after this item: the batch keeps its own copy of the bytes.
            var copy = documents.ToArray();
            var offset = 0;
            while (offset < copy.Length)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(copy.AsSpan(offset));
                var document = new RawBsonDocument(copy.AsMemory(offset, length));
                offset += length;
                if (isOplog)
                {
                    await AddOplogEntryAsync(document, end, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var selected = _byDataNamespace[ns];
                selected.Pending.Add(document);
                selected.PendingBytes += length;
                if (selected.Pending.Count >= options.BatchDocuments || selected.PendingBytes >= 8 * 1024 * 1024)
                {
                    await FlushAsync(selected, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public async Task EndNamespaceAsync(MongoArchiveNamespace ns, MongoArchiveNamespaceSummary summary, Dictionary<MongoArchiveNamespace, BackupNamespaceEntry> expected, CancellationToken cancellationToken)
        {
            Seen.Add(ns);
            if (expected.TryGetValue(ns, out var listed) && (listed.Documents != summary.Documents || unchecked((ulong)listed.Crc64) != summary.Crc64))
            {
                throw new MongoBackupException(
                    MongoBackupFailureReason.Corrupted,
                    string.Create(CultureInfo.InvariantCulture, $"Namespace {ns} does not match the manifest: {summary.Documents} documents with CRC {summary.Crc64:x16} in the archive, {listed.Documents} with CRC {unchecked((ulong)listed.Crc64):x16} in the manifest."),
                    ns.ToString());
            }

            if (ns.IsOplog || !_byDataNamespace.TryGetValue(ns, out var selected))
            {
                return;
            }

            await FlushAsync(selected, cancellationToken).ConfigureAwait(false);
            progress.NamespaceDone(BackupStage.Collections, $"{(target is null ? "checked" : "restored")} {ns} → {selected.Database}.{selected.Collection}", ns.ToString());
        }

        public async Task FinishDataAsync(CancellationToken cancellationToken)
        {
            await DrainAsync().ConfigureAwait(false);
            await ApplyOplogBatchAsync(cancellationToken).ConfigureAwait(false);
            foreach (var selected in Selected)
            {
                Results.Add(new RestoredNamespace($"{selected.Entry.Database}.{selected.Entry.Collection}", $"{selected.Database}.{selected.Collection}", selected.Type, selected.Documents, selected.Failed, 0));
            }
        }

        public async Task BuildIndexesAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < Selected.Count; i++)
            {
                var selected = Selected[i];
                var indexes = selected.Metadata.Indexes
                    .Where(ix => !(ix.TryGetValue("name", out var name) && name.Type == BsonType.String && name.AsString == "_id_"))
                    .Select(ix =>
                    {
                        var spec = ix.DeepClone();
                        spec.Remove("ns");
                        return spec;
                    })
                    .ToList();
                if (indexes.Count == 0 || selected.Type == MongoCollectionMetadata.ViewType)
                {
                    continue;
                }

                progress.Report(BackupStage.Indexes, $"building {indexes.Count} indexes on {selected.Database}.{selected.Collection}", $"{selected.Database}.{selected.Collection}");
                await target!.CreateIndexesAsync(selected.Database, selected.WriteCollection, indexes, cancellationToken).ConfigureAwait(false);
                Results[i] = Results[i] with { Indexes = indexes.Count };
            }
        }

        private async Task FlushAsync(SelectedNamespace selected, CancellationToken cancellationToken)
        {
            if (selected.Pending.Count == 0)
            {
                return;
            }

            var batch = selected.Pending;
            var bytes = selected.PendingBytes;
            selected.Pending = [];
            selected.PendingBytes = 0;
            if (target is null)
            {
                Interlocked.Add(ref selected.Documents, batch.Count);
                progress.Add(batch.Count, bytes);
                return;
            }

            // At most ParallelInserts commands in flight; a failed one stops the restore at the next batch.
            while (_inFlight.Count >= options.ParallelInserts)
            {
                var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
                _inFlight.Remove(done);
                await done.ConfigureAwait(false);
            }

            _inFlight.Add(InsertAsync(selected, batch, bytes, cancellationToken));
        }

        private async Task InsertAsync(SelectedNamespace selected, List<RawBsonDocument> batch, int bytes, CancellationToken cancellationToken)
        {
            var result = await target!.InsertUnorderedAsync(selected.Database, selected.WriteCollection, batch, WriteToken(cancellationToken)).ConfigureAwait(false);
            if (selected.Mode == RestoreWriteMode.InPlace)
            {
                writes.InsertedInPlace(selected.Target, result.InsertedCount);
            }

            Interlocked.Add(ref selected.Documents, result.InsertedCount);
            Interlocked.Add(ref selected.Failed, result.WriteErrors.Count);
            progress.Add(result.InsertedCount, bytes);
        }

        /// <summary>Waits for every insert in flight, ignoring their outcome: the restore is failing anyway.</summary>
        public async Task QuiesceAsync()
        {
            try
            {
                await Task.WhenAll(_inFlight).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MongoConnectionException or MongoCommandException or MongoServerSelectionException or OperationCanceledException or IOException or TimeoutException)
            {
                // Already failing; the first failure is the one reported.
            }

            _inFlight.Clear();
        }

        private async Task DrainAsync()
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
            _inFlight.Clear();
        }

        private async Task AddOplogEntryAsync(RawBsonDocument document, BackupOplogPosition end, CancellationToken cancellationToken)
        {
            if (!options.ReplayOplog)
            {
                return;
            }

            if (OplogApplied == 0 && _oplogBatch.Count == 0)
            {
                // Replay starts once every collection's data is in.
                await DrainAsync().ConfigureAwait(false);
                progress.Report(BackupStage.Oplog, "replaying the oplog", "local.oplog.rs");
            }

            var ts = document["ts"].AsTimestamp;
            if (ts > new BsonTimestamp(end.Seconds, end.Increment))
            {
                return;
            }

            if (OplogReplay.Prepare(document.ToBsonDocument(), plan.Includes, WriteTarget) is not { } entry)
            {
                return;
            }

            var isCommand = entry["op"].AsString == "c";
            var size = document.Length;
            if (isCommand || _oplogBatch.Count >= MaxApplyOpsEntries || _oplogBatchBytes + size > MaxApplyOpsBytes)
            {
                await ApplyOplogBatchAsync(cancellationToken).ConfigureAwait(false);
            }

            _oplogBatch.Add(entry);
            _oplogBatchBytes += size;
            if (isCommand)
            {
                // Commands go alone: applyOps refuses to mix some of them with CRUD entries.
                await ApplyOplogBatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task ApplyOplogBatchAsync(CancellationToken cancellationToken)
        {
            if (_oplogBatch.Count == 0)
            {
                return;
            }

            if (target is not null)
            {
                try
                {
                    await target.RunCommandAsync("admin", new BsonDocument("applyOps", new BsonArray(_oplogBatch.Select(e => (BsonValue)e))), null, WriteToken(cancellationToken)).ConfigureAwait(false);
                    writes.OplogApplied(_oplogBatch.Count);
                }
                catch (MongoCommandException e) when (_oplogBatch.Count == 1 && _oplogBatch[0]["op"].AsString == "c" && e.Code is 48 or 26)
                {
                    // A create of a collection the dump already holds, or a drop of one it never held: the
                    // replay is idempotent, as on a secondary.
                }
            }

            OplogApplied += _oplogBatch.Count;
            progress.Add(_oplogBatch.Count, _oplogBatchBytes);
            _oplogBatch.Clear();
            _oplogBatchBytes = 0;
        }
    }
}

/// <summary>
/// Prepares oplog entries for <c>applyOps</c> on another set, as mongorestore --oplogReplay does: no-ops, entries of
/// excluded namespaces and of local/config/system collections are dropped; <c>ui</c> (the source's collection UUIDs,
/// meaningless on the target) is removed; renames apply to <c>ns</c> and to a command's target collection.
/// </summary>
internal static class OplogReplay
{
    public static BsonDocument? Prepare(BsonDocument entry, Func<string, string, bool> includes, Func<string, string, (string Database, string Collection)> target)
    {
        var op = entry["op"].AsString;
        if (op == "n")
        {
            return null;
        }

        var ns = entry["ns"].AsString;
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var database = ns[..dot];
        var collection = ns[(dot + 1)..];
        var result = entry.DeepClone();
        result.Remove("ui");
        if (op == "c")
        {
            var command = result["o"].AsDocument;
            var first = command.Elements[0];
            if (first.Value.Type != BsonType.String)
            {
                // applyOps (transactions), dropDatabase…: kept only when the whole database is in the restore.
                return includes(database, "*") ? result : null;
            }

            var commandCollection = first.Value.AsString;
            if (!includes(database, commandCollection))
            {
                return null;
            }

            var (targetDatabase, targetCollection) = target(database, commandCollection);
            result.Set("ns", targetDatabase + ".$cmd");
            command.Set(first.Name, targetCollection);
            return result;
        }

        if (!includes(database, collection))
        {
            return null;
        }

        var (db, coll) = target(database, collection);
        result.Set("ns", $"{db}.{coll}");
        return result;
    }
}
