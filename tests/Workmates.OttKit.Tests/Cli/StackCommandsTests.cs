using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Aws;
using Workmates.OttKit.Tests.Infrastructure;
using Workmates.OttKit.Tests.Simulators;

namespace Workmates.OttKit.Tests.Cli;

/// <summary>
/// <c>ottkit plan</c> and <c>ottkit deploy stacks</c> end to end, in process, against the CloudFormation simulator and
/// s3rver, configured the way a user would: AWS_* environment variables (so these tests run alone, not in parallel).
/// </summary>
[Collection(nameof(AwsEnvironmentVariables))]
public sealed class StackCommandsTests : IAsyncLifetime
{
    private const string Network = "blacksheep-network";
    private static readonly SimulatorCredentials S3rverKeys = new("S3RVER", "S3RVER");

    private readonly List<(string Name, string? Previous)> _previous = [];
    private readonly string _summary = Path.GetTempFileName();
    private S3rverProcess? _s3;
    private CloudFormationSimulator? _cfn;
    private VirtualClock? _clock;

    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    private CloudFormationSimulator Cfn => _cfn!;

    public async ValueTask InitializeAsync()
    {
        _s3 = await S3rverProcess.StartAsync("artifacts");
        _clock = new VirtualClock();
        _cfn = await CloudFormationSimulator.StartAsync(new AwsSimulatorOptions { Clock = _clock, Region = "ap-south-1", Credentials = [S3rverKeys] }, cancellationToken: TestContext.Current.CancellationToken);
        Set("AWS_ENDPOINT_URL_CLOUDFORMATION", _cfn.BaseUrl.ToString());
        Set("AWS_ENDPOINT_URL_ECS", _cfn.BaseUrl.ToString());
        Set("AWS_ENDPOINT_URL_S3", _s3.Endpoint.ToString());
        Set("AWS_ACCESS_KEY_ID", S3rverKeys.AccessKeyId);
        Set("AWS_SECRET_ACCESS_KEY", S3rverKeys.SecretAccessKey);
        Set("AWS_SESSION_TOKEN", null);
        Set("AWS_PROFILE", null);
        Set("AWS_REGION", "ap-south-1");
        Set("OTTKIT_ARTIFACTS_BUCKET", null);
        Set("GITHUB_STEP_SUMMARY", _summary);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, previous) in _previous)
        {
            Environment.SetEnvironmentVariable(name, previous);
        }

        await _cfn!.DisposeAsync();
        _s3!.Dispose();
        File.Delete(_summary);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Plan_NewStack_ExitsTwoAndShowsTheCreateAndHowToExecute()
    {
        var run = await RunAsync("plan", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1");

        Assert.Equal(ExitCodes.Changes, run.ExitCode);
        var lines = run.Output.Split(Environment.NewLine);
        Assert.Matches(@"^blacksheep-network \(ap-south-1\): create \(\d+ resources\)$", lines[0]);
        Assert.Contains("  + Vpc AWS::EC2::VPC", lines);
        Assert.Contains("Plan: 1 to create, 0 to update, 0 unchanged.", lines);
        Assert.Contains($"To execute: ottkit deploy stacks --spec {Spec} --stack {Network} --artifacts-bucket artifacts --poll-interval 1 --yes", lines);
        Assert.Empty(run.Error);
        Assert.Null(Cfn.StackStatus(Network));
        Assert.Contains("| blacksheep-network | ap-south-1 | create (", await File.ReadAllTextAsync(_summary, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Plan_Json_IsOneDocumentWithTheChanges()
    {
        var run = await RunAsync("plan", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1", "--output", "json");

        Assert.Equal(ExitCodes.Changes, run.ExitCode);
        var document = JsonNode.Parse(run.Output)!;
        Assert.True(document["ok"]!.GetValue<bool>());
        Assert.True(document["hasChanges"]!.GetValue<bool>());
        var stack = Assert.Single(document["stacks"]!.AsArray())!;
        Assert.Equal((Network, "Create"), (stack["name"]!.GetValue<string>(), stack["action"]!.GetValue<string>()));
        Assert.Contains(stack["changes"]!.AsArray(), c => c!["logicalId"]!.GetValue<string>() == "Vpc" && c["action"]!.GetValue<string>() == "Add");
        Assert.StartsWith(_s3!.Endpoint + "artifacts/blacksheep/blacksheep-network/", stack["templateUrl"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployStacks_WithoutYes_OnlyPlansAndSaysHowToExecute()
    {
        var run = await RunAsync("deploy", "stacks", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1");

        Assert.Equal(ExitCodes.Changes, run.ExitCode);
        Assert.EndsWith(
            $"Nothing was executed. To execute: ottkit deploy stacks --spec {Spec} --stack {Network} --artifacts-bucket artifacts --poll-interval 1 --yes" + Environment.NewLine,
            run.Output,
            StringComparison.Ordinal);
        Assert.Null(Cfn.StackStatus(Network));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployStacks_WithYes_CreatesTheStackStreamsItsEventsAndThenPlansNoChanges()
    {
        var deploy = await RunAsync("deploy", "stacks", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1", "--yes");
        var plan = await RunAsync("plan", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1");

        Assert.Equal(ExitCodes.Success, deploy.ExitCode);
        var lines = deploy.Output.Split(Environment.NewLine);
        Assert.Matches(@"^blacksheep-network: executing \(ottkit-cs-", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("blacksheep-network: ", StringComparison.Ordinal) && l.EndsWith(" Vpc CREATE_COMPLETE", StringComparison.Ordinal));
        Assert.Contains("blacksheep-network (ap-south-1): created [CREATE_COMPLETE]", lines);
        Assert.Equal("CREATE_COMPLETE", Cfn.StackStatus(Network));
        Assert.Equal(ExitCodes.Success, plan.ExitCode);
        Assert.StartsWith("blacksheep-network (ap-south-1): no changes" + Environment.NewLine, plan.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployStacks_FailedResource_ExitsOneWithTheRootCause()
    {
        Cfn.FailResource(new CfnResourceFailure("Vpc", CfnResourceOperation.Create, "The maximum number of VPCs has been reached."));

        var run = await RunAsync("deploy", "stacks", "--spec", Spec, "--stack", Network, "--artifacts-bucket", "artifacts", "--poll-interval", "1", "--yes", "--output", "json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var stack = Assert.Single(JsonNode.Parse(run.Output)!["stacks"]!.AsArray())!;
        Assert.Equal("RolledBack", stack["outcome"]!.GetValue<string>());
        Assert.Equal(("Vpc", "AWS::EC2::VPC", "The maximum number of VPCs has been reached."),
            (stack["rootCause"]!["logicalId"]!.GetValue<string>(), stack["rootCause"]!["type"]!.GetValue<string>(), stack["rootCause"]!["reason"]!.GetValue<string>()));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Plan_UnknownStack_IsAUserMistakeWithTheStackNames()
    {
        var run = await RunAsync("plan", "--spec", Spec, "--stack", "blacksheep-nope", "--artifacts-bucket", "artifacts");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "error: environment 'blacksheep' has no stack 'blacksheep-nope'. Its stacks: blacksheep-bootstrap, blacksheep-security, blacksheep-repositories, blacksheep-patching, "
            + "blacksheep-edge-waf, blacksheep-network, blacksheep-backups, blacksheep-access, blacksheep-media, blacksheep-ci, blacksheep-cluster, blacksheep-load-balancer, "
            + "blacksheep-database, blacksheep-database-backup, blacksheep-admin-access, blacksheep-service-web, blacksheep-service-api, blacksheep-service-auth, "
            + "blacksheep-service-catalog, blacksheep-service-live-chat, blacksheep-service-payments, blacksheep-monitoring." + Environment.NewLine,
            run.Error);
        Assert.Empty(Cfn.Requests.Entries);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Plan_WithoutArtifactsBucket_BeforeTheBootstrap_FailsWithTheBootstrapCommand()
    {
        var run = await RunAsync("plan", "--spec", Spec, "--stack", Network, "--poll-interval", "1");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(
            "No artifacts bucket to keep the template of blacksheep-network in: the blacksheep-bootstrap stack, which holds it, does not exist yet. "
            + "An administrator bootstraps the environment once: ottkit deploy stacks --spec <spec> --yes --stack blacksheep-bootstrap --stack blacksheep-ci",
            run.Output,
            StringComparison.Ordinal);
        Assert.Null(Cfn.StackStatus(Network));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Deploy_TheBootstrapStack_WithoutArtifactsBucket_CreatesItFromATemplateBody()
    {
        var run = await RunAsync("deploy", "stacks", "--spec", Spec, "--stack", "blacksheep-bootstrap", "--poll-interval", "1", "--yes");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Output + run.Error);
        Assert.Equal("CREATE_COMPLETE", Cfn.StackStatus("blacksheep-bootstrap"));
        // Nothing to upload to: the one change set came from a TemplateBody (s3rver here has only the bucket "artifacts").
        Assert.Single(Cfn.Requests.For("CreateChangeSet"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployStacks_MalformedImageTag_IsAUserMistakeWithAnExample()
    {
        var run = await RunAsync("deploy", "stacks", "--spec", Spec, "--artifacts-bucket", "artifacts", "--image-tag", "1.4.2");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("error: --image-tag '1.4.2' is not STACK=TAG: write it as --image-tag blacksheep-database-backup=1.4.2." + Environment.NewLine, run.Error);
    }

    private void Set(string name, string? value)
    {
        _previous.Add((name, Environment.GetEnvironmentVariable(name)));
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Runs the CLI in process with the variables set above and the simulator's virtual clock, driven until it exits.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
        var environment = new CliEnvironment(variables, _clock!, OutputIsTerminal: false);
        var exitCode = await _clock!.RunAsync(
            OttKitCommandLine.InvokeAsync(args, output, error, environment, TestContext.Current.CancellationToken),
            cancellationToken: TestContext.Current.CancellationToken);
        // The sample's example account ids are placeholder warnings (asserted in CliTests); these tests assert the errors.
        var errors = string.Concat(error.ToString().Split(Environment.NewLine).Where(l => l.Length > 0 && !l.StartsWith("warning: ", StringComparison.Ordinal)).Select(l => l + Environment.NewLine));
        return (exitCode, output.ToString(), errors);
    }
}
