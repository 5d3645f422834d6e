using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Deployment;

/// <summary>The one-shot status read behind <c>ottkit status</c>.</summary>
public sealed partial class ServiceDeployer
{
    /// <summary>
    /// Reads the service's state once: DescribeServices, the current service deployment, target health and the
    /// deployment alarms (when the deployer has those clients), and the latest <paramref name="recentEvents"/> events.
    /// </summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="recentEvents">How many of the newest service events to keep.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ServiceDeploymentException">The service does not exist.</exception>
    public async Task<ServiceStatus> GetStatusAsync(string cluster, string service, int recentEvents = 5, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentOutOfRangeException.ThrowIfNegative(recentEvents);
        var described = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        ServiceDeployment? current = null;
        if (described.CurrentServiceDeployment is { } arn)
        {
            current = await DescribeServiceDeploymentAsync(arn, cancellationToken).ConfigureAwait(false);
        }

        // The same reads the watcher makes, collected into a throw-away watch state.
        var sink = new EventSink(System.Threading.Channels.Channel.CreateUnbounded<DeploymentEvent>().Writer, _logger);
        var watch = new Watch(cluster, service, described.CurrentServiceDeployment ?? string.Empty, described.TaskDefinition, new ServiceDeployOptions(), sink, IsRollback: false);
        var state = new WatchState();
        var primary = described.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
        await ObserveAsync(watch, state, current ?? new ServiceDeployment(), described, primary, cancellationToken).ConfigureAwait(false);

        return new ServiceStatus
        {
            Cluster = cluster,
            Service = service,
            TaskDefinition = described.TaskDefinition,
            DesiredCount = described.DesiredCount ?? 0,
            RunningCount = described.RunningCount ?? 0,
            PendingCount = described.PendingCount ?? 0,
            Deployments = [.. (described.Deployments ?? []).Select(d => new DeploymentSummary(
                d.Id, d.Status, d.TaskDefinition, d.DesiredCount ?? 0, d.RunningCount ?? 0, d.PendingCount ?? 0, d.FailedTasks ?? 0, d.RolloutState, d.RolloutStateReason))],
            CurrentServiceDeployment = described.CurrentServiceDeployment,
            CurrentServiceDeploymentStatus = current?.Status,
            CurrentServiceDeploymentReason = current?.Rollback?.Reason ?? current?.StatusReason,
            DeploymentInProgress = IsInFlight(described),
            Rollback = RollbackOf(described, current),
            Targets = state.Observed.Targets,
            Alarms = state.Observed.Alarms,
            RecentEvents = [.. (described.Events ?? []).Take(recentEvents).Select(e => new ServiceEventObserved(ToOffset(e.CreatedAt) ?? _time.GetUtcNow(), e.Message ?? string.Empty))],
        };
    }

    /// <summary>
    /// Whether the service is rolling back or rolled back, from the most to the least precise field: the current service
    /// deployment's status (ROLLBACK_*), the deployments' rollout state reasons (ECS's circuit breaker and alarms write
    /// "rolling back to deploymentId …" there even when DescribeServices carries no current service deployment), and
    /// the events since the last steady state.
    /// </summary>
    internal static ServiceRollbackStatus? RollbackOf(Service described, ServiceDeployment? current)
    {
        if (current?.Status is { } status && status.StartsWith("ROLLBACK_", StringComparison.Ordinal))
        {
            return new ServiceRollbackStatus(status == "ROLLBACK_IN_PROGRESS", current.Rollback?.Reason ?? current.StatusReason, "serviceDeployment");
        }

        var deployments = described.Deployments ?? [];
        var rollingBack = deployments.FirstOrDefault(d => MentionsRollback(d.RolloutStateReason));
        if (rollingBack is not null)
        {
            var failed = deployments.FirstOrDefault(d => d != rollingBack && d.RolloutState == "FAILED" && !string.IsNullOrEmpty(d.RolloutStateReason));
            var reason = failed is null ? rollingBack.RolloutStateReason : $"{failed.RolloutStateReason} {rollingBack.RolloutStateReason}";
            return new ServiceRollbackStatus(rollingBack.RolloutState == "IN_PROGRESS", reason, "rolloutState");
        }

        // Events, newest first: only those since the service last reached a steady state still describe it.
        var recent = (described.Events ?? []).TakeWhile(e => e.Message?.Contains("has reached a steady state", StringComparison.Ordinal) != true).ToList();
        var rollbackEvent = recent.FirstOrDefault(e => MentionsRollback(e.Message));
        return rollbackEvent is null ? null : new ServiceRollbackStatus(IsInFlight(described), rollbackEvent.Message, "events");
    }

    private static bool MentionsRollback(string? text) =>
        text is not null
        && (text.Contains("rolling back", StringComparison.OrdinalIgnoreCase) || text.Contains("rolled back", StringComparison.OrdinalIgnoreCase));
}
