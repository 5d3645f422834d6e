using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Patching;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// Where the scopes <c>ottkit patch install</c> declares (<see cref="PatchRunner.RequiredPermissions"/> and
/// <see cref="EcsHostDrainer.RequiredPermissions"/>) land in one environment. Every role that runs patching — the
/// scheduled database patch task and the administrator role — is granted through this one resolver, so an action a
/// patch operation newly declares reaches them all with no hand-written policy to update.
/// </summary>
internal static class PatchPermissionScopes
{
    /// <summary>What installing patches on the database (members one at a time, step-down on the primary) calls.</summary>
    public static IReadOnlyList<RequiredAction> DatabaseInstall => [.. PatchRunner.RequiredPermissions.Install];

    /// <summary>What <c>ottkit patch install</c> calls on every target: scan, install and the ECS hosts' drain.</summary>
    public static IReadOnlyList<RequiredAction> Operator => RequiredAction.Union(
        PatchRunner.RequiredPermissions.Scan,
        PatchRunner.RequiredPermissions.Install,
        EcsHostDrainer.RequiredPermissions.Drain);

    /// <summary>Resolves a patch scope in <paramref name="ctx"/>'s environment; a scope patching never declares throws.</summary>
    /// <param name="ctx">The environment.</param>
    /// <param name="scope">The declared scope.</param>
    /// <param name="patchGroups">The patch groups the role may send commands to.</param>
    /// <returns>The resources and conditions.</returns>
    public static ScopeGrant Resolve(PlatformNaming ctx, PermissionScope scope, IReadOnlyList<string> patchGroups) => scope switch
    {
        PermissionScope.NoResource => new(["*"]),
        PermissionScope.PatchBaselineDocument => new([Fn.Sub($"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}::document/{PatchingBuilder.RunPatchBaseline}")]),
        PermissionScope.PatchGroupInstances => new(
            [PlatformNaming.Arn("ec2", "instance/*")],
            new CfnObject { ["StringEquals"] = new CfnObject { [$"ssm:resourceTag/{PlatformNaming.PatchGroupTag}"] = new CfnList(patchGroups.Select(g => (CfnNode)g)) } }),
        PermissionScope.EcsClusterArn => new([PlatformNaming.Arn("ecs", $"cluster/{ctx.Env}")]),
        PermissionScope.EcsContainerInstance => new([PlatformNaming.Arn("ecs", $"container-instance/{ctx.Env}/*")]),
        PermissionScope.EcsCluster => new(["*"], new CfnObject { ["ArnEquals"] = new CfnObject { ["ecs:cluster"] = PlatformNaming.Arn("ecs", $"cluster/{ctx.Env}") } }),
        PermissionScope.EcsTask => new([PlatformNaming.Arn("ecs", $"task/{ctx.Env}/*")]),
        PermissionScope.EcsService => new([PlatformNaming.Arn("ecs", $"service/{ctx.Env}/*")]),
        _ => throw new InvalidOperationException($"Patching cannot be granted permissions on {scope}: add its resolution to PatchPermissionScopes."),
    };
}
