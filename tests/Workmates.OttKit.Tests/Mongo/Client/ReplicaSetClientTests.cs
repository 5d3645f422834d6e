using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Servers;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>The official driver behind <see cref="MongoDriverClient"/>, against the replica-set simulator.</summary>
public sealed class ReplicaSetClientTests
{
    private const string FastOptions = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=5000&connectTimeoutMS=2000";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MongoDriverClient Client(ReplicaSetSimulator simulator, string? options = null, int? seeds = null) =>
        MongoDriverClient.Create(simulator.ConnectionString("backup", "backup-Pass1", options ?? FastOptions, seeds));

    private static ReplicaSetSimulator StartWithUser()
    {
        var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("backup", "backup-Pass1");
        return simulator;
    }

    private static Dictionary<string, ServerType> Servers(MongoDriverClient client) =>
        client.Driver.Cluster.Description.Servers.ToDictionary(s => s.EndPoint is System.Net.DnsEndPoint d ? $"{d.Host}:{d.Port}" : s.EndPoint.ToString()!, s => s.Type);

    private static Task<BsonDocument> HelloAsync(MongoDriverClient client, MongoReadPreference readPreference) =>
        client.RunCommandAsync("admin", new BsonDocument("hello", 1), readPreference, Token);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Discovery_FromOneSeed_FindsAllThreeMembers()
    {
        await using var simulator = StartWithUser();
        await using var client = Client(simulator, seeds: 1);

        await client.PingAsync(MongoReadPreference.Primary, Token);
        await WaitForAsync(() => Servers(client).Count == 3 && Servers(client).Values.All(t => t != ServerType.Unknown));

        Assert.Equal(simulator.Members.Select(m => m.Name).Order(), Servers(client).Keys.Order());
        Assert.Equal(ServerType.ReplicaSetPrimary, Servers(client)[simulator.Members[0].Name]);
        Assert.Equal(2, Servers(client).Values.Count(t => t == ServerType.ReplicaSetSecondary));
        Assert.Equal(ClusterType.ReplicaSet, client.Driver.Cluster.Description.Type);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(ReadPreferenceMode.Primary, true)]
    [InlineData(ReadPreferenceMode.Secondary, false)]
    [InlineData(ReadPreferenceMode.SecondaryPreferred, false)]
    public async Task Selection_ByReadPreference_PicksMatchingMember(ReadPreferenceMode mode, bool expectPrimary)
    {
        await using var simulator = StartWithUser();
        await using var client = Client(simulator);
        await WaitForAsync(() => Servers(client).Values.Count(t => t == ServerType.ReplicaSetSecondary) == 2);

        var hello = await HelloAsync(client, new MongoReadPreference(mode));

        Assert.Equal(expectPrimary, hello["isWritablePrimary"].AsBoolean);
        var me = hello["me"].AsString;
        Assert.Equal(expectPrimary, me == simulator.Members[0].Name);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Selection_SecondaryPreferredWithoutSecondaries_FallsBackToPrimary()
    {
        await using var simulator = StartWithUser();
        simulator.Members[1].State = SimulatedMemberState.Recovering;
        simulator.Members[2].State = SimulatedMemberState.Recovering;
        await using var client = Client(simulator);
        await WaitForAsync(() => Servers(client).Values.Count(t => t == ServerType.ReplicaSetOther) == 2);

        var hello = await HelloAsync(client, new MongoReadPreference(ReadPreferenceMode.SecondaryPreferred));

        Assert.Equal(simulator.Members[0].Name, hello["me"].AsString);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Selection_NoPrimary_TimesOutWithServerSelectionException()
    {
        await using var simulator = StartWithUser();
        simulator.StartElection();
        await using var client = Client(simulator, "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=700&connectTimeoutMS=2000");

        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => client.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token));

        Assert.Contains("server selection timeout", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Election_NewPrimary_IsFollowedByWrites()
    {
        await using var simulator = StartWithUser();
        await using var client = Client(simulator);
        await client.PingAsync(MongoReadPreference.Primary, Token);

        simulator.ElectPrimary(2);
        await WaitForAsync(() => Servers(client).GetValueOrDefault(simulator.Members[2].Name) == ServerType.ReplicaSetPrimary);
        var hello = await HelloAsync(client, MongoReadPreference.Primary);

        Assert.Equal(simulator.Members[2].Name, hello["me"].AsString);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Failover_WriteRefusedByASteppedDownPrimary_IsRetriedByTheDriverOnTheNewPrimary()
    {
        await using var simulator = StartWithUser();
        await using var client = Client(simulator);
        await client.PingAsync(MongoReadPreference.Primary, Token);
        var inserts = 0;
        simulator.CommandReceived = (member, command) =>
        {
            if (command.Name == "insert" && Interlocked.Increment(ref inserts) == 1)
            {
                // The primary steps down between the driver's selection and the write: NotWritablePrimary + RetryableWriteError.
                simulator.ElectPrimary(1);
            }
        };
        var documents = Enumerable.Range(0, 5).Select(i => RawBsonDocument.Create(new BsonDocument("_id", i).ToBson())).ToList();

        var result = await client.InsertAsync("ott", "users", documents, cancellationToken: Token);

        Assert.Equal(5, result.InsertedCount);
        var sent = simulator.ReceivedCommands.Where(c => c.Name == "insert").ToList();
        Assert.Equal([simulator.Members[0].Name, simulator.Members[1].Name], sent.Select(c => c.Member));
        Assert.All(sent, c => Assert.True(c.Body.Contains("txnNumber")));
        Assert.Equal(sent[0].Body["txnNumber"], sent[1].Body["txnNumber"]);
        Assert.Equal(5, simulator.Data.Find("ott", "users")!.Documents.Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Discovery_UnreachableMember_IsUnknownWhileOthersServe()
    {
        await using var simulator = StartWithUser();
        simulator.MakeUnreachable(1);
        await using var client = Client(simulator);

        await WaitForAsync(() => Servers(client).GetValueOrDefault(simulator.Members[2].Name) == ServerType.ReplicaSetSecondary);
        var hello = await HelloAsync(client, new MongoReadPreference(ReadPreferenceMode.Secondary));

        Assert.Equal(ServerType.Unknown, Servers(client)[simulator.Members[1].Name]);
        Assert.Equal(simulator.Members[2].Name, hello["me"].AsString);
        var status = await client.GetReplicaSetStatusAsync(Token);
        var down = status["members"].AsArray[1].AsDocument;
        Assert.Equal(0.0, down["health"].AsDouble);
        Assert.Equal(8, down["state"].AsInt32);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Find_WithBatchSize_ReturnsRawBatchesThroughGetMore()
    {
        await using var simulator = StartWithUser();
        for (var i = 0; i < 25; i++)
        {
            simulator.Data.Insert("ott", "videos", new BsonDocument { { "_id", i }, { "title", $"video {i}" } });
        }

        await using var client = Client(simulator);
        var batches = new List<MongoRawBatch>();
        await foreach (var batch in client.RunCursorAsync("ott", "videos", new BsonDocument { { "find", "videos" }, { "filter", new BsonDocument() }, { "batchSize", 10 } }, 10, MongoReadPreference.Primary, Token))
        {
            batches.Add(batch);
        }

        Assert.Equal([10, 10, 5], batches.Select(b => b.Documents.Count));
        Assert.Equal(Enumerable.Range(0, 25), batches.SelectMany(b => b.Documents).Select(d => d["_id"].AsInt32));
        Assert.Equal(0, batches[^1].CursorId);
        Assert.Equal(2, simulator.ReceivedCommands.Count(c => c.Name == "getMore"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Find_StoppedEarly_KillsTheCursor()
    {
        await using var simulator = StartWithUser();
        for (var i = 0; i < 30; i++)
        {
            simulator.Data.Insert("ott", "events", new BsonDocument("_id", i));
        }

        await using var client = Client(simulator);
        await foreach (var batch in client.RunCursorAsync("ott", "events", new BsonDocument { { "find", "events" }, { "filter", new BsonDocument() }, { "batchSize", 10 } }, 10, MongoReadPreference.Primary, Token))
        {
            Assert.NotEqual(0, batch.CursorId);
            break;
        }

        var kill = Assert.Single(simulator.ReceivedCommands, c => c.Name == "killCursors");
        Assert.Equal("events", kill.Body["killCursors"].AsString);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Insert_MoreThanMaxWriteBatchSize_SplitsIntoDocumentSequences()
    {
        await using var simulator = StartWithUser();
        simulator.MaxWriteBatchSize = 4;
        await using var client = Client(simulator);
        var documents = Enumerable.Range(0, 10).Select(i => RawBsonDocument.Create(new BsonDocument { { "_id", i }, { "user", $"u{i}" } }.ToBson())).ToList();

        var result = await client.InsertAsync("ott", "users", documents, cancellationToken: Token);

        Assert.Equal(10, result.InsertedCount);
        var inserts = simulator.ReceivedCommands.Where(c => c.Name == "insert").ToList();
        Assert.Equal([4, 4, 2], inserts.Select(c => c.SequenceDocuments));
        Assert.All(inserts, c => Assert.False(c.Body.Contains("documents")));
        Assert.Equal(10, simulator.Data.Find("ott", "users")!.Documents.Count);
        Assert.Equal(10, simulator.Data.Find("local", "oplog.rs")!.Documents.Count(o => o["ns"].AsString == "ott.users"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Insert_DuplicateId_ThrowsCommandExceptionWithCode()
    {
        await using var simulator = StartWithUser();
        simulator.Data.Insert("ott", "users", new BsonDocument("_id", 1));
        await using var client = Client(simulator);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.InsertAsync("ott", "users", [RawBsonDocument.Create(new BsonDocument("_id", 1).ToBson())], cancellationToken: Token));

        Assert.Equal(11000, error.Code);
        Assert.Equal("DuplicateKey", error.CodeName);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AdminCommands_ReturnSimulatedState()
    {
        await using var simulator = StartWithUser();
        simulator.Members[2].Lag = TimeSpan.FromSeconds(30);
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 1));
        await using var client = Client(simulator);

        await client.CreateIndexesAsync("ott", "videos", [new BsonDocument { { "key", new BsonDocument("title", 1) }, { "name", "title_1" } }], Token);
        var databases = (await client.RunCommandAsync("admin", new BsonDocument("listDatabases", 1), null, Token))["databases"].AsArray.Select(d => d.AsDocument).ToList();
        var collections = await client.ListCollectionsAsync("ott", Token);
        var indexes = new List<BsonDocument>();
        await foreach (var batch in client.RunCursorAsync("ott", "videos", new BsonDocument { { "listIndexes", "videos" }, { "cursor", new BsonDocument() } }, null, MongoReadPreference.Primary, Token))
        {
            indexes.AddRange(batch.Documents.Select(d => d.ToBsonDocument()));
        }

        var statsPipeline = new BsonArray { new BsonDocument("$collStats", new BsonDocument { { "storageStats", new BsonDocument() }, { "count", new BsonDocument() } }) };
        BsonDocument? stats = null;
        await foreach (var batch in client.RunCursorAsync("ott", "videos", new BsonDocument { { "aggregate", "videos" }, { "pipeline", statsPipeline }, { "cursor", new BsonDocument() } }, null, MongoReadPreference.Primary, Token))
        {
            stats ??= batch.Documents[0].ToBsonDocument();
        }

        var config = await client.GetReplicaSetConfigAsync(Token);
        var serverStatus = await client.GetServerStatusAsync(Token);
        var status = await client.GetReplicaSetStatusAsync(Token);
        var dropped = await client.DropAsync("ott", "videos", Token);
        var droppedAgain = await client.DropAsync("ott", "videos", Token);

        Assert.Contains(databases, d => d["name"].AsString == "ott");
        Assert.Equal("videos", Assert.Single(collections)["name"].AsString);
        Assert.Equal(["_id_", "title_1"], indexes.Select(i => i["name"].AsString));
        Assert.Equal(1L, stats!["storageStats"].AsDocument["count"].AsInt64);
        Assert.Equal(3, config["members"].AsArray.Count);
        Assert.Equal("rs0", serverStatus["repl"].AsDocument["setName"].AsString);
        var members = status["members"].AsArray.Select(m => m.AsDocument).ToList();
        var lag = members[0]["optime"].AsDocument["ts"].AsTimestamp.Seconds - members[2]["optime"].AsDocument["ts"].AsTimestamp.Seconds;
        Assert.Equal(30u, lag);
        Assert.True(dropped);
        Assert.False(droppedAgain);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Logging_ConnectionString_IsRedacted()
    {
        await using var simulator = StartWithUser();
        var cs = MongoConnectionString.Parse(simulator.ConnectionString("backup", "backup-Pass1", FastOptions));
        await using var client = new MongoDriverClient(cs);

        Assert.DoesNotContain("backup-Pass1", client.ToString(), StringComparison.Ordinal);
        Assert.Contains("*****", client.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Command_CancelledByCaller_ThrowsOperationCanceled()
    {
        await using var simulator = StartWithUser();
        await using var client = Client(simulator);
        await client.PingAsync(MongoReadPreference.Primary, Token);
        simulator.Members[0].ResponseDelay = TimeSpan.FromSeconds(5);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(200);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PingAsync(MongoReadPreference.Primary, cancel.Token));
    }
}
