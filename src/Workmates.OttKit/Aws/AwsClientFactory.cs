using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws;

/// <summary>
/// Builds the service clients from <see cref="AwsOptions"/>, the way <c>AWSOptions.CreateServiceClient</c> does:
/// explicit credentials, else the named profile, else the SDK's default chain (environment, shared files, web
/// identity, SSO, container, instance metadata). Endpoint priority: <see cref="AwsOptions.ServiceURL"/>, then
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c> (both read by AWSSDK.Core itself from the
/// service id), then the endpoint derived from the region and partition.
/// </summary>
/// <param name="options">The AWS options; <see langword="null"/> means "all defaults".</param>
/// <param name="configure">Adjusts each SDK client configuration (retry mode, timeouts, HTTP client factory…).</param>
public sealed class AwsClientFactory(AwsOptions? options = null, Action<ClientConfig>? configure = null)
{
    private readonly AwsOptions _options = options ?? new AwsOptions();

    /// <summary>Creates an Amazon ECS client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IEcsApi CreateEcs() => Create(AwsServiceDescriptor.Ecs, (c, cfg) => c is null ? new EcsClient(cfg) : new EcsClient(c, cfg));

    /// <summary>Creates an AWS CloudFormation client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public ICloudFormationApi CreateCloudFormation() => Create(
        AwsServiceDescriptor.CloudFormation,
        (c, cfg) => c is null ? new CloudFormationClient(cfg) : new CloudFormationClient(c, cfg));

    /// <summary>Creates an Elastic Load Balancing v2 client.</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IElasticLoadBalancingV2Api CreateElasticLoadBalancingV2() => Create(
        AwsServiceDescriptor.ElasticLoadBalancingV2,
        (c, cfg) => c is null ? new ElasticLoadBalancingV2Client(cfg) : new ElasticLoadBalancingV2Client(c, cfg));

    /// <summary>Creates an Amazon CloudWatch client (AWS query protocol; see docs/aws.md).</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public ICloudWatchApi CreateCloudWatch() => Create(
        AwsServiceDescriptor.CloudWatch,
        (c, cfg) => c is null ? new CloudWatchClient(cfg) : new CloudWatchClient(c, cfg));

    /// <summary>Creates an Amazon ECR client (image scan findings; awsJson 1.1).</summary>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    public IEcrApi CreateEcr() => Create(AwsServiceDescriptor.Ecr, (c, cfg) => c is null ? new EcrClient(cfg) : new EcrClient(c, cfg));

    /// <summary>
    /// Creates an Amazon S3 client from the official AWSSDK.S3 package with the same region, credentials and
    /// <see cref="AwsOptions.ServiceURL"/> (path-style addressing when an endpoint is given, as S3-compatible test
    /// servers need). <c>AWS_ENDPOINT_URL_S3</c> and <c>AWS_ENDPOINT_URL</c> are honoured by the SDK itself.
    /// </summary>
    /// <returns>The client; dispose it when done.</returns>
    public IAmazonS3 CreateS3()
    {
        var config = new AmazonS3Config();
        var region = _options.Region ?? ProfileRegion();
        if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (!string.IsNullOrEmpty(_options.ServiceURL))
        {
            config.ServiceURL = _options.ServiceURL;
            config.ForcePathStyle = true;
        }

        SignFor(config, region);

        configure?.Invoke(config);
        var credentials = ResolveCredentials();
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    internal TClient Create<TClient>(AwsServiceDescriptor service, Func<AWSCredentials?, AwsServiceConfig, TClient> factory)
    {
        var config = CreateConfig(service);
        return factory(ResolveCredentials(), config);
    }

    internal AwsServiceConfig CreateConfig(AwsServiceDescriptor service)
    {
        AwsServiceConfig config = service.ServiceId switch
        {
            "ECS" => new EcsClientConfig(),
            "CloudFormation" => new CloudFormationClientConfig(),
            "CloudWatch" => new CloudWatchClientConfig(),
            "ECR" => new EcrClientConfig(),
            "Elastic Load Balancing v2" => new ElasticLoadBalancingV2ClientConfig(),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service.ServiceId, "No client configuration for this service."),
        };
        var region = _options.Region ?? ProfileRegion();
        if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (!string.IsNullOrEmpty(_options.ServiceURL))
        {
            config.ServiceURL = _options.ServiceURL;
        }

        SignFor(config, region);
        configure?.Invoke(config);
        return config;
    }

    /// <summary>
    /// Signs for the configured region whatever the endpoint. A <c>ServiceURL</c> (from the options or from
    /// <c>AWS_ENDPOINT_URL[_&lt;SERVICE&gt;]</c>) clears the region inside the SDK, which then falls back to a
    /// process-wide cached region (the first <c>AWS_REGION</c> it ever saw) to sign: wrong for any other region.
    /// </summary>
    private static void SignFor(Amazon.Runtime.ClientConfig config, string? region)
    {
        if (!string.IsNullOrEmpty(region))
        {
            config.AuthenticationRegion = region;
        }
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

    private string? ProfileRegion()
    {
        if (string.IsNullOrEmpty(_options.Profile))
        {
            return null;
        }

        var chain = new CredentialProfileStoreChain(_options.ProfilesLocation);
        return chain.TryGetProfile(_options.Profile, out var profile) ? profile.Region?.SystemName : null;
    }
}
