using Amazon.Runtime;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary><see cref="IElasticLoadBalancingV2Api"/> over AWSSDK.Core's pipeline (credentials, SigV4, retries, endpoints, logging).</summary>
internal sealed class ElasticLoadBalancingV2Client : AwsServiceClient, IElasticLoadBalancingV2Api
{
    public ElasticLoadBalancingV2Client(AwsServiceConfig config)
        : base(config)
    {
    }

    public ElasticLoadBalancingV2Client(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(
        DescribeTargetHealthRequest request, CancellationToken cancellationToken = default) =>
        Send(ElasticLoadBalancingV2Operations.DescribeTargetHealth, request, cancellationToken);

    public Task<DescribeTargetGroupsResponse> DescribeTargetGroupsAsync(
        DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default) =>
        Send(ElasticLoadBalancingV2Operations.DescribeTargetGroups, request, cancellationToken);

    private Task<TResponse> Send<TRequest, TResponse>(
        AwsQueryOperation<TRequest, TResponse> operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new() =>
        SendAsync<TResponse>(request, operation.Marshaller, operation.Unmarshaller, cancellationToken);
}
