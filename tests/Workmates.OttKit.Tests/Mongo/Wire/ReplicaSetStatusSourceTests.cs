using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class ReplicaSetStatusSourceTests
{
    private const string Options = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=5000&connectTimeoutMS=2000";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Observe_HealthySetWithLaggingSecondary_ReadsStatusConfigServerStatusAndOplog()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "monitor-Pass1");
        simulator.Members[2].Lag = TimeSpan.FromSeconds(45);
        simulator.Members[1].Tags["az"] = "eu-west-1b";
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 1));
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 2));
        await using var client = MongoReplicaSetClient.Create(simulator.ConnectionString("monitor", "monitor-Pass1", Options));
        var source = new MongoReplicaSetStatusSource(client);

        var observation = await source.ObserveAsync(Token);

        Assert.Equal(3, observation.Status.Members.Count);
        Assert.Equal(3, observation.Config!.Members.Count);
        Assert.Equal(simulator.Members[0].Name, observation.ServerStatus!.Host);
        Assert.NotNull(observation.Oplog);
        Assert.True(observation.Oplog!.Last >= observation.Oplog.First);
        Assert.Contains("SECONDARY", observation.Status.Members.Select(m => m.StateText));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Observe_UserWithoutClusterMonitor_ThrowsNotAuthorizedNamingTheRole()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("app", "app-Pass1", clusterMonitor: false);
        await using var client = MongoReplicaSetClient.Create(simulator.ConnectionString("app", "app-Pass1", Options));
        var source = new MongoReplicaSetStatusSource(client);

        var error = await Assert.ThrowsAsync<MongoNotAuthorizedException>(() => source.ObserveAsync(Token));

        Assert.Equal("replSetGetStatus", error.CommandName);
        Assert.Contains("clusterMonitor", error.Remedy, StringComparison.Ordinal);
        Assert.DoesNotContain("app-Pass1", error.ToString(), StringComparison.Ordinal);
    }
}
