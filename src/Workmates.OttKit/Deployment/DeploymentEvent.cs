namespace Workmates.OttKit.Deployment;

/// <summary>A progress event of a service deployment, for a CLI or CI to render.</summary>
/// <param name="At">When the deployer observed it (the deployer's clock).</param>
public abstract record DeploymentEvent(DateTimeOffset At);

/// <summary>A new task definition revision was registered.</summary>
/// <param name="At">When.</param>
/// <param name="TaskDefinitionArn">The new revision.</param>
/// <param name="Image">The image it runs.</param>
public sealed record RevisionRegistered(DateTimeOffset At, string TaskDefinitionArn, string Image) : DeploymentEvent(At);

/// <summary>The service was updated (or an in-flight deployment attached to) and is being watched.</summary>
/// <param name="At">When.</param>
/// <param name="ServiceDeploymentArn">The service deployment.</param>
/// <param name="TaskDefinitionArn">The revision it deploys.</param>
public sealed record DeploymentStarted(DateTimeOffset At, string ServiceDeploymentArn, string TaskDefinitionArn) : DeploymentEvent(At);

/// <summary>Task counts of the PRIMARY deployment changed.</summary>
/// <param name="At">When.</param>
/// <param name="Running">Running tasks.</param>
/// <param name="Pending">Pending tasks.</param>
/// <param name="Failed">Failed tasks (the circuit breaker's count).</param>
/// <param name="RolloutState">The PRIMARY deployment's rollout state.</param>
public sealed record TasksProgress(DateTimeOffset At, int Running, int Pending, int Failed, string? RolloutState) : DeploymentEvent(At);

/// <summary>A new ECS service event message.</summary>
/// <param name="At">When ECS created it.</param>
/// <param name="Message">The message.</param>
public sealed record ServiceEventObserved(DateTimeOffset At, string Message) : DeploymentEvent(At);

/// <summary>A poll was throttled or failed on the server after the SDK's retries; the watcher slows down.</summary>
/// <param name="At">When.</param>
/// <param name="ErrorCode">The AWS error code.</param>
/// <param name="NextPollIn">The delay before the next poll.</param>
public sealed record PollThrottled(DateTimeOffset At, string? ErrorCode, TimeSpan NextPollIn) : DeploymentEvent(At);

/// <summary>A rollback started.</summary>
/// <param name="At">When.</param>
/// <param name="Trigger">What triggered it.</param>
/// <param name="Reason">ECS's reason.</param>
public sealed record RollbackStarted(DateTimeOffset At, RollbackTrigger Trigger, string? Reason) : DeploymentEvent(At);

/// <summary>The verdict.</summary>
/// <param name="At">When.</param>
/// <param name="Result">The result.</param>
public sealed record DeploymentTerminal(DateTimeOffset At, ServiceDeploymentResult Result) : DeploymentEvent(At);

/// <summary>The load-balancer health of the service's targets changed (read with DescribeTargetHealth).</summary>
/// <param name="At">When.</param>
/// <param name="TargetGroupArn">The service's target group.</param>
/// <param name="Targets">Every registered target, the new deployment's marked <see cref="TargetState.IsNewTask"/>.</param>
public sealed record TargetHealthObserved(DateTimeOffset At, string TargetGroupArn, IReadOnlyList<TargetState> Targets) : DeploymentEvent(At)
{
    /// <summary>Targets of the deployment being watched that are <c>unhealthy</c>.</summary>
    public int NewUnhealthy => Targets.Count(t => t.IsNewTask && t.IsUnhealthy);

    /// <summary>Targets of the deployment being watched that are <c>healthy</c>.</summary>
    public int NewHealthy => Targets.Count(t => t.IsNewTask && t.State == "healthy");
}

/// <summary>A deployment alarm's state changed (read with DescribeAlarms).</summary>
/// <param name="At">When.</param>
/// <param name="Alarm">The alarm and its state.</param>
public sealed record AlarmStateObserved(DateTimeOffset At, AlarmState Alarm) : DeploymentEvent(At);

/// <summary>Target health or alarm state could not be read (permissions, a missing target group); the watch goes on without it.</summary>
/// <param name="At">When.</param>
/// <param name="Source">DescribeTargetHealth or DescribeAlarms.</param>
/// <param name="ErrorCode">The AWS error code.</param>
/// <param name="Message">The AWS message.</param>
public sealed record ObservationUnavailable(DateTimeOffset At, string Source, string? ErrorCode, string Message) : DeploymentEvent(At);

/// <summary>One load-balancer target.</summary>
/// <param name="Id">The target id (an IP address for target type <c>ip</c>).</param>
/// <param name="Port">The port.</param>
/// <param name="State">initial, healthy, unhealthy, unhealthy.draining, unused, draining, unavailable.</param>
/// <param name="Reason">The reason code, such as <c>Target.ResponseCodeMismatch</c>.</param>
/// <param name="Description">The reason text.</param>
/// <param name="IsNewTask">Whether the target is a task of the deployment being watched.</param>
public sealed record TargetState(string Id, int? Port, string State, string? Reason, string? Description, bool IsNewTask)
{
    /// <summary><c>unhealthy</c> or <c>unhealthy.draining</c>.</summary>
    public bool IsUnhealthy => State is "unhealthy" or "unhealthy.draining";
}

/// <summary>One CloudWatch alarm.</summary>
/// <param name="Name">The alarm name.</param>
/// <param name="State">OK, ALARM or INSUFFICIENT_DATA.</param>
/// <param name="Reason">CloudWatch's state reason.</param>
/// <param name="UpdatedAt">When the state last changed.</param>
public sealed record AlarmState(string Name, string State, string? Reason, DateTimeOffset? UpdatedAt);
