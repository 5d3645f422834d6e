using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;

namespace Workmates.OttKit.Aws;

/// <summary>
/// Builds service clients outside a DI container (the CLI, the backup task, tests) from the SDK's own
/// <see cref="AWSOptions"/> (<c>configuration.GetAWSOptions()</c> binds the <c>AWS</c> section), through the same
/// <see cref="IAmazonService"/> factory members <c>AddAWSService&lt;T&gt;()</c> calls, and applying the options the
/// way <c>AWSSDK.Extensions.NETCore.Setup</c> does (<c>ServiceURL</c>, else the region). Two differences, both on
/// purpose: the clients sign for the configured region even when an endpoint is set (see
/// <see cref="AwsOptionsExtensions.SignForConfiguredRegion"/>), and <paramref name="configure"/> adjusts each
/// configuration before the client is built (HTTP client factory, retries, timeouts), which Setup has no hook for.
/// Credentials: explicit, else the named profile (a missing profile is an error naming it), else the SDK's default
/// chain, resolved at request time.
/// </summary>
/// <param name="options">The AWS options; <see langword="null"/> means "all defaults".</param>
/// <param name="configure">Adjusts each SDK client configuration (retry mode, timeouts, HTTP client factory…).</param>
public sealed class AwsClientFactory(AWSOptions? options = null, Action<ClientConfig>? configure = null)
{
    private readonly AWSOptions _options = options ?? new AWSOptions();

    /// <summary>Creates an Amazon ECS client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IEcsApi CreateEcs() => Create<IEcsApi>();

    /// <summary>Creates an AWS CloudFormation client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public ICloudFormationApi CreateCloudFormation() => Create<ICloudFormationApi>();

    /// <summary>Creates an Elastic Load Balancing v2 client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IElasticLoadBalancingV2Api CreateElasticLoadBalancingV2() => Create<IElasticLoadBalancingV2Api>();

    /// <summary>Creates an Amazon CloudWatch client (AWS query protocol; see docs/aws.md).</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public ICloudWatchApi CreateCloudWatch() => Create<ICloudWatchApi>();

    /// <summary>Creates an Amazon ECR client (image scan findings; awsJson 1.1).</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IEcrApi CreateEcr() => Create<IEcrApi>();

    /// <summary>Creates an AWS Systems Manager client from the official AWSSDK.SimpleSystemsManagement package (<c>ottkit patch</c>).</summary>
    /// <returns>The client; dispose it when done.</returns>
    public Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement CreateSimpleSystemsManagement() =>
        Create<Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement>();

    /// <summary>
    /// Creates an Amazon S3 client from the official AWSSDK.S3 package with the same region, credentials and
    /// <c>ServiceURL</c> (path-style addressing when an endpoint is given, as S3-compatible test servers need).
    /// <c>AWS_ENDPOINT_URL_S3</c> and <c>AWS_ENDPOINT_URL</c> are honoured by the SDK itself.
    /// </summary>
    /// <returns>The client; dispose it when done.</returns>
    public IAmazonS3 CreateS3()
    {
        var config = CreateConfig<IAmazonS3>();
        if (!string.IsNullOrEmpty(config.ServiceURL) && config is AmazonS3Config s3)
        {
            s3.ForcePathStyle = true;
        }

        configure?.Invoke(config);
        var credentials = ResolveCredentials();
        return credentials is null ? new AmazonS3Client((AmazonS3Config)config) : new AmazonS3Client(credentials, (AmazonS3Config)config);
    }

    /// <summary>Creates any client whose interface is an <see cref="IAmazonService"/> (as <c>AddAWSService</c> would).</summary>
    internal T Create<T>()
        where T : IAmazonService
    {
        var config = CreateConfig<T>();
        configure?.Invoke(config);
        return (T)T.CreateDefaultServiceClient(ResolveCredentials()!, config);
    }

    /// <summary>The configuration of <typeparamref name="T"/> with the options applied (before <c>configure</c>).</summary>
    internal ClientConfig CreateConfig<T>()
        where T : IAmazonService
    {
        var config = T.CreateDefaultClientConfig();
        var defaults = _options.DefaultClientConfig;
        var region = _options.Region ?? ProfileRegion();

        // A fresh configuration has resolved AWS_ENDPOINT_URL[_<SERVICE>] into ServiceURL; that value is kept only until
        // the next setter (measured with AWSSDK.S3 4.1.0.1: setting ForcePathStyle dropped it and the backup task called
        // s3.<region>.amazonaws.com), so it is made explicit here.
        var endpoint = string.IsNullOrEmpty(defaults.ServiceURL) ? config.ServiceURL : defaults.ServiceURL;

        // As Setup does: ServiceURL, else the region (setting both would lose the ServiceURL inside the SDK).
        if (!string.IsNullOrEmpty(endpoint))
        {
            config.ServiceURL = endpoint;
        }
        else if (region is not null)
        {
            config.RegionEndpoint = region;
        }

        if (_options.DefaultConfigurationMode is { } mode)
        {
            config.DefaultConfigurationMode = mode;
        }

        // Only ever set, never cleared (assigning null resets the endpoint inside the SDK).
        if ((defaults.AuthenticationRegion ?? region?.SystemName) is { } signingRegion)
        {
            config.AuthenticationRegion = signingRegion;
        }

        return config;
    }

    internal AWSCredentials? ResolveCredentials()
    {
        if (_options.Credentials is not null)
        {
            return _options.Credentials;
        }

        if (string.IsNullOrEmpty(_options.Profile))
        {
            return null;
        }

        var chain = new CredentialProfileStoreChain(_options.ProfilesLocation);
        if (!chain.TryGetProfile(_options.Profile, out var profile))
        {
            throw new AmazonClientException(
                $"AWS profile '{_options.Profile}' was not found in the shared config or credentials files. "
                + "Fix AWS:Profile or create the profile with 'aws configure --profile'.");
        }

        return AWSCredentialsFactory.GetAWSCredentials(profile, chain);
    }

    private Amazon.RegionEndpoint? ProfileRegion()
    {
        if (string.IsNullOrEmpty(_options.Profile))
        {
            return null;
        }

        var chain = new CredentialProfileStoreChain(_options.ProfilesLocation);
        return chain.TryGetProfile(_options.Profile, out var profile) ? profile.Region : null;
    }
}
