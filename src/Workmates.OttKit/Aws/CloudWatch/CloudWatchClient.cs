using Amazon.Runtime;
using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary><see cref="ICloudWatchApi"/> over AWSSDK.Core's pipeline (credentials, SigV4, retries, endpoints, logging).</summary>
internal sealed class CloudWatchClient : AwsServiceClient, ICloudWatchApi
{
    public CloudWatchClient(AwsServiceConfig config)
        : base(config)
    {
    }

    public CloudWatchClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeAlarmsResponse> DescribeAlarmsAsync(
        DescribeAlarmsRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudWatchOperations.DescribeAlarms, request, cancellationToken);

    public Task<PutMetricDataResponse> PutMetricDataAsync(
        PutMetricDataRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudWatchOperations.PutMetricData, request, cancellationToken);

    private Task<TResponse> Send<TRequest, TResponse>(
        AwsQueryOperation<TRequest, TResponse> operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new() =>
        SendAsync<TResponse>(request, operation.Marshaller, operation.Unmarshaller, cancellationToken);
}
