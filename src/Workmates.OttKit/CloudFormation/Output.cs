namespace Workmates.OttKit.CloudFormation;

/// <summary>A stack output, optionally exported for other stacks to import.</summary>
public sealed class Output : IEquatable<Output>
{
    /// <summary>Creates an output.</summary>
    /// <param name="logicalId">The logical ID (alphanumeric, at most 255 characters).</param>
    /// <param name="value">The value, typically a <c>Ref</c>, <c>GetAtt</c> or <c>Sub</c>.</param>
    public Output(string logicalId, CfnNode value)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        ArgumentNullException.ThrowIfNull(value);
        LogicalId = logicalId;
        Value = value;
    }

    /// <summary>The logical ID.</summary>
    public string LogicalId { get; }

    /// <summary>The value.</summary>
    public CfnNode Value { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The name of the condition that decides whether the output exists.</summary>
    public string? Condition { get; set; }

    /// <summary>The export name (unique per account and region), or null when not exported.</summary>
    public Value<string>? ExportName { get; set; }

    /// <summary><c>Fn::ImportValue</c> of this output's export, for use in another stack.</summary>
    /// <returns>The intrinsic.</returns>
    /// <exception cref="InvalidOperationException">The output is not exported.</exception>
    public Intrinsic ImportValue() => ExportName is null
        ? throw new InvalidOperationException($"Outputs.{LogicalId} has no export name; set ExportName before importing it.")
        : Fn.ImportValue(ExportName);

    /// <inheritdoc />
    public bool Equals(Output? other) =>
        other is not null
        && string.Equals(LogicalId, other.LogicalId, StringComparison.Ordinal)
        && Value.Equals(other.Value)
        && string.Equals(Description, other.Description, StringComparison.Ordinal)
        && string.Equals(Condition, other.Condition, StringComparison.Ordinal)
        && Equals(ExportName, other.ExportName);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Output other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(LogicalId);

    /// <inheritdoc />
    public override string ToString() => LogicalId;
}
