using System.Runtime.CompilerServices;
using Workmates.OttKit.Aws.Ecs.Model;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>
/// The ECS paginators of <c>paginators-1.json</c>: copy <c>nextToken</c> from each response into the next request
/// until it is missing or empty. The caller's request is not modified.
/// </summary>
internal static class EcsPaginators
{
    /// <summary>Every task definition ARN (<c>ListTaskDefinitions</c>, result key <c>taskDefinitionArns</c>).</summary>
    /// <param name="api">The ECS API.</param>
    /// <param name="request">Filters; <c>NextToken</c> is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The ARNs of all pages, in order.</returns>
    public static async IAsyncEnumerable<string> ListAllTaskDefinitionsAsync(
        this IEcsApi api,
        ListTaskDefinitionsRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var next = request.NextToken;
        do
        {
            var page = await api.ListTaskDefinitionsAsync(
                new ListTaskDefinitionsRequest
                {
                    FamilyPrefix = request.FamilyPrefix,
                    Status = request.Status,
                    Sort = request.Sort,
                    MaxResults = request.MaxResults,
                    NextToken = next,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var arn in page.TaskDefinitionArns ?? [])
            {
                yield return arn;
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
    }

    /// <summary>Every task ARN (<c>ListTasks</c>, result key <c>taskArns</c>).</summary>
    /// <param name="api">The ECS API.</param>
    /// <param name="request">Filters; <c>NextToken</c> is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The ARNs of all pages, in order.</returns>
    public static async IAsyncEnumerable<string> ListAllTasksAsync(
        this IEcsApi api,
        ListTasksRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var next = request.NextToken;
        do
        {
            var page = await api.ListTasksAsync(
                new ListTasksRequest
                {
                    Cluster = request.Cluster,
                    ContainerInstance = request.ContainerInstance,
                    Family = request.Family,
                    StartedBy = request.StartedBy,
                    ServiceName = request.ServiceName,
                    DesiredStatus = request.DesiredStatus,
                    LaunchType = request.LaunchType,
                    DaemonName = request.DaemonName,
                    MaxResults = request.MaxResults,
                    NextToken = next,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var arn in page.TaskArns ?? [])
            {
                yield return arn;
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
    }

    /// <summary>Every container instance ARN (<c>ListContainerInstances</c>, result key <c>containerInstanceArns</c>).</summary>
    /// <param name="api">The ECS API.</param>
    /// <param name="request">Cluster, status and filter; <c>NextToken</c> is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The ARNs of all pages, in order.</returns>
    public static async IAsyncEnumerable<string> ListAllContainerInstancesAsync(
        this IEcsApi api,
        ListContainerInstancesRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var next = request.NextToken;
        do
        {
            var page = await api.ListContainerInstancesAsync(
                new ListContainerInstancesRequest
                {
                    Cluster = request.Cluster,
                    Filter = request.Filter,
                    Status = request.Status,
                    MaxResults = request.MaxResults,
                    NextToken = next,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var arn in page.ContainerInstanceArns ?? [])
            {
                yield return arn;
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
    }
}
