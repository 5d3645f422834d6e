using MongoDB.Driver;
using Workmates.OttKit.Simulators.Mongo;
using B = MongoDB.Bson;
using D = MongoDB.Driver;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>
/// The replica-set simulator answers <c>update</c>, <c>delete</c>, <c>$group</c>, tailable (await) cursors and the
/// transaction error labels as mongod 8 does where the official .NET driver depends on it; every test goes through
/// the driver's own typed API (MongoDB.Driver 3.14.0), so the driver's parsing of the replies is what is checked.
/// </summary>
public sealed class SimulatorAsMongodTests
{
    private const string Options = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=5000&connectTimeoutMS=2000";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static D.FilterDefinitionBuilder<B.BsonDocument> Filter => D.Builders<B.BsonDocument>.Filter;

    private static D.UpdateDefinitionBuilder<B.BsonDocument> Update => D.Builders<B.BsonDocument>.Update;

    private static (ReplicaSetSimulator Simulator, D.MongoClient Client) Start(string options = Options)
    {
        var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("app", "app-Pass1");
        return (simulator, new D.MongoClient(simulator.ConnectionString("app", "app-Pass1", options)));
    }

    private static async Task<D.IMongoCollection<B.BsonDocument>> VideosAsync(D.MongoClient client)
    {
        var videos = client.GetDatabase("ott").GetCollection<B.BsonDocument>("videos");
        await videos.InsertManyAsync(
        [
            new() { { "_id", 1 }, { "genre", "drama" }, { "views", 10 }, { "title", "a" } },
            new() { { "_id", 2 }, { "genre", "drama" }, { "views", 5 }, { "title", "b" } },
            new() { { "_id", 3 }, { "genre", "anime" }, { "views", 7L }, { "title", "c" } },
        ], cancellationToken: Token);
        return videos;
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Update_OneManyReplaceAndUpsert_ReportMatchedModifiedAndUpsertedLikeMongod()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);

        var changed = await videos.UpdateOneAsync(Filter.Eq("_id", 1), Update.Set("title", "A").Inc("views", 1), cancellationToken: Token);
        var unchanged = await videos.UpdateOneAsync(Filter.Eq("_id", 1), Update.Set("title", "A"), cancellationToken: Token);
        var many = await videos.UpdateManyAsync(Filter.Eq("genre", "drama"), Update.Set("flag", true).Set("meta.rank", 1), cancellationToken: Token);
        var replaced = await videos.ReplaceOneAsync(Filter.Eq("_id", 3), new B.BsonDocument("title", "new"), cancellationToken: Token);
        var upserted = await videos.UpdateOneAsync(Filter.Eq("_id", 9), Update.Set("a", 1).SetOnInsert("created", true), new D.UpdateOptions { IsUpsert = true }, Token);
        var upsertedByReplace = await videos.ReplaceOneAsync(Filter.Eq("title", "fresh"), new B.BsonDocument("title", "fresh"), new D.ReplaceOptions { IsUpsert = true }, Token);
        var none = await videos.UpdateOneAsync(Filter.Eq("_id", 404), Update.Set("a", 1), cancellationToken: Token);

        Assert.Equal((1, 1), (changed.MatchedCount, changed.ModifiedCount));
        Assert.Equal((1, 0), (unchanged.MatchedCount, unchanged.ModifiedCount));
        Assert.Equal((2, 2), (many.MatchedCount, many.ModifiedCount));
        Assert.Equal((1, 1), (replaced.MatchedCount, replaced.ModifiedCount));
        Assert.Equal((0, 0, 9), (upserted.MatchedCount, upserted.ModifiedCount, upserted.UpsertedId.AsInt32));
        Assert.Equal(B.BsonType.ObjectId, upsertedByReplace.UpsertedId.BsonType);
        Assert.Equal((0, 0), (none.MatchedCount, none.ModifiedCount));
        Assert.Null(none.UpsertedId);
        var all = await (await videos.FindAsync(Filter.Empty, cancellationToken: Token)).ToListAsync(Token);
        Assert.Equal(B.BsonDocument.Parse("{ _id: 1, genre: 'drama', views: 11, title: 'A', flag: true, meta: { rank: 1 } }"), all[0]);
        Assert.Equal(B.BsonDocument.Parse("{ _id: 3, title: 'new' }"), all[2]);
        Assert.Equal(B.BsonDocument.Parse("{ _id: 9, a: 1, created: true }"), all[3]);
        Assert.Equal("fresh", all[4]["title"].AsString);
        var oplog = simulator.Data.Find("local", "oplog.rs")!.Documents;
        Assert.Equal(4, oplog.Count(e => e["op"].AsString == "u")); // the no-op update writes no entry, as mongod
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Update_ImmutableIdAndBadStatements_AreWriteErrorsWithMongodsCodes()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);
        var database = client.GetDatabase("ott");

        var immutable = await Assert.ThrowsAsync<D.MongoWriteException>(() => videos.ReplaceOneAsync(Filter.Eq("_id", 1), new B.BsonDocument { { "_id", 99 }, { "title", "x" } }, cancellationToken: Token));
        var multiReplacement = await database.RunCommandAsync<B.BsonDocument>(B.BsonDocument.Parse("{ update: 'videos', updates: [ { q: {}, u: { title: 'x' }, multi: true } ] }"), cancellationToken: Token);
        var unknownModifier = await database.RunCommandAsync<B.BsonDocument>(B.BsonDocument.Parse("{ update: 'videos', updates: [ { q: {}, u: { $foo: { title: 't' } } }, { q: { _id: 2 }, u: { $set: { x: 1 } } } ], ordered: false }"), cancellationToken: Token);

        Assert.Equal(66, immutable.WriteError.Code);
        Assert.Equal(9, multiReplacement["writeErrors"][0]["code"].AsInt32);
        Assert.Equal("multi update is not supported for replacement-style update", multiReplacement["writeErrors"][0]["errmsg"].AsString);
        Assert.Equal(0, multiReplacement["n"].AsInt32);
        Assert.StartsWith("Unknown modifier: $foo", unknownModifier["writeErrors"][0]["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal((1, 1), (unknownModifier["n"].AsInt32, unknownModifier["nModified"].AsInt32)); // unordered: the second statement still ran
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Delete_OneAndMany_CountRemovedDocumentsAndWriteOplogEntries()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);

        var one = await videos.DeleteOneAsync(Filter.Eq("genre", "drama"), Token);
        var none = await videos.DeleteManyAsync(Filter.Eq("genre", "news"), Token);
        var many = await videos.DeleteManyAsync(Filter.Empty, Token);

        Assert.Equal((1, 0, 2), (one.DeletedCount, none.DeletedCount, many.DeletedCount));
        Assert.Empty(simulator.Data.Find("ott", "videos")!.Documents);
        Assert.Equal(3, simulator.Data.Find("local", "oplog.rs")!.Documents.Count(e => e["op"].AsString == "d"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Aggregate_GroupWithSumCountFirstAndCountDocuments_AnswerLikeMongod()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);

        var groups = await (await videos.AggregateAsync<B.BsonDocument>(
            new B.BsonDocument[] { B.BsonDocument.Parse("{ $group: { _id: '$genre', views: { $sum: '$views' }, docs: { $count: {} }, first: { $first: '$title' }, ones: { $sum: 1 } } }") },
            cancellationToken: Token)).ToListAsync(Token);
        var total = await (await videos.AggregateAsync<B.BsonDocument>(
            new B.BsonDocument[] { B.BsonDocument.Parse("{ $group: { _id: null, views: { $sum: '$views' }, max: { $max: '$views' } } }") },
            cancellationToken: Token)).SingleAsync(Token);
        var counted = await videos.CountDocumentsAsync(Filter.Eq("genre", "drama"), cancellationToken: Token);
        var countedNone = await videos.CountDocumentsAsync(Filter.Eq("genre", "news"), cancellationToken: Token);

        Assert.Equal(2, groups.Count);
        Assert.Equal(B.BsonDocument.Parse("{ _id: 'drama', views: 15, docs: 2, first: 'a', ones: 2 }"), groups[0]);
        Assert.Equal(B.BsonDocument.Parse("{ _id: 'anime', views: { $numberLong: '7' }, docs: 1, first: 'c', ones: 1 }"), groups[1]);
        Assert.Equal(B.BsonType.Int32, groups[0]["views"].BsonType);
        Assert.Equal(B.BsonType.Int64, groups[1]["views"].BsonType);
        Assert.Equal(B.BsonType.Int64, total["views"].BsonType); // int + long sums to long, as mongod
        Assert.Equal(22L, total["views"].AsInt64);
        Assert.Equal(10, total["max"].AsInt32);
        Assert.Equal((2, 0), (counted, countedNone));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TailableAwaitCursor_OnACappedCollection_WaitsForAndReturnsNewDocuments()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var database = client.GetDatabase("ott");
        await database.CreateCollectionAsync("events", new D.CreateCollectionOptions { Capped = true, MaxSize = 1024 * 1024 }, Token);
        var events = database.GetCollection<B.BsonDocument>("events");
        await events.InsertManyAsync([new B.BsonDocument("_id", 1), new B.BsonDocument("_id", 2)], cancellationToken: Token);

        using var cursor = await events.FindAsync(Filter.Empty, new D.FindOptions<B.BsonDocument> { CursorType = D.CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(100), BatchSize = 10 }, Token);
        var seen = new List<int>();
        Assert.True(await cursor.MoveNextAsync(Token));
        seen.AddRange(cursor.Current.Select(d => d["_id"].AsInt32));
        Assert.True(await cursor.MoveNextAsync(Token)); // nothing new within maxTimeMS: an empty batch, the cursor stays open
        Assert.Empty(cursor.Current);
        await events.InsertOneAsync(new B.BsonDocument("_id", 3), cancellationToken: Token);
        while (seen.Count < 3 && await cursor.MoveNextAsync(Token))
        {
            seen.AddRange(cursor.Current.Select(d => d["_id"].AsInt32));
        }

        Assert.Equal([1, 2, 3], seen);
        var getMores = simulator.ReceivedCommands.Where(c => c.Name == "getMore").ToList();
        Assert.All(getMores, c => Assert.Equal(100, c.Body["maxTimeMS"].ToDouble()));
        var find = simulator.ReceivedCommands.Single(c => c.Name == "find");
        Assert.True(find.Body["tailable"].AsBoolean && find.Body["awaitData"].AsBoolean);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TailableCursor_OnTheOplog_FollowsNewEntriesAndReportsALostPosition()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);
        var oplog = client.GetDatabase("local").GetCollection<B.BsonDocument>("oplog.rs");
        var last = simulator.Data.LastOpTime;

        using var tail = await oplog.FindAsync(Filter.Gt("ts", new B.BsonTimestamp((int)last.Seconds, (int)last.Increment)), new D.FindOptions<B.BsonDocument> { CursorType = D.CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(50) }, Token);
        Assert.True(await tail.MoveNextAsync(Token));
        Assert.Empty(tail.Current);
        await videos.InsertOneAsync(new B.BsonDocument("_id", 4), cancellationToken: Token);
        var entries = new List<B.BsonDocument>();
        while (entries.Count == 0 && await tail.MoveNextAsync(Token))
        {
            entries.AddRange(tail.Current);
        }

        Assert.Equal(("i", "ott.videos", 4), (entries[0]["op"].AsString, entries[0]["ns"].AsString, entries[0]["o"]["_id"].AsInt32));

        // The capped oplog drops the entry the cursor stands on: CappedPositionLost (136), as mongod.
        simulator.Data.OplogSizeBytes = 200;
        await videos.InsertManyAsync(Enumerable.Range(10, 5).Select(i => new B.BsonDocument("_id", i)), cancellationToken: Token);
        var lost = await Assert.ThrowsAsync<D.MongoCommandException>(async () =>
        {
            while (await tail.MoveNextAsync(Token))
            {
            }
        });
        Assert.Equal(136, lost.Code);
        Assert.Equal("CappedPositionLost", lost.CodeName);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TailableCursor_OnACollectionThatIsNotCapped_IsRefusedWithBadValue()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);

        var error = await Assert.ThrowsAsync<D.MongoCommandException>(() => videos.FindAsync(Filter.Empty, new D.FindOptions<B.BsonDocument> { CursorType = D.CursorType.Tailable }, Token));

        Assert.Equal((2, "BadValue"), (error.Code, error.CodeName));
        Assert.Contains("tailable cursor requested on non capped collection", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Transaction_WriteOnASteppedDownPrimary_IsLabelledTransientAndWithTransactionRetriesOnTheNewPrimary()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);
        var inserts = 0;
        simulator.CommandReceived = (member, command) =>
        {
            if (command.Name == "insert" && command.Body.Contains("autocommit") && Interlocked.Increment(ref inserts) == 1)
            {
                simulator.ElectPrimary(1); // steps down between the driver's selection and the write
            }
        };
        using var session = await client.StartSessionAsync(cancellationToken: Token);

        var committed = await session.WithTransactionAsync(
            async (s, ct) =>
            {
                await videos.InsertOneAsync(s, new B.BsonDocument("_id", 50), cancellationToken: ct);
                return true;
            },
            cancellationToken: Token);

        Assert.True(committed);
        var inTransaction = simulator.ReceivedCommands.Where(c => c.Name == "insert" && c.Body.Contains("autocommit")).ToList();
        Assert.Equal([simulator.Members[0].Name, simulator.Members[1].Name], inTransaction.Select(c => c.Member));
        Assert.All(inTransaction, c => Assert.True(c.Body["startTransaction"].AsBoolean));
        Assert.Contains(simulator.ReceivedCommands, c => c.Name == "commitTransaction" && c.Member == simulator.Members[1].Name);
        Assert.Single(simulator.Data.Find("ott", "videos")!.Documents, d => d["_id"].AsInt32 == 50);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Transaction_RefusedWrite_CarriesTransientTransactionErrorAndNotTheRetryableWriteLabel()
    {
        var (simulator, client) = Start();
        await using var _ = simulator;
        using var __ = client;
        var videos = await VideosAsync(client);
        simulator.CommandReceived = (member, command) =>
        {
            if (command.Name == "insert" && command.Body.Contains("autocommit"))
            {
                simulator.ElectPrimary(member == simulator.Members[0] ? 1 : 0); // every attempt meets a stepped-down primary
            }
        };
        using var session = await client.StartSessionAsync(cancellationToken: Token);
        session.StartTransaction();

        var error = await Assert.ThrowsAnyAsync<D.MongoCommandException>(() => videos.InsertOneAsync(session, new B.BsonDocument("_id", 51), cancellationToken: Token));

        Assert.True(error.HasErrorLabel("TransientTransactionError"));
        Assert.False(error.HasErrorLabel("RetryableWriteError"));
        Assert.Equal(10107, error.Code);
    }
}
