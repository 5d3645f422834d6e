using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Turns an <see cref="EnvironmentSpec"/> into the platform's CloudFormation: a <see cref="StackSet"/> split by
/// lifecycle (bootstrap, security, network, cluster, repositories, load balancer, one stack per service, then the optional media,
/// edge WAF (us-east-1), CI and monitoring stacks). Pure: no clock, network or
/// randomness, so the same spec gives the same bytes, and logical IDs derive from names, never from positions.
/// </summary>
public static class Blueprint
{
    /// <summary>Validates the spec and synthesizes the stack set.</summary>
    /// <param name="spec">The environment.</param>
    /// <returns>The stacks in deployment order.</returns>
    /// <exception cref="OttKitValidationException">The spec has problems; all of them are listed.</exception>
    /// <exception cref="TemplateValidationException">A template breaks a CloudFormation rule or quota (a blueprint defect).</exception>
    public static StackSet Synthesize(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.EnsureValid();
        var graph = PlatformGraph.Compose(spec);

        // CloudFormation's own rules (references, quotas, body size) before anything reaches AWS.
        foreach (var stack in graph.Stacks)
        {
            stack.Template.EnsureValid();
        }

        return graph.ToStackSet();
    }
}
