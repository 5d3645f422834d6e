using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Deployment;

public sealed partial class StackDeployer
{
    /// <summary>
    /// The IAM actions each operation of <see cref="StackDeployer"/> calls. The CI plan and deploy roles are granted
    /// from these lists; a test checks every action against IAM's catalogue.
    /// </summary>
    public static class RequiredPermissions
    {
        /// <summary>
        /// Planning (<see cref="PlanAsync"/>, <c>ottkit plan</c>): every template goes to the KMS-encrypted artifacts
        /// bucket, CloudFormation reads it back with the caller's credentials, and a change set is created, read and deleted.
        /// </summary>
        public static ImmutableArray<RequiredAction> Plan { get; } =
        [
            new("s3:PutObject", PermissionScope.ArtifactObjects),
            new("s3:GetObject", PermissionScope.ArtifactObjects),
            new("kms:GenerateDataKey", PermissionScope.BucketKeyThroughS3),
            new("kms:Decrypt", PermissionScope.BucketKeyThroughS3),
            new("cloudformation:DescribeStacks", PermissionScope.Stacks),
            new("cloudformation:DescribeStackResources", PermissionScope.Stacks),
            new("cloudformation:CreateChangeSet", PermissionScope.Stacks),
            new("cloudformation:DescribeChangeSet", PermissionScope.Stacks),
            new("cloudformation:DeleteChangeSet", PermissionScope.Stacks),
            // A plan of a new stack leaves it REVIEW_IN_PROGRESS; the plan deletes it again. Deployed stacks have
            // termination protection, which only the deploy operation may turn off.
            new("cloudformation:DeleteStack", PermissionScope.Stacks),
            new("cloudformation:DetectStackDrift", PermissionScope.Stacks),
            // DescribeStackDriftDetectionStatus has no resource-level permission.
            new("cloudformation:DescribeStackDriftDetectionStatus", PermissionScope.NoResource),
            // A service stack keeps the image tag that runs: the plan reads it from the service's task definition.
            new("ecs:DescribeServices", PermissionScope.EcsService),
            new("ecs:DescribeTaskDefinition", PermissionScope.NoResource),
        ];

        /// <summary>
        /// Deploying (<see cref="DeployAsync"/>, <c>ottkit deploy stacks</c>): <see cref="Plan"/>, then executing the
        /// change sets through the CloudFormation service role, watching the events, protecting the stacks and recovering
        /// blocked ones.
        /// </summary>
        public static ImmutableArray<RequiredAction> Deploy { get; } = RequiredAction.Union(
            Plan,
            [
                new("iam:PassRole", PermissionScope.CloudFormationServiceRole),
                new("cloudformation:ExecuteChangeSet", PermissionScope.Stacks),
                new("cloudformation:DescribeStackEvents", PermissionScope.Stacks),
                new("cloudformation:SetStackPolicy", PermissionScope.Stacks),
                new("cloudformation:UpdateTerminationProtection", PermissionScope.Stacks),
                new("cloudformation:ContinueUpdateRollback", PermissionScope.Stacks),
            ]);
    }
}
