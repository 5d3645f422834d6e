using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Aws.CloudWatch.Model;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>
/// A connection to Amazon CloudWatch: get one from <see cref="AwsClientFactory"/> (or <c>AddOttKitAwsClients</c>) and hand it
/// to the library's deployers, gates and publishers. Its operations, named as in the official <c>IAmazonCloudWatch</c>, and
/// their request and response shapes are internal to the library: what a user reads are the deployers' own result
/// types. Errors are <see cref="CloudWatchException"/> (or a subclass). Dispose it through <see cref="IDisposable"/> when done.
/// </summary>
public interface ICloudWatchApi : IAmazonService
{
    /// <summary>The client configuration <c>AddAWSService&lt;ICloudWatchApi&gt;()</c> fills from <c>AWSOptions</c>.</summary>
    /// <returns>A configuration with the service's id, signing name, endpoint rules and SDK defaults.</returns>
    static ClientConfig IAmazonService.CreateDefaultClientConfig() => new CloudWatchClientConfig();

    /// <summary>The client <c>AddAWSService&lt;ICloudWatchApi&gt;()</c> registers: the built-in one over AWSSDK.Core's pipeline.</summary>
    /// <param name="awsCredentials">The credentials; <see langword="null"/> leaves them to the SDK's default chain.</param>
    /// <param name="clientConfig">A configuration from <see cref="IAmazonService.CreateDefaultClientConfig"/>.</param>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    static IAmazonService IAmazonService.CreateDefaultServiceClient(AWSCredentials awsCredentials, ClientConfig clientConfig) =>
        awsCredentials is null
            ? new CloudWatchClient(AwsServiceConfig.Of<CloudWatchClientConfig>(clientConfig))
            : new CloudWatchClient(awsCredentials, AwsServiceConfig.Of<CloudWatchClientConfig>(clientConfig));

    /// <summary>Describes alarms (one page; see <see cref="CloudWatchPaginators"/>).</summary>
    /// <param name="request">The input of DescribeAlarms.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeAlarms.</returns>
    internal Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Publishes metric data points.</summary>
    /// <param name="request">The input of PutMetricData.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of PutMetricData.</returns>
    internal Task<PutMetricDataResponse> PutMetricDataAsync(PutMetricDataRequest request, CancellationToken cancellationToken = default);
}
