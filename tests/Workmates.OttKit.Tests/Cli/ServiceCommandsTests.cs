using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Deployment;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary>
/// <c>deploy service</c>, <c>rollback service</c> and <c>status</c> end to end in-process: the command line parsed,
/// our clients built from AWS_* variables (AWS_ENDPOINT_URL_&lt;SERVICE&gt; pointing at the ECS, ELBv2, CloudWatch
/// and CloudFormation simulators), the watch on the simulators' virtual clock.
/// </summary>
public sealed class ServiceCommandsTests
{
    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    private static string N => Environment.NewLine;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_healthy_image_exits_zero_with_timestamped_lines_and_a_step_summary()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", Bed.Repository + ":2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.StartsWith($"deploying {Bed.Repository}:2 to service web of cluster blacksheep in ap-south-1{N}", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ web: registered arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:2 \(image ", run.Output);
        Assert.Matches(@"(?m)^\S+ web: alarm blacksheep-web-5xx: OK$", run.Output);
        Assert.Matches(@"(?m)^\S+ web: targets: 2 healthy \(new\)", run.Output);
        Assert.EndsWith($"succeeded: web runs arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:2.{N}", run.Output, StringComparison.Ordinal);
        var summary = await File.ReadAllTextAsync(bed.SummaryPath, TestContext.Current.CancellationToken);
        Assert.StartsWith("### ✅ ottkit deploy service web: Succeeded", summary, StringComparison.Ordinal);
        Assert.Contains("| alarm `blacksheep-web-5xx` | OK |", summary, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_on_a_terminal_renders_through_spectre_and_ends_with_the_verdict()
    {
        await using var bed = await Bed.StartAsync();
        bed.Variables.Remove("CI");
        bed.Terminal = true;

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "bad");

        Assert.Equal(ExitCodes.DeploymentFailed, run.ExitCode);
        Assert.Contains("rollback started (circuit breaker)", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED: ECS rolled web back to arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1 (circuit breaker).", run.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\d{4}-\d\d-\d\dT\S+ web: ", run.Output);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_crashing_image_json_reports_the_rollback_as_failure()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "bad", "--output", "json");

        Assert.Equal(ExitCodes.DeploymentFailed, run.ExitCode);
        var json = JsonNode.Parse(run.Output)!.AsObject();
        Assert.False(json["ok"]!.GetValue<bool>());
        Assert.Equal("RolledBack", json["outcome"]!.GetValue<string>());
        Assert.Equal("CircuitBreaker", json["rollbackTrigger"]!.GetValue<string>());
        Assert.EndsWith("task-definition/blacksheep-web:1", json["rolledBackTo"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("task-definition/blacksheep-web:2", json["deployedTaskDefinition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, json["exitCode"]!.GetValue<int>());
        Assert.Contains("❌ ottkit deploy service web: RolledBack", await File.ReadAllTextAsync(bed.SummaryPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_unhealthy_targets_with_fail_fast_says_it_rolled_back_and_exits_one()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "unhealthy", "--fail-fast");

        Assert.Equal(ExitCodes.DeploymentFailed, run.ExitCode);
        Assert.Matches(@"(?m)^\S+ web: rollback started \(fail-fast: unhealthy targets\): Fail-fast: the new tasks' targets were unhealthy on 3 consecutive checks", run.Output);
        Assert.Contains(
            "FAILED: ECS rolled web back to arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1 (fail-fast: unhealthy targets).",
            run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_past_the_timeout_exits_four()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "slow", "--timeout", "3", "--output", "json");

        Assert.Equal(ExitCodes.DeploymentTimedOut, run.ExitCode);
        Assert.Equal("TimedOut", JsonNode.Parse(run.Output)!["outcome"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_not_in_the_spec_names_the_services_there_are()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "nope", "--image", "2");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal($"error: service 'nope' is not in the spec of environment 'blacksheep'. Use one of: web, api, auth, catalog, live-chat, payments.{N}", run.Error);
        Assert.Empty(bed.Ecs.Requests.Entries);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_in_the_spec_but_not_in_aws_says_to_deploy_the_stacks()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "api", "--image", "2");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            $"error: service 'api' was not found in cluster 'blacksheep' in ap-south-1. Deploy the environment's stacks first ('ottkit deploy stacks --spec {Spec}') or check --region.{N}",
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_with_unknown_keys_says_the_credentials_were_rejected_and_how_to_fix()
    {
        await using var bed = await Bed.StartAsync();
        bed.Variables["AWS_ACCESS_KEY_ID"] = "AKIDUNKNOWN";

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "2");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("error: AWS rejected the credentials (UnrecognizedClientException: ", run.Error, StringComparison.Ordinal);
        Assert.EndsWith(
            "Set AWS_PROFILE or pass --profile NAME (after 'aws sso login' if it is an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions use aws-actions/configure-aws-credentials." + N,
            run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_with_a_missing_profile_says_how_to_create_it()
    {
        await using var bed = await Bed.StartAsync();
        bed.Variables.Remove("AWS_ACCESS_KEY_ID");
        bed.Variables.Remove("AWS_SECRET_ACCESS_KEY");

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "2", "--profile", "ottkit-no-such-profile");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            $"error: AWS profile 'ottkit-no-such-profile' was not found in the shared config or credentials files. Create it with 'aws configure --profile ottkit-no-such-profile' (or 'aws configure sso'), or pass another --profile.{N}",
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_while_another_deployment_runs_refuses_with_the_ways_out()
    {
        await using var bed = await Bed.StartAsync();
        var arn = bed.Ecs.RegisterTaskDefinition("blacksheep-web", Bed.Repository + ":slow", "web");
        await bed.UpdateBehindTheBackAsync(arn);

        var run = await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "3");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Matches(
            "^error: service 'web' has a deployment in progress \\(arn:aws:ecs:ap-south-1:123456789012:service-deployment/blacksheep/web/\\w+\\)\\. " +
            $"Watch it with 'ottkit status --spec {System.Text.RegularExpressions.Regex.Escape(Spec)} --service web', roll it back with 'ottkit rollback service --spec {System.Text.RegularExpressions.Regex.Escape(Spec)} --service web', or pass --wait to deploy after it\\.\\r?\\n$",
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_service_interrupted_stops_watching_and_says_what_goes_on()
    {
        await using var bed = await Bed.StartAsync();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new StringWriter();
        var error = new StringWriter();
        var run = OttKitCommandLine.InvokeAsync(
            ["deploy", "service", "--spec", Spec, "--service", "web", "--image", "slow"], output, error, bed.Environment, interrupt.Token);
        await bed.Clock.RunUntilAsync(run, () => bed.Ecs.Requests.For("DescribeServiceDeployments").Count >= 2, cancellationToken: TestContext.Current.CancellationToken);
        await interrupt.CancelAsync();

        var exitCode = await run;

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal(
            "stopped watching. The deployment goes on in ECS: it completes, or its circuit breaker and alarms roll it back. " +
            $"Watch it with 'ottkit status --spec {Spec} --service web' or roll it back with 'ottkit rollback service --spec {Spec} --service web'.{N}",
            error.ToString());
        Assert.DoesNotContain("StopServiceDeployment", bed.Ecs.Requests.Entries.Select(r => r.Operation));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Rollback_service_after_a_deploy_returns_to_the_previous_revision_and_deregisters()
    {
        await using var bed = await Bed.StartAsync();
        Assert.Equal(ExitCodes.Success, (await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "2")).ExitCode);

        var run = await bed.RunAsync("rollback", "service", "--spec", Spec, "--service", "web", "--deregister");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith($"rolling back service web of cluster blacksheep in ap-south-1{N}", run.Output, StringComparison.Ordinal);
        Assert.EndsWith($"rolled back: web runs arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1 again.{N}", run.Output, StringComparison.Ordinal);
        Assert.Single(bed.Ecs.Requests.For("DeregisterTaskDefinition"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Rollback_service_to_a_revision_number_json()
    {
        await using var bed = await Bed.StartAsync();
        Assert.Equal(ExitCodes.Success, (await bed.RunAsync("deploy", "service", "--spec", Spec, "--service", "web", "--image", "2")).ExitCode);

        var run = await bed.RunAsync("rollback", "service", "--spec", Spec, "--service", "web", "--to-revision", "1", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var json = JsonNode.Parse(run.Output)!;
        Assert.Equal("rollback service", json["command"]!.GetValue<string>());
        Assert.EndsWith("blacksheep-web:1", json["rolledBackTo"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Status_text_shows_tasks_targets_alarms_events_and_stacks()
    {
        await using var bed = await Bed.StartAsync();

        var run = await bed.RunAsync("status", "--spec", Spec);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith($"environment blacksheep (cluster blacksheep, ap-south-1){N}service web: 2/2 running, 0 pending, steady; task definition arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1{N}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"  targets: 2 healthy (new){N}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"  alarm blacksheep-web-5xx: OK{N}  alarm blacksheep-web-latency: OK{N}", run.Output, StringComparison.Ordinal);
        Assert.Contains("has reached a steady state.", run.Output, StringComparison.Ordinal);
        Assert.Contains($"service api: not deployed (no ECS service 'api' in the cluster){N}", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^stack blacksheep-\S+ \(ap-south-1\): NOT_DEPLOYED\r?$", run.Output);

        // The us-east-1 edge stack is asked in its own region; the ap-south-1 simulator refuses that signature, as AWS would.
        Assert.Matches(@"(?m)^stack blacksheep-edge-waf \(us-east-1\): UNREADABLE \(.+\)\r?$", run.Output);
        Assert.NotEmpty(bed.CloudFormation.Requests.For("DescribeStacks"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Status_json_for_one_service_during_a_deployment()
    {
        await using var bed = await Bed.StartAsync();
        var arn = bed.Ecs.RegisterTaskDefinition("blacksheep-web", Bed.Repository + ":slow", "web");
        await bed.UpdateBehindTheBackAsync(arn);

        var run = await bed.RunAsync("status", "--spec", Spec, "--service", "web", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var json = JsonNode.Parse(run.Output)!;
        var web = Assert.Single(json["services"]!.AsArray())!;
        Assert.True(web["deploymentInProgress"]!.GetValue<bool>());
        Assert.Equal(2, web["deployments"]!.AsArray().Count);
        Assert.Equal("blacksheep-web-5xx", web["alarms"]![0]!["name"]!.GetValue<string>());
        Assert.NotEmpty(json["stacks"]!.AsArray());
    }

    /// <summary>The four simulators in ap-south-1, service "web" of cluster "blacksheep" seeded, and the CLI's environment pointing at them.</summary>
    private sealed class Bed : IAsyncDisposable
    {
        public const string Repository = "111122223333.dkr.ecr.ap-south-1.amazonaws.com/blacksheep/web";

        private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-deploy-cli-");

        private Bed(EcsSimulator ecs, ElbV2Simulator elb, CloudWatchSimulator cloudWatch, CloudFormationSimulator cloudFormation)
        {
            Ecs = ecs;
            Elb = elb;
            CloudWatch = cloudWatch;
            CloudFormation = cloudFormation;
            Clock = ecs.Clock;
            SummaryPath = Path.Combine(_work.FullName, "summary.md");
            Variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_ACCESS_KEY_ID"] = SimulatorCredentials.Default.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = SimulatorCredentials.Default.SecretAccessKey,
                ["AWS_ENDPOINT_URL_ECS"] = ecs.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = elb.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_CLOUDWATCH"] = cloudWatch.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = cloudFormation.BaseUrl.ToString(),
                ["CI"] = "true",
                ["GITHUB_STEP_SUMMARY"] = SummaryPath,
            };
        }

        public EcsSimulator Ecs { get; }

        public ElbV2Simulator Elb { get; }

        public CloudWatchSimulator CloudWatch { get; }

        public CloudFormationSimulator CloudFormation { get; }

        public VirtualClock Clock { get; }

        public string SummaryPath { get; }

        public Dictionary<string, string> Variables { get; }

        public bool Terminal { get; set; }

        public CliEnvironment Environment => new(Variables, Clock, OutputIsTerminal: Terminal);

        public static async Task<Bed> StartAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            var options = new AwsSimulatorOptions { Clock = new VirtualClock(), Region = "ap-south-1" };
            var ecs = await EcsSimulator.StartAsync(options, cancellationToken: ct);
            var first = ecs.RegisterTaskDefinition("blacksheep-web", Repository + ":1", "web");
            ecs.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
            ecs.SetImageBehavior(":slow", ImageBehavior.Slow(TimeSpan.FromMinutes(20)));
            ecs.SetImageBehavior(":unhealthy", ImageBehavior.FailsTargetHealthChecks);
            ecs.CreateService(new EcsServiceSeed
            {
                Cluster = "blacksheep",
                ServiceName = "web",
                TaskDefinition = first,
                TargetGroupArn = "arn:aws:elasticloadbalancing:ap-south-1:123456789012:targetgroup/blacksheep-web/0123456789abcdef",
                Alarms = ["blacksheep-web-5xx", "blacksheep-web-latency"],
            });
            var elb = await ElbV2Simulator.StartAsync(ecs, cancellationToken: ct);
            var cloudWatch = await CloudWatchSimulator.StartAsync(ecs, cancellationToken: ct);
            var cloudFormation = await CloudFormationSimulator.StartAsync(options with { Faults = null }, cancellationToken: ct);
            return new Bed(ecs, elb, cloudWatch, cloudFormation);
        }

        public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = await Clock.RunAsync(OttKitCommandLine.InvokeAsync(args, output, error, Environment, TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);
            return (exitCode, output.ToString(), error.ToString());
        }

        public async Task UpdateBehindTheBackAsync(string taskDefinition)
        {
            using var client = (IDisposable)new Workmates.OttKit.Aws.AwsClientFactory(DeployTestBed.Options(Ecs)).CreateEcs();
            await ((Workmates.OttKit.Aws.Ecs.IEcsApi)client).UpdateServiceAsync(
                new() { Cluster = "blacksheep", Service = "web", TaskDefinition = taskDefinition }, TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await CloudFormation.DisposeAsync();
            await CloudWatch.DisposeAsync();
            await Elb.DisposeAsync();
            await Ecs.DisposeAsync();
            _work.Delete(recursive: true);
        }
    }
}
