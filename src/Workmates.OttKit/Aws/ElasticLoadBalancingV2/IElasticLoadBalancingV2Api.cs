using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary>
/// The Elastic Load Balancing v2 operations the library uses, named as in the official <c>IAmazonElasticLoadBalancingV2</c> so that an adapter
/// over the official package can replace the built-in client. Errors are <see cref="ElasticLoadBalancingV2Exception"/> (or a subclass).
/// </summary>
public interface IElasticLoadBalancingV2Api
{
    /// <summary>Describes the health of the targets of a target group.</summary>
    /// <param name="request">The input of DescribeTargetHealth.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeTargetHealth.</returns>
    Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes target groups (one page).</summary>
    /// <param name="request">The input of DescribeTargetGroups.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeTargetGroups.</returns>
    Task<DescribeTargetGroupsResponse> DescribeTargetGroupsAsync(DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default);
}
