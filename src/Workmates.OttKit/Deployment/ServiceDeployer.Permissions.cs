using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Deployment;

public sealed partial class ServiceDeployer
{
    /// <summary>
    /// The IAM actions each operation of <see cref="ServiceDeployer"/> calls. The CI deploy role is granted from these
    /// lists, so a call added here reaches the role on the next synth; a test checks every action against IAM's catalogue.
    /// </summary>
    public static class RequiredPermissions
    {
        /// <summary>Watching a rollout (<see cref="WatchAsync"/>, and the watch part of every deploy and rollback): service, its deployments and revisions, tasks, target health and deployment alarms.</summary>
        public static ImmutableArray<RequiredAction> Watch { get; } =
        [
            new("ecs:DescribeServices", PermissionScope.EcsService),
            new("ecs:DescribeServiceDeployments", PermissionScope.EcsServiceDeployment),
            new("ecs:DescribeServiceRevisions", PermissionScope.EcsServiceRevision),
            new("ecs:StopServiceDeployment", PermissionScope.EcsServiceDeployment),
            new("ecs:ListTasks", PermissionScope.EcsCluster),
            new("ecs:DescribeTasks", PermissionScope.EcsTask),
            // ELBv2 has no resource-level permission for Describe* calls.
            new("elasticloadbalancing:DescribeTargetHealth", PermissionScope.NoResource),
            new("cloudwatch:DescribeAlarms", PermissionScope.ServiceAlarms),
        ];

        /// <summary>Deploying an image (<see cref="DeployImageAsync"/>): a new task definition revision (with the old one's tags), the service update, then <see cref="Watch"/>.</summary>
        public static ImmutableArray<RequiredAction> Deploy { get; } = RequiredAction.Union(
        [
            // DescribeTaskDefinition has no resource-level permission.
            new("ecs:DescribeTaskDefinition", PermissionScope.NoResource),
            new("ecs:RegisterTaskDefinition", PermissionScope.EcsTaskDefinition),
            // RegisterTaskDefinition with tags is also authorized as TagResource on the new revision.
            new("ecs:TagResource", PermissionScope.EcsTaskDefinition),
            new("iam:PassRole", PermissionScope.TaskRoles),
            new("ecs:UpdateService", PermissionScope.EcsService),
        ],
        Watch);

        /// <summary>Rolling back (<see cref="RollbackAsync"/>): the previous completed revision from the service's deployments, the service update, deregistering the bad revision, then <see cref="Watch"/>.</summary>
        public static ImmutableArray<RequiredAction> Rollback { get; } = RequiredAction.Union(
        [
            new("ecs:ListServiceDeployments", PermissionScope.EcsService),
            new("ecs:UpdateService", PermissionScope.EcsService),
            // DeregisterTaskDefinition has no resource-level permission.
            new("ecs:DeregisterTaskDefinition", PermissionScope.NoResource),
        ],
        Watch);

        /// <summary>Reading a service's state (<see cref="GetStatusAsync"/>).</summary>
        public static ImmutableArray<RequiredAction> Status { get; } =
        [
            new("ecs:DescribeServices", PermissionScope.EcsService),
            new("ecs:DescribeServiceDeployments", PermissionScope.EcsServiceDeployment),
        ];
    }
}
