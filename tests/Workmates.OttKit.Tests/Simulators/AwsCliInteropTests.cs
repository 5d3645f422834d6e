using System.Diagnostics;
using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>
/// The AWS CLI (botocore's own serializers, parsers and signer) talks to the simulators. Skipped when the CLI is not
/// installed (Debian package <c>awscli</c>).
/// </summary>
public sealed class AwsCliInteropTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsCli_DescribeServices_ReadsTheSimulatedService()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var output = await RunCliAsync(bed.Simulator, "ecs", "describe-services", "--cluster", "prod", "--services", "web");

        var service = JsonNode.Parse(output)!["services"]![0]!;
        Assert.Equal("web", service["serviceName"]!.GetValue<string>());
        Assert.Equal("COMPLETED", service["deployments"]![0]!["rolloutState"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsCli_CloudFormationQueryCalls_ParseTheXmlResponses()
    {
        await using var bed = await CfnTestBed.StartAsync();
        await bed.CreateStackAsync("media");

        var stacks = JsonNode.Parse(await RunCliAsync(bed.Simulator, "cloudformation", "describe-stacks", "--stack-name", "media"))!;
        var validation = JsonNode.Parse(await RunCliAsync(bed.Simulator, "cloudformation", "validate-template", "--template-body", CfnTestBed.BaseTemplate))!;

        Assert.Equal("CREATE_COMPLETE", stacks["Stacks"]![0]!["StackStatus"]!.GetValue<string>());
        Assert.Contains(stacks["Stacks"]![0]!["Outputs"]!.AsArray(), o => o!["OutputKey"]!.GetValue<string>() == "MediaArn" && o["OutputValue"]!.GetValue<string>() == "arn:aws:s3:::media-prod");
        Assert.Equal(3, validation["Parameters"]!.AsArray().Count);
    }

    private static async Task<string> RunCliAsync(AwsSimulator simulator, params string[] arguments)
    {
        var cli = new[] { "/usr/bin/aws", "/usr/local/bin/aws" }.FirstOrDefault(File.Exists);
        if (cli is null)
        {
            Assert.Skip("The AWS CLI is not installed (apt-get install awscli).");
        }

        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Concat(["--endpoint-url", simulator.BaseUrl.ToString(), "--region", simulator.Region, "--output", "json"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = SimulatorCredentials.Default.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = SimulatorCredentials.Default.SecretAccessKey;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = string.Empty;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
