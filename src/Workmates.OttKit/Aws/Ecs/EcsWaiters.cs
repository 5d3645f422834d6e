using Workmates.OttKit.Aws.Ecs.Model;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>
/// The waiters of the Ecs model (waiters-2.json semantics: first call at once, acceptors checked in order, a fixed
/// delay between calls from the injected <see cref="TimeProvider"/>, at most maxAttempts calls). A failure ends in
/// <see cref="AwsWaiterException"/>.
/// </summary>
internal static class EcsWaiters
{
    /// <summary>Polls DescribeServices until every service has exactly one deployment and runningCount == desiredCount; fails on MISSING, DRAINING or INACTIVE. It does not look at rolloutState: check circuit-breaker failures separately.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeServices request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeServicesResponse?> WaitUntilServicesStableAsync(
        this IEcsApi api,
        DescribeServicesRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return EcsWaiterDefinitions.ServicesStable.WaitAsync(ct => api.DescribeServicesAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeServices until any service is INACTIVE; fails on MISSING.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeServices request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeServicesResponse?> WaitUntilServicesInactiveAsync(
        this IEcsApi api,
        DescribeServicesRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return EcsWaiterDefinitions.ServicesInactive.WaitAsync(ct => api.DescribeServicesAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeTasks until every task is RUNNING; fails on any STOPPED task or MISSING failure.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeTasks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeTasksResponse?> WaitUntilTasksRunningAsync(
        this IEcsApi api,
        DescribeTasksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return EcsWaiterDefinitions.TasksRunning.WaitAsync(ct => api.DescribeTasksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeTasks until every task is STOPPED.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeTasks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeTasksResponse?> WaitUntilTasksStoppedAsync(
        this IEcsApi api,
        DescribeTasksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return EcsWaiterDefinitions.TasksStopped.WaitAsync(ct => api.DescribeTasksAsync(request, ct), timeProvider, cancellationToken);
    }
}
