using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Turns an <see cref="EnvironmentSpec"/> into the platform's CloudFormation: a <see cref="StackSet"/> split by
/// lifecycle (security, network, cluster, repositories, load balancer, one stack per service). Pure: no clock, network or
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
        var ctx = new PlatformContext(spec);
        var stacks = new List<(string Name, Template Template)>
        {
            (ctx.StackName(PlatformContext.SecurityPart), SecurityBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.NetworkPart), NetworkBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.ClusterPart), ClusterBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.RepositoriesPart), RepositoryBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.LoadBalancerPart), LoadBalancerBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.BackupsPart), BackupBuilder.Build(ctx)),
            (ctx.StackName(PlatformContext.PatchingPart), PatchingBuilder.Build(ctx)),
        };
        if (spec.Database is not null)
        {
            stacks.Add((ctx.StackName(PlatformContext.DatabasePart), DatabaseBuilder.Build(ctx)));
            stacks.Add((ctx.StackName(PlatformContext.DatabaseBackupPart), DatabaseBackupBuilder.Build(ctx)));
        }

        if (spec.AdminAccess is not null)
        {
            stacks.Add((ctx.StackName(PlatformContext.AdminAccessPart), AdminAccessBuilder.Build(ctx)));
        }

        for (var i = 0; i < spec.Services.Count; i++)
        {
            stacks.Add((ctx.StackName(PlatformContext.ServicePart(spec.Services[i].Name)), ServiceBuilder.Build(ctx, i)));
        }

        // CloudFormation's own rules (references, quotas, body size) before anything reaches AWS.
        foreach (var (_, template) in stacks)
        {
            template.EnsureValid();
        }

        return Link(spec, stacks);
    }

    /// <summary>Derives each stack's exports, imports and dependencies from its template, then orders the set.</summary>
    internal static StackSet Link(EnvironmentSpec spec, IReadOnlyList<(string Name, Template Template)> stacks)
    {
        var exporter = new Dictionary<string, string>(StringComparer.Ordinal);
        var exports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, template) in stacks)
        {
            var names = template.Outputs.Values
                .Select(o => o.ExportName is { IsIntrinsic: false } e ? e.Literal : null)
                .OfType<string>()
                .ToArray();
            foreach (var export in names)
            {
                if (!exporter.TryAdd(export, name))
                {
                    throw new StackOrderException($"Export '{export}' is published by both '{exporter[export]}' and '{name}'.");
                }
            }

            exports[name] = names;
        }

        var result = new List<Stack>();
        foreach (var (name, template) in stacks)
        {
            var imports = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var resource in template.Resources.Values)
            {
                CollectImports(resource.Properties, imports);
            }

            var dependsOn = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var import in imports)
            {
                if (!exporter.TryGetValue(import, out var source))
                {
                    throw new StackOrderException($"Stack '{name}' imports '{import}', which no stack of the set exports.");
                }

                if (!string.Equals(source, name, StringComparison.Ordinal))
                {
                    dependsOn.Add(source);
                }
            }

            var parameters = template.Parameters.Values
                .Select(p => new StackParameter(p.LogicalId, p.Type, p.Default, p.Description))
                .ToArray();
            result.Add(new Stack(name, spec.Region, template, parameters, exports[name], [.. imports], [.. dependsOn]));
        }

        return new StackSet(spec.Name, spec.Region, result);
    }

    private static void CollectImports(CfnNode node, SortedSet<string> imports)
    {
        switch (node)
        {
            case Intrinsic { Name: "Fn::ImportValue", Argument: CfnScalar { StringValue: { } export } }:
                imports.Add(export);
                break;
            case Intrinsic intrinsic:
                CollectImports(intrinsic.Argument, imports);
                break;
            case CfnObject obj:
                foreach (var (_, value) in obj)
                {
                    CollectImports(value, imports);
                }

                break;
            case CfnList list:
                foreach (var item in list)
                {
                    CollectImports(item, imports);
                }

                break;
        }
    }
}
