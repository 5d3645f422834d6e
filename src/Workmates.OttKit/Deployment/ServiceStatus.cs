namespace Workmates.OttKit.Deployment;

/// <summary>A service's state right now: deployments, task counts, target health, alarms and the latest events.</summary>
public sealed record ServiceStatus
{
    /// <summary>The cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The service's task definition (the PRIMARY deployment's).</summary>
    public string? TaskDefinition { get; init; }

    /// <summary>Desired tasks.</summary>
    public int DesiredCount { get; init; }

    /// <summary>Running tasks.</summary>
    public int RunningCount { get; init; }

    /// <summary>Pending tasks.</summary>
    public int PendingCount { get; init; }

    /// <summary>The ECS deployments listed for the service, PRIMARY first.</summary>
    public IReadOnlyList<DeploymentSummary> Deployments { get; init; } = [];

    /// <summary>The current service deployment (ARN), if any.</summary>
    public string? CurrentServiceDeployment { get; init; }

    /// <summary>The current service deployment's status (SUCCESSFUL, IN_PROGRESS, ROLLBACK_SUCCESSFUL, …).</summary>
    public string? CurrentServiceDeploymentStatus { get; init; }

    /// <summary>The current service deployment's status or rollback reason.</summary>
    public string? CurrentServiceDeploymentReason { get; init; }

    /// <summary>Whether a deployment is in flight (more than one deployment, or the PRIMARY one still IN_PROGRESS).</summary>
    public bool DeploymentInProgress { get; init; }

    /// <summary>
    /// A rollback ECS is doing or has done, read from every field that may carry it (the service deployment's status,
    /// the deployments' rollout state and reason, the latest events); null when nothing says the service rolled back.
    /// </summary>
    public ServiceRollbackStatus? Rollback { get; init; }

    /// <summary>The target group's targets (empty without a load balancer or a load-balancer client).</summary>
    public IReadOnlyList<TargetState> Targets { get; init; } = [];

    /// <summary>The deployment alarms (empty without alarms or a CloudWatch client).</summary>
    public IReadOnlyList<AlarmState> Alarms { get; init; } = [];

    /// <summary>The latest service events, newest first.</summary>
    public IReadOnlyList<ServiceEventObserved> RecentEvents { get; init; } = [];
}

/// <summary>One ECS deployment of a service.</summary>
/// <param name="Id">The deployment id (ecs-svc/…).</param>
/// <param name="Status">PRIMARY, ACTIVE or INACTIVE.</param>
/// <param name="TaskDefinition">Its task definition.</param>
/// <param name="Desired">Desired tasks.</param>
/// <param name="Running">Running tasks.</param>
/// <param name="Pending">Pending tasks.</param>
/// <param name="Failed">Failed tasks (the circuit breaker's count).</param>
/// <param name="RolloutState">COMPLETED, IN_PROGRESS or FAILED.</param>
/// <param name="RolloutStateReason">ECS's reason.</param>
public sealed record DeploymentSummary(
    string? Id, string? Status, string? TaskDefinition, int Desired, int Running, int Pending, int Failed, string? RolloutState, string? RolloutStateReason);

/// <summary>A rollback of a service, in progress or done, with ECS's reason and the field it was read from.</summary>
/// <param name="InProgress">True while ECS is still rolling back (the rollback deployment is not complete).</param>
/// <param name="Reason">ECS's words: the rollback or failure reason.</param>
/// <param name="Source">Where it was read: <c>serviceDeployment</c>, <c>rolloutState</c> or <c>events</c> (the last resort).</param>
public sealed record ServiceRollbackStatus(bool InProgress, string? Reason, string Source);
