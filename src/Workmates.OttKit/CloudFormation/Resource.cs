namespace Workmates.OttKit.CloudFormation;

/// <summary>What CloudFormation does with a resource when it is removed from the stack or the stack is deleted.</summary>
public enum DeletionPolicy
{
    /// <summary>Delete the resource.</summary>
    Delete,

    /// <summary>Keep the resource.</summary>
    Retain,

    /// <summary>Take a snapshot, then delete (for resources that support snapshots).</summary>
    Snapshot,

    /// <summary>Keep the resource, except when the stack fails to create it.</summary>
    RetainExceptOnCreate,
}

/// <summary>What CloudFormation does with the old physical resource when an update replaces it.</summary>
public enum UpdateReplacePolicy
{
    /// <summary>Delete the old resource.</summary>
    Delete,

    /// <summary>Keep the old resource.</summary>
    Retain,

    /// <summary>Snapshot the old resource, then delete it.</summary>
    Snapshot,
}

/// <summary>
/// A resource of any type with a general property bag. Reference it with <see cref="Ref"/> and
/// <see cref="GetAtt(string)"/>; set properties through <see cref="Properties"/> or the indexer.
/// </summary>
public sealed class Resource : IEquatable<Resource>
{
    /// <summary>Creates a resource.</summary>
    /// <param name="logicalId">The logical ID (alphanumeric, at most 255 characters).</param>
    /// <param name="type">The resource type, e.g. <c>AWS::S3::Bucket</c>.</param>
    public Resource(string logicalId, string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        LogicalId = logicalId;
        Type = type;
    }

    /// <summary>The logical ID.</summary>
    public string LogicalId { get; }

    /// <summary>The resource type, e.g. <c>AWS::S3::Bucket</c>.</summary>
    public string Type { get; }

    /// <summary>The resource properties, in the order they were set.</summary>
    public CfnObject Properties { get; init; } = [];

    /// <summary>Logical IDs of resources that must be created first (beyond those implied by <c>Ref</c>/<c>GetAtt</c>).</summary>
    public IList<string> DependsOn { get; init; } = [];

    /// <summary>The name of the condition that decides whether the resource is created.</summary>
    public string? Condition { get; set; }

    /// <summary>What happens to the resource when it leaves the stack.</summary>
    public Value<DeletionPolicy>? DeletionPolicy { get; set; }

    /// <summary>What happens to the old resource when an update replaces it.</summary>
    public Value<UpdateReplacePolicy>? UpdateReplacePolicy { get; set; }

    /// <summary>Resource metadata (e.g. <c>AWS::CloudFormation::Init</c>).</summary>
    public CfnObject? Metadata { get; set; }

    /// <summary>The creation policy (signals to wait for).</summary>
    public CfnObject? CreationPolicy { get; set; }

    /// <summary>The update policy (e.g. rolling updates of an Auto Scaling group).</summary>
    public CfnObject? UpdatePolicy { get; set; }

    /// <summary>Gets or sets a property.</summary>
    /// <param name="property">The property name.</param>
    public CfnNode this[string property]
    {
        get => Properties[property];
        set => Properties[property] = value;
    }

    /// <summary><c>Ref</c> to this resource (its physical ID, or what the type documents for <c>Ref</c>).</summary>
    /// <returns>The intrinsic.</returns>
    public Intrinsic Ref() => Fn.Ref(LogicalId);

    /// <summary><c>Fn::GetAtt</c> of an attribute of this resource.</summary>
    /// <param name="attribute">The attribute, e.g. <c>Arn</c>.</param>
    /// <returns>The intrinsic.</returns>
    public Intrinsic GetAtt(string attribute) => Fn.GetAtt(LogicalId, attribute);

    /// <summary>Adds an explicit dependency on another resource.</summary>
    /// <param name="other">The resource to create first.</param>
    /// <returns>This resource.</returns>
    public Resource DependOn(Resource other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!DependsOn.Contains(other.LogicalId))
        {
            DependsOn.Add(other.LogicalId);
        }

        return this;
    }

    /// <inheritdoc />
    public bool Equals(Resource? other) =>
        other is not null
        && string.Equals(LogicalId, other.LogicalId, StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && Properties.Equals(other.Properties)
        && DependsOn.SequenceEqual(other.DependsOn, StringComparer.Ordinal)
        && string.Equals(Condition, other.Condition, StringComparison.Ordinal)
        && Equals(DeletionPolicy, other.DeletionPolicy)
        && Equals(UpdateReplacePolicy, other.UpdateReplacePolicy)
        && Equals(Metadata, other.Metadata)
        && Equals(CreationPolicy, other.CreationPolicy)
        && Equals(UpdatePolicy, other.UpdatePolicy);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Resource other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(LogicalId), StringComparer.Ordinal.GetHashCode(Type));

    /// <inheritdoc />
    public override string ToString() => $"{LogicalId} ({Type})";
}
