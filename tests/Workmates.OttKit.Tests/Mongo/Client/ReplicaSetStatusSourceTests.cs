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
    public async Task Observe_FirstAndRepeated_CostAtMostTwoRoundTripsPerMember()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "monitor-Pass1");
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 1));
        var client = new MongoDriverClient(MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", Options)));
        await using var source = new ConnectionStringStatusSource(client, TimeProvider.System);

        // Once the driver's monitoring knows the primary and a secondary (as it does after its first heartbeats), reads
        // land where the read preferences say; before that primaryPreferred may pick a secondary, still within 2 per member.
        await client.PingAsync(MongoReadPreference.Primary, Token);
        await client.PingAsync(new MongoReadPreference(ReadPreferenceMode.Secondary), Token);
        var first = await CommandsDuring(simulator, () => source.ObserveAsync(Token));
        var repeated = await CommandsDuring(simulator, () => source.ObserveAsync(Token));

        // First: replSetGetStatus and the oldest oplog entry on the primary, the configuration once from a secondary.
        Assert.Equal(["replSetGetStatus", "find"], first.Where(c => c.Member == simulator.Members[0].Name).Select(c => c.Name));
        Assert.Equal(["replSetGetConfig"], first.Where(c => c.Member != simulator.Members[0].Name).Select(c => c.Name));
        Assert.All(first.GroupBy(c => c.Member), member => Assert.True(member.Count() <= 2, $"{member.Count()} round trips to {member.Key}"));

        // Repeated with the same configuration: two round trips on one member, none elsewhere.
        Assert.Equal(["replSetGetStatus", "find"], repeated.Select(c => c.Name));
        Assert.Equal([simulator.Members[0].Name], repeated.Select(c => c.Member).Distinct());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Observe_AfterAReconfiguration_ReadsTheNewConfigurationOnce()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "monitor-Pass1");
        await using var source = new ConnectionStringStatusSource(MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", Options)), TimeProvider.System, null);
        _ = await source.ObserveAsync(Token);

        simulator.ConfigVersion = 2;
        simulator.Members[2].Tags["az"] = "eu-west-1c";
        var changed = await CommandsDuring(simulator, () => source.ObserveAsync(Token));
        var observation = await source.ObserveAsync(Token);

        Assert.Single(changed, c => c.Name == "replSetGetConfig");
        Assert.Equal(2, observation.Config!.Version);
        Assert.Equal("eu-west-1c", observation.Config.Members[2].Tags["az"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Observe_ServerStatusAndNewestOplogEntry_ComeFromTheAnsweringMembersOwnStatusEntry()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "monitor-Pass1");
        simulator.Members[0].StartedAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(3);
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 1));
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 2));
        await using var source = new ConnectionStringStatusSource(MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", Options)), TimeProvider.System, null);

        var observation = await source.ObserveAsync(Token);

        var self = observation.Status.Members.Single(m => m.Self);
        Assert.Equal(self.Name, observation.ServerStatus!.Host);
        Assert.Equal(self.Name, observation.ServerStatus.Me);
        Assert.Equal(self.Uptime, observation.ServerStatus.Uptime);
        Assert.InRange(observation.ServerStatus.Uptime, TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        Assert.True(observation.ServerStatus.IsWritablePrimary);
        Assert.Equal(simulator.Members[0].Name, observation.ServerStatus.Primary);
        Assert.Equal("rs0", observation.ServerStatus.ReplicaSetName);
        var oplog = simulator.Data.Find("local", "oplog.rs")!.Documents;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(oplog[^1]["ts"].AsTimestamp.Seconds), observation.Oplog!.Last);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(oplog[0]["ts"].AsTimestamp.Seconds), observation.Oplog.First);
    }

    private static async Task<List<ReceivedCommand>> CommandsDuring(ReplicaSetSimulator simulator, Func<Task> action)
    {
        var before = simulator.ReceivedCommands.Count;
        await action();
        return [.. simulator.ReceivedCommands.Skip(before).Where(c => !s_driverOwn.Contains(c.Name))];
    }
}
