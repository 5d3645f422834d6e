using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Cli.Commands;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Mongo.Health.EndToEnd;

namespace Workmates.OttKit.Tests.Cli;

/// <summary><c>ottkit mongo health</c> in-process against the replica-set simulator, one test per exit code.</summary>
public sealed class MongoHealthCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_healthy_set_exits_zero_and_lists_every_rule_with_its_numbers()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Output + run.Error);
        Assert.Empty(run.Error);
        Assert.Contains(": Healthy", run.Output, StringComparison.Ordinal);
        foreach (var rule in new[] { "primary", "writeMajority", "replicationLag", "oplogWindow", "heartbeat", "memberStates", "elections", "restarts", "azSpread" })
        {
            Assert.Contains($"  {rule,-15} Healthy ", run.Output, StringComparison.Ordinal);
        }

        Assert.Contains("maxSeconds=0", run.Output, StringComparison.Ordinal);
        Assert.Contains("distinctZones=3", run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_never_prints_the_password_only_the_redacted_uri()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();

        var text = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator));
        var json = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator), "--output", "json");

        Assert.DoesNotContain(SimulatedReplicaSet.Password, text.Output + text.Error + json.Output + json.Error, StringComparison.Ordinal);
        Assert.StartsWith($"mongodb://{SimulatedReplicaSet.User}:", text.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_lagging_secondary_exits_one_degraded()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[2].Lag = TimeSpan.FromSeconds(30);

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(ExitCodes.MongoHealthDegraded, run.ExitCode);
        Assert.Contains($"  {"replicationLag",-15} Degraded ", run.Output, StringComparison.Ordinal);
        Assert.Contains("maxSeconds=30", run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_election_in_progress_exits_one_with_no_primary()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.StartElection();

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(ExitCodes.MongoHealthDegraded, run.ExitCode);
        Assert.Contains($"  {"primary",-15} Degraded  no primary; absence duration unknown (first observation)", run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_unreachable_member_exits_one_naming_it()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.MakeUnreachable(2);

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator));

        Assert.Equal(ExitCodes.MongoHealthDegraded, run.ExitCode);
        Assert.Contains($"  {"memberStates",-15} Degraded ", run.Output, StringComparison.Ordinal);
        Assert.Contains(simulator.Members[2].Name, run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_whole_set_unreachable_exits_three()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        var uri = SimulatedReplicaSet.Uri(simulator);
        for (var i = 0; i < simulator.Members.Count; i++)
        {
            simulator.MakeUnreachable(i);
        }

        var run = await RunAsync("mongo", "health", "--uri", uri, "--output", "json");

        Assert.Equal(ExitCodes.MongoHealthCouldNotEvaluate, run.ExitCode);
        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal("CouldNotEvaluate", (string?)document["status"]);
        Assert.Empty(document["rules"]!.AsArray());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_unhealthy_lag_exits_two_and_json_is_one_document()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.Members[1].Lag = TimeSpan.FromSeconds(300);

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator), "--output", "json");

        Assert.Equal(ExitCodes.MongoHealthUnhealthy, run.ExitCode);
        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal("Unhealthy", (string?)document["status"]);
        Assert.False((bool)document["ok"]!);
        Assert.Equal(2, (int)document["exitCode"]!);
        var lag = document["rules"]!.AsArray().Single(rule => (string?)rule!["rule"] == "replicationLag")!;
        Assert.Equal("Unhealthy", (string?)lag["status"]);
        Assert.Equal(300, (double)lag["data"]!["maxSeconds"]!);
        Assert.Equal(9, document["rules"]!.AsArray().Count);
        Assert.Empty(run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_user_without_clusterMonitor_exits_three_naming_the_role()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        simulator.AddUser("app", "app-Pass1", clusterMonitor: false);

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator, "app", "app-Pass1"));

        Assert.Equal(ExitCodes.MongoHealthCouldNotEvaluate, run.ExitCode);
        Assert.Contains(": CouldNotEvaluate", run.Output, StringComparison.Ordinal);
        Assert.Contains("  not authorized: grant the clusterMonitor role to app", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("app-Pass1", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_slow_set_exits_three_after_the_timeout_in_json()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        foreach (var member in simulator.Members)
        {
            member.ResponseDelay = TimeSpan.FromSeconds(30);
        }

        var run = await RunAsync("mongo", "health", "--uri", SimulatedReplicaSet.Uri(simulator), "--timeout", "1", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.MongoHealthCouldNotEvaluate, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal("CouldNotEvaluate", (string?)document["status"]);
        Assert.Equal("timeout", (string?)document["reason"]);
        Assert.False((bool)document["evaluated"]!);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_bad_uri_prints_one_error_line_and_exits_with_usage_error()
    {
        var run = await RunAsync("mongo", "health", "--uri", "mongodb://monitor:s3cret@");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal(
            "error: --uri is not a usable MongoDB connection string: The connection string lists no host. Write at least one, e.g. 'mongodb://db1.example.com:27017'." + Environment.NewLine,
            run.Error);
        Assert.DoesNotContain("s3cret", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_publish_metrics_without_environment_is_one_error_line()
    {
        var run = await RunAsync("mongo", "health", "--uri", "mongodb://127.0.0.1:1/", "--publish-metrics");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(
            "error: --publish-metrics needs --environment NAME (the Environment dimension of the metrics), for example --environment prod." + Environment.NewLine,
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_publish_metrics_sends_the_numbers_to_cloudwatch_with_the_environment()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        var cloudWatch = new RecordingCloudWatch();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, OutputFormat.Text, verbose: false);

        var exitCode = await MongoHealthCommand.RunAsync(
            context, new MongoHealthArguments(SimulatedReplicaSet.Uri(simulator), PublishMetrics: true, Environment: "prod"), () => cloudWatch, Token);

        Assert.Equal(ExitCodes.Success, exitCode);
        var request = Assert.Single(cloudWatch.Requests);
        Assert.Equal("OttKit/MongoDB", request.Namespace);
        Assert.All(request.MetricData!, d => Assert.Contains(d.Dimensions!, x => x.Name == "Environment" && x.Value == "prod"));
        Assert.Contains($"published {request.MetricData!.Count} metric data points to CloudWatch (OttKit/MongoDB, Environment=prod)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Health_publish_failure_warns_and_keeps_the_health_exit_code()
    {
        await using var simulator = SimulatedReplicaSet.StartHealthy();
        var cloudWatch = new RecordingCloudWatch(new InvalidOperationException("AccessDenied: cloudwatch:PutMetricData"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, OutputFormat.Text, verbose: false);

        var exitCode = await MongoHealthCommand.RunAsync(
            context, new MongoHealthArguments(SimulatedReplicaSet.Uri(simulator), PublishMetrics: true, Environment: "prod"), () => cloudWatch, Token);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("warning: metrics not published: AccessDenied: cloudwatch:PutMetricData" + Environment.NewLine, error.ToString());
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OttKitCommandLine.InvokeAsync(args, output, error, Token);
        return (exitCode, output.ToString(), error.ToString());
    }
}
