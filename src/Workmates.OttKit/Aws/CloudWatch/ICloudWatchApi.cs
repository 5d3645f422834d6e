using Workmates.OttKit.Aws.CloudWatch.Model;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>
/// The Amazon CloudWatch operations the library uses, named as in the official <c>IAmazonCloudWatch</c> so that an adapter
/// over the official package can replace the built-in client. Errors are <see cref="CloudWatchException"/> (or a subclass).
/// </summary>
public interface ICloudWatchApi
{
    /// <summary>Describes alarms (one page; see <see cref="CloudWatchPaginators"/>).</summary>
    /// <param name="request">The input of DescribeAlarms.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeAlarms.</returns>
    Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Publishes metric data points.</summary>
    /// <param name="request">The input of PutMetricData.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of PutMetricData.</returns>
    Task<PutMetricDataResponse> PutMetricDataAsync(PutMetricDataRequest request, CancellationToken cancellationToken = default);
}
