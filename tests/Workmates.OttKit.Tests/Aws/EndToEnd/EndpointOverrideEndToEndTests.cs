using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.Configuration;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>
/// Each endpoint-override mechanism proven by the call reaching the simulator (its request log). The environment
/// variables are process-global, so these tests share the serialized <see cref="AwsEnvironmentVariables"/> collection.
/// </summary>
[Collection(nameof(AwsEnvironmentVariables))]
public sealed class EndpointOverrideEndToEndTests
{
    /// <summary>An address nothing listens on: a call that went there would fail, not reach a simulator.</summary>
    private const string Nowhere = "http://127.0.0.1:9/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TestAwsOptions WithoutServiceUrl(AwsSimulator simulator) => new() { Region = simulator.Region, Credentials = SimulatorClients.Credentials() };

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ServiceUrl_SendsTheCallToTheSimulator()
    {
        await using var bed = await EcsTestBed.StartAsync();
        using var _ = new EnvironmentVariables(("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_ECS", Nowhere));

        await new AwsClientFactory(SimulatorClients.Options(bed.Simulator)).CreateEcs()
            .DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] }, Ct);

        Assert.Equal(200, Assert.Single(bed.Simulator.Requests.Entries).StatusCode);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsEndpointUrl_SendsEcsAndCloudFormationCallsToIt()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await using var cfn = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);

        using (new EnvironmentVariables(("AWS_ENDPOINT_URL", bed.Simulator.BaseUrl.ToString()), ("AWS_ENDPOINT_URL_ECS", null), ("AWS_ENDPOINT_URL_CLOUDFORMATION", null)))
        {
            await new AwsClientFactory(WithoutServiceUrl(bed.Simulator)).CreateEcs().ListTaskDefinitionsAsync(new ListTaskDefinitionsRequest(), Ct);
        }

        using (new EnvironmentVariables(("AWS_ENDPOINT_URL", cfn.BaseUrl.ToString()), ("AWS_ENDPOINT_URL_ECS", null), ("AWS_ENDPOINT_URL_CLOUDFORMATION", null)))
        {
            await new AwsClientFactory(WithoutServiceUrl(cfn)).CreateCloudFormation().DescribeStacksAsync(new DescribeStacksRequest(), Ct);
        }

        Assert.Equal("ListTaskDefinitions", Assert.Single(bed.Simulator.Requests.Entries).Operation);
        Assert.Equal("DescribeStacks", Assert.Single(cfn.Requests.Entries).Operation);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsEndpointUrlEcs_WinsOverTheGlobalVariable()
    {
        await using var bed = await EcsTestBed.StartAsync();
        using var _ = new EnvironmentVariables(("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_ECS", bed.Simulator.BaseUrl.ToString()));

        var response = await new AwsClientFactory(WithoutServiceUrl(bed.Simulator)).CreateEcs()
            .DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] }, Ct);

        Assert.Equal("web", Assert.Single(response.Services!).ServiceName);
        Assert.Single(bed.Simulator.Requests.Entries);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsEndpointUrlCloudFormation_WinsOverTheGlobalVariable()
    {
        await using var cfn = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        using var _ = new EnvironmentVariables(("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.BaseUrl.ToString()));

        var response = await new AwsClientFactory(WithoutServiceUrl(cfn)).CreateCloudFormation()
            .ValidateTemplateAsync(new ValidateTemplateRequest { TemplateBody = CfnTestBed.BaseTemplate }, Ct);

        Assert.Equal("OTT media stack", response.Description);
        Assert.Single(cfn.Requests.Entries);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AwsConfigurationSection_ProfileRegionAndServiceUrl_ReachTheSimulatorWithTheProfilesKeys()
    {
        await using var cfn = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        var profiles = Path.Combine(Path.GetTempPath(), $"ottkit-e2e-{Guid.NewGuid():N}.ini");
        await File.WriteAllTextAsync(profiles, $"""
            [simulator]
            aws_access_key_id = {SimulatorCredentials.Default.AccessKeyId}
            aws_secret_access_key = {SimulatorCredentials.Default.SecretAccessKey}
            """, Ct);
        try
        {
            using var _ = new EnvironmentVariables(("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_CLOUDFORMATION", Nowhere));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AWS:Profile"] = "simulator",
                ["AWS:ProfilesLocation"] = profiles,
                ["AWS:Region"] = cfn.Region,
                ["AWS:ServiceURL"] = cfn.BaseUrl.ToString(),
            }).Build();

            var response = await new AwsClientFactory(configuration.GetAWSOptions()).CreateCloudFormation()
                .ValidateTemplateAsync(new ValidateTemplateRequest { TemplateBody = CfnTestBed.BaseTemplate }, Ct);

            Assert.Equal("OTT media stack", response.Description);
            Assert.Equal((200, SimulatorCredentials.Default.AccessKeyId), (Assert.Single(cfn.Requests.Entries).StatusCode, cfn.Requests.Entries[0].AccessKeyId));
        }
        finally
        {
            File.Delete(profiles);
        }
    }

    /// <summary>Sets process environment variables (null removes one) and restores the previous values on dispose.</summary>
    private sealed class EnvironmentVariables : IDisposable
    {
        private readonly List<(string Name, string? Previous)> _previous = [];

        public EnvironmentVariables(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, previous) in _previous)
            {
                Environment.SetEnvironmentVariable(name, previous);
            }
        }
    }
}
