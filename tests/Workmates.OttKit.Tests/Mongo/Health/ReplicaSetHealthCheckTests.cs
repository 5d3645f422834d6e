using Workmates.OttKit.Simulators;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;
using State = Workmates.OttKit.Mongo.Health.ReplicaSetMemberState;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthCheckTests : IDisposable
{
    private const string CheckName = "mongo";
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_HealthySet_HealthyWithRuleData()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Returning(Healthy()));

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("replica set rs0: all 9 rules healthy", entry.Description);
        Assert.Equal(true, entry.Data["evaluated"]);
        Assert.Equal(Host(0), entry.Data["primary.name"]);
        Assert.Contains(_logs.Records, log => log.EventId.Id == 4101 && log.Level == LogLevel.Debug);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_LaggingSecondary_DegradedAndLoggedAsWarning()
    {
        var observation = Healthy().WithMembers(
            Member(0, State.Primary, self: true),
            Member(1, State.Secondary, behind: TimeSpan.FromSeconds(30)),
            Member(2, State.Secondary));
        await using var services = Build(FakeReplicaSetStatusSource.Returning(observation));

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains($"{Host(1)} lags 30.0 s behind the primary", entry.Description, StringComparison.Ordinal);
        var log = Assert.Single(_logs.Records, log => log.EventId.Id == 4102);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("Degraded", log.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_MajorityLost_Unhealthy()
    {
        var observation = Healthy().WithMembers(Member(0, State.Secondary, self: true), Down(1), Down(2));
        await using var services = Build(FakeReplicaSetStatusSource.Returning(observation));

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Unhealthy", entry.Data["writeMajority.status"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SourceHonoursCancellation_TimesOutAsCouldNotEvaluate()
    {
        var time = new VirtualClock(Now);
        await using var services = Build(FakeReplicaSetStatusSource.WaitingForCancellation(), options => options.Timeout = TimeSpan.FromSeconds(5), time: time);

        var running = RunAsync(services);
        await time.WaitUntilParkedAsync(armed: 2, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(5));
        var entry = await running;

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("could not evaluate replica set (mongo): no observation within 5 s (Timeout option)", entry.Description);
        Assert.Equal(false, entry.Data["evaluated"]);
        Assert.Equal("timeout", entry.Data["reason"]);
        Assert.Contains(_logs.Records, log => log.EventId.Id == 4103 && log.Level == LogLevel.Warning);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SourceIgnoresCancellation_StillReturnsAfterTheTimeout()
    {
        var time = new VirtualClock(Now);
        await using var services = Build(FakeReplicaSetStatusSource.NeverAnswering(), options => options.Timeout = TimeSpan.FromSeconds(5), time: time);

        var running = RunAsync(services);
        await time.WaitUntilParkedAsync(armed: 2, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(5));
        var entry = await running;

        Assert.Equal("timeout", entry.Data["reason"]);
        Assert.IsType<TimeoutException>(entry.Exception);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_JustBeforeTheTimeout_StillWaiting()
    {
        var time = new VirtualClock(Now);
        await using var services = Build(FakeReplicaSetStatusSource.NeverAnswering(), options => options.Timeout = TimeSpan.FromSeconds(5), time: time);

        var running = RunAsync(services);
        await time.WaitUntilParkedAsync(armed: 2, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));

        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("timeout", (await running).Data["reason"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_NotAuthorized_NamesTheRoleAndTheUser()
    {
        var source = FakeReplicaSetStatusSource.Throwing(new MongoNotAuthorizedException("ottkit-monitor", "replSetGetStatus"));
        await using var services = Build(source);

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("not authorized: grant the clusterMonitor role to ottkit-monitor", entry.Description);
        Assert.Equal("notAuthorized", entry.Data["reason"]);
        var log = Assert.Single(_logs.Records, log => log.EventId.Id == 4104);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains("replSetGetStatus", log.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_NotAuthorizedWithoutUser_NamesTheMonitoringUser()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Throwing(new MongoNotAuthorizedException(userName: null, commandName: null)));

        var entry = await RunAsync(services);

        Assert.Equal("not authorized: grant the clusterMonitor role to the monitoring user", entry.Description);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_SourceFails_CouldNotEvaluateWithTheReason()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Throwing(new IOException("connection refused")));

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("could not evaluate replica set (mongo): connection refused", entry.Description);
        Assert.Contains(_logs.Records, log => log.EventId.Id == 4105 && log.Exception is IOException);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_FailureStatusDegraded_UsedWhenItCannotEvaluate()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Throwing(new IOException("x")), failureStatus: HealthStatus.Degraded);

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_CallerCancels_CancellationPropagates()
    {
        await using var services = Build(FakeReplicaSetStatusSource.WaitingForCancellation(), options => options.Timeout = TimeSpan.FromMinutes(5));
        var check = CreateCheck(services);
        using var cancellation = new CancellationTokenSource();

        var running = check.CheckHealthAsync(new HealthCheckContext { Registration = Registration(services) }, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_RunsAgain_HistorySurvivesAcrossCheckInstances()
    {
        var noPrimary = Healthy().WithMembers(Down(0), Member(1, State.Secondary, self: true), Member(2, State.Secondary));
        var source = FakeReplicaSetStatusSource.Returning(noPrimary, noPrimary.At(Now + TimeSpan.FromSeconds(70)));
        await using var services = Build(source);

        var first = await RunAsync(services);
        var second = await RunAsync(services);

        Assert.Equal("Degraded", first.Data["primary.status"]);
        Assert.Equal("Unhealthy", second.Data["primary.status"]);
        Assert.Equal(70d, second.Data["primary.absentSeconds"]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_TwoRegistrations_KeyedSourcesAndSeparateHistories()
    {
        var collection = NewServices();
        collection.AddKeyedSingleton<IReplicaSetStatusSource>("catalog", FakeReplicaSetStatusSource.Returning(Healthy()));
        collection.AddKeyedSingleton<IReplicaSetStatusSource>("sessions", FakeReplicaSetStatusSource.Throwing(new IOException("down")));
        collection.AddHealthChecks()
            .AddMongoReplicaSet("catalog", _ => { })
            .AddMongoReplicaSet("sessions", _ => { });
        await using var services = collection.BuildServiceProvider();

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Entries["catalog"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["sessions"].Status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AddMongoReplicaSet_NoSourceRegistered_FactoryExplainsWhatToRegister()
    {
        var collection = NewServices();
        collection.AddHealthChecks().AddMongoReplicaSet(CheckName, _ => { });
        await using var services = collection.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => Registration(services).Factory(services));

        Assert.Equal(
            "No IReplicaSetStatusSource is registered for the MongoDB replica-set health check 'mongo'. Register one keyed by 'mongo' or unkeyed (the OttKit MongoDB client provides it).",
            error.Message);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AddMongoReplicaSet_InvalidOptions_ValidationFailsWithTheMessage()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Returning(Healthy()), options => options.HeartbeatAgeUnhealthy = TimeSpan.FromSeconds(1));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<ReplicaSetHealthCheckOptions>>().Get(CheckName));

        Assert.Contains("ReplicaSetHealthCheckOptions[mongo].HeartbeatAgeUnhealthy (00:00:01) must be greater than HeartbeatAgeDegraded (00:00:10)", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AddMongoReplicaSet_FromConfiguration_BindsThresholds()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mongo:ReplicationLagDegraded"] = "00:00:20",
                ["Mongo:OplogWindowDegraded"] = "2.00:00:00",
                ["Mongo:EnvironmentName"] = "owl270-prod",
            })
            .Build();
        var collection = NewServices();
        collection.AddSingleton<IReplicaSetStatusSource>(FakeReplicaSetStatusSource.Returning(Healthy()));
        collection.AddHealthChecks().AddMongoReplicaSet(CheckName, configuration.GetSection("Mongo"), tags: ["ready"]);
        await using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<IOptionsMonitor<ReplicaSetHealthCheckOptions>>().Get(CheckName);

        Assert.Equal(TimeSpan.FromSeconds(20), options.ReplicationLagDegraded);
        Assert.Equal(TimeSpan.FromDays(2), options.OplogWindowDegraded);
        Assert.Equal("owl270-prod", options.EnvironmentName);
        Assert.Equal(TimeSpan.FromSeconds(240), options.ReplicationLagUnhealthy);
        Assert.Contains("ready", Registration(services).Tags);
    }

    [Fact]
    public void AddMongoReplicaSet_BlankName_Rejected()
    {
        var builder = NewServices().AddHealthChecks();

        Assert.Throws<ArgumentException>(() => builder.AddMongoReplicaSet(" ", _ => { }));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_EnvironmentNameSet_PublishesMetrics()
    {
        var publisher = new RecordingMetricsPublisher();
        await using var services = Build(FakeReplicaSetStatusSource.Returning(Healthy()), options => options.EnvironmentName = "prod", publisher: publisher);

        await RunAsync(services);

        var (metricNamespace, data) = Assert.Single(publisher.Published);
        Assert.Equal("OttKit/MongoDB", metricNamespace);
        Assert.Contains(data, datum => datum.MetricName == "HealthStatus" && datum.Value == 0);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_NoEnvironmentName_PublishesNothing()
    {
        var publisher = new RecordingMetricsPublisher();
        await using var services = Build(FakeReplicaSetStatusSource.Returning(Healthy()), publisher: publisher);

        await RunAsync(services);

        Assert.Empty(publisher.Published);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckHealth_PublisherFails_VerdictUnchangedAndWarningLogged()
    {
        await using var services = Build(FakeReplicaSetStatusSource.Returning(Healthy()), options => options.EnvironmentName = "prod", publisher: new FailingMetricsPublisher());

        var entry = await RunAsync(services);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        var log = Assert.Single(_logs.Records, log => log.EventId.Id == 4106);
        Assert.Equal(LogLevel.Warning, log.Level);
    }

    private ServiceCollection NewServices()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        return collection;
    }

    private ServiceProvider Build(
        IReplicaSetStatusSource source,
        Action<ReplicaSetHealthCheckOptions>? configure = null,
        HealthStatus? failureStatus = null,
        IHealthMetricsPublisher? publisher = null,
        TimeProvider? time = null)
    {
        var collection = NewServices();
        collection.AddSingleton(source);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        if (publisher is not null)
        {
            collection.AddSingleton(publisher);
        }

        collection.AddHealthChecks().AddMongoReplicaSet(CheckName, configure ?? (_ => { }), failureStatus);
        return collection.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> RunAsync(ServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries[CheckName];
    }

    private static HealthCheckRegistration Registration(ServiceProvider services) =>
        services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(registration => registration.Name == CheckName);

    private static IHealthCheck CreateCheck(ServiceProvider services) => Registration(services).Factory(services);
}
