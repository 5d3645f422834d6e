using System.Diagnostics;
using System.Text.Json;
using MongoDB.Driver;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>
/// Proves the simulator speaks the real protocol: the official Node.js driver (npm <c>mongodb</c>) discovers the set,
/// authenticates with SCRAM-SHA-256 and runs hello, replSetGetStatus, insert and find with getMore against it.
/// </summary>
public sealed class NodeDriverSimulatorTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task OfficialNodeDriver_AgainstSimulator_RunsHelloStatusInsertAndFindWithGetMore()
    {
        var driver = Path.Combine(RepositoryPaths.NodeTools, "mongodb", "package.json");
        if (!File.Exists(driver) || !NodeAvailable())
        {
            var reason = $"node or the npm 'mongodb' package is missing ({driver}); run `cd tests/tools && npm ci`.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("ottkit", "node-Pass1");
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Workmates.OttKit.Tests", "Mongo", "Client", "NodeDriver", "simulator-check.cjs");

        var (exitCode, output, error) = await RunNodeAsync(script, simulator.ConnectionString("ottkit", "node-Pass1", seeds: 1));

        Assert.True(exitCode == 0, $"node exited with {exitCode}: {error}");
        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = result.RootElement;
        Assert.True(root.GetProperty("isWritablePrimary").GetBoolean());
        Assert.Equal("rs0", root.GetProperty("setName").GetString());
        Assert.Equal(["PRIMARY", "SECONDARY", "SECONDARY"], root.GetProperty("statusMembers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(7, root.GetProperty("insertedCount").GetInt32());
        Assert.Equal(Enumerable.Range(0, 7), root.GetProperty("foundIds").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(3, root.GetProperty("updatedMatched").GetInt32());
        Assert.Equal(3, root.GetProperty("updatedModified").GetInt32());
        Assert.Equal(100, root.GetProperty("upsertedId").GetInt32());
        Assert.Equal(1, root.GetProperty("deletedCount").GetInt32());
        Assert.Equal(3, root.GetProperty("dramaCount").GetInt32());
        Assert.Equal(["drama:3:0", "null:4:3"], root.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        var commands = simulator.ReceivedCommands.ToList();
        Assert.Contains(commands, c => c.Name == "getMore");
        Assert.Contains(commands, c => c.Name == "insert");
        Assert.Contains(commands, c => c.Name == "saslContinue");
        // The driver sends its first handshake as legacy OP_QUERY isMaster (speculative SCRAM inside it), then OP_MSG.
        Assert.Contains(commands, c => c.Name is "hello" or "ismaster" or "isMaster" && c.Body.TryGetValue("speculativeAuthenticate", out var s) && s.AsDocument["mechanism"].AsString == "SCRAM-SHA-256");
        Assert.All(commands.Where(c => c.Name is "find" or "getMore" or "insert" or "replSetGetStatus"), c => Assert.False(c.LegacyOpQuery));
        TestContext.Current.TestOutputHelper?.WriteLine($"node driver saw: {output.Trim()}; simulator received {commands.Count} commands ({string.Join(", ", commands.Select(c => c.Name).Distinct())})");
    }

    /// <summary>
    /// The same suite through the official .NET driver (MongoDB.Driver 3.14.0): the script's steps, in the same order,
    /// with the same expected results, so both official drivers hold the simulator to one behaviour.
    /// </summary>
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task OfficialDotNetDriver_AgainstSimulator_RunsTheSameSuiteAsTheNodeDriver()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("ottkit", "node-Pass1");
        var token = TestContext.Current.CancellationToken;
        var settings = MongoDB.Driver.MongoClientSettings.FromConnectionString(simulator.ConnectionString("ottkit", "node-Pass1", "authMechanism=SCRAM-SHA-256", seeds: 1));
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        using var client = new MongoDB.Driver.MongoClient(settings);
        var admin = client.GetDatabase("admin");

        var hello = await admin.RunCommandAsync<MongoDB.Bson.BsonDocument>(new MongoDB.Bson.BsonDocument("hello", 1), cancellationToken: token);
        var status = await admin.RunCommandAsync<MongoDB.Bson.BsonDocument>(new MongoDB.Bson.BsonDocument("replSetGetStatus", 1), cancellationToken: token);
        var videos = client.GetDatabase("ott").GetCollection<MongoDB.Bson.BsonDocument>("videos");
        await videos.InsertManyAsync(Enumerable.Range(0, 7).Select(i => new MongoDB.Bson.BsonDocument { { "_id", i }, { "title", $"video {i}" } }), cancellationToken: token);
        var found = await (await videos.FindAsync(MongoDB.Driver.FilterDefinition<MongoDB.Bson.BsonDocument>.Empty, new MongoDB.Driver.FindOptions<MongoDB.Bson.BsonDocument> { BatchSize = 3 }, token)).ToListAsync(token);
        var filter = MongoDB.Driver.Builders<MongoDB.Bson.BsonDocument>.Filter;
        var update = MongoDB.Driver.Builders<MongoDB.Bson.BsonDocument>.Update;
        var updated = await videos.UpdateManyAsync(filter.Lt("_id", 3), update.Set("genre", "drama"), cancellationToken: token);
        var upserted = await videos.UpdateOneAsync(filter.Eq("_id", 100), update.Set("title", "new"), new MongoDB.Driver.UpdateOptions { IsUpsert = true }, token);
        var deleted = await videos.DeleteOneAsync(filter.Eq("_id", 6), token);
        var dramaCount = await videos.CountDocumentsAsync(filter.Eq("genre", "drama"), cancellationToken: token);
        var groups = await (await videos.AggregateAsync<MongoDB.Bson.BsonDocument>(
            new MongoDB.Bson.BsonDocument[] { MongoDB.Bson.BsonDocument.Parse("{ $group: { _id: '$genre', n: { $sum: 1 }, first: { $first: '$_id' } } }") },
            cancellationToken: token)).ToListAsync(token);

        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.Equal("rs0", hello["setName"].AsString);
        Assert.Equal(["PRIMARY", "SECONDARY", "SECONDARY"], status["members"].AsBsonArray.Select(m => m["stateStr"].AsString));
        Assert.Equal(Enumerable.Range(0, 7), found.Select(d => d["_id"].AsInt32));
        Assert.Equal((3, 3), (updated.MatchedCount, updated.ModifiedCount));
        Assert.Equal(100, upserted.UpsertedId.AsInt32);
        Assert.Equal(1, deleted.DeletedCount);
        Assert.Equal(3, dramaCount);
        Assert.Equal(["drama:3:0", "null:4:3"], groups.Select(g => $"{(g["_id"].IsBsonNull ? "null" : g["_id"].AsString)}:{g["n"].AsInt32}:{g["first"].AsInt32}").Order(StringComparer.Ordinal));
        var commands = simulator.ReceivedCommands.ToList();
        Assert.Equal(2, commands.Count(c => c.Name == "getMore" && c.Body["collection"].AsString == "videos"));
        Assert.Contains(commands, c => c.Name is "hello" or "isMaster" && c.Body.TryGetValue("speculativeAuthenticate", out var s) && s.AsDocument["mechanism"].AsString == "SCRAM-SHA-256");
        Assert.Contains(commands, c => c.Name == "aggregate" && c.Body["pipeline"].AsArray.Any(stage => stage.AsDocument.Contains("$group")));
        // Like the Node.js driver, the .NET driver sends its handshake (isMaster, then SCRAM) as legacy OP_QUERY, then OP_MSG.
        Assert.All(commands.Where(c => c.Name is "find" or "getMore" or "insert" or "update" or "delete" or "aggregate" or "replSetGetStatus"), c => Assert.False(c.LegacyOpQuery));
    }

    private static bool NodeAvailable()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit(10_000);
            return process is { ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string script, string connectionString)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(connectionString);
        start.Environment["NODE_PATH"] = RepositoryPaths.NodeTools;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
