using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary>The Elastic Load Balancing v2 operations on the wire (AWS query protocol, XML responses).</summary>
internal static class ElasticLoadBalancingV2Operations
{
    public static readonly AwsQueryOperation<DescribeTargetHealthRequest, DescribeTargetHealthResponse> DescribeTargetHealth =
        new(AwsServiceDescriptor.ElasticLoadBalancingV2, "DescribeTargetHealth", hasResult: true, ElasticLoadBalancingV2Exception.FromError);

    public static readonly AwsQueryOperation<DescribeTargetGroupsRequest, DescribeTargetGroupsResponse> DescribeTargetGroups =
        new(AwsServiceDescriptor.ElasticLoadBalancingV2, "DescribeTargetGroups", hasResult: true, ElasticLoadBalancingV2Exception.FromError);

    public static IReadOnlyList<IAwsOperation> All { get; } =
    [
        DescribeTargetHealth, DescribeTargetGroups,
    ];
}
