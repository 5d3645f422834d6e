using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary><c>ottkit patch</c> in-process against the SSM simulator (AWS_ENDPOINT_URL_SSM), on its virtual clock.</summary>
public sealed class PatchCommandTests
{
    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Scan_prints_live_progress_and_compliance_per_instance_and_exits_one_when_an_instance_is_not_compliant()
    {
        await using var ssm = await StartAsync();
        ssm.AddInstance("i-0a", "blacksheep-ecs-hosts", "10.0.2.10");
        ssm.AddInstance("i-0b", "blacksheep-ecs-hosts", "10.0.2.11").Missing = 2;
        ssm.AddInstance("i-0m", "blacksheep-mongodb", "10.0.1.10");

        var run = await RunAsync(ssm, "patch", "scan", "--spec", Spec);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("scan: 2 ECS host(s), 1 MongoDB member(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("AWS-RunPatchBaseline sent", run.Output, StringComparison.Ordinal);
        Assert.Contains("i-0b ecs-host Success installed 100, missing 2, failed 0 (NOT compliant)", run.Output, StringComparison.Ordinal);
        Assert.Contains("failed: Scan: 1 of 3 instances not compliant (2 patches missing).", run.Output, StringComparison.Ordinal);
        Assert.All(ssm.Invocations, i => Assert.Equal("Scan", i.Operation));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Scan_json_carries_the_verdict_and_each_instance()
    {
        await using var ssm = await StartAsync();
        ssm.AddInstance("i-0a", "blacksheep-ecs-hosts", "10.0.2.10");

        var run = await RunAsync(ssm, "patch", "scan", "--spec", Spec, "--target", "hosts", "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var json = JsonNode.Parse(run.Output)!.AsObject();
        Assert.True(json["ok"]!.GetValue<bool>());
        Assert.Equal("patch scan", json["command"]!.GetValue<string>());
        Assert.True(json["instances"]![0]!["compliance"]!["compliant"]!.GetValue<bool>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Install_on_the_database_without_a_connection_string_is_a_user_mistake_and_sends_nothing()
    {
        await using var ssm = await StartAsync();
        ssm.AddInstance("i-0m", "blacksheep-mongodb", "10.0.1.10");

        var run = await RunAsync(ssm, "patch", "install", "--spec", Spec, "--target", "database");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("--uri: installing patches on the database needs the replica set's connection string", run.Error, StringComparison.Ordinal);
        Assert.Empty(ssm.Invocations);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Install_hosts_without_hosts_in_the_patch_group_names_the_tag()
    {
        await using var ssm = await StartAsync();

        var run = await RunAsync(ssm, "patch", "install", "--spec", Spec, "--target", "hosts");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("No managed instance is tagged Patch Group=blacksheep-ecs-hosts", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Install_hosts_drains_each_host_in_the_environments_cluster_and_sets_it_active_again()
    {
        await using var ssm = await StartAsync();
        await using var ecs = await EcsSimulator.StartAsync(
            new AwsSimulatorOptions { Clock = ssm.Clock, Region = "ap-south-1", AccountId = "111122223333" }, cancellationToken: TestContext.Current.CancellationToken);
        ssm.AddInstance("i-0a", "blacksheep-ecs-hosts", "10.0.2.10");
        ecs.RegisterContainerInstance("blacksheep", "i-0a");

        var run = await RunAsync(ssm, ecs, "patch", "install", "--spec", Spec, "--target", "hosts");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("drained i-0a", run.Output, StringComparison.Ordinal);
        Assert.Contains("active again i-0a", run.Output, StringComparison.Ordinal);
        Assert.True(run.Output.IndexOf("drained i-0a", StringComparison.Ordinal) < run.Output.IndexOf("AWS-RunPatchBaseline sent", StringComparison.Ordinal), run.Output);
        Assert.Equal("ACTIVE", ecs.ContainerInstanceState("blacksheep", "i-0a").Status);
    }

    private static Task<SsmSimulator> StartAsync() => SsmSimulator.StartAsync(
        new AwsSimulatorOptions { Clock = new VirtualClock(), Region = "ap-south-1", AccountId = "111122223333" }, TestContext.Current.CancellationToken);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(SsmSimulator ssm, params string[] args) => RunAsync(ssm, null, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(SsmSimulator ssm, EcsSimulator? ecs, params string[] args)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = SimulatorCredentials.Default.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = SimulatorCredentials.Default.SecretAccessKey,
            ["AWS_ENDPOINT_URL_SSM"] = ssm.BaseUrl.ToString(),
            ["CI"] = "true",
        };
        if (ecs is not null)
        {
            variables["AWS_ENDPOINT_URL_ECS"] = ecs.BaseUrl.ToString();
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ssm.Clock.RunAsync(
            OttKitCommandLine.InvokeAsync(args, output, error, new CliEnvironment(variables, ssm.Clock, OutputIsTerminal: false), TestContext.Current.CancellationToken),
            cancellationToken: TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
