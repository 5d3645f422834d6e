using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// The health check's <see cref="IReplicaSetStatusSource"/> over a <see cref="MongoReplicaSetClient"/>: runs
/// <c>replSetGetStatus</c>, <c>replSetGetConfig</c> and <c>serverStatus</c> (clusterMonitor) and reads the first and
/// last oplog entries (needs <c>read</c> on <c>local</c>; left out when refused).
/// </summary>
public sealed class MongoReplicaSetStatusSource : IReplicaSetStatusSource
{
    private readonly MongoReplicaSetClient _client;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the source.</summary>
    /// <param name="client">The client to observe through; the source does not own it.</param>
    /// <param name="timeProvider">The observer's clock (<see cref="TimeProvider.System"/> when null).</param>
    public MongoReplicaSetStatusSource(MongoReplicaSetClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public async Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        BsonDocument status;
        BsonDocument config;
        BsonDocument serverStatus;
        try
        {
            status = await _client.GetReplicaSetStatusAsync(cancellationToken).ConfigureAwait(false);
            config = await _client.GetReplicaSetConfigAsync(cancellationToken).ConfigureAwait(false);
            serverStatus = await _client.GetServerStatusAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
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
        var reply = await _client.RunCommandAsync("local", command, new MongoReadPreference(ReadPreferenceMode.PrimaryPreferred), cancellationToken).ConfigureAwait(false);
        var batch = reply["cursor"].AsDocument["firstBatch"].AsArray;
        return batch.Count > 0 && batch[0].AsDocument.TryGetValue("ts", out var ts) ? ts : (BsonValue?)null;
    }
}
