using Workmates.OttKit.Aws.CloudWatch.Model;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>
/// The waiters of the CloudWatch model (waiters-2.json semantics: first call at once, acceptors checked in order, a fixed
/// delay between calls from the injected <see cref="TimeProvider"/>, at most maxAttempts calls). A failure ends in
/// <see cref="AwsWaiterException"/>.
/// </summary>
public static class CloudWatchWaiters
{
    /// <summary>Polls DescribeAlarms until at least one metric alarm matches.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeAlarms request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeAlarmsResponse?> WaitUntilAlarmExistsAsync(
        this ICloudWatchApi api,
        DescribeAlarmsRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudWatchWaiterDefinitions.AlarmExists.WaitAsync(ct => api.DescribeAlarmsAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeAlarms until at least one composite alarm matches.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeAlarms request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeAlarmsResponse?> WaitUntilCompositeAlarmExistsAsync(
        this ICloudWatchApi api,
        DescribeAlarmsRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudWatchWaiterDefinitions.CompositeAlarmExists.WaitAsync(ct => api.DescribeAlarmsAsync(request, ct), timeProvider, cancellationToken);
    }
}
