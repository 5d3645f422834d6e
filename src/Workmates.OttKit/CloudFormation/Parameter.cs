namespace Workmates.OttKit.CloudFormation;

/// <summary>A template parameter: a value supplied when the stack is created or updated.</summary>
public sealed class Parameter : IEquatable<Parameter>
{
    /// <summary>Creates a parameter.</summary>
    /// <param name="logicalId">The logical ID (alphanumeric, at most 255 characters).</param>
    /// <param name="type">The type: <c>String</c>, <c>Number</c>, <c>List&lt;Number&gt;</c>, <c>CommaDelimitedList</c>, an AWS-specific type such as <c>AWS::EC2::VPC::Id</c>, or an SSM parameter type.</param>
    public Parameter(string logicalId, string type = "String")
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        LogicalId = logicalId;
        Type = type;
    }

    /// <summary>The logical ID.</summary>
    public string LogicalId { get; }

    /// <summary>The parameter type.</summary>
    public string Type { get; }

    /// <summary>The default value (parameters are strings to CloudFormation; numbers are written as text).</summary>
    public string? Default { get; set; }

    /// <summary>The description shown in the console.</summary>
    public string? Description { get; set; }

    /// <summary>The only values allowed; empty for no restriction.</summary>
    public IList<string> AllowedValues { get; init; } = [];

    /// <summary>A regular expression that string values must match.</summary>
    public string? AllowedPattern { get; set; }

    /// <summary>The minimum length of a string value.</summary>
    public int? MinLength { get; set; }

    /// <summary>The maximum length of a string value.</summary>
    public int? MaxLength { get; set; }

    /// <summary>The minimum of a number value.</summary>
    public double? MinValue { get; set; }

    /// <summary>The maximum of a number value.</summary>
    public double? MaxValue { get; set; }

    /// <summary>Masks the value in the console and API (for secrets).</summary>
    public bool NoEcho { get; set; }

    /// <summary>The message shown when a constraint is violated.</summary>
    public string? ConstraintDescription { get; set; }

    /// <summary><c>Ref</c> to this parameter's value.</summary>
    /// <returns>The intrinsic.</returns>
    public Intrinsic Ref() => Fn.Ref(LogicalId);

    /// <inheritdoc />
    public bool Equals(Parameter? other) =>
        other is not null
        && string.Equals(LogicalId, other.LogicalId, StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && string.Equals(Default, other.Default, StringComparison.Ordinal)
        && string.Equals(Description, other.Description, StringComparison.Ordinal)
        && AllowedValues.SequenceEqual(other.AllowedValues, StringComparer.Ordinal)
        && string.Equals(AllowedPattern, other.AllowedPattern, StringComparison.Ordinal)
        && MinLength == other.MinLength
        && MaxLength == other.MaxLength
        && Nullable.Equals(MinValue, other.MinValue)
        && Nullable.Equals(MaxValue, other.MaxValue)
        && NoEcho == other.NoEcho
        && string.Equals(ConstraintDescription, other.ConstraintDescription, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Parameter other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(LogicalId);

    /// <inheritdoc />
    public override string ToString() => $"{LogicalId} ({Type})";
}
