using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Amazon.Extensions.NETCore.Setup;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Tests.Aws;

[CollectionDefinition(nameof(AwsEnvironmentVariables), DisableParallelization = true)]
public sealed class AwsEnvironmentVariables;

[Collection(nameof(AwsEnvironmentVariables))]
public sealed class AwsClientFactoryTests
{
    [Fact]
    public void GetAwsOptions_ReadsTheAwsSection()
    {
        var configuration = new DictionaryConfiguration(new Dictionary<string, string?>
        {
            ["AWS:Profile"] = "deploy", ["AWS:Region"] = "eu-central-1", ["AWS:ServiceURL"] = "http://localhost:4566",
        });

        var options = configuration.GetAWSOptions();

        Assert.Equal("deploy", options.Profile);
        Assert.Equal("eu-central-1", options.Region.SystemName);
        Assert.StartsWith("http://localhost:4566", options.DefaultClientConfig.ServiceURL, StringComparison.Ordinal);
        Assert.Null(options.ProfilesLocation);
    }

    [Fact]
    public void CreateConfig_WithAServiceUrlFromTheAwsSection_SignsForTheConfiguredRegion()
    {
        var configuration = new DictionaryConfiguration(new Dictionary<string, string?>
        {
            ["AWS:Region"] = "eu-central-1", ["AWS:ServiceURL"] = "http://localhost:4566",
        });

        var config = new AwsClientFactory(configuration.GetAWSOptions()).CreateConfig<IEcsApi>();

        Assert.StartsWith("http://localhost:4566", config.ServiceURL, StringComparison.Ordinal);
        Assert.Equal("eu-central-1", config.AuthenticationRegion);
    }

    [Fact]
    public void CreateConfig_WithARegion_ResolvesTheRegionalEndpointThroughTheSdkConfig()
    {
        var config = new AwsClientFactory(new TestAwsOptions { Region = "cn-north-1" }).CreateConfig<ICloudFormationApi>();

        var endpoint = config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new DescribeServicesRequest()));

        Assert.Equal("https://cloudformation.cn-north-1.amazonaws.com.cn", endpoint.URL);
        Assert.Equal("CloudFormation", config.ServiceId);
        Assert.Equal("cloudformation", config.AuthenticationServiceName);
        Assert.Equal("2010-05-15", config.ServiceVersion);
    }

    [Fact]
    public void ServiceSpecificEndpointVariable_IsHonouredBySdkCore_AndAnExplicitServiceUrlWinsOverIt()
    {
        const string variable = "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2";
        var previous = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, "http://elb.local:9001");

            var fromVariable = new AwsClientFactory(new TestAwsOptions { Region = "eu-west-1" }).CreateConfig<IElasticLoadBalancingV2Api>();
            var explicitUrl = new AwsClientFactory(new TestAwsOptions { Region = "eu-west-1", ServiceURL = "http://explicit:1" })
                .CreateConfig<IElasticLoadBalancingV2Api>();
            var otherService = new AwsClientFactory(new TestAwsOptions { Region = "eu-west-1" }).CreateConfig<IEcsApi>();

            Assert.StartsWith("http://elb.local:9001", fromVariable.ServiceURL, StringComparison.Ordinal);
            Assert.StartsWith("http://explicit:1", explicitUrl.ServiceURL, StringComparison.Ordinal);
            Assert.Equal("eu-west-1", explicitUrl.AuthenticationRegion);
            Assert.True(string.IsNullOrEmpty(otherService.ServiceURL) || !otherService.ServiceURL.Contains("elb.local", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, previous);
        }
    }

    [Fact]
    public void Profile_FromAProfilesFile_GivesItsCredentials()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ottkit-credentials-{Guid.NewGuid():N}");
        File.WriteAllText(file, "[ottkit-test]\naws_access_key_id = AKIAOTTKITTEST\naws_secret_access_key = secret\n");
        try
        {
            var factory = new AwsClientFactory(new TestAwsOptions { Profile = "ottkit-test", ProfilesLocation = file, Region = "eu-west-1" });

            var credentials = factory.ResolveCredentials();

            Assert.Equal("AKIAOTTKITTEST", credentials!.GetCredentials().AccessKey);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Profile_ThatDoesNotExist_FailsNamingTheProfileAndTheFix()
    {
        var factory = new AwsClientFactory(new TestAwsOptions { Profile = "nope-" + Guid.NewGuid().ToString("N"), ProfilesLocation = Path.GetTempFileName() });

        var error = Assert.Throws<AmazonClientException>(() => factory.CreateEcs());

        Assert.Contains("nope-", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS:Profile", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An in-memory IConfiguration (the concrete configuration package is not referenced by the tests).</summary>
    private sealed class DictionaryConfiguration(Dictionary<string, string?> values, string path = "") : IConfigurationSection
    {
        public string? this[string key]
        {
            get => values.GetValueOrDefault(Combine(key));
            set => values[Combine(key)] = value;
        }

        public string Key => path.Split(':')[^1];

        public string Path => path;

        public string? Value
        {
            get => values.GetValueOrDefault(path);
            set => values[path] = value;
        }

        public IEnumerable<IConfigurationSection> GetChildren() =>
            values.Keys.Where(k => path.Length == 0 || k.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase))
                .Select(k => k[(path.Length == 0 ? 0 : path.Length + 1)..].Split(':')[0])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(GetSection);

        public IChangeToken GetReloadToken() => new CancellationChangeToken(CancellationToken.None);

        public IConfigurationSection GetSection(string key) => new DictionaryConfiguration(values, Combine(key));

        private string Combine(string key) => path.Length == 0 ? key : path + ":" + key;
    }
}

[Collection(nameof(AwsEnvironmentVariables))]
public sealed class AwsClientFactoryS3Tests
{
    [Fact]
    public void CreateS3_WithAServiceUrl_UsesPathStyleAndSignsForTheConfiguredRegion()
    {
        using var s3 = (Amazon.S3.AmazonS3Client)new AwsClientFactory(
            new TestAwsOptions { Region = "eu-west-1", ServiceURL = "http://127.0.0.1:4569", Credentials = new Amazon.Runtime.BasicAWSCredentials("a", "b") }).CreateS3();

        var config = (Amazon.S3.AmazonS3Config)s3.Config;
        Assert.True(config.ForcePathStyle);
        Assert.StartsWith("http://127.0.0.1:4569", config.ServiceURL, StringComparison.Ordinal);
        Assert.Equal("eu-west-1", config.AuthenticationRegion);
    }

    [Fact]
    public void CreateS3_HonoursAwsEndpointUrlS3ThroughTheSdk()
    {
        const string variable = "AWS_ENDPOINT_URL_S3";
        var previous = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, "http://s3.local:9000");

            using var s3 = (Amazon.S3.AmazonS3Client)new AwsClientFactory(
                new TestAwsOptions { Region = "eu-west-1", Credentials = new Amazon.Runtime.BasicAWSCredentials("a", "b") }).CreateS3();

            Assert.StartsWith("http://s3.local:9000", s3.Config.ServiceURL, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, previous);
        }
    }
}
