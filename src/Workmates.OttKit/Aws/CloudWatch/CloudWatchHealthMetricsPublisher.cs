using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>
/// Publishes health metrics as CloudWatch custom metrics with <c>PutMetricData</c>, in as few requests as the service
/// limits allow (at most <see cref="MaxDataPerRequest"/> data points per request).
/// </summary>
/// <remarks>Needs <c>cloudwatch:PutMetricData</c>; scope it with the <c>cloudwatch:namespace</c> condition key (<c>OttKit/MongoDB</c>).</remarks>
public sealed partial class CloudWatchHealthMetricsPublisher : IHealthMetricsPublisher
{
    /// <summary>The most data points one PutMetricData request accepts (the service quota is 1,000).</summary>
    public const int MaxDataPerRequest = 1000;

    /// <summary>The most dimensions one data point may carry (the service quota is 30).</summary>
    public const int MaxDimensionsPerDatum = 30;

    private readonly ICloudWatchApi _cloudWatch;

    /// <summary>Creates the publisher.</summary>
    /// <param name="cloudWatch">The CloudWatch client; the publisher does not own it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cloudWatch"/> is <see langword="null"/>.</exception>
    public CloudWatchHealthMetricsPublisher(ICloudWatchApi cloudWatch)
    {
        ArgumentNullException.ThrowIfNull(cloudWatch);
        _cloudWatch = cloudWatch;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A data point has more than <see cref="MaxDimensionsPerDatum"/> dimensions, or the namespace is blank.</exception>
    /// <exception cref="CloudWatchException">CloudWatch refused a request; earlier batches stay published.</exception>
    public async Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricNamespace);
        ArgumentNullException.ThrowIfNull(data);
        foreach (var batch in data.Select(ToMetricDatum).Chunk(MaxDataPerRequest))
        {
            var request = new PutMetricDataRequest { Namespace = metricNamespace, MetricData = [.. batch] };
            _ = await _cloudWatch.PutMetricDataAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static MetricDatum ToMetricDatum(HealthMetricDatum datum)
    {
        if (datum.Dimensions.Count > MaxDimensionsPerDatum)
        {
            throw new ArgumentException(
                $"metric {datum.MetricName} has {datum.Dimensions.Count} dimensions; CloudWatch accepts at most {MaxDimensionsPerDatum}. Drop dimensions.",
                nameof(datum));
        }

        return new MetricDatum
        {
            MetricName = datum.MetricName,
            Value = datum.Value,
            Unit = datum.Unit switch
            {
                HealthMetricUnit.Count => "Count",
                HealthMetricUnit.Seconds => "Seconds",
                _ => "None",
            },
            Timestamp = datum.Timestamp.UtcDateTime,
            Dimensions = [.. datum.Dimensions.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new Dimension { Name = pair.Key, Value = pair.Value })],
        };
    }
}
