using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudWatch;

/// <summary>The CloudWatch paginator of <c>paginators-1.json</c> used by the library (<c>DescribeAlarms</c>).</summary>
internal static class CloudWatchPaginators
{
    /// <summary>
    /// Every page of <c>DescribeAlarms</c> (result keys <c>MetricAlarms</c>, <c>CompositeAlarms</c> and
    /// <c>LogAlarms</c>, limit key <c>MaxRecords</c>). The caller's request is not modified.
    /// </summary>
    /// <param name="api">The CloudWatch API.</param>
    /// <param name="request">The filters and starting token.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages in order.</returns>
    public static IAsyncEnumerable<DescribeAlarmsResponse> DescribeAlarmsPagesAsync(
        this ICloudWatchApi api,
        DescribeAlarmsRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return Pagination.PagesAsync(
            request.NextToken,
            (token, ct) =>
            {
                var page = ShapeCopy.Clone(request);
                page.NextToken = token;
                return api.DescribeAlarmsAsync(page, ct);
            },
            page => page.NextToken,
            cancellationToken);
    }
}
