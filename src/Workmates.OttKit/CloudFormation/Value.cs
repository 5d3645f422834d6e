using System.Globalization;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// A typed template value: either a literal <typeparamref name="T"/> or an intrinsic function that CloudFormation
/// resolves at deploy time (in the spirit of Pulumi's <c>Input&lt;T&gt;</c>). Both convert implicitly, so a property
/// typed <c>Value&lt;string&gt;</c> accepts <c>"my-bucket"</c> as well as <c>Fn.Sub("${AWS::StackName}-assets")</c>.
/// </summary>
/// <typeparam name="T">The literal type: string, bool, int, long, double, an enum, or a <see cref="CfnNode"/>.</typeparam>
public sealed class Value<T> : IEquatable<Value<T>>
    where T : notnull
{
    private Value(T? literal, Intrinsic? intrinsic)
    {
        Literal = literal;
        Intrinsic = intrinsic;
    }

    /// <summary>The literal, when this value is not an intrinsic.</summary>
    public T? Literal { get; }

    /// <summary>The intrinsic function, when this value is resolved by CloudFormation.</summary>
    public Intrinsic? Intrinsic { get; }

    /// <summary>True when the value is an intrinsic function rather than a literal.</summary>
    public bool IsIntrinsic => Intrinsic is not null;

    /// <summary>Wraps a literal.</summary>
    /// <param name="literal">The literal.</param>
    public static implicit operator Value<T>(T literal) => new(literal ?? throw new ArgumentNullException(nameof(literal)), null);

    /// <summary>Wraps an intrinsic function.</summary>
    /// <param name="intrinsic">The intrinsic.</param>
    public static implicit operator Value<T>(Intrinsic intrinsic) => new(default, intrinsic ?? throw new ArgumentNullException(nameof(intrinsic)));

    /// <summary>Converts the value to its property-tree node.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator CfnNode(Value<T> value) => value?.ToNode() ?? CfnScalar.Null;

    /// <summary>Converts the value to its property-tree node.</summary>
    /// <returns>The intrinsic, or a scalar for the literal.</returns>
    public CfnNode ToNode() => Intrinsic ?? Literal switch
    {
        CfnNode node => node,
        string s => CfnScalar.Of(s),
        bool b => CfnScalar.Of(b),
        int i => CfnScalar.Of(i),
        long l => CfnScalar.Of(l),
        double d => CfnScalar.Of(d),
        Enum e => CfnScalar.Of(e.ToString()),
        IFormattable f => CfnScalar.Of(f.ToString(null, CultureInfo.InvariantCulture)),
        null => CfnScalar.Null,
        var other => CfnScalar.Of(other.ToString() ?? string.Empty),
    };

    /// <inheritdoc />
    public bool Equals(Value<T>? other) => other is not null && ToNode().Equals(other.ToNode());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Value<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ToNode().GetHashCode();

    /// <inheritdoc />
    public override string ToString() => ToNode() is CfnScalar s ? s.Text ?? "null" : ToNode().ToString();
}
