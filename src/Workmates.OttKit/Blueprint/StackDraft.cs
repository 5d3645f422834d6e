using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// A synthesized template before linking: its stack name, the region it deploys to when not the environment's home
/// region, and the parameters the deployer fills from other stacks' outputs (the only way a value crosses regions).
/// </summary>
/// <param name="Name">Stack name.</param>
/// <param name="Template">The template.</param>
/// <param name="Region">Region of the stack; <see langword="null"/> for the environment's home region.</param>
/// <param name="ValueFrom">Parameter logical ID → the output of another stack that supplies it at deploy time.</param>
internal sealed record StackDraft(
    string Name,
    Template Template,
    string? Region = null,
    IReadOnlyDictionary<string, StackOutputReference>? ValueFrom = null)
{
    /// <summary>A home-region stack without cross-stack parameters, so builder lines stay <c>(name, template)</c>.</summary>
    public static implicit operator StackDraft((string Name, Template Template) stack) => new(stack.Name, stack.Template);
}
