using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire.Discovery;
using Workmates.OttKit.Mongo.Wire.Selection;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// A MongoDB client for a replica set (or a single server) limited to what health checks and backups need: it
/// monitors every member with <c>hello</c>, selects servers by read preference within serverSelectionTimeoutMS, keeps
/// a small connection pool per server, and runs administrative, cursor and insert commands. Cursor results are raw
/// batches: documents are never decoded on that path.
/// </summary>
public sealed class MongoReplicaSetClient : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Topology _topology;
    private readonly Dictionary<string, ServerMonitor> _monitors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConnectionPool> _pools = new(StringComparer.Ordinal);
    private readonly ConnectionSettings _settings;
    private readonly SelectionSettings _selection;
    private readonly ILogger _logger;
    private TaskCompletionSource _topologyChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    /// <summary>Creates the client and starts monitoring the seed list. No I/O happens on the calling thread.</summary>
    /// <param name="connectionString">The parsed connection string (an unresolved <c>mongodb+srv</c> is refused).</param>
    /// <param name="logger">Where to log; connection strings are logged redacted.</param>
    /// <exception cref="MongoConfigurationException">The seed list needs DNS SRV resolution.</exception>
    public MongoReplicaSetClient(MongoConnectionString connectionString, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        connectionString.EnsureSeedListIsExplicit();
        ConnectionString = connectionString;
        _logger = logger ?? NullLogger.Instance;
        _settings = ConnectionSettings.From(connectionString);
        _selection = SelectionSettings.From(connectionString);
        _topology = new Topology(connectionString);
        MongoClientLog.Starting(_logger, connectionString.Redacted);
        foreach (var warning in connectionString.Warnings)
        {
            MongoClientLog.ConnectionStringWarning(_logger, warning);
        }

        lock (_lock)
        {
            SyncMonitors();
        }
    }

    /// <summary>Parses <paramref name="connectionString"/> and creates the client.</summary>
    /// <param name="connectionString">A <c>mongodb://</c> URI.</param>
    /// <param name="logger">Where to log.</param>
    /// <returns>The client.</returns>
    public static MongoReplicaSetClient Create(string connectionString, ILogger? logger = null) =>
        new(MongoConnectionString.Parse(connectionString), logger);

    /// <summary>The connection string (its <see cref="object.ToString"/> is redacted).</summary>
    public MongoConnectionString ConnectionString { get; }

    /// <summary>The servers discovered so far with their types, e.g. <c>127.0.0.1:27017 → RSPrimary</c>.</summary>
    public IReadOnlyDictionary<string, string> Servers
    {
        get
        {
            lock (_lock)
            {
                return _topology.Description.Servers.ToDictionary(s => s.Key, s => s.Value.Type.ToString(), StringComparer.Ordinal);
            }
        }
    }

    internal TopologyDescription Description
    {
        get
        {
            lock (_lock)
            {
                return _topology.Description;
            }
        }
    }

    /// <summary>Runs any command and returns the decoded reply. Throws <see cref="MongoCommandException"/> on <c>ok: 0</c>.</summary>
    /// <param name="database">The database (<c>$db</c>).</param>
    /// <param name="command">The command; its first element names it. <c>$db</c> is set on it.</param>
    /// <param name="readPreference">Where to run it; <see langword="null"/> means the primary (for writes).</param>
    /// <param name="cancellationToken">Cancels selection, checkout and the round trip.</param>
    /// <returns>The reply.</returns>
    public async Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(command);
        var (reply, _) = await ExecuteAsync(readPreference, null, (c, s, ct) => c.RunCommandAsync(database, WithReadPreference(command, readPreference, s), null, ct), cancellationToken).ConfigureAwait(false);
        return reply.ToBsonDocument();
    }

    /// <summary>Runs <c>ping</c> on a server chosen by <paramref name="readPreference"/> (primaryPreferred when null).</summary>
    /// <param name="readPreference">Where to ping.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the server answered.</returns>
    public Task PingAsync(MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandAsync("admin", new BsonDocument("ping", 1), readPreference ?? new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken);

    /// <summary>Runs <c>hello</c> on a server chosen by <paramref name="readPreference"/>.</summary>
    /// <param name="readPreference">Where to run it (primaryPreferred when null).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The reply.</returns>
    public Task<BsonDocument> HelloAsync(MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandAsync("admin", new BsonDocument("hello", 1), readPreference ?? new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken);

    /// <summary><c>replSetGetStatus</c> (needs clusterMonitor), from the primary when there is one, else any member.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The status document.</returns>
    public Task<BsonDocument> GetReplicaSetStatusAsync(CancellationToken cancellationToken = default) =>
        RunCommandAsync("admin", new BsonDocument("replSetGetStatus", 1), new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken);

    /// <summary><c>replSetGetConfig</c> (needs clusterMonitor): the <c>config</c> document.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The replica-set configuration.</returns>
    public async Task<BsonDocument> GetReplicaSetConfigAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunCommandAsync("admin", new BsonDocument("replSetGetConfig", 1), new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken).ConfigureAwait(false);
        return reply["config"].AsDocument;
    }

    /// <summary><c>serverStatus</c> (needs clusterMonitor) with the heavy sections left out.</summary>
    /// <param name="readPreference">Which server (primaryPreferred when null).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The status document.</returns>
    public Task<BsonDocument> GetServerStatusAsync(MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandAsync(
            "admin",
            new BsonDocument { { "serverStatus", 1 }, { "metrics", 0 }, { "locks", 0 }, { "wiredTiger", 0 }, { "tcmalloc", 0 } },
            readPreference ?? new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred),
            cancellationToken);

    /// <summary><c>listDatabases</c>: one document per database (<c>name</c>, <c>sizeOnDisk</c>, <c>empty</c>).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The databases.</returns>
    public async Task<IReadOnlyList<BsonDocument>> ListDatabasesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunCommandAsync("admin", new BsonDocument("listDatabases", 1), MongoReadPreference.Primary, cancellationToken).ConfigureAwait(false);
        return [.. reply["databases"].AsArray.Select(d => d.AsDocument)];
    }

    /// <summary><c>listCollections</c>, all batches.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The collection descriptions.</returns>
    public Task<IReadOnlyList<BsonDocument>> ListCollectionsAsync(string database, CancellationToken cancellationToken = default) =>
        DrainAsync(database, string.Empty, new BsonDocument { { "listCollections", 1 }, { "cursor", new BsonDocument() } }, cancellationToken);

    /// <summary><c>listIndexes</c>, all batches.</summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The index specifications.</returns>
    public Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(string database, string collection, CancellationToken cancellationToken = default) =>
        DrainAsync(database, collection, new BsonDocument { { "listIndexes", collection }, { "cursor", new BsonDocument() } }, cancellationToken);

    /// <summary>
    /// <c>find</c> then <c>getMore</c> until the cursor is exhausted, yielding each raw batch. Stopping early kills the
    /// cursor on its server.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="filter">The filter (all documents when null).</param>
    /// <param name="batchSize">Documents per batch (server default when null).</param>
    /// <param name="readPreference">Where to read (primary when null).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The batches.</returns>
    public IAsyncEnumerable<MongoRawBatch> FindAsync(string database, string collection, BsonDocument? filter = null, int? batchSize = null, MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default)
    {
        var command = new BsonDocument { { "find", collection }, { "filter", filter ?? new BsonDocument() } };
        if (batchSize is { } size)
        {
            command.Add("batchSize", size);
        }

        return CursorAsync(database, collection, command, batchSize, readPreference ?? MongoReadPreference.Primary, cancellationToken);
    }

    /// <summary><c>aggregate</c> with raw result batches.</summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="pipeline">The stages.</param>
    /// <param name="batchSize">Documents per batch (server default when null).</param>
    /// <param name="readPreference">Where to read (primary when null).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The batches.</returns>
    public IAsyncEnumerable<MongoRawBatch> AggregateAsync(string database, string collection, BsonArray pipeline, int? batchSize = null, MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default)
    {
        var cursor = batchSize is { } size ? new BsonDocument("batchSize", size) : new BsonDocument();
        var command = new BsonDocument { { "aggregate", collection }, { "pipeline", pipeline }, { "cursor", cursor } };
        return CursorAsync(database, collection, command, batchSize, readPreference ?? MongoReadPreference.Primary, cancellationToken);
    }

    /// <summary>The <c>$collStats</c> <c>storageStats</c> and <c>count</c> of a collection (one document).</summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The statistics document.</returns>
    public async Task<BsonDocument> GetCollectionStatsAsync(string database, string collection, CancellationToken cancellationToken = default)
    {
        var pipeline = new BsonArray { new BsonDocument("$collStats", new BsonDocument { { "storageStats", new BsonDocument() }, { "count", new BsonDocument() } }) };
        await foreach (var batch in AggregateAsync(database, collection, pipeline, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (batch.Documents.Count > 0)
            {
                return batch.Documents[0].ToBsonDocument();
            }
        }

        throw new MongoCommandException("aggregate", 26, "NamespaceNotFound", $"$collStats returned nothing for {database}.{collection}", []);
    }

    /// <summary>
    /// Inserts raw documents on the primary, sent as OP_MSG document sequences and split into commands that respect
    /// the server's maxWriteBatchSize and maxMessageSizeBytes. A write error throws <see cref="MongoCommandException"/>.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documents">The documents (each must carry <c>_id</c> if ids matter to the caller).</param>
    /// <param name="ordered">Stop at the first error (the default).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>How many were inserted and in how many commands.</returns>
    public async Task<MongoInsertResult> InsertAsync(string database, string collection, IReadOnlyList<RawBsonDocument> documents, bool ordered = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        long inserted = 0;
        var commands = 0;
        if (documents.Count == 0)
        {
            return new MongoInsertResult(0, 0);
        }

        await ExecuteAsync(null, null, async (connection, _, ct) =>
        {
            BsonDocument Command() => new() { { "insert", collection }, { "ordered", ordered }, { "$db", database } };
            var overhead = OpMsgCodec.MessageLength(Command().ToBson().Length, [new DocumentSequence("documents", [])], checksum: false);
            var batches = InsertBatching.Split([.. documents.Select(d => d.Length)], connection.MaxWriteBatchSize, connection.MaxMessageSize, connection.MaxBsonObjectSize + (16 * 1024), overhead);
            foreach (var (start, count) in batches)
            {
                var slice = new RawBsonDocument[count];
                for (var i = 0; i < count; i++)
                {
                    slice[i] = documents[start + i];
                }

                var reply = await connection.RunCommandAsync(database, Command(), [new DocumentSequence("documents", slice)], ct).ConfigureAwait(false);
                commands++;
                inserted += reply.TryGetValue("n", out var n) ? (n.Type == BsonType.Int32 ? n.AsInt32 : n.AsInt64) : 0;
            }

            return inserted;
        }, cancellationToken).ConfigureAwait(false);
        return new MongoInsertResult(inserted, commands);
    }

    /// <summary>
    /// Inserts raw documents on the primary without stopping at the first failure (<c>ordered: false</c>), as OP_MSG
    /// document sequences split to the server's limits. Per-document write errors are returned, not thrown; a failed
    /// command or a write-concern error still throws <see cref="MongoCommandException"/>.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>How many were inserted and the write errors (index into <paramref name="documents"/>).</returns>
    internal async Task<MongoUnorderedInsertResult> InsertUnorderedAsync(string database, string collection, IReadOnlyList<RawBsonDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return new MongoUnorderedInsertResult(0, 0, []);
        }

        var (outcome, _) = await ExecuteAsync(null, null, async (connection, _, ct) =>
        {
            long inserted = 0;
            var commands = 0;
            var errors = new List<MongoWriteError>();
            BsonDocument Command() => new() { { "insert", collection }, { "ordered", false }, { "$db", database } };
            var overhead = OpMsgCodec.MessageLength(Command().ToBson().Length, [new DocumentSequence("documents", [])], checksum: false);
            var lengths = new int[documents.Count];
            for (var i = 0; i < lengths.Length; i++)
            {
                lengths[i] = documents[i].Length;
            }

            foreach (var (start, count) in InsertBatching.Split(lengths, connection.MaxWriteBatchSize, connection.MaxMessageSize, connection.MaxBsonObjectSize + (16 * 1024), overhead))
            {
                var slice = new RawBsonDocument[count];
                for (var i = 0; i < count; i++)
                {
                    slice[i] = documents[start + i];
                }

                var reply = await connection.RunWriteCommandAsync(database, Command(), [new DocumentSequence("documents", slice)], ct).ConfigureAwait(false);
                commands++;
                inserted += reply.TryGetValue("n", out var n) ? (n.Type == BsonType.Int32 ? n.AsInt32 : n.AsInt64) : 0;
                if (reply.TryGetValue("writeErrors", out var writeErrors) && writeErrors.Type == BsonType.Array)
                {
                    foreach (var element in writeErrors.AsArray)
                    {
                        var error = element.Value.AsDocument;
                        var index = error.TryGetValue("index", out var ix) && ix.Type == BsonType.Int32 ? ix.AsInt32 : 0;
                        var code = error.TryGetValue("code", out var c) && c.Type == BsonType.Int32 ? c.AsInt32 : 0;
                        var message = error.TryGetValue("errmsg", out var m) && m.Type == BsonType.String ? m.AsString : string.Empty;
                        errors.Add(new MongoWriteError(start + index, code, message));
                    }
                }
            }

            return new MongoUnorderedInsertResult(inserted, commands, errors);
        }, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Runs a cursor command (<c>find</c>, <c>aggregate</c>, <c>listCollections</c>…) built by the caller and yields
    /// the raw batches, following <c>getMore</c> on the same server.
    /// </summary>
    internal IAsyncEnumerable<MongoRawBatch> RunCursorAsync(string database, string collection, BsonDocument command, int? batchSize, MongoReadPreference readPreference, CancellationToken cancellationToken) =>
        CursorAsync(database, collection, command, batchSize, readPreference, cancellationToken);

    /// <summary><c>create</c> on the primary: a collection with options (capped, validator, collation…) or a view.</summary>
    /// <param name="database">The database.</param>
    /// <param name="name">The collection or view name.</param>
    /// <param name="options">The options as <c>listCollections</c> reports them (<c>viewOn</c> and <c>pipeline</c> for a view).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the collection exists.</returns>
    public Task CreateCollectionAsync(string database, string name, BsonDocument options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var command = new BsonDocument("create", name);
        foreach (var option in options)
        {
            command.Add(option.Name, option.Value);
        }

        return RunCommandAsync(database, command, null, cancellationToken);
    }

    /// <summary><c>createIndexes</c> on the primary.</summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="indexes">Index specifications (<c>key</c>, <c>name</c>, options).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The server reply.</returns>
    public Task<BsonDocument> CreateIndexesAsync(string database, string collection, IEnumerable<BsonDocument> indexes, CancellationToken cancellationToken = default) =>
        RunCommandAsync(database, new BsonDocument { { "createIndexes", collection }, { "indexes", new BsonArray(indexes.Select(i => (BsonValue)i)) } }, null, cancellationToken);

    /// <summary><c>drop</c> on the primary; <see langword="false"/> when the collection did not exist.</summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Whether a collection was dropped.</returns>
    public async Task<bool> DropAsync(string database, string collection, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunCommandAsync(database, new BsonDocument("drop", collection), null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MongoCommandException e) when (e.Code == 26)
        {
            return false;
        }
    }

    /// <summary>Stops the monitors and closes every pooled connection.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        List<ServerMonitor> monitors;
        List<ConnectionPool> pools;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            monitors = [.. _monitors.Values];
            pools = [.. _pools.Values];
            _monitors.Clear();
            _pools.Clear();
            _topologyChanged.TrySetResult();
        }

        foreach (var monitor in monitors)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pool in pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Selects a server: the primary for writes (<paramref name="readPreference"/> null), else by read preference.</summary>
    internal async Task<ServerDescription> SelectServerAsync(MongoReadPreference? readPreference, CancellationToken cancellationToken)
    {
        var timeout = ConnectionString.ServerSelectionTimeout;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            TopologyDescription description;
            Task changed;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                description = _topology.Description;
                changed = _topologyChanged.Task;
            }

            var suitable = readPreference is null
                ? ServerSelector.SelectForWrite(description, _selection)
                : ServerSelector.SelectForRead(description, readPreference, _selection);
            if (ServerSelector.PickOne(suitable, Random.Shared) is { } server)
            {
                return server;
            }

            RequestChecks();
            var remaining = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                var summary = Summarize(description);
                MongoClientLog.SelectionFailed(_logger, timeout.TotalMilliseconds, summary);
                var wanted = readPreference is null ? "a writable primary" : $"a server for read preference {readPreference.Mode}";
                throw new MongoServerSelectionException($"No {wanted} within {timeout.TotalMilliseconds:0} ms (serverSelectionTimeoutMS). Topology {summary}");
            }

            try
            {
                await changed.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // loop once more and report
            }
        }
    }

    private static string Summarize(TopologyDescription description) =>
        description.Type + ": " + string.Join(", ", description.Servers.Values.Select(s => s.Error is null ? $"{s.Address} {s.Type}" : $"{s.Address} {s.Type} ({s.Error})"));

    private async Task<(T Result, ServerDescription Server)> ExecuteAsync<T>(MongoReadPreference? readPreference, string? pinnedAddress, Func<MongoWireConnection, ServerDescription, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ServerDescription server;
        if (pinnedAddress is null)
        {
            server = await SelectServerAsync(readPreference, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            lock (_lock)
            {
                server = _topology.Description.Servers.GetValueOrDefault(pinnedAddress) ?? ServerDescription.Unknown(pinnedAddress);
            }
        }

        var pool = PoolFor(server.Address);
        MongoWireConnection connection;
        try
        {
            connection = await pool.RentAsync(ConnectionString.WaitQueueTimeout ?? ConnectionString.ServerSelectionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoConnectionException e) when (!e.IsTimeout)
        {
            ReportError(new ApplicationError(server.Address, ErrorPhase.BeforeHandshakeCompletes, ApplicationErrorKind.Network, server.MaxWireVersion, pool.Generation));
            throw;
        }

        try
        {
            return (await operation(connection, server, cancellationToken).ConfigureAwait(false), server);
        }
        catch (MongoConnectionException e)
        {
            var kind = e.IsTimeout ? ApplicationErrorKind.Timeout : ApplicationErrorKind.Network;
            ReportError(new ApplicationError(server.Address, ErrorPhase.AfterHandshakeCompletes, kind, connection.Hello.MaxWireVersion, connection.Generation));
            throw;
        }
        catch (MongoCommandException e) when (StateChangeErrors.IsStateChange(e.Code, e.ServerMessage))
        {
            ReportError(new ApplicationError(server.Address, ErrorPhase.AfterHandshakeCompletes, ApplicationErrorKind.Command, connection.Hello.MaxWireVersion, connection.Generation, new CommandErrorReply(false, e.Code, e.ServerMessage, null)));
            throw;
        }
        finally
        {
            await pool.ReturnAsync(connection).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<MongoRawBatch> CursorAsync(string database, string collection, BsonDocument command, int? batchSize, MongoReadPreference readPreference, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (reply, server) = await ExecuteAsync(readPreference, null, (c, s, ct) => c.RunCommandAsync(database, WithReadPreference(command, readPreference, s), null, ct), cancellationToken).ConfigureAwait(false);
        var batch = ReadBatch(reply, "firstBatch", server.Address);
        var finished = false;
        try
        {
            yield return batch;
            while (batch.CursorId != 0)
            {
                var getMore = new BsonDocument { { "getMore", batch.CursorId }, { "collection", CollectionOf(batch.Namespace, collection) } };
                if (batchSize is { } size)
                {
                    getMore.Add("batchSize", size);
                }

                var (next, _) = await ExecuteAsync(readPreference, server.Address, (c, _, ct) => c.RunCommandAsync(database, getMore, null, ct), cancellationToken).ConfigureAwait(false);
                batch = ReadBatch(next, "nextBatch", server.Address);
                yield return batch;
            }

            finished = true;
        }
        finally
        {
            if (!finished && batch.CursorId != 0)
            {
                await KillCursorAsync(database, CollectionOf(batch.Namespace, collection), batch.CursorId, server.Address).ConfigureAwait(false);
            }
        }
    }

    private async Task KillCursorAsync(string database, string collection, long cursorId, string address)
    {
        // Best effort with its own short deadline: the caller may already have cancelled.
        using var timeout = new CancellationTokenSource(ConnectionString.ConnectTimeout);
        try
        {
            var command = new BsonDocument { { "killCursors", collection }, { "cursors", new BsonArray { cursorId } } };
            await ExecuteAsync(null, address, (c, _, ct) => c.RunCommandAsync(database, command, null, ct), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoConnectionException or MongoCommandException or OperationCanceledException)
        {
            MongoClientLog.CheckFailed(_logger, address, "killCursors failed: " + e.Message);
        }
    }

    private static string CollectionOf(string ns, string fallback)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? fallback : ns[(dot + 1)..];
    }

    private static MongoRawBatch ReadBatch(RawBsonDocument reply, string batchName, string server)
    {
        var cursor = reply["cursor"].AsDocument;
        var id = cursor["id"].Type == BsonType.Int64 ? cursor["id"].AsInt64 : cursor["id"].AsInt32;
        var ns = cursor.TryGetValue("ns", out var n) && n.Type == BsonType.String ? n.AsString : string.Empty;
        var documents = new List<RawBsonDocument>();
        foreach (var element in cursor[batchName].AsArray)
        {
            documents.Add(element.Value.AsDocument);
        }

        return new MongoRawBatch(documents, id, server, ns);
    }

    private async Task<IReadOnlyList<BsonDocument>> DrainAsync(string database, string collection, BsonDocument command, CancellationToken cancellationToken)
    {
        var result = new List<BsonDocument>();
        await foreach (var batch in CursorAsync(database, collection, command, null, MongoReadPreference.Primary, cancellationToken).ConfigureAwait(false))
        {
            result.AddRange(batch.Documents.Select(d => d.ToBsonDocument()));
        }

        return result;
    }

    private BsonDocument WithReadPreference(BsonDocument command, MongoReadPreference? readPreference, ServerDescription server)
    {
        // Direct connections to a non-primary must say secondaryPreferred, or the server refuses reads.
        var mode = readPreference?.Mode ?? ReadPreferenceMode.Primary;
        if (mode == ReadPreferenceMode.Primary && readPreference is not null && Description.Type == TopologyType.Single && server.Type != ServerType.RSPrimary)
        {
            mode = ReadPreferenceMode.SecondaryPreferred;
        }

        if (mode == ReadPreferenceMode.Primary)
        {
            return command;
        }

        var document = new BsonDocument("mode", char.ToLowerInvariant(mode.ToString()[0]) + mode.ToString()[1..]);
        if (readPreference is { TagSets.Count: > 0 })
        {
            var tagSets = new BsonArray();
            foreach (var set in readPreference.TagSets)
            {
                var tags = new BsonDocument();
                foreach (var (key, value) in set)
                {
                    tags.Add(key, value);
                }

                tagSets.Add(tags);
            }

            document.Add("tags", tagSets);
        }

        if (readPreference?.MaxStaleness is { } staleness)
        {
            document.Add("maxStalenessSeconds", (long)staleness.TotalSeconds);
        }

        command.Set("$readPreference", document);
        return command;
    }

    private ConnectionPool PoolFor(string address)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_pools.TryGetValue(address, out var pool))
            {
                pool = new ConnectionPool(address, _settings, Math.Min(ConnectionString.MaxPoolSize, 16), ConnectionString.MaxIdleTime, _topology.PoolGeneration(address));
                _pools[address] = pool;
            }

            return pool;
        }
    }

    private void RequestChecks()
    {
        lock (_lock)
        {
            foreach (var monitor in _monitors.Values)
            {
                monitor.RequestCheck();
            }
        }
    }

    private void OnCheck(string address, HelloResult? hello, TimeSpan? roundTrip, string? error)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var before = _topology.Description.Servers.GetValueOrDefault(address)?.Type;
            _topology.ApplyHello(address, hello, roundTrip, DateTimeOffset.UtcNow, error);
            _topology.DrainEvents();
            var after = _topology.Description.Servers.GetValueOrDefault(address)?.Type;
            if (before != after)
            {
                var label = after is { } type ? type.ToString() : "removed";
                MongoClientLog.ServerChanged(_logger, address, label);
            }

            if (error is not null)
            {
                MongoClientLog.CheckFailed(_logger, address, error);
            }

            AfterTopologyChange();
        }
    }

    private void ReportError(ApplicationError error)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _topology.ApplyApplicationError(error);
            _topology.DrainEvents();
            AfterTopologyChange();
        }
    }

    // Caller holds _lock.
    private void AfterTopologyChange()
    {
        foreach (var (address, pool) in _pools)
        {
            pool.AdvanceTo(_topology.PoolGeneration(address));
        }

        SyncMonitors();
        var changed = _topologyChanged;
        _topologyChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    // Caller holds _lock.
    private void SyncMonitors()
    {
        var servers = _topology.Description.Servers;
        foreach (var address in servers.Keys.Where(a => !_monitors.ContainsKey(a)).ToList())
        {
            var monitor = new ServerMonitor(address, _settings, ConnectionString.HeartbeatFrequency, OnCheck);
            _monitors[address] = monitor;
            monitor.Start();
        }

        foreach (var address in _monitors.Keys.Where(a => !servers.ContainsKey(a)).ToList())
        {
            var monitor = _monitors[address];
            _monitors.Remove(address);
            _ = monitor.DisposeAsync().AsTask();
            if (_pools.Remove(address, out var pool))
            {
                _ = pool.DisposeAsync().AsTask();
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MongoReplicaSetClient({ConnectionString.Redacted})");
}
