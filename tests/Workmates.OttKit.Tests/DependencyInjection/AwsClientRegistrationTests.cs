using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Tests.Aws;

using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.DependencyInjection;

/// <summary>The AWS section bound by GetAWSOptions and the clients registered by AddAWSService, signing checked on the wire.</summary>
[Collection(nameof(AwsEnvironmentVariables))]
public sealed class AwsClientRegistrationTests
{
    private const string EmptyServices = """{"services":[],"failures":[]}""";

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    private static AWSOptions WithTestKeys(AWSOptions options)
    {
        options.Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret");
        return options;
    }

    private static async Task<string> SignedScopeAsync(IServiceProvider provider, LoopbackAwsServer server)
    {
        server.Enqueue(200, EmptyServices, "application/x-amz-json-1.1");
        await provider.GetRequiredService<IEcsApi>().DescribeServicesAsync(
            new DescribeServicesRequest { Cluster = "main", Services = ["api"] }, TestContext.Current.CancellationToken);
        Assert.True(server.Requests.TryDequeue(out var sent));
        return sent.Headers["Authorization"];
    }

    [Fact]
    public void AddOttKitAwsClients_RegistersEveryClientThroughTheSetupPackage()
    {
        var services = new ServiceCollection();
        services.AddOttKitAwsClients(WithTestKeys(Configuration(("AWS:Region", "eu-west-1")).GetAWSOptions()));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("ECS", provider.GetRequiredService<IEcsApi>().Config.ServiceId);
        Assert.Equal("CloudFormation", provider.GetRequiredService<ICloudFormationApi>().Config.ServiceId);
        Assert.Equal("Elastic Load Balancing v2", provider.GetRequiredService<IElasticLoadBalancingV2Api>().Config.ServiceId);
        Assert.Equal("CloudWatch", provider.GetRequiredService<ICloudWatchApi>().Config.ServiceId);
        Assert.Equal("eu-west-1", provider.GetRequiredService<IAmazonS3>().Config.RegionEndpoint.SystemName);
        Assert.Equal("eu-west-1", provider.GetRequiredService<IEcsApi>().Config.RegionEndpoint.SystemName);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AddOttKitAwsClients_WithAServiceUrlInTheAwsSection_SignsForTheConfiguredRegion()
    {
        await using var server = new LoopbackAwsServer();
        var services = new ServiceCollection();
        services.AddOttKitAwsClients(WithTestKeys(Configuration(("AWS:Region", "eu-central-1"), ("AWS:ServiceURL", server.Url)).GetAWSOptions()));
        await using var provider = services.BuildServiceProvider();

        var authorization = await SignedScopeAsync(provider, server);

        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-central-1/ecs/aws4_request", authorization);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task AddOttKitAwsClients_WithAServiceEndpointVariable_SignsForTheConfiguredRegion()
    {
        await using var server = new LoopbackAwsServer();
        var previous = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_ECS");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ECS", server.Url);
        try
        {
            var services = new ServiceCollection();
            services.AddOttKitAwsClients(WithTestKeys(Configuration(("AWS:Region", "ap-southeast-2")).GetAWSOptions()));
            await using var provider = services.BuildServiceProvider();

            var authorization = await SignedScopeAsync(provider, server);

            Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/ap-southeast-2/ecs/aws4_request", authorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ECS", previous);
        }
    }

    /// <summary>Why <c>SignForConfiguredRegion</c> exists: Setup alone drops the region when a ServiceURL is given.</summary>
    [Fact(Timeout = TestTimeouts.External)]
    public async Task PlainAddAwsService_WithAServiceUrl_SignsForUsEast1WhateverTheConfiguredRegion()
    {
        await using var server = new LoopbackAwsServer();
        var services = new ServiceCollection();
        services.AddDefaultAWSOptions(WithTestKeys(Configuration(("AWS:Region", "eu-central-1"), ("AWS:ServiceURL", server.Url)).GetAWSOptions()));
        services.AddAWSService<IEcsApi>();
        await using var provider = services.BuildServiceProvider();

        var authorization = await SignedScopeAsync(provider, server);

        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/ecs/aws4_request", authorization);
    }
}
