using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util.Internal;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// The SDK client configuration of one service (what the generated <c>Amazon&lt;Service&gt;Config</c> classes set):
/// <c>ServiceId</c> (which also selects <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> inside AWSSDK.Core), the SigV4 signing
/// name, the endpoint service name, the API version and the endpoint provider. Everything else — region, credentials,
/// retry mode, timeouts, logging — is the SDK's own <see cref="ClientConfig"/> behaviour.
/// </summary>
internal abstract class AwsServiceConfig : ClientConfig
{
    // The SDK-wide defaults modes (sdk-default-configuration.json), the same for every generated service config.
    private static readonly IDefaultConfiguration[] s_defaultModes =
    [
        Mode(DefaultConfigurationMode.Standard, RequestRetryMode.Standard, 3100),
        Mode(DefaultConfigurationMode.InRegion, RequestRetryMode.Standard, 1100),
        Mode(DefaultConfigurationMode.CrossRegion, RequestRetryMode.Standard, 3100),
        Mode(DefaultConfigurationMode.Mobile, RequestRetryMode.Standard, 30000),
        Mode(DefaultConfigurationMode.Auto, RequestRetryMode.Standard, 1100),
    ];

    private readonly string _userAgent;

    protected AwsServiceConfig(AwsServiceDescriptor service)
        : base(new DefaultConfigurationProvider(s_defaultModes))
    {
        Service = service;
        ServiceId = service.ServiceId;
        AuthenticationServiceName = service.SigningName;
        EndpointProvider = new RegionalEndpointProvider(service);

        // Same format as a generated client ("... api/ECS#<version>"), with this library's version.
        var version = typeof(AwsServiceConfig).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";
        _userAgent = InternalSDKUtils.BuildUserAgentString(service.ServiceId.Replace(' ', '_'), version);
    }

    public AwsServiceDescriptor Service { get; }

    /// <summary>The configuration handed to <c>IAmazonService.CreateDefaultServiceClient</c>, checked to be this service's.</summary>
    public static TConfig Of<TConfig>(ClientConfig config)
        where TConfig : AwsServiceConfig =>
        config as TConfig ?? throw new ArgumentException(
            $"Expected a {typeof(TConfig).Name} (from CreateDefaultClientConfig), got {config?.GetType().Name ?? "null"}.", nameof(config));

    public sealed override string RegionEndpointServiceName => Service.EndpointPrefix;

    public sealed override string ServiceVersion => Service.ApiVersion;

    public sealed override string UserAgent => _userAgent;

    public sealed override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var endpointParameters = new EndpointParameters
        {
            [RegionalEndpointProvider.RegionParameter] =
                parameters.AlternateEndpoint?.SystemName ?? RegionEndpoint?.SystemName,
            [RegionalEndpointProvider.UseFipsParameter] = UseFIPSEndpoint,
            [RegionalEndpointProvider.UseDualStackParameter] = UseDualstackEndpoint,
            [RegionalEndpointProvider.EndpointParameter] = ServiceURL,
        };
        return EndpointProvider.ResolveEndpoint(endpointParameters);
    }

    private static DefaultConfiguration Mode(DefaultConfigurationMode name, RequestRetryMode retryMode, int connectMs) => new()
    {
        Name = name,
        RetryMode = retryMode,
        S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
        ConnectTimeout = TimeSpan.FromMilliseconds(connectMs),
        TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectMs),
    };
}

/// <summary>The configuration of the ECS client (what <c>AmazonECSConfig</c> sets).</summary>
internal sealed class EcsClientConfig() : AwsServiceConfig(AwsServiceDescriptor.Ecs);

/// <summary>The configuration of the CloudFormation client (what <c>AmazonCloudFormationConfig</c> sets).</summary>
internal sealed class CloudFormationClientConfig() : AwsServiceConfig(AwsServiceDescriptor.CloudFormation);

/// <summary>The configuration of the ELBv2 client (what <c>AmazonElasticLoadBalancingV2Config</c> sets).</summary>
internal sealed class ElasticLoadBalancingV2ClientConfig() : AwsServiceConfig(AwsServiceDescriptor.ElasticLoadBalancingV2);

/// <summary>The configuration of the CloudWatch client (what <c>AmazonCloudWatchConfig</c> sets).</summary>
internal sealed class CloudWatchClientConfig() : AwsServiceConfig(AwsServiceDescriptor.CloudWatch);

/// <summary>The configuration of the ECR client (what <c>AmazonECRConfig</c> sets).</summary>
internal sealed class EcrClientConfig() : AwsServiceConfig(AwsServiceDescriptor.Ecr);
