using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// Remembers what happened to the publication (<c>ottkit mongo health --publish-metrics</c> and the scheduled health
/// task): the health check itself only logs a publishing failure, the caller reports it.
/// </summary>
internal sealed class RecordingHealthPublisher(IHealthMetricsPublisher inner) : IHealthMetricsPublisher
{
    public int Published { get; private set; }

    public Exception? Failure { get; private set; }

    public async Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken)
    {
        try
        {
            await inner.PublishAsync(metricNamespace, data, cancellationToken).ConfigureAwait(false);
            Published += data.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failure = ex;
            throw;
        }
    }
}
