using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Driver = MongoDB.Driver;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// The project's seam over the official driver (<see cref="Driver.IMongoClient"/>): commands go in as the project's
/// <see cref="BsonDocument"/>, replies and cursor batches come back as the project's raw BSON (one block copy out of
/// the driver's buffer, never decoded by the driver), and the driver's exceptions are translated into the project's
/// (<see cref="MongoCommandException"/>, <see cref="MongoConnectionException"/>,
/// <see cref="MongoServerSelectionException"/>, <see cref="MongoAuthenticationException"/>) with messages that never
/// quote the password.
/// </summary>
internal sealed class MongoDriverClient : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly Driver.MongoClient _client;
    private readonly ILogger _logger;

    /// <summary>Creates the client (the driver connects lazily and monitors every member in the background).</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <param name="logger">Where to log; the connection string is logged redacted.</param>
    /// <param name="timeProvider">The clock of OttKit's own deadlines (the best-effort <c>killCursors</c>); the system clock when null.</param>
    public MongoDriverClient(MongoConnectionString connectionString, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ConnectionString = connectionString;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        DriverLog.Starting(_logger, connectionString.Redacted);
        foreach (var warning in connectionString.Warnings)
        {
            DriverLog.ConnectionStringWarning(_logger, warning);
        }

        var settings = MongoDriverSettings.From(connectionString);
        if (logger is not null)
        {
            // The driver's own diagnostics (topology discovery, server selection, connection pools) go to the caller's logger.
            settings.LoggingSettings = new MongoDB.Driver.Core.Configuration.LoggingSettings(new DriverLoggerFactory(logger));
        }

        _client = new Driver.MongoClient(settings);
    }

    /// <summary>Parses <paramref name="connectionString"/> and creates a client for it.</summary>
    /// <param name="connectionString">A <c>mongodb://</c> connection string.</param>
    /// <param name="logger">Where to log.</param>
    /// <returns>The client.</returns>
    /// <exception cref="MongoConfigurationException">The connection string is invalid; the message never contains the password.</exception>
    public static MongoDriverClient Create(string connectionString, ILogger? logger = null) =>
        new(MongoConnectionString.Parse(connectionString), logger);

    /// <summary>The connection string (use <see cref="MongoConnectionString.Redacted"/> to show it).</summary>
    public MongoConnectionString ConnectionString { get; }

    /// <summary>The driver client, for callers that use the driver's typed API directly.</summary>
    public Driver.IMongoClient Driver => _client;

    /// <summary>Runs a command and returns the decoded reply. Throws <see cref="MongoCommandException"/> on <c>ok: 0</c>.</summary>
    /// <param name="database">The database.</param>
    /// <param name="command">The command; its first element names it.</param>
    /// <param name="readPreference">Where to run it; <see langword="null"/> means the primary.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The reply.</returns>
    public async Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default)
    {
        var reply = await RunRawAsync(database, command, readPreference, null, cancellationToken).ConfigureAwait(false);
        return reply.ToBsonDocument();
    }

    /// <summary>Runs <c>ping</c> on a member chosen by <paramref name="readPreference"/> (primaryPreferred when null).</summary>
    /// <param name="readPreference">Where to ping.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the member answered.</returns>
    public Task PingAsync(MongoReadPreference? readPreference = null, CancellationToken cancellationToken = default) =>
        RunCommandAsync("admin", new BsonDocument("ping", 1), readPreference ?? new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken);

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
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The status document.</returns>
    public Task<BsonDocument> GetServerStatusAsync(CancellationToken cancellationToken = default) =>
        RunCommandAsync(
            "admin",
            new BsonDocument { { "serverStatus", 1 }, { "metrics", 0 }, { "locks", 0 }, { "wiredTiger", 0 }, { "tcmalloc", 0 } },
            new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred),
            cancellationToken);

    /// <summary><c>listCollections</c> on the primary, all batches.</summary>
    /// <param name="database">The database.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The collection descriptions.</returns>
    public async Task<IReadOnlyList<BsonDocument>> ListCollectionsAsync(string database, CancellationToken cancellationToken = default)
    {
        var result = new List<BsonDocument>();
        var command = new BsonDocument { { "listCollections", 1 }, { "cursor", new BsonDocument() } };
        await foreach (var batch in RunCursorAsync(database, "$cmd.listCollections", command, null, MongoReadPreference.Primary, cancellationToken).ConfigureAwait(false))
        {
            result.AddRange(batch.Documents.Select(d => d.ToBsonDocument()));
        }

        return result;
    }

    /// <summary>
    /// Runs a cursor command (<c>find</c>, <c>aggregate</c>, <c>listCollections</c>…) and yields the raw batches,
    /// following <c>getMore</c> in one explicit session (mongod refuses a getMore from another session). Stopping early
    /// kills the cursor. Cursors that need <c>getMore</c> are only opened on direct connections or on the primary, so
    /// every <c>getMore</c> reaches the server that holds the cursor.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection (for <c>getMore</c> when the reply names no namespace).</param>
    /// <param name="command">The cursor command.</param>
    /// <param name="batchSize">Documents per <c>getMore</c> (server default when null).</param>
    /// <param name="readPreference">Where to run it.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The batches.</returns>
    public async IAsyncEnumerable<MongoRawBatch> RunCursorAsync(string database, string collection, BsonDocument command, int? batchSize, MongoReadPreference readPreference, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = await Translate("startSession", () => _client.StartSessionAsync(new Driver.ClientSessionOptions { CausalConsistency = false }, cancellationToken)).ConfigureAwait(false);
        using (session)
        {
            var server = string.Join(",", ConnectionString.Hosts.Select(h => h.ToString()));
            var batch = ReadBatch(await RunRawAsync(database, command, readPreference, session, cancellationToken).ConfigureAwait(false), "firstBatch", server);
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

                    batch = ReadBatch(await RunRawAsync(database, getMore, readPreference, session, cancellationToken).ConfigureAwait(false), "nextBatch", server);
                    yield return batch;
                }

                finished = true;
            }
            finally
            {
                if (!finished && batch.CursorId != 0)
                {
                    await KillCursorAsync(database, CollectionOf(batch.Namespace, collection), batch.CursorId, readPreference, session).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Inserts raw documents on the primary (the driver splits them to the server's limits and retries once on a
    /// retryable error). A write error throws <see cref="MongoCommandException"/>.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documents">The documents, sent as their bytes.</param>
    /// <param name="ordered">Stop at the first error.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>How many were inserted.</returns>
    public async Task<MongoInsertResult> InsertAsync(string database, string collection, IReadOnlyList<RawBsonDocument> documents, bool ordered = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return new MongoInsertResult(0, 0);
        }

        var outcome = await InsertCoreAsync(database, collection, documents, ordered, cancellationToken).ConfigureAwait(false);
        if (outcome.WriteErrors.Count > 0)
        {
            var first = outcome.WriteErrors[0];
            throw new MongoCommandException("insert", first.Code, first.Code == 11000 ? "DuplicateKey" : null, first.Message, []);
        }

        return new MongoInsertResult(outcome.InsertedCount, outcome.CommandCount);
    }

    /// <summary>
    /// Inserts raw documents without stopping at the first failure: per-document write errors are returned, not
    /// thrown; a failed command or a write-concern error still throws <see cref="MongoCommandException"/>.
    /// </summary>
    /// <param name="database">The database.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>What went in and what failed (indexes into <paramref name="documents"/>).</returns>
    public Task<MongoUnorderedInsertResult> InsertUnorderedAsync(string database, string collection, IReadOnlyList<RawBsonDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Count == 0
            ? Task.FromResult(new MongoUnorderedInsertResult(0, 0, []))
            : InsertCoreAsync(database, collection, documents, false, cancellationToken);
    }

    /// <summary><c>create</c> on the primary: a collection with options or a view.</summary>
    /// <param name="database">The database.</param>
    /// <param name="name">The collection or view name.</param>
    /// <param name="options">The options as <c>listCollections</c> reports them.</param>
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
    /// <param name="indexes">Index specifications.</param>
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

    /// <summary>Closes the driver's monitors and pools.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"MongoDriverClient({ConnectionString.Redacted})";

    /// <summary>Runs a command and returns the reply as raw bytes (validated once, never decoded by the driver).</summary>
    internal async Task<RawBsonDocument> RunRawAsync(string database, BsonDocument command, MongoReadPreference? readPreference, Driver.IClientSessionHandle? session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(command);
        var name = command.Count > 0 ? command.First().Name : "command";
        var body = new MongoDB.Bson.RawBsonDocument(command.ToBson());
        using (body)
        {
            var driverCommand = new Driver.BsonDocumentCommand<RawBsonDocument>(body, RawDocumentSerializer.Instance);
            var preference = MongoDriverSettings.ReadPreference(readPreference ?? MongoReadPreference.Primary);
            var db = _client.GetDatabase(database);
            return await Translate(name, () => session is null
                ? db.RunCommandAsync(driverCommand, preference, cancellationToken)
                : db.RunCommandAsync(session, driverCommand, preference, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<MongoUnorderedInsertResult> InsertCoreAsync(string database, string collection, IReadOnlyList<RawBsonDocument> documents, bool ordered, CancellationToken cancellationToken)
    {
        // The driver's own raw document over the same bytes: its serializer writes the slice as it is.
        var wrapped = new MongoDB.Bson.RawBsonDocument[documents.Count];
        try
        {
            for (var i = 0; i < wrapped.Length; i++)
            {
                wrapped[i] = RawDocumentSerializer.Wrap(documents[i]);
            }

            var target = _client.GetDatabase(database).GetCollection<MongoDB.Bson.RawBsonDocument>(collection, new Driver.MongoCollectionSettings { AssignIdOnInsert = false });
            var options = new Driver.InsertManyOptions { IsOrdered = ordered, BypassDocumentValidation = true };
            await Translate("insert", async () =>
            {
                await target.InsertManyAsync(wrapped, options, cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            return new MongoUnorderedInsertResult(documents.Count, EstimatedCommands(documents), []);
        }
        catch (MongoBulkWriteFailure failure)
        {
            var e = failure.Inner;
            if (e.WriteConcernError is { } concern)
            {
                throw new MongoCommandException("insert", concern.Code, concern.CodeName, concern.Message, [.. e.ErrorLabels]);
            }

            var errors = e.WriteErrors.Select(w => new MongoWriteError(w.Index, w.Code, w.Message)).ToList();
            var inserted = e.Result.IsAcknowledged ? e.Result.InsertedCount : documents.Count - errors.Count;
            return new MongoUnorderedInsertResult(inserted, EstimatedCommands(documents), errors);
        }
        finally
        {
            foreach (var document in wrapped)
            {
                document?.Dispose();
            }
        }
    }

    private static int EstimatedCommands(IReadOnlyList<RawBsonDocument> documents)
    {
        var lengths = new int[documents.Count];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = documents[i].Length;
        }

        return InsertBatching.Split(lengths, 100_000, 48_000_000, 16 * 1024 * 1024 + (16 * 1024), 64).Count;
    }

    private async Task<T> Translate<T>(string commandName, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Driver.MongoBulkWriteException<MongoDB.Bson.RawBsonDocument> e)
        {
            throw new MongoBulkWriteFailure(e);
        }
        catch (Driver.MongoAuthenticationException e)
        {
            var credential = ConnectionString.Credential;
            throw new MongoAuthenticationException(credential?.Mechanism, credential?.Username, $"Authentication of '{credential?.Username}' against '{credential?.Source}' failed: {e.Message}");
        }
        catch (Driver.MongoCommandException e)
        {
            throw new MongoCommandException(commandName, e.Code, e.CodeName, e.ErrorMessage, [.. e.ErrorLabels]);
        }
        catch (Driver.MongoConnectionException e)
        {
            var address = e.ConnectionId?.ServerId?.EndPoint is { } endPoint ? EndPointText(endPoint) : string.Empty;
            DriverLog.ConnectionFailed(_logger, address, e.Message);
            throw new MongoConnectionException(address, $"{address}: {e.Message}", e.InnerException ?? e);
        }
        catch (Driver.MongoServerException e)
        {
            throw new MongoCommandException(commandName, 0, null, e.Message, [.. e.ErrorLabels]);
        }
        catch (Driver.MongoConnectionPoolPausedException e)
        {
            // The driver pauses a member's pool when it marks the member unknown (it stepped down or went away): the
            // same situation as a broken connection, and reported as one.
            DriverLog.ConnectionFailed(_logger, string.Empty, e.Message);
            throw new MongoConnectionException(string.Empty, e.Message, e);
        }
        catch (TimeoutException e)
        {
            DriverLog.SelectionFailed(_logger, commandName, e.Message);
            throw new MongoServerSelectionException($"No suitable member of {ConnectionString.Redacted} answered within the server selection timeout ({ConnectionString.ServerSelectionTimeout.TotalSeconds:0.#} s) for '{commandName}': {e.Message}", e);
        }
    }

    private static string EndPointText(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? string.Empty,
    };

    private async Task KillCursorAsync(string database, string collection, long cursorId, MongoReadPreference readPreference, Driver.IClientSessionHandle session)
    {
        // Best effort with its own short deadline: the caller may already have cancelled.
        using var timeout = new CancellationTokenSource(ConnectionString.ConnectTimeout, _time);
        try
        {
            var command = new BsonDocument { { "killCursors", collection }, { "cursors", new BsonArray { cursorId } } };
            await RunRawAsync(database, command, readPreference, session, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoConnectionException or MongoCommandException or MongoServerSelectionException or OperationCanceledException)
        {
            DriverLog.KillCursorsFailed(_logger, e.Message);
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

    /// <summary>Carries a bulk-write failure out of <see cref="Translate{T}"/> to the insert that reads it.</summary>
    private sealed class MongoBulkWriteFailure(Driver.MongoBulkWriteException<MongoDB.Bson.RawBsonDocument> inner) : Exception(inner.Message, inner)
    {
        public Driver.MongoBulkWriteException<MongoDB.Bson.RawBsonDocument> Inner { get; } = inner;
    }
}

/// <summary>Log lines of <see cref="MongoDriverClient"/>; connection strings only ever appear redacted.</summary>
internal static partial class DriverLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "MongoDB client (official driver) for {ConnectionString}")]
    public static partial void Starting(ILogger logger, string connectionString);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Connection string: {Warning}")]
    public static partial void ConnectionStringWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Connection to {Address} failed: {Message}")]
    public static partial void ConnectionFailed(ILogger logger, string address, string message);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "No member selected for {Command}: {Message}")]
    public static partial void SelectionFailed(ILogger logger, string command, string message);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "killCursors failed: {Message}")]
    public static partial void KillCursorsFailed(ILogger logger, string message);
}
