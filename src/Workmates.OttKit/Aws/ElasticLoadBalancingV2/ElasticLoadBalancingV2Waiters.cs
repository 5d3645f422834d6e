using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary>
/// The waiters of the ElasticLoadBalancingV2 model (waiters-2.json semantics: first call at once, acceptors checked in order, a fixed
/// delay between calls from the injected <see cref="TimeProvider"/>, at most maxAttempts calls). A failure ends in
/// <see cref="AwsWaiterException"/>.
/// </summary>
public static class ElasticLoadBalancingV2Waiters
{
    /// <summary>Polls DescribeTargetHealth until every target is healthy; retries on InvalidInstance.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeTargetHealth request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeTargetHealthResponse?> WaitUntilTargetInServiceAsync(
        this IElasticLoadBalancingV2Api api,
        DescribeTargetHealthRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return ElasticLoadBalancingV2WaiterDefinitions.TargetInService.WaitAsync(ct => api.DescribeTargetHealthAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeTargetHealth until every target is unused, or the service answers InvalidTarget.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeTargetHealth request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeTargetHealthResponse?> WaitUntilTargetDeregisteredAsync(
        this IElasticLoadBalancingV2Api api,
        DescribeTargetHealthRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return ElasticLoadBalancingV2WaiterDefinitions.TargetDeregistered.WaitAsync(ct => api.DescribeTargetHealthAsync(request, ct), timeProvider, cancellationToken);
    }
}
