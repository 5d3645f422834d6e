using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Patching;

public sealed partial class PatchRunner
{
    /// <summary>
    /// The IAM actions each operation of <see cref="PatchRunner"/> calls. No CI role is granted these: patching is run by
    /// an administrator (or a dedicated operator role granted from these lists), see docs/patching.md.
    /// </summary>
    public static class RequiredPermissions
    {
        /// <summary>Scanning (<see cref="ScanAsync"/>): finding the instances by patch group, sending the Scan command, reading invocations and patch states.</summary>
        public static ImmutableArray<RequiredAction> Scan { get; } =
        [
            // DescribeInstanceInformation, GetCommandInvocation and DescribeInstancePatchStates have no resource-level permission.
            new("ssm:DescribeInstanceInformation", PermissionScope.NoResource),
            new("ssm:SendCommand", PermissionScope.PatchBaselineDocument),
            new("ssm:SendCommand", PermissionScope.PatchGroupInstances),
            new("ssm:GetCommandInvocation", PermissionScope.NoResource),
            new("ssm:DescribeInstancePatchStates", PermissionScope.NoResource),
        ];

        /// <summary>
        /// Installing (<see cref="InstallAsync"/>): as <see cref="Scan"/> without the patch states. Draining the ECS hosts
        /// is the <see cref="IHostDrainer"/>'s own permissions; the replica set's step-down is a MongoDB privilege
        /// (<c>replSetStateChange</c>), not an IAM action.
        /// </summary>
        public static ImmutableArray<RequiredAction> Install { get; } =
        [
            new("ssm:DescribeInstanceInformation", PermissionScope.NoResource),
            new("ssm:SendCommand", PermissionScope.PatchBaselineDocument),
            new("ssm:SendCommand", PermissionScope.PatchGroupInstances),
            new("ssm:GetCommandInvocation", PermissionScope.NoResource),
        ];
    }
}
