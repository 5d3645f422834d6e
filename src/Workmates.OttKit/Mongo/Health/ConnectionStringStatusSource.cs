using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The status source a health check registered with a connection string uses: it owns one official-driver client
/// (<see cref="MongoDriverClient"/>) for the container's lifetime, so the driver's monitoring connections and pools are
/// reused across runs, and disposes it with the container.
/// </summary>
/// <remarks>
/// One observation costs at most two round trips per member (counted by
/// <c>ReplicaSetStatusSourceTests.Observe_*RoundTrips*</c> and the benchmark harness's <c>health-round-trips</c>):
/// <list type="number">
/// <item><c>replSetGetStatus</c> (clusterMonitor) on a member chosen by primaryPreferred. The <c>serverStatus</c> subset
/// the check reads (host, uptime, set name, <c>me</c>, primary, writable primary) is the answering member's own entry
/// (<c>self: true</c>) of that reply, and the oplog's newest entry is that member's applied optime (<c>optime.ts</c>,
/// by definition the newest entry of its oplog), so neither costs a command.</item>
/// <item>The oldest oplog entry (<c>find</c> on <c>local.oplog.rs</c>, <c>$natural: 1</c>, <c>limit 1</c>; needs
/// <c>read</c> on <c>local</c>, left out when refused) on the same member.</item>
/// <item><c>replSetGetConfig</c> only when the configuration is not known yet or the answering member reports another
/// <c>configVersion</c>/<c>configTerm</c> than the one kept; it goes to a secondary when there is one
/// (secondaryPreferred: the configuration is replicated to every member), so even the first evaluation stays within
/// two round trips per member on a set with a reachable secondary.</item>
/// </list>
/// </remarks>
internal sealed class ConnectionStringStatusSource : IReplicaSetStatusSource, IAsyncDisposable, IDisposable
{
    private static readonly MongoReadPreference s_primary = new(ReadPreferenceMode.Primary);
    private static readonly MongoReadPreference s_primaryPreferred = new(ReadPreferenceMode.PrimaryPreferred);
    private static readonly MongoReadPreference s_secondaryPreferred = new(ReadPreferenceMode.SecondaryPreferred);
    private readonly MongoDriverClient _client;
    private readonly TimeProvider _timeProvider;
    private volatile BsonDocument? _config;

    public ConnectionStringStatusSource(MongoConnectionString connectionString, TimeProvider timeProvider, ILogger? logger)
        : this(new MongoDriverClient(connectionString, logger, timeProvider), timeProvider)
    {
    }

    internal ConnectionStringStatusSource(MongoDriverClient client, TimeProvider timeProvider)
    {
        _client = client;
        _timeProvider = timeProvider;
    }

    public async Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        BsonDocument status;
        BsonDocument config;
        try
        {
            status = await _client.GetReplicaSetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (NamesAnotherPrimary(status))
            {
                // primaryPreferred picks a secondary while the driver has not discovered the primary yet (a new
                // process's first evaluation, which is every run of the scheduled health task): the set has a primary,
                // so its own view is the one to report. One more round trip, on another member.
                status = await _client.RunCommandAsync("admin", new BsonDocument("replSetGetStatus", 1), s_primary, cancellationToken).ConfigureAwait(false);
            }

            config = await ConfigMatchingAsync(status, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.IsUnauthorized)
        {
            throw new MongoNotAuthorizedException(_client.ConnectionString.Username, e.CommandName, e);
        }

        var self = SelfEntry(status);
        var observation = new BsonDocument
        {
            { "status", status },
            { "config", config },
        };
        if (self is not null && ServerStatusOf(status, self) is { } serverStatus)
        {
            observation.Add("serverStatus", serverStatus);
        }

        if (await ReadOplogSpanAsync(self, cancellationToken).ConfigureAwait(false) is { } oplog)
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

    // The answering member is not the primary, and the status names a healthy one.
    private static bool NamesAnotherPrimary(BsonDocument status) =>
        SelfEntry(status) is { } self
        && !(self.TryGetValue("state", out var state) && state.IsNumeric && state.ToInt64() == 1)
        && status.TryGetValue("members", out var members) && members.Type == BsonType.Array
        && members.AsArray.Where(m => m.Type == BsonType.Document).Select(m => m.AsDocument)
            .Any(m => m.TryGetValue("state", out var s) && s.IsNumeric && s.ToInt64() == 1 && m.TryGetValue("health", out var h) && h.IsNumeric && h.ToDouble() == 1);

    private static BsonDocument? SelfEntry(BsonDocument status) =>
        status.TryGetValue("members", out var members) && members.Type == BsonType.Array
            ? members.AsArray.Where(m => m.Type == BsonType.Document).Select(m => m.AsDocument)
                .FirstOrDefault(m => m.TryGetValue("self", out var self) && self.Type == BsonType.Boolean && self.AsBoolean)
            : null;

    // The serverStatus fields the check reads, as the answering member states them about itself in replSetGetStatus.
    private static BsonDocument? ServerStatusOf(BsonDocument status, BsonDocument self)
    {
        if (!self.TryGetValue("name", out var name) || name.Type != BsonType.String || !self.TryGetValue("uptime", out var uptime) || !uptime.IsNumeric)
        {
            return null;
        }

        var repl = new BsonDocument { { "me", name.AsString } };
        if (status.TryGetValue("set", out var set) && set.Type == BsonType.String)
        {
            repl.Add("setName", set.AsString);
        }

        var primary = status["members"].AsArray.Where(m => m.Type == BsonType.Document).Select(m => m.AsDocument)
            .FirstOrDefault(m => m.TryGetValue("state", out var state) && state.IsNumeric && state.ToDouble() == (int)ReplicaSetMemberState.Primary);
        if (primary is not null && primary.TryGetValue("name", out var primaryName) && primaryName.Type == BsonType.String)
        {
            repl.Add("primary", primaryName.AsString);
        }

        if (status.TryGetValue("myState", out var myState) && myState.IsNumeric)
        {
            repl.Add("isWritablePrimary", myState.ToDouble() == (int)ReplicaSetMemberState.Primary);
        }

        return new BsonDocument { { "host", name.AsString }, { "uptime", uptime.ToDouble() }, { "repl", repl } };
    }

    private async Task<BsonDocument> ConfigMatchingAsync(BsonDocument status, CancellationToken cancellationToken)
    {
        var kept = _config;
        if (kept is not null && SelfEntry(status) is { } self && SameConfiguration(kept, self))
        {
            return kept;
        }

        var reply = await _client.RunCommandAsync("admin", new BsonDocument("replSetGetConfig", 1), s_secondaryPreferred, cancellationToken).ConfigureAwait(false);
        var config = reply["config"].AsDocument;
        _config = config;
        return config;
    }

    // The answering member names the configuration it runs (configVersion, and configTerm from 4.4); without them the
    // configuration is read again on every observation.
    private static bool SameConfiguration(BsonDocument config, BsonDocument self) =>
        self.TryGetValue("configVersion", out var version) && version.IsNumeric
        && config.TryGetValue("version", out var keptVersion) && keptVersion.IsNumeric
        && version.ToDouble() == keptVersion.ToDouble()
        && (self.TryGetValue("configTerm", out var term), config.TryGetValue("term", out var keptTerm)) switch
        {
            (false, false) => true,
            (true, true) => term.IsNumeric && keptTerm.IsNumeric && term.ToDouble() == keptTerm.ToDouble(),
            _ => false,
        };

    private async Task<BsonDocument?> ReadOplogSpanAsync(BsonDocument? self, CancellationToken cancellationToken)
    {
        if (self is null || !self.TryGetValue("optime", out var optime) || optime.Type != BsonType.Document
            || !optime.AsDocument.TryGetValue("ts", out var last) || last.Type != BsonType.Timestamp)
        {
            return null;
        }

        try
        {
            return await OldestOplogEntryAsync(cancellationToken).ConfigureAwait(false) is { } first
                ? new BsonDocument { { "first", first }, { "last", last } }
                : null;
        }
        catch (MongoCommandException e) when (e.IsUnauthorized)
        {
            return null;
        }
    }

    private async Task<BsonValue?> OldestOplogEntryAsync(CancellationToken cancellationToken)
    {
        var command = new BsonDocument
        {
            { "find", "oplog.rs" },
            { "filter", new BsonDocument() },
            { "sort", new BsonDocument("$natural", 1) },
            { "projection", new BsonDocument { { "ts", 1 }, { "_id", 0 } } },
            { "limit", 1 },
            { "singleBatch", true },
        };
        var reply = await _client.RunCommandAsync("local", command, s_primaryPreferred, cancellationToken).ConfigureAwait(false);
        var batch = reply["cursor"].AsDocument["firstBatch"].AsArray;
        return batch.Count > 0 && batch[0].AsDocument.TryGetValue("ts", out var ts) ? ts : (BsonValue?)null;
    }
}
