using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary>
/// A connection to Elastic Load Balancing v2: get one from <see cref="AwsClientFactory"/> (or <c>AddOttKitAwsClients</c>) and hand it
/// to the library's deployers, gates and publishers. Its operations, named as in the official <c>IAmazonElasticLoadBalancingV2</c>, and
/// their request and response shapes are internal to the library: what a user reads are the deployers' own result
/// types. Errors are <see cref="ElasticLoadBalancingV2Exception"/> (or a subclass). Dispose it through <see cref="IDisposable"/> when done.
/// </summary>
public interface IElasticLoadBalancingV2Api : IAmazonService
{
    /// <summary>The client configuration <c>AddAWSService&lt;IElasticLoadBalancingV2Api&gt;()</c> fills from <c>AWSOptions</c>.</summary>
    /// <returns>A configuration with the service's id, signing name, endpoint rules and SDK defaults.</returns>
    static ClientConfig IAmazonService.CreateDefaultClientConfig() => new ElasticLoadBalancingV2ClientConfig();

    /// <summary>The client <c>AddAWSService&lt;IElasticLoadBalancingV2Api&gt;()</c> registers: the built-in one over AWSSDK.Core's pipeline.</summary>
    /// <param name="awsCredentials">The credentials; <see langword="null"/> leaves them to the SDK's default chain.</param>
    /// <param name="clientConfig">A configuration from <see cref="IAmazonService.CreateDefaultClientConfig"/>.</param>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    static IAmazonService IAmazonService.CreateDefaultServiceClient(AWSCredentials awsCredentials, ClientConfig clientConfig) =>
        awsCredentials is null
            ? new ElasticLoadBalancingV2Client(AwsServiceConfig.Of<ElasticLoadBalancingV2ClientConfig>(clientConfig))
            : new ElasticLoadBalancingV2Client(awsCredentials, AwsServiceConfig.Of<ElasticLoadBalancingV2ClientConfig>(clientConfig));

    /// <summary>Describes the health of the targets of a target group.</summary>
    /// <param name="request">The input of DescribeTargetHealth.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeTargetHealth.</returns>
    internal Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes target groups (one page).</summary>
    /// <param name="request">The input of DescribeTargetGroups.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeTargetGroups.</returns>
    internal Task<DescribeTargetGroupsResponse> DescribeTargetGroupsAsync(DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default);
}
