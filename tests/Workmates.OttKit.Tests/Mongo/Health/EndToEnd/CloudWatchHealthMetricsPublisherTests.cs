using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Tests.Mongo.Health.EndToEnd;

public sealed class CloudWatchHealthMetricsPublisherTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset At = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Publish_MoreThanOneRequestHolds_SplitsIntoBatchesOfAtMostOneThousandInOrder()
    {
        var cloudWatch = new RecordingCloudWatch();
        var data = Enumerable.Range(0, 2500).Select(i => Datum("ReplicationLagSeconds", i)).ToList();

        await new CloudWatchHealthMetricsPublisher(cloudWatch).PublishAsync(ReplicaSetHealthMetricNames.Namespace, data, Token);

        var requests = cloudWatch.Requests.ToList();
        Assert.Equal([1000, 1000, 500], requests.Select(r => r.MetricData!.Count));
        Assert.All(requests, r => Assert.Equal("OttKit/MongoDB", r.Namespace));
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (double?)i), requests.SelectMany(r => r.MetricData!).Select(d => d.Value));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Publish_OneDatum_MapsNameValueUnitUtcTimestampAndDimensions()
    {
        var cloudWatch = new RecordingCloudWatch();
        var datum = new HealthMetricDatum(
            "ReplicationLagSeconds",
            12.5,
            HealthMetricUnit.Seconds,
            new Dictionary<string, string> { ["Member"] = "db2:27017", ["Environment"] = "prod" },
            new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.FromHours(2)));

        await new CloudWatchHealthMetricsPublisher(cloudWatch).PublishAsync(ReplicaSetHealthMetricNames.Namespace, [datum], Token);

        var sent = Assert.Single(Assert.Single(cloudWatch.Requests).MetricData!);
        Assert.Equal("ReplicationLagSeconds", sent.MetricName);
        Assert.Equal(12.5, sent.Value);
        Assert.Equal("Seconds", sent.Unit);
        Assert.Equal(new DateTime(2026, 11, 22, 3, 0, 0, DateTimeKind.Utc), sent.Timestamp);
        Assert.Equal(DateTimeKind.Utc, sent.Timestamp!.Value.Kind);
        Assert.Equal(["Environment=prod", "Member=db2:27017"], sent.Dimensions!.Select(d => $"{d.Name}={d.Value}"));
    }

    [Theory]
    [InlineData(HealthMetricUnit.None, "None")]
    [InlineData(HealthMetricUnit.Count, "Count")]
    [InlineData(HealthMetricUnit.Seconds, "Seconds")]
    public void ToMetricDatum_Unit_UsesTheCloudWatchUnitName(HealthMetricUnit unit, string expected) =>
        Assert.Equal(expected, CloudWatchHealthMetricsPublisher.ToMetricDatum(Datum("X", 1) with { Unit = unit }).Unit);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Publish_NothingToPublish_SendsNoRequest()
    {
        var cloudWatch = new RecordingCloudWatch();

        await new CloudWatchHealthMetricsPublisher(cloudWatch).PublishAsync(ReplicaSetHealthMetricNames.Namespace, [], Token);

        Assert.Empty(cloudWatch.Requests);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Publish_DatumWithTooManyDimensions_RefusedBeforeAnyRequest()
    {
        var cloudWatch = new RecordingCloudWatch();
        var dimensions = Enumerable.Range(0, 31).ToDictionary(i => $"D{i}", i => "v");
        var datum = Datum("X", 1) with { Dimensions = dimensions };

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new CloudWatchHealthMetricsPublisher(cloudWatch).PublishAsync(ReplicaSetHealthMetricNames.Namespace, [datum], Token));

        Assert.Contains("31 dimensions", error.Message, StringComparison.Ordinal);
        Assert.Empty(cloudWatch.Requests);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task HealthCheck_WithEnvironmentAndPublisher_PublishesTheSimulatedSetsNumbersUnderTheEnvironmentDimension()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[1].Lag = TimeSpan.FromSeconds(12);
        var cloudWatch = new RecordingCloudWatch();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHealthMetricsPublisher>(new CloudWatchHealthMetricsPublisher(cloudWatch));
        services.AddHealthChecks().AddMongoReplicaSet("mongo", SimulatedReplicaSet.Uri(simulator), options => options.EnvironmentName = "staging");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        var data = Assert.Single(cloudWatch.Requests).MetricData!;
        Assert.All(data, d => Assert.Contains(d.Dimensions!, x => x.Name == "Environment" && x.Value == "staging"));
        Assert.Equal(1, data.Single(d => d.MetricName == "HealthStatus").Value);
        Assert.Equal(12, data.Single(d => d.MetricName == "ReplicationLagMaxSeconds").Value);
        Assert.Equal(12, data.Single(d => d.MetricName == "ReplicationLagSeconds" && d.Dimensions!.Any(x => x.Value == simulator.Members[1].Name)).Value);
    }

    private static HealthMetricDatum Datum(string name, double value) =>
        new(name, value, HealthMetricUnit.Count, new Dictionary<string, string> { ["Environment"] = "test" }, At);
}
