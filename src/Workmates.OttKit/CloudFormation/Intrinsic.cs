namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// An intrinsic function call such as <c>Ref</c>, <c>Fn::GetAtt</c> or <c>Fn::Sub</c>: a node that stands wherever a
/// literal can. Create them with <see cref="Fn"/>, <see cref="Pseudo"/>, <see cref="Resource.Ref"/> and
/// <see cref="Resource.GetAtt(string)"/>. JSON writes <c>{"Fn::Sub": …}</c>; YAML writes the short form <c>!Sub …</c>.
/// </summary>
public sealed class Intrinsic : CfnNode
{
    /// <summary>Creates a call of any intrinsic function, including ones <see cref="Fn"/> has no helper for.</summary>
    /// <param name="name">The full function name: <c>Ref</c>, <c>Condition</c> or <c>Fn::Name</c>.</param>
    /// <param name="argument">The argument exactly as CloudFormation expects it.</param>
    public Intrinsic(string name, CfnNode argument)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsFunctionName(name))
        {
            throw new ArgumentException($"'{name}' is not an intrinsic function name; use Ref, Condition or Fn::Name.", nameof(name));
        }

        Name = name;
        Argument = argument ?? CfnScalar.Null;
    }

    /// <summary>The full function name, e.g. <c>Ref</c> or <c>Fn::Join</c>.</summary>
    public string Name { get; }

    /// <summary>The argument, e.g. the logical ID string for <c>Ref</c> or a list for <c>Fn::Join</c>.</summary>
    public CfnNode Argument { get; }

    /// <summary>The YAML short-form tag without the <c>!</c>: <c>Ref</c>, <c>Condition</c>, or the name after <c>Fn::</c>.</summary>
    public string ShortName => Name.StartsWith("Fn::", StringComparison.Ordinal) ? Name[4..] : Name;

    /// <summary>Tells whether a single-key object with this key is an intrinsic function call.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True for <c>Ref</c>, <c>Condition</c> and <c>Fn::*</c>.</returns>
    public static bool IsFunctionName(string key) =>
        key is "Ref" or "Condition" || (key.StartsWith("Fn::", StringComparison.Ordinal) && key.Length > 4);

    /// <inheritdoc />
    public override bool Equals(CfnNode? other) =>
        ReferenceEquals(this, other)
        || (other is Intrinsic i && string.Equals(i.Name, Name, StringComparison.Ordinal) && i.Argument.Equals(Argument));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Argument.GetHashCode());

    /// <inheritdoc />
    public override CfnNode DeepClone() => new Intrinsic(Name, Argument.DeepClone());
}
