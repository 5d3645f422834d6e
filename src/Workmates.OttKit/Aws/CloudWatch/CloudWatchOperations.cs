using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>The Amazon CloudWatch operations on the wire (AWS query protocol, XML responses).</summary>
internal static class CloudWatchOperations
{
    public static readonly AwsQueryOperation<DescribeAlarmsRequest, DescribeAlarmsResponse> DescribeAlarms =
        new(AwsServiceDescriptor.CloudWatch, "DescribeAlarms", hasResult: true, CloudWatchException.FromError);

    public static readonly AwsQueryOperation<PutMetricDataRequest, PutMetricDataResponse> PutMetricData =
        new(AwsServiceDescriptor.CloudWatch, "PutMetricData", hasResult: false, CloudWatchException.FromError);

    public static IReadOnlyList<IAwsOperation> All { get; } =
    [
        DescribeAlarms, PutMetricData,
    ];
}
