namespace Workmates.OttKit.Deployment;

/// <summary>A progress event of a stack deploy, for a CLI or CI to render.</summary>
/// <param name="At">When the deployer observed it (its clock).</param>
/// <param name="StackName">The stack.</param>
public abstract record StackDeploymentEvent(DateTimeOffset At, string StackName);

/// <summary>The template was stored as an artifact.</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="TemplateUrl">Where.</param>
/// <param name="Bytes">Its size in bytes.</param>
public sealed record TemplateUploaded(DateTimeOffset At, string StackName, Uri TemplateUrl, int Bytes) : StackDeploymentEvent(At, StackName);

/// <summary>A change set was created.</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="ChangeSetName">Its name.</param>
/// <param name="ChangeSetType">CREATE or UPDATE.</param>
public sealed record ChangeSetCreated(DateTimeOffset At, string StackName, string ChangeSetName, string ChangeSetType) : StackDeploymentEvent(At, StackName);

/// <summary>The stack's plan is known.</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="Plan">The plan.</param>
public sealed record StackPlanned(DateTimeOffset At, string StackName, StackPlan Plan) : StackDeploymentEvent(At, StackName);

/// <summary>A recovery step started (deleting a failed new stack, a REVIEW_IN_PROGRESS leftover, or continuing a failed rollback).</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="Description">What is being done.</param>
public sealed record StackRecoveryStarted(DateTimeOffset At, string StackName, string Description) : StackDeploymentEvent(At, StackName);

/// <summary>A change set execution (or a recovery operation) started.</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="ClientRequestToken">The token its stack events carry.</param>
public sealed record StackOperationStarted(DateTimeOffset At, string StackName, string ClientRequestToken) : StackDeploymentEvent(At, StackName);

/// <summary>A stack event of the operation being watched.</summary>
/// <param name="At">The event's timestamp (CloudFormation's).</param>
/// <param name="StackName">The stack.</param>
/// <param name="LogicalId">The resource (the stack name for the stack itself).</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Status">The resource status.</param>
/// <param name="Reason">The ResourceStatusReason.</param>
public sealed record StackResourceEvent(DateTimeOffset At, string StackName, string LogicalId, string ResourceType, string Status, string? Reason)
    : StackDeploymentEvent(At, StackName)
{
    /// <summary>True for the stack's own event.</summary>
    public bool IsStackEvent => ResourceType == "AWS::CloudFormation::Stack" && LogicalId == StackName;
}

/// <summary>The stack's verdict (always the last event of a stack).</summary>
/// <param name="At">When.</param>
/// <param name="StackName">The stack.</param>
/// <param name="Result">The result.</param>
public sealed record StackDeploymentFinished(DateTimeOffset At, string StackName, StackDeploymentResult Result) : StackDeploymentEvent(At, StackName);
