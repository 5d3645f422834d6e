namespace Workmates.OttKit.Simulators.Aws;

/// <summary>Which step of a resource's life a scenario failure applies to.</summary>
public enum CfnResourceOperation
{
    /// <summary>Creating the resource (stack create or an Add in an update).</summary>
    Create,

    /// <summary>Updating the resource in a stack update.</summary>
    Update,

    /// <summary>Deleting the resource (stack delete, rollback of a create, cleanup).</summary>
    Delete,

    /// <summary>Reverting the resource during UPDATE_ROLLBACK_IN_PROGRESS (leads to UPDATE_ROLLBACK_FAILED).</summary>
    UpdateRollback,
}

/// <summary>A scenario-chosen failure: the resource fails that operation with that reason until cleared.</summary>
/// <param name="LogicalResourceId">The resource's logical id.</param>
/// <param name="Operation">The operation that fails.</param>
/// <param name="Reason">The ResourceStatusReason reported.</param>
public sealed record CfnResourceFailure(string LogicalResourceId, CfnResourceOperation Operation, string Reason)
{
    /// <summary>Restrict to one stack (name); null means any stack.</summary>
    public string? StackName { get; init; }
}

/// <summary>Simulation settings of the CloudFormation simulator (all durations are virtual).</summary>
public sealed record CloudFormationScenario
{
    /// <summary>From CreateChangeSet to CREATE_COMPLETE / FAILED.</summary>
    public TimeSpan ChangeSetCreationTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long creating, updating or deleting one resource takes.</summary>
    public TimeSpan ResourceDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per resource type overrides of <see cref="ResourceDuration"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> ResourceDurations { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>The gap between consecutive events.</summary>
    public TimeSpan StepDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long drift detection takes.</summary>
    public TimeSpan DriftDetectionTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Page size of DescribeStackEvents.</summary>
    public int EventsPageSize { get; init; } = 100;

    /// <summary>Page size of DescribeChangeSet's Changes.</summary>
    public int ChangesPageSize { get; init; } = 100;

    /// <summary>Page size of DescribeStacks and ListChangeSets.</summary>
    public int StacksPageSize { get; init; } = 100;

    /// <summary>With an attached ECS simulator: how long a service update waits for its ECS deployment (CloudFormation: 3 hours).</summary>
    public TimeSpan EcsStabilizationTimeout { get; init; } = TimeSpan.FromHours(3);

    /// <summary>With an attached ECS simulator: how often the stack operation looks at the ECS deployment.</summary>
    public TimeSpan EcsPollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra replacement rules, "Type.Property" → "Always" | "Conditionally" | "Never", over the built-in ones.</summary>
    public IReadOnlyDictionary<string, string> ReplacementRules { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
