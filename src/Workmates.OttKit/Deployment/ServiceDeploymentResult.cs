namespace Workmates.OttKit.Deployment;

/// <summary>The verdict of a service deploy, watch or rollback.</summary>
public enum ServiceDeploymentOutcome
{
    /// <summary>The new revision is running and the deployment completed.</summary>
    Succeeded,

    /// <summary>Nothing to do: the image is already PRIMARY and COMPLETED.</summary>
    NoChange,

    /// <summary>The deployment failed and ECS rolled back (circuit breaker or alarm): a failure.</summary>
    RolledBack,

    /// <summary>The deployment failed and was not rolled back (or the rollback failed).</summary>
    Failed,

    /// <summary>The deadline passed before a verdict (see <see cref="ServiceDeploymentResult.RolledBackTo"/> when a rollback was asked for).</summary>
    TimedOut,
}

/// <summary>What triggered a rollback.</summary>
public enum RollbackTrigger
{
    /// <summary>Unknown (ECS did not say).</summary>
    Unknown,

    /// <summary>The deployment circuit breaker.</summary>
    CircuitBreaker,

    /// <summary>A CloudWatch deployment alarm.</summary>
    Alarm,

    /// <summary>A StopServiceDeployment(ROLLBACK) call (a manual rollback or a rollback after a timeout).</summary>
    Stopped,

    /// <summary>The fail-fast policy: the new tasks' targets were unhealthy for the configured number of consecutive checks, so the deployer stopped it with rollback.</summary>
    FailFast,
}

/// <summary>The facts of a deployment verdict.</summary>
public sealed record ServiceDeploymentResult
{
    /// <summary>The verdict.</summary>
    public required ServiceDeploymentOutcome Outcome { get; init; }

    /// <summary>The cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The service deployment watched, if any.</summary>
    public string? ServiceDeploymentArn { get; init; }

    /// <summary>The revision that was deployed.</summary>
    public string? DeployedTaskDefinition { get; init; }

    /// <summary>The revision of the PRIMARY deployment when the verdict was given.</summary>
    public string? RunningTaskDefinition { get; init; }

    /// <summary>After a rollback, the revision it returned to.</summary>
    public string? RolledBackTo { get; init; }

    /// <summary>After a rollback, what triggered it.</summary>
    public RollbackTrigger? RollbackTrigger { get; init; }

    /// <summary>The last status of the service deployment (SUCCESSFUL, ROLLBACK_SUCCESSFUL, …).</summary>
    public string? Status { get; init; }

    /// <summary>Why: ECS's status reason, rollback reason or rollout-state reason.</summary>
    public string? Reason { get; init; }

    /// <summary>When ECS finished the deployment, as ECS reports it.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the verdict was given (the deployer's clock).</summary>
    public required DateTimeOffset VerdictAt { get; init; }

    /// <summary>The service event messages seen while watching, oldest first.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The load-balancer targets at the last health read (empty when the service has no target group or none was read).</summary>
    public IReadOnlyList<TargetState> Targets { get; init; } = [];

    /// <summary>The deployment alarms at the last read (empty when the service has none or none was read).</summary>
    public IReadOnlyList<AlarmState> Alarms { get; init; } = [];

    /// <summary><see langword="true"/> for <see cref="ServiceDeploymentOutcome.Succeeded"/> and <see cref="ServiceDeploymentOutcome.NoChange"/>; everything else is a failure (non-zero for a CLI).</summary>
    public bool IsSuccess => Outcome is ServiceDeploymentOutcome.Succeeded or ServiceDeploymentOutcome.NoChange;
}
