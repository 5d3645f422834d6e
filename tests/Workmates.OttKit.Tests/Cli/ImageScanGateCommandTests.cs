using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary><c>ottkit image scan-gate</c> in-process against the ECR simulator (AWS_ENDPOINT_URL_ECR), on its virtual clock.</summary>
public sealed class ImageScanGateCommandTests
{
    private const string Image = "111122223333.dkr.ecr.ap-south-1.amazonaws.com/blacksheep/web:3f2c1e0";

    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Clean_image_exits_zero_and_writes_the_verdict_to_the_step_summary()
    {
        await using var bed = await Bed.StartAsync([]);

        var run = await bed.RunAsync("image", "scan-gate", "--spec", Spec, "--service", "web", "--image", Image);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("scan IN_PROGRESS", run.Output, StringComparison.Ordinal);
        Assert.Contains("passed: no finding at or above CRITICAL", run.Output, StringComparison.Ordinal);
        Assert.StartsWith("### ✅ Image scan gate: Passed", await File.ReadAllTextAsync(bed.SummaryPath, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Critical_finding_exits_one_and_the_json_names_it()
    {
        await using var bed = await Bed.StartAsync([new SimulatedFinding("CVE-2024-3094", "CRITICAL")]);

        var run = await bed.RunAsync("image", "scan-gate", "--spec", Spec, "--service", "web", "--image", Image, "--output", "json");

        Assert.Equal(ExitCodes.ScanGateFailed, run.ExitCode);
        var json = JsonNode.Parse(run.Output)!.AsObject();
        Assert.False(json["ok"]!.GetValue<bool>());
        Assert.Equal("Blocked", json["outcome"]!.GetValue<string>());
        Assert.Equal("CVE-2024-3094", json["blocking"]![0]!["id"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Image_of_another_service_is_a_user_mistake()
    {
        await using var bed = await Bed.StartAsync([]);

        var run = await bed.RunAsync("image", "scan-gate", "--spec", Spec, "--service", "web", "--image", Image.Replace("/web:", "/api:", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("service 'web' deploys from 'blacksheep/web'", run.Error, StringComparison.Ordinal);
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-scan-gate-cli-");

        private Bed(EcrSimulator ecr)
        {
            Ecr = ecr;
            SummaryPath = Path.Combine(_work.FullName, "summary.md");
        }

        public EcrSimulator Ecr { get; }

        public string SummaryPath { get; }

        public static async Task<Bed> StartAsync(SimulatedFinding[] findings)
        {
            var ecr = await EcrSimulator.StartAsync(
                new AwsSimulatorOptions { Clock = new VirtualClock(), Region = "ap-south-1", AccountId = "111122223333" }, TestContext.Current.CancellationToken);
            ecr.PushImage("blacksheep/web", "3f2c1e0", new SimulatedScan(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), "COMPLETE", null, findings));
            return new Bed(ecr);
        }

        public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_ACCESS_KEY_ID"] = SimulatorCredentials.Default.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = SimulatorCredentials.Default.SecretAccessKey,
                ["AWS_ENDPOINT_URL_ECR"] = Ecr.BaseUrl.ToString(),
                ["CI"] = "true",
                ["GITHUB_STEP_SUMMARY"] = SummaryPath,
            };
            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = await Ecr.Clock.RunAsync(
                OttKitCommandLine.InvokeAsync(args, output, error, new CliEnvironment(variables, Ecr.Clock, OutputIsTerminal: false), TestContext.Current.CancellationToken),
                cancellationToken: TestContext.Current.CancellationToken);
            return (exitCode, output.ToString(), error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            await Ecr.DisposeAsync();
            _work.Delete(recursive: true);
        }
    }
}
