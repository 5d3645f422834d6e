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
        var ctx = new PlatformContext(spec);
        var stacks = new List<StackDraft>
        {
            // First: it imports nothing and holds the artifacts bucket every other deploy stores its template in.
            (ctx.StackName(PlatformContext.BootstrapPart), BootstrapBuilder.Build(ctx)),
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

        if (spec.Access is not null)
        {
            stacks.Add((ctx.StackName(PlatformContext.AccessPart), PeopleAccessBuilder.Build(ctx)));
        }

        if (spec.AdminAccess is not null)
        {
            stacks.Add((ctx.StackName(PlatformContext.AdminAccessPart), AdminAccessBuilder.Build(ctx)));
        }

        for (var i = 0; i < spec.Services.Count; i++)
        {
            stacks.Add((ctx.StackName(PlatformContext.ServicePart(spec.Services[i].Name)), ServiceBuilder.Build(ctx, i)));
        }

        if (spec.Media is not null)
        {
            // CloudFront reads web ACLs only from us-east-1; the ARN reaches the media stack as a deploy-time parameter.
            stacks.Add(new StackDraft(ctx.StackName(PlatformContext.EdgeWafPart), MediaDeliveryBuilder.BuildEdgeWebAcl(ctx), PlatformContext.EdgeRegion));
            stacks.Add(new StackDraft(ctx.StackName(PlatformContext.MediaPart), MediaDeliveryBuilder.Build(ctx), ValueFrom: MediaDeliveryBuilder.ParameterSources(ctx)));
        }

        StackDraft? monitoring = null;
        if (spec.Monitoring is not null)
        {
            // It watches whatever the other stacks publish (the database members' exports, when present).
            var published = stacks.SelectMany(s => s.Template.Outputs.Values)
                .Select(o => o.ExportName is { IsIntrinsic: false } e ? e.Literal : null)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            monitoring = (ctx.StackName(PlatformContext.MonitoringPart), MonitoringBuilder.Build(ctx, published));
        }

        foreach (var stack in stacks.Append(monitoring).OfType<StackDraft>())
        {
            ctx.PlaceRolesUnderEnvironmentPath(stack.Template);
            BucketParts.EnableObjectLock(stack.Template);
        }

        if (spec.Ci is not null)
        {
            // After every other stack: its roles touch exactly those stacks, and its CloudFormation service role may
            // create exactly the resource types they contain.
            var others = stacks.Append(monitoring).OfType<StackDraft>()
                .Select(s => (s.Name, s.Region ?? spec.Region, s.Template))
                .ToList();
            stacks.Add((ctx.StackName(PlatformContext.CiPart), CiRoleBuilder.Build(ctx, others)));
        }

        if (monitoring is not null)
        {
            stacks.Add(monitoring);
        }

        // CloudFormation's own rules (references, quotas, body size) before anything reaches AWS.
        foreach (var stack in stacks)
        {
            stack.Template.EnsureValid();
        }

        return Link(spec, stacks);
    }

    /// <summary>Derives each stack's exports, imports and dependencies from its template, then orders the set.</summary>
    internal static StackSet Link(EnvironmentSpec spec, IReadOnlyList<(string Name, Template Template)> stacks) =>
        Link(spec, [.. stacks.Select(s => (StackDraft)s)]);

    /// <summary>
    /// Derives each stack's exports, imports and dependencies, then orders the set. An import must come from a stack in
    /// the same region (exports are regional); a parameter's <see cref="StackParameter.ValueFrom"/> may name a stack in
    /// any region, and that stack becomes a dependency too.
    /// </summary>
    internal static StackSet Link(EnvironmentSpec spec, IReadOnlyList<StackDraft> stacks)
    {
        var regionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var templateOf = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            regionOf[stack.Name] = stack.Region ?? spec.Region;
            templateOf[stack.Name] = stack.Template;
        }

        var exporter = new Dictionary<string, string>(StringComparer.Ordinal);
        var exports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, template, _, _) in stacks)
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
        foreach (var (name, template, _, valueFrom) in stacks)
        {
            var region = regionOf[name];
            var imports = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var resource in template.Resources.Values)
            {
                CollectImports(resource.Properties, imports);
            }

            foreach (var output in template.Outputs.Values)
            {
                CollectImports(output.Value, imports);
            }

            var dependsOn = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var import in imports)
            {
                if (!exporter.TryGetValue(import, out var source))
                {
                    throw new StackOrderException($"Stack '{name}' imports '{import}', which no stack of the set exports.");
                }

                if (!string.Equals(regionOf[source], region, StringComparison.Ordinal))
                {
                    throw new StackOrderException(
                        $"Stack '{name}' ({region}) imports '{import}' from '{source}' ({regionOf[source]}); Fn::ImportValue cannot cross regions. Pass the value as a parameter with ValueFrom instead.");
                }

                if (!string.Equals(source, name, StringComparison.Ordinal))
                {
                    dependsOn.Add(source);
                }
            }

            var sources = valueFrom ?? new Dictionary<string, StackOutputReference>(StringComparer.Ordinal);
            foreach (var (parameter, reference) in sources)
            {
                if (!template.Parameters.ContainsKey(parameter))
                {
                    throw new StackOrderException($"Stack '{name}' fills parameter '{parameter}' from '{reference.StackName}', but its template has no such parameter.");
                }

                if (!templateOf.TryGetValue(reference.StackName, out var source))
                {
                    throw new StackOrderException($"Stack '{name}' fills parameter '{parameter}' from stack '{reference.StackName}', which is not in the set.");
                }

                if (!source.Outputs.ContainsKey(reference.OutputKey))
                {
                    throw new StackOrderException($"Stack '{name}' fills parameter '{parameter}' from output '{reference.OutputKey}' of '{reference.StackName}', which has no such output.");
                }

                if (string.Equals(reference.StackName, name, StringComparison.Ordinal))
                {
                    throw new StackOrderException($"Stack '{name}' fills parameter '{parameter}' from its own output '{reference.OutputKey}'.");
                }

                dependsOn.Add(reference.StackName);
            }

            var parameters = template.Parameters.Values
                .Select(p => new StackParameter(p.LogicalId, p.Type, p.Default, p.Description, sources.GetValueOrDefault(p.LogicalId)))
                .ToArray();
            result.Add(new Stack(name, region, template, parameters, exports[name], [.. imports], [.. dependsOn]));
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
