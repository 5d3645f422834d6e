using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>The health check's status source over the official driver, against the replica-set simulator.</summary>
public sealed class ReplicaSetStatusSourceTests
{
    // What the driver sends on its own: monitoring, handshakes, authentication and session clean-up.
    private static readonly HashSet<string> s_driverOwn = new(StringComparer.OrdinalIgnoreCase) { "hello", "isMaster", "ismaster", "saslStart", "saslContinue", "endSessions", "buildInfo", "getLastError" };

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
        await using var source = new ConnectionStringStatusSource(MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", Options)), TimeProvider.System, null);

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
        await using var source = new ConnectionStringStatusSource(MongoConnectionString.Parse(simulator.ConnectionString("app", "app-Pass1", Options)), TimeProvider.System, null);

        var error = await Assert.ThrowsAsync<MongoNotAuthorizedException>(() => source.ObserveAsync(Token));

        Assert.Equal("replSetGetStatus", error.CommandName);
        Assert.Contains("clusterMonitor", error.Remedy, StringComparison.Ordinal);
        Assert.DoesNotContain("app-Pass1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Observe_Repeated_CostsAtMostTwoRoundTripsPerMemberPerEvaluation()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "monitor-Pass1");
        await using var source = new ConnectionStringStatusSource(MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", Options)), TimeProvider.System, null);
        _ = await source.ObserveAsync(Token);

        var before = simulator.ReceivedCommands.Count(c => !s_driverOwn.Contains(c.Name));
        _ = await source.ObserveAsync(Token);
        var during = simulator.ReceivedCommands.Where(c => !s_driverOwn.Contains(c.Name)).Skip(before).ToList();

        // replSetGetStatus, replSetGetConfig, serverStatus and the two oplog ends: five round trips, all on one member.
        Assert.Equal(["replSetGetStatus", "replSetGetConfig", "serverStatus", "find", "find"], during.Select(c => c.Name));
        Assert.Single(during.Select(c => c.Member).Distinct());
        Assert.True(during.Count <= 2 * simulator.Members.Count, $"{during.Count} round trips for {simulator.Members.Count} members");
    }
}
