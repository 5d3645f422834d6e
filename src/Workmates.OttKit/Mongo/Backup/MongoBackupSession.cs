using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>The oplog as seen from the source member: first and last entry, size and capacity.</summary>
/// <param name="First">Oldest entry still held.</param>
/// <param name="Last">Newest entry.</param>
/// <param name="FirstWall">Wall time of the oldest entry (from <c>ts</c> seconds).</param>
/// <param name="LastWall">Wall time of the newest entry.</param>
/// <param name="UsedBytes">storageStats.size.</param>
/// <param name="MaxBytes">storageStats.maxSize (the capped size); 0 when unknown.</param>
internal sealed record OplogExtent(BsonTimestamp First, BsonTimestamp Last, DateTimeOffset FirstWall, DateTimeOffset LastWall, long UsedBytes, long MaxBytes)
{
    /// <summary>
    /// How much time the oplog holds. When it is not full yet, the observed span is scaled by capacity/used (a
    /// steady write rate fills the rest in that proportion); an oplog with no span yet holds "forever" for the check.
    /// </summary>
    public TimeSpan Window
    {
        get
        {
            var span = LastWall - FirstWall;
            if (span <= TimeSpan.Zero)
            {
                return TimeSpan.MaxValue;
            }

            return UsedBytes > 0 && MaxBytes > UsedBytes ? span * ((double)MaxBytes / UsedBytes) : span;
        }
    }
}

/// <summary>
/// Reads from the one member a backup uses, over a direct connection: collection listings, raw cursor batches and the
/// oplog. Documents stay raw (<see cref="RawBsonDocument"/>) on the data path.
/// </summary>
internal sealed class MongoBackupSession : IAsyncDisposable
{
    private static readonly MongoReadPreference s_anyMember = new(ReadPreferenceMode.SecondaryPreferred);
    private readonly MongoDriverClient _client;

    public MongoBackupSession(MongoConnectionString setConnectionString, string host, TimeProvider timeProvider)
    {
        Host = host;
        _client = new MongoDriverClient(setConnectionString.ForDirectConnection(MongoServerAddress.Parse(host)), timeProvider: timeProvider);
    }

    public string Host { get; }

    public MongoDriverClient Client => _client;

    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        var info = await _client.RunCommandAsync("admin", new BsonDocument("buildInfo", 1), s_anyMember, cancellationToken).ConfigureAwait(false);
        return info.TryGetValue("version", out var version) && version.Type == BsonType.String ? version.AsString : "unknown";
    }

    public async Task<IReadOnlyList<string>> DatabasesAsync(CancellationToken cancellationToken)
    {
        var reply = await _client.RunCommandAsync("admin", new BsonDocument { { "listDatabases", 1 }, { "nameOnly", true } }, s_anyMember, cancellationToken).ConfigureAwait(false);
        return [.. reply["databases"].AsArray.Select(d => d.AsDocument["name"].AsString).Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<BsonDocument>> CollectionsAsync(string database, CancellationToken cancellationToken)
    {
        var result = new List<BsonDocument>();
        var command = new BsonDocument { { "listCollections", 1 }, { "cursor", new BsonDocument() } };
        await foreach (var batch in _client.RunCursorAsync(database, "$cmd.listCollections", command, null, s_anyMember, cancellationToken).ConfigureAwait(false))
        {
            result.AddRange(batch.Documents.Select(d => d.ToBsonDocument()));
        }

        return result;
    }

    public async Task<IReadOnlyList<BsonDocument>> IndexesAsync(string database, string collection, CancellationToken cancellationToken)
    {
        var result = new List<BsonDocument>();
        var command = new BsonDocument { { "listIndexes", collection }, { "cursor", new BsonDocument() } };
        await foreach (var batch in _client.RunCursorAsync(database, collection, command, null, s_anyMember, cancellationToken).ConfigureAwait(false))
        {
            result.AddRange(batch.Documents.Select(d => d.ToBsonDocument()));
        }

        return result;
    }

    /// <summary><c>$collStats</c> storageStats.size (0 when the collection is gone).</summary>
    public async Task<long> SizeAsync(string database, string collection, CancellationToken cancellationToken)
    {
        var pipeline = new BsonArray { new BsonDocument("$collStats", new BsonDocument { { "storageStats", new BsonDocument() }, { "count", new BsonDocument() } }) };
        var command = new BsonDocument { { "aggregate", collection }, { "pipeline", pipeline }, { "cursor", new BsonDocument() } };
        await foreach (var batch in _client.RunCursorAsync(database, collection, command, null, s_anyMember, cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in batch.Documents)
            {
                if (document.TryGetValue("storageStats", out var stats) && stats.Type == BsonType.Document)
                {
                    var storage = stats.AsDocument;
                    return storage.TryGetValue("size", out var size) ? Long(size) : 0;
                }
            }
        }

        return 0;
    }

    public IAsyncEnumerable<MongoRawBatch> DumpAsync(string database, string collection, int? batchSize, CancellationToken cancellationToken)
    {
        var command = new BsonDocument { { "find", collection }, { "filter", new BsonDocument() } };
        if (batchSize is { } size)
        {
            command.Add("batchSize", size);
        }

        return _client.RunCursorAsync(database, collection, command, batchSize, s_anyMember, cancellationToken);
    }

    public async Task<OplogExtent> OplogExtentAsync(CancellationToken cancellationToken)
    {
        var first = await OplogEdgeAsync(1, cancellationToken).ConfigureAwait(false);
        var last = await OplogEdgeAsync(-1, cancellationToken).ConfigureAwait(false);
        if (first is not { } f || last is not { } l)
        {
            throw new MongoBackupException(MongoBackupFailureReason.SourceFailed, $"{Host} has an empty oplog (local.oplog.rs): is it a replica-set member?");
        }

        long used = 0, max = 0;
        var pipeline = new BsonArray { new BsonDocument("$collStats", new BsonDocument("storageStats", new BsonDocument())) };
        var command = new BsonDocument { { "aggregate", "oplog.rs" }, { "pipeline", pipeline }, { "cursor", new BsonDocument() } };
        await foreach (var batch in _client.RunCursorAsync("local", "oplog.rs", command, null, s_anyMember, cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in batch.Documents)
            {
                if (document.TryGetValue("storageStats", out var stats) && stats.Type == BsonType.Document)
                {
                    var storage = stats.AsDocument;
                    used = storage.TryGetValue("size", out var size) ? Long(size) : 0;
                    max = storage.TryGetValue("maxSize", out var maxSize) ? Long(maxSize) : 0;
                }
            }
        }

        return new OplogExtent(f, l, DateTimeOffset.FromUnixTimeSeconds(f.Seconds), DateTimeOffset.FromUnixTimeSeconds(l.Seconds), used, max);
    }

    /// <summary>The <c>ts</c> of the oldest (<paramref name="direction"/> 1) or newest (-1) oplog entry.</summary>
    public async Task<BsonTimestamp?> OplogEdgeAsync(int direction, CancellationToken cancellationToken)
    {
        var command = new BsonDocument
        {
            { "find", "oplog.rs" },
            { "filter", new BsonDocument() },
            { "sort", new BsonDocument("$natural", direction) },
            { "limit", 1 },
            { "singleBatch", true },
        };
        await foreach (var batch in _client.RunCursorAsync("local", "oplog.rs", command, null, s_anyMember, cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in batch.Documents)
            {
                return document["ts"].AsTimestamp;
            }
        }

        return null;
    }

    /// <summary>The oplog entries with start ≤ ts ≤ end, in natural (insertion) order, as raw batches.</summary>
    public IAsyncEnumerable<MongoRawBatch> OplogSliceAsync(BsonTimestamp start, BsonTimestamp end, int? batchSize, CancellationToken cancellationToken)
    {
        var command = new BsonDocument
        {
            { "find", "oplog.rs" },
            { "filter", new BsonDocument("ts", new BsonDocument { { "$gte", start }, { "$lte", end } }) },
            { "sort", new BsonDocument("$natural", 1) },
        };
        if (batchSize is { } size)
        {
            command.Add("batchSize", size);
        }

        return _client.RunCursorAsync("local", "oplog.rs", command, batchSize, s_anyMember, cancellationToken);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static long Long(RawBsonValue value) => value.Type switch
    {
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => (long)value.AsDouble,
        _ => 0,
    };
}
