using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Observes a replica set through <see cref="IReplicaSetStatusSource"/> and reports the verdict of
/// <see cref="ReplicaSetHealthEvaluator"/>. It bounds itself with <see cref="ReplicaSetHealthCheckOptions.Timeout"/> so it
/// never hangs the host's health endpoint, and turns a missing privilege into a result that names the role to grant.
/// </summary>
internal sealed class ReplicaSetHealthCheck : IHealthCheck
{
    private readonly string _name;
    private readonly IReplicaSetStatusSource _source;
    private readonly ReplicaSetHealthCheckOptions _options;
    private readonly ReplicaSetHealthState _state;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IHealthMetricsPublisher> _publishers;

    public ReplicaSetHealthCheck(
        string name,
        IReplicaSetStatusSource source,
        ReplicaSetHealthCheckOptions options,
        ReplicaSetHealthState state,
        TimeProvider timeProvider,
        ILogger<ReplicaSetHealthCheck> logger,
        IEnumerable<IHealthMetricsPublisher> publishers)
    {
        _name = name;
        _source = source;
        _options = options;
        _state = state;
        _timeProvider = timeProvider;
        _logger = logger;
        _publishers = [.. publishers];
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;

        ReplicaSetObservation observation;
        using (var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                // WaitAsync bounds the wait even when a source ignores its token.
                observation = await _source.ObserveAsync(linked.Token)
                    .WaitAsync(_options.Timeout, _timeProvider, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && timeout.IsCancellationRequested))
            {
                Log.TimedOut(_logger, _name, _options.Timeout);
                return CouldNotEvaluate(
                    failureStatus,
                    $"could not evaluate replica set ({_name}): no observation within {_options.Timeout.TotalSeconds:0.###} s (Timeout option)",
                    "timeout",
                    exception);
            }
            catch (MongoNotAuthorizedException exception)
            {
                Log.NotAuthorized(_logger, _name, exception.CommandName, exception.Remedy);
                return CouldNotEvaluate(failureStatus, $"not authorized: {exception.Remedy}", "notAuthorized", exception);
            }
#pragma warning disable CA1031 // A health check reports any failure of its dependency as a result, never as a crash.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.ObservationFailed(_logger, _name, exception);
                return CouldNotEvaluate(failureStatus, $"could not evaluate replica set ({_name}): {exception.Message}", "error", exception);
            }
        }

        var report = _state.Evaluate(observation, _options);
        if (report.Status == HealthStatus.Healthy)
        {
            Log.Evaluated(_logger, _name, report.Status, report.Description);
        }
        else
        {
            Log.NotHealthy(_logger, _name, report.Status, report.Description);
        }

        await PublishAsync(report, cancellationToken).ConfigureAwait(false);
        var data = report.ToData();
        data[ReplicaSetHealthData.EvaluatedKey] = true;
        return new HealthCheckResult(report.Status, report.Description, exception: null, data);
    }

    private async Task PublishAsync(ReplicaSetHealthReport report, CancellationToken cancellationToken)
    {
        if (_options.EnvironmentName is not { } environment || _publishers.Count == 0)
        {
            return;
        }

        var points = ReplicaSetHealthMetrics.ToDataPoints(report, environment);
        foreach (var publisher in _publishers)
        {
            try
            {
                await publisher.PublishAsync(ReplicaSetHealthMetricNames.Namespace, points, cancellationToken)
                    .WaitAsync(_options.Timeout, _timeProvider, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Metrics are best effort: a failed publication must not change the health verdict.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.MetricsPublishFailed(_logger, _name, exception);
            }
        }
    }

    private static HealthCheckResult CouldNotEvaluate(HealthStatus status, string description, string reason, Exception exception) =>
        new(
            status,
            description,
            exception,
            new Dictionary<string, object>(StringComparer.Ordinal) { [ReplicaSetHealthData.EvaluatedKey] = false, [ReplicaSetHealthData.ReasonKey] = reason });
}
