namespace Workmates.OttKit.Deployment;

/// <summary>How a stack's deploy ended.</summary>
public enum StackDeploymentOutcome
{
    /// <summary>Nothing to change.</summary>
    NoChanges,

    /// <summary>Planned only (execution not asked).</summary>
    Planned,

    /// <summary>Created (CREATE_COMPLETE).</summary>
    Created,

    /// <summary>Updated (UPDATE_COMPLETE).</summary>
    Updated,

    /// <summary>The operation failed and CloudFormation rolled it back (ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE): a failure.</summary>
    RolledBack,

    /// <summary>The operation failed and the stack is stuck (UPDATE_ROLLBACK_FAILED, ROLLBACK_FAILED, …) or the change set failed.</summary>
    Failed,

    /// <summary>The stack was Blocked (see <see cref="StackPlanAction.Blocked"/>) and recovery was not asked.</summary>
    Blocked,

    /// <summary>Not attempted because a stack it depends on did not succeed.</summary>
    Skipped,

    /// <summary>The stack operation did not reach a terminal state within <see cref="StackDeployOptions.StackTimeout"/>.</summary>
    TimedOut,

    /// <summary>
    /// Not created yet, and not a failure: a new stack that runs an image no workflow has pushed yet (an <c>ImageTag</c>
    /// parameter without <see cref="StackDeployOptions.InitialImageTags"/>), or a stack that depends on one. The first run
    /// of the workflow that builds the image creates it (<c>--create-only --image-tag</c>, see docs/pipelines.md).
    /// </summary>
    WaitsForImage,
}

/// <summary>The root cause of a failed stack operation: the first resource that failed, not the last line.</summary>
/// <param name="LogicalId">The resource's logical ID.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Status">Its status (CREATE_FAILED, UPDATE_FAILED…).</param>
/// <param name="Reason">CloudFormation's ResourceStatusReason.</param>
/// <param name="Timestamp">When it failed.</param>
public sealed record StackFailureCause(string LogicalId, string ResourceType, string Status, string? Reason, DateTimeOffset Timestamp);

/// <summary>The result of deploying one stack.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="Region">Its region.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Plan">The plan it executed (or would).</param>
public sealed record StackDeploymentResult(string StackName, string Region, StackDeploymentOutcome Outcome, StackPlan? Plan)
{
    /// <summary>The stack status at the verdict.</summary>
    public string? FinalStatus { get; init; }

    /// <summary>For a failure: the first FAILED resource event of the operation.</summary>
    public StackFailureCause? RootCause { get; init; }

    /// <summary>What happened and, for a failure, what to do next.</summary>
    public string? Message { get; init; }

    /// <summary>The ClientRequestToken of the execution (the stack events of this operation carry it).</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>Recovery actions performed before deploying (deleted failed new stack, continued rollback skipping …).</summary>
    public IReadOnlyList<string> Recoveries { get; init; } = [];

    /// <summary>True for NoChanges, Planned, Created, Updated and WaitsForImage.</summary>
    public bool IsSuccess => Outcome is StackDeploymentOutcome.NoChanges or StackDeploymentOutcome.Planned or StackDeploymentOutcome.Created or StackDeploymentOutcome.Updated or StackDeploymentOutcome.WaitsForImage;
}

/// <summary>The result of deploying a stack set.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Stacks">One result per selected stack, in deployment order.</param>
public sealed record StackSetDeploymentResult(string Environment, IReadOnlyList<StackDeploymentResult> Stacks)
{
    /// <summary>True when every stack succeeded.</summary>
    public bool IsSuccess => Stacks.All(s => s.IsSuccess);

    /// <summary>The plan of the set, as deployed.</summary>
    public StackSetPlan Plan => new(Environment, [.. Stacks.Where(s => s.Plan is not null).Select(s => s.Plan!)]);
}
