using System.Collections.Concurrent;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.CloudWatch.Model;

namespace Workmates.OttKit.Tests.Mongo.Health.EndToEnd;

/// <summary>A CloudWatch client that records PutMetricData requests, or fails them with a given error.</summary>
internal sealed class RecordingCloudWatch(Exception? failWith = null) : ICloudWatchApi
{
    public ConcurrentQueue<PutMetricDataRequest> Requests { get; } = new();

    public Amazon.Runtime.IClientConfig Config => throw new NotSupportedException("a recording fake has no SDK configuration");

    public Task<DescribeAlarmsResponse> DescribeAlarmsAsync(DescribeAlarmsRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the metrics publisher never describes alarms");

    public Task<PutMetricDataResponse> PutMetricDataAsync(PutMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        if (failWith is not null)
        {
            return Task.FromException<PutMetricDataResponse>(failWith);
        }

        Requests.Enqueue(request);
        return Task.FromResult(new PutMetricDataResponse());
    }
}
