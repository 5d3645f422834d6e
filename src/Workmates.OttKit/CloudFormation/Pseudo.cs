using System.Collections.Frozen;

namespace Workmates.OttKit.CloudFormation;

/// <summary>CloudFormation pseudo parameters, as <c>Ref</c> intrinsics (e.g. <c>Pseudo.Region</c> is <c>!Ref AWS::Region</c>).</summary>
public static class Pseudo
{
    /// <summary>The names of all pseudo parameters.</summary>
    public static IReadOnlySet<string> Names { get; } = new[]
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary><c>AWS::Region</c>: the region the stack is created in.</summary>
    public static Intrinsic Region => Fn.Ref("AWS::Region");

    /// <summary><c>AWS::AccountId</c>: the account the stack is created in.</summary>
    public static Intrinsic AccountId => Fn.Ref("AWS::AccountId");

    /// <summary><c>AWS::StackName</c>: the stack name.</summary>
    public static Intrinsic StackName => Fn.Ref("AWS::StackName");

    /// <summary><c>AWS::StackId</c>: the stack ARN.</summary>
    public static Intrinsic StackId => Fn.Ref("AWS::StackId");

    /// <summary><c>AWS::Partition</c>: <c>aws</c>, <c>aws-cn</c> or <c>aws-us-gov</c>.</summary>
    public static Intrinsic Partition => Fn.Ref("AWS::Partition");

    /// <summary><c>AWS::URLSuffix</c>: the domain suffix, usually <c>amazonaws.com</c>.</summary>
    public static Intrinsic URLSuffix => Fn.Ref("AWS::URLSuffix");

    /// <summary><c>AWS::NoValue</c>: removes the property it is assigned to (typically inside <c>Fn::If</c>).</summary>
    public static Intrinsic NoValue => Fn.Ref("AWS::NoValue");

    /// <summary><c>AWS::NotificationARNs</c>: the stack's notification topic ARNs.</summary>
    public static Intrinsic NotificationARNs => Fn.Ref("AWS::NotificationARNs");

    /// <summary>Tells whether a name is a pseudo parameter.</summary>
    /// <param name="name">The name, e.g. <c>AWS::Region</c>.</param>
    /// <returns>True for pseudo parameters.</returns>
    public static bool IsPseudoParameter(string name) => Names.Contains(name);
}
