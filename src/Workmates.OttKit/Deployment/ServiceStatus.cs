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
