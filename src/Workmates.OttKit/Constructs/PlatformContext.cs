using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// Transitional: the <see cref="PlatformNaming"/> plus the whole <see cref="EnvironmentSpec"/>, for the builders not yet
/// given their own props (the allow-list of <c>ConstructSpecIsolationTests</c>). A converted builder takes the naming,
/// its props record and the handles it uses instead; when the allow-list is empty this class goes.
/// </summary>
internal sealed class PlatformContext(EnvironmentSpec spec) : PlatformNaming(spec.Name, spec.Tags)
{
    /// <summary>The whole validated environment (only for builders that still read it).</summary>
    public EnvironmentSpec Spec { get; } = spec;
}

// Transitional overloads of converted constructs for the builders that still pass a PlatformContext (database,
// admin access, database backup); they go with this class.

/// <content>Host pieces, for builders that still pass the whole spec.</content>
internal static partial class HostParts
{
    /// <summary>Transitional: <see cref="InstanceRole(Template, PlatformNaming, string, string, string, PolicyDocument?, StackScope, SessionLogging?)"/>
    /// with the session logging the spec implies (people's access on or off).</summary>
    /// <param name="t">The template of <paramref name="scope"/>.</param>
    /// <param name="ctx">The naming and the whole spec.</param>
    /// <param name="id">The role's logical ID.</param>
    /// <param name="name">The role's name tag and inline policy name.</param>
    /// <param name="description">The role's description.</param>
    /// <param name="statements">The host's own statements, if any.</param>
    /// <param name="scope">The host's stack.</param>
    /// <param name="security">The keys and audit bucket of the session logging.</param>
    /// <returns>The role.</returns>
    public static Resource InstanceRole(Template t, PlatformContext ctx, string id, string name, string description, PolicyDocument? statements, StackScope scope, SecurityBaseline security) =>
        InstanceRole(t, (PlatformNaming)ctx, id, name, description, statements, scope, ctx.Spec.Access is null ? null : SessionLogging.Of(ctx, security));
}

/// <content>The cluster's runtime platform, for builders that still pass the whole spec.</content>
internal static partial class ClusterBuilder
{
    /// <summary>Transitional: <see cref="RuntimePlatform(IReadOnlyList{string})"/> of <c>cluster.instanceTypes</c>.</summary>
    /// <param name="ctx">The naming and the whole spec.</param>
    /// <returns>The task definitions' <c>RuntimePlatform</c>.</returns>
    public static CfnObject RuntimePlatform(PlatformContext ctx) => RuntimePlatform(ctx.Spec.Cluster.InstanceTypes);
}
