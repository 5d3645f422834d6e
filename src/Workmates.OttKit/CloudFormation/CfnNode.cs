namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// A node of the untyped property tree used for resource properties, metadata, conditions and outputs:
/// an ordered object (<see cref="CfnObject"/>), a list (<see cref="CfnList"/>), a scalar (<see cref="CfnScalar"/>)
/// or an intrinsic function (<see cref="Intrinsic"/>). Strings, numbers, booleans, arrays and
/// <see cref="Value{T}"/> convert implicitly, so property bags read like the template they produce.
/// </summary>
/// <remarks>Equality is structural and order-sensitive: two trees are equal when they would serialize identically.</remarks>
public abstract class CfnNode : IEquatable<CfnNode>
{
    private protected CfnNode()
    {
    }

    /// <summary>Converts a string to a string scalar (a null string becomes the null scalar).</summary>
    /// <param name="value">The string.</param>
    public static implicit operator CfnNode(string? value) => value is null ? CfnScalar.Null : CfnScalar.Of(value);

    /// <summary>Converts an integer to an integer scalar.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator CfnNode(int value) => CfnScalar.Of(value);

    /// <summary>Converts a long integer to an integer scalar.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator CfnNode(long value) => CfnScalar.Of(value);

    /// <summary>Converts a floating-point number to a number scalar.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator CfnNode(double value) => CfnScalar.Of(value);

    /// <summary>Converts a boolean to a boolean scalar.</summary>
    /// <param name="value">The boolean.</param>
    public static implicit operator CfnNode(bool value) => CfnScalar.Of(value);

    /// <summary>Converts an array of nodes to a list.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator CfnNode(CfnNode[] items) => new CfnList(items);

    /// <summary>Converts an array of strings to a list of string scalars.</summary>
    /// <param name="items">The strings.</param>
    public static implicit operator CfnNode(string[] items) => new CfnList(items.Select(static s => (CfnNode)s));

    /// <summary>Converts a list of nodes to a list.</summary>
    /// <param name="items">The items.</param>
    public static implicit operator CfnNode(List<CfnNode> items) => new CfnList(items);

    /// <summary>Converts a list of strings to a list of string scalars.</summary>
    /// <param name="items">The strings.</param>
    public static implicit operator CfnNode(List<string> items) => new CfnList(items.Select(static s => (CfnNode)s));

    /// <summary>Structural equality.</summary>
    /// <param name="other">The other node.</param>
    /// <returns>True when both trees are structurally equal.</returns>
    public abstract bool Equals(CfnNode? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is CfnNode node && Equals(node);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Returns the JSON form of this node (intrinsics in their long <c>{"Fn::X": …}</c> form).</summary>
    /// <returns>Compact JSON.</returns>
    public override string ToString() => CfnJson.ToJsonNode(this)?.ToJsonString() ?? "null";

    /// <summary>Structural equality operator.</summary>
    /// <param name="left">The left node.</param>
    /// <param name="right">The right node.</param>
    /// <returns>True when both are null or structurally equal.</returns>
    public static bool operator ==(CfnNode? left, CfnNode? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality operator.</summary>
    /// <param name="left">The left node.</param>
    /// <param name="right">The right node.</param>
    /// <returns>True when the nodes differ.</returns>
    public static bool operator !=(CfnNode? left, CfnNode? right) => !(left == right);

    /// <summary>Makes a deep copy, so a shared tree can be changed without affecting others.</summary>
    /// <returns>The copy.</returns>
    public abstract CfnNode DeepClone();
}
