using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The status source a health check registered with a connection string uses: it owns one official-driver client
/// (<see cref="MongoDriverClient"/>) for the container's lifetime, so the driver's monitoring connections and pools are
/// reused across runs, and disposes it with the container. One observation runs <c>replSetGetStatus</c>,
/// <c>replSetGetConfig</c> and <c>serverStatus</c> (clusterMonitor) and reads the first and last oplog entries (needs
/// <c>read</c> on <c>local</c>; left out when refused), all on one member chosen by primaryPreferred.
/// </summary>
internal sealed class ConnectionStringStatusSource : IReplicaSetStatusSource, IAsyncDisposable, IDisposable
{
    private static readonly MongoReadPreference s_primaryPreferred = new(ReadPreferenceMode.PrimaryPreferred);
    private readonly MongoDriverClient _client;
    private readonly TimeProvider _timeProvider;

    public ConnectionStringStatusSource(MongoConnectionString connectionString, TimeProvider timeProvider, ILogger? logger)
    {
        _client = new MongoDriverClient(connectionString, logger);
        _timeProvider = timeProvider;
    }

    public async Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        BsonDocument status;
        BsonDocument config;
        BsonDocument serverStatus;
        try
        {
            status = await _client.GetReplicaSetStatusAsync(cancellationToken).ConfigureAwait(false);
            config = await _client.GetReplicaSetConfigAsync(cancellationToken).ConfigureAwait(false);
            serverStatus = await _client.GetServerStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.IsUnauthorized)
        {
            throw new MongoNotAuthorizedException(_client.ConnectionString.Username, e.CommandName, e);
        }

        var observation = new BsonDocument
        {
            { "status", status },
            { "config", config },
            { "serverStatus", serverStatus },
        };
        if (await ReadOplogSpanAsync(cancellationToken).ConfigureAwait(false) is { } oplog)
        {
            observation.Add("oplog", oplog);
        }

        observation.Add("observedAt", _timeProvider.GetUtcNow());

        // The health model reads Extended JSON (its CLI takes status files), so the documents go through that one reader.
        return ReplicaSetStatusJson.ParseObservation(observation.ToExtendedJson(ExtendedJsonMode.Relaxed));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    // A container disposed synchronously still closes the sockets; disposal of the driver client does not block on the network.
    public void Dispose() => _client.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<BsonDocument?> ReadOplogSpanAsync(CancellationToken cancellationToken)
    {
        try
        {
            var first = await OplogEndAsync(1, cancellationToken).ConfigureAwait(false);
            var last = await OplogEndAsync(-1, cancellationToken).ConfigureAwait(false);
            return first is { } f && last is { } l ? new BsonDocument { { "first", f }, { "last", l } } : null;
        }
        catch (MongoCommandException e) when (e.IsUnauthorized)
        {
            return null;
        }
    }

    private async Task<BsonValue?> OplogEndAsync(int direction, CancellationToken cancellationToken)
    {
        var command = new BsonDocument
        {
            { "find", "oplog.rs" },
            { "filter", new BsonDocument() },
            { "sort", new BsonDocument("$natural", direction) },
            { "projection", new BsonDocument { { "ts", 1 }, { "_id", 0 } } },
            { "limit", 1 },
            { "singleBatch", true },
        };
        var reply = await _client.RunCommandAsync("local", command, s_primaryPreferred, cancellationToken).ConfigureAwait(false);
        var batch = reply["cursor"].AsDocument["firstBatch"].AsArray;
        return batch.Count > 0 && batch[0].AsDocument.TryGetValue("ts", out var ts) ? ts : (BsonValue?)null;
    }
}
