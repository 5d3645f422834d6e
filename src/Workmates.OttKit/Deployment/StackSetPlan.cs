namespace Workmates.OttKit.Deployment;

/// <summary>What a deploy would do to one stack.</summary>
public enum StackPlanAction
{
    /// <summary>The stack exists and the change set "didn't contain changes".</summary>
    NoChanges,

    /// <summary>The stack does not exist yet and would be created.</summary>
    Create,

    /// <summary>The stack exists and would be updated (see <see cref="StackPlan.Changes"/>).</summary>
    Update,

    /// <summary>
    /// The stack is in a state nothing can be deployed onto until it is recovered: ROLLBACK_COMPLETE / ROLLBACK_FAILED
    /// (a failed first create: delete it) or UPDATE_ROLLBACK_FAILED (continue the rollback). <see cref="StackPlan.Reason"/> says how.
    /// </summary>
    Blocked,

    /// <summary>Not planned now: it takes a parameter from the outputs of a stack that is not deployed yet.</summary>
    Deferred,

    /// <summary>The change set could not be created (template or parameter error); <see cref="StackPlan.Reason"/> has CloudFormation's reason.</summary>
    Failed,
}

/// <summary>Whether a change replaces the physical resource (CloudFormation's <c>Replacement</c>).</summary>
public enum ResourceReplacement
{
    /// <summary>Updated in place.</summary>
    False,

    /// <summary>Replaced: a new physical resource, the old one deleted.</summary>
    True,

    /// <summary>Replaced or not depending on a value known only during the update.</summary>
    Conditional,
}

/// <summary>One resource-level change of a plan (from the change set).</summary>
/// <param name="LogicalId">The resource's logical ID.</param>
/// <param name="ResourceType">Its type, such as <c>AWS::ECS::TaskDefinition</c>.</param>
/// <param name="Action"><c>Add</c>, <c>Modify</c>, <c>Remove</c> (also <c>Import</c>, <c>Dynamic</c>).</param>
/// <param name="Replacement">For a Modify: whether it replaces the resource.</param>
/// <param name="ChangedProperties">Names of the properties that change (for a Modify), sorted, without duplicates.</param>
/// <param name="Protected">The stack policy this deployer sets forbids this change (replacing or deleting a data volume or the backup bucket): executing it fails.</param>
public sealed record PlannedResourceChange(
    string LogicalId,
    string ResourceType,
    string Action,
    ResourceReplacement Replacement,
    IReadOnlyList<string> ChangedProperties,
    bool Protected);

/// <summary>A resource that drift detection found changed outside CloudFormation.</summary>
/// <param name="LogicalId">The resource's logical ID.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="DriftStatus"><c>MODIFIED</c> or <c>DELETED</c>.</param>
public sealed record DriftedResource(string LogicalId, string ResourceType, string DriftStatus);

/// <summary>The drift of a stack before the update (only when asked: <see cref="StackDeployOptions.DetectDrift"/>).</summary>
/// <param name="Status"><c>IN_SYNC</c>, <c>DRIFTED</c> or <c>UNKNOWN</c>.</param>
/// <param name="Resources">The drifted resources.</param>
public sealed record StackDrift(string Status, IReadOnlyList<DriftedResource> Resources);

/// <summary>The plan of one stack.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="Region">Its region.</param>
/// <param name="Action">What a deploy would do.</param>
/// <param name="Changes">Resource changes (Create and Update).</param>
/// <param name="Parameters">The parameter values the change set was created with (ImageTag and cross-region values resolved; previous values shown as <c>(previous value)</c>).</param>
/// <param name="Reason">Why a stack is Blocked, Deferred or Failed, and what to do.</param>
public sealed record StackPlan(
    string StackName,
    string Region,
    StackPlanAction Action,
    IReadOnlyList<PlannedResourceChange> Changes,
    IReadOnlyDictionary<string, string> Parameters,
    string? Reason)
{
    /// <summary>The drift found before the update, when asked.</summary>
    public StackDrift? Drift { get; init; }

    /// <summary>The template artifact the change set was created from (S3 URL).</summary>
    public Uri? TemplateUrl { get; init; }

    /// <summary>True when a deploy would change the stack (Create or Update).</summary>
    public bool HasChanges => Action is StackPlanAction.Create or StackPlanAction.Update;
}

/// <summary>The plan of a stack set, stacks in deployment order.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Stacks">One plan per selected stack, in deployment order.</param>
public sealed record StackSetPlan(string Environment, IReadOnlyList<StackPlan> Stacks)
{
    /// <summary>True when any stack would be created or updated.</summary>
    public bool HasChanges => Stacks.Any(s => s.HasChanges);

    /// <summary>True when a stack could not be planned (Blocked or Failed).</summary>
    public bool HasErrors => Stacks.Any(s => s.Action is StackPlanAction.Blocked or StackPlanAction.Failed);
}
