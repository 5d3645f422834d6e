using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Health.EndToEnd;

/// <summary>
/// The health check as a host registers it (<c>AddMongoReplicaSet(name, connectionString, configure)</c>), run through
/// <see cref="HealthCheckService"/> against the replica-set simulator over real sockets.
/// </summary>
public sealed class ReplicaSetHealthRegistrationEndToEndTests
{
    private const string CheckName = "mongo";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_HealthySet_HealthyWithEveryRuleHealthy()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.True(entry.Status == HealthStatus.Healthy, entry.Description);
        Assert.Equal(true, entry.Data["evaluated"]);
        Assert.Equal(simulator.Members[0].Name, entry.Data["primary.name"]);
        Assert.Equal("replica set rs0: all 9 rules healthy", entry.Description);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_ElectionInProgress_DegradedBecauseNoPrimaryForAnUnknownTime()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.StartElection();

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(false, entry.Data["primary.present"]);
        Assert.Equal("Degraded", entry.Data["primary.status"]);
        Assert.Contains("no primary", entry.Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_NoPrimaryLongerThanTheUnhealthyLimit_UnhealthyOnTheNextRun()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.StartElection();
        await using var services = Build(SimulatedReplicaSet.Uri(simulator), options =>
        {
            options.PrimaryAbsentDegraded = TimeSpan.FromMilliseconds(100);
            options.PrimaryAbsentUnhealthy = TimeSpan.FromMilliseconds(200);
        });
        var health = services.GetRequiredService<HealthCheckService>();
        var first = (await health.CheckHealthAsync(Token)).Entries[CheckName];
        await Task.Delay(TimeSpan.FromMilliseconds(400), Token);

        var second = (await health.CheckHealthAsync(Token)).Entries[CheckName];

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Equal(HealthStatus.Unhealthy, second.Status);
        Assert.Equal("Unhealthy", second.Data["primary.status"]);
        Assert.True((double)second.Data["primary.absentSeconds"] >= 0.2, second.Description);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SecondaryLagAtTheDegradedThreshold_Degraded()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[2].Lag = TimeSpan.FromSeconds(10);

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Degraded", entry.Data["replicationLag.status"]);
        Assert.Equal(10d, (double)entry.Data["replicationLag.maxSeconds"]);
        Assert.Contains(simulator.Members[2].Name, entry.Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SecondaryLagAtTheUnhealthyThreshold_Unhealthy()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[1].Lag = TimeSpan.FromSeconds(240);

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Unhealthy", entry.Data["replicationLag.status"]);
        Assert.Equal(240d, (double)entry.Data["replicationLag.maxSeconds"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SecondaryLagBelowTheDegradedThreshold_Healthy()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[1].Lag = TimeSpan.FromSeconds(9);

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.True(entry.Status == HealthStatus.Healthy, entry.Description);
        Assert.Equal(9d, (double)entry.Data["replicationLag.maxSeconds"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_UnreachableMember_DegradedWithTheMemberNamedNoMajorityMarginAndItsEpochOptimeIgnored()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.MakeUnreachable(2);

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Degraded", entry.Data["memberStates.status"]);
        Assert.Equal("Degraded", entry.Data["writeMajority.status"]); // 2 healthy voters = writeMajorityCount: no margin left
        Assert.Equal("Healthy", entry.Data["replicationLag.status"]);
        Assert.Contains(simulator.Members[2].Name, (string)entry.Data["memberStates.message"], StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_UserWithoutClusterMonitor_NotAuthorizedResultNamingTheRole()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.AddUser("app", "app-Pass1", clusterMonitor: false);

        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator, "app", "app-Pass1"));

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(false, entry.Data["evaluated"]);
        Assert.Equal("notAuthorized", entry.Data["reason"]);
        Assert.StartsWith("not authorized: grant the clusterMonitor role", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("app-Pass1", entry.Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_MemberSlowerThanTheCheckTimeout_CouldNotEvaluateWithinTheTimeout()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        foreach (var member in simulator.Members)
        {
            member.ResponseDelay = TimeSpan.FromSeconds(30);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var entry = await CheckAsync(SimulatedReplicaSet.Uri(simulator), options => options.Timeout = TimeSpan.FromSeconds(1));
        started.Stop();

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(false, entry.Data["evaluated"]);
        Assert.Equal("timeout", entry.Data["reason"]);
        Assert.StartsWith("could not evaluate replica set (mongo): no observation within 1 s", entry.Description, StringComparison.Ordinal);

        // Not a timing assertion on speed: it only proves the check returned instead of waiting for the 30 s member.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"the check took {started.Elapsed}");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Registration_ClientCreatedOnceAcrossRunsAndDisposedWithTheContainer()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        var services = Build(SimulatedReplicaSet.Uri(simulator));
        var health = services.GetRequiredService<HealthCheckService>();
        _ = await health.CheckHealthAsync(Token);
        var source = services.GetRequiredKeyedService<IReplicaSetStatusSource>(CheckName);
        _ = await health.CheckHealthAsync(Token);

        Assert.Same(source, services.GetRequiredKeyedService<IReplicaSetStatusSource>(CheckName));
        await services.DisposeAsync();
        _ = await Assert.ThrowsAsync<ObjectDisposedException>(() => source.ObserveAsync(Token));
    }

    [Fact]
    public void Registration_InvalidConnectionString_FailsAtRegistrationWithoutThePassword()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<MongoConfigurationException>(() =>
            services.AddHealthChecks().AddMongoReplicaSet(CheckName, "mongodb://monitor:s3cret-Pass@", _ => { }));

        Assert.DoesNotContain("s3cret-Pass", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> CheckAsync(string uri, Action<ReplicaSetHealthCheckOptions>? configure = null)
    {
        await using var services = Build(uri, configure);
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);
        return report.Entries[CheckName];
    }

    private static ServiceProvider Build(string uri, Action<ReplicaSetHealthCheckOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddMongoReplicaSet(CheckName, uri, options =>
        {
            options.Timeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }
}
