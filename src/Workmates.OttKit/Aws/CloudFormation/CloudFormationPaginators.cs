using System.Runtime.CompilerServices;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary>
/// The CloudFormation paginators of <c>paginators-1.json</c> (<c>NextToken</c> in, <c>NextToken</c> out). The caller's
/// request is not modified.
/// </summary>
internal static class CloudFormationPaginators
{
    /// <summary>Every stack of all pages (<c>DescribeStacks</c>, result key <c>Stacks</c>).</summary>
    /// <param name="api">The CloudFormation API.</param>
    /// <param name="request">The filter (stack name) and starting token.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The stacks in service order.</returns>
    public static async IAsyncEnumerable<Stack> DescribeAllStacksAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var pages = Pagination.PagesAsync(
            request.NextToken,
            (token, ct) => api.DescribeStacksAsync(new DescribeStacksRequest { StackName = request.StackName, NextToken = token }, ct),
            page => page.NextToken,
            cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var stack in page.Stacks ?? [])
            {
                yield return stack;
            }
        }
    }

    /// <summary>Every event of all pages, newest first (<c>DescribeStackEvents</c>, result key <c>StackEvents</c>).</summary>
    /// <param name="api">The CloudFormation API.</param>
    /// <param name="request">The stack and starting token.</param>
    /// <param name="cancellationToken">Cancels the enumeration; stop early once events are older than needed.</param>
    /// <returns>The events in service order (newest first).</returns>
    public static async IAsyncEnumerable<StackEvent> DescribeAllStackEventsAsync(
        this ICloudFormationApi api,
        DescribeStackEventsRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var pages = Pagination.PagesAsync(
            request.NextToken,
            (token, ct) => api.DescribeStackEventsAsync(
                new DescribeStackEventsRequest { StackName = request.StackName, NextToken = token }, ct),
            page => page.NextToken,
            cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var stackEvent in page.StackEvents ?? [])
            {
                yield return stackEvent;
            }
        }
    }

    /// <summary>Every change set summary of a stack (<c>ListChangeSets</c>, result key <c>Summaries</c>).</summary>
    /// <param name="api">The CloudFormation API.</param>
    /// <param name="request">The stack and starting token.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The summaries of all pages.</returns>
    public static async IAsyncEnumerable<ChangeSetSummary> ListAllChangeSetsAsync(
        this ICloudFormationApi api,
        ListChangeSetsRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var pages = Pagination.PagesAsync(
            request.NextToken,
            (token, ct) => api.ListChangeSetsAsync(new ListChangeSetsRequest { StackName = request.StackName, NextToken = token }, ct),
            page => page.NextToken,
            cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var summary in page.Summaries ?? [])
            {
                yield return summary;
            }
        }
    }

    /// <summary>
    /// The whole change set: <c>Changes</c> of every page concatenated; every other member (the paginator's
    /// <c>non_aggregate_keys</c>: status, parameters, capabilities, tags…) comes from the first page.
    /// </summary>
    /// <param name="api">The CloudFormation API.</param>
    /// <param name="request">The change set (name or ARN) and stack.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The first page with all changes and no <c>NextToken</c>.</returns>
    public static async Task<DescribeChangeSetResponse> DescribeWholeChangeSetAsync(
        this ICloudFormationApi api,
        DescribeChangeSetRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        DescribeChangeSetResponse? first = null;
        var changes = new List<Change>();
        var pages = Pagination.PagesAsync(
            request.NextToken,
            (token, ct) => api.DescribeChangeSetAsync(
                new DescribeChangeSetRequest
                {
                    ChangeSetName = request.ChangeSetName,
                    StackName = request.StackName,
                    IncludePropertyValues = request.IncludePropertyValues,
                    NextToken = token,
                },
                ct),
            page => page.NextToken,
            cancellationToken);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            first ??= page;
            changes.AddRange(page.Changes ?? []);
        }

        first!.Changes = changes;
        first.NextToken = null;
        return first;
    }
}
