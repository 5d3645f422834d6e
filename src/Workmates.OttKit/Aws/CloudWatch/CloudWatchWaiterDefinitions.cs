using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Runtime;
using A = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.CloudWatch.Model.DescribeAlarmsResponse>;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>The CloudWatch alarm waiters of waiters-2.json.</summary>
internal static class CloudWatchWaiterDefinitions
{
    public static readonly WaiterDefinition<DescribeAlarmsResponse> AlarmExists = new(
        "AlarmExists",
        "DescribeAlarms",
        5,
        40,
        [A.Path(WaiterState.Success, "length(MetricAlarms[]) > `0`", true, r => r.MetricAlarms is { Count: > 0 })]);

    public static readonly WaiterDefinition<DescribeAlarmsResponse> CompositeAlarmExists = new(
        "CompositeAlarmExists",
        "DescribeAlarms",
        5,
        40,
        [A.Path(WaiterState.Success, "length(CompositeAlarms[]) > `0`", true, r => r.CompositeAlarms is { Count: > 0 })]);
}
