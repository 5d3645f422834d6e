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
