using System.Collections.Immutable;

namespace Workmates.OttKit.Iam;

/// <summary>
/// What an IAM action is called on, as the code that calls it knows it. The role builders turn each scope into the
/// environment's own ARNs (or into a condition where AWS offers no resource-level permission), so the operation
/// declares what it does and the blueprint decides where.
/// </summary>
public enum PermissionScope
{
    /// <summary>The environment's own CloudFormation stacks (exact stack names).</summary>
    Stacks,

    /// <summary>Objects in the environment's artifacts bucket (deployed template versions).</summary>
    ArtifactObjects,

    /// <summary>The artifacts bucket itself.</summary>
    ArtifactsBucket,

    /// <summary>The KMS key that encrypts the artifacts and backup buckets, used through S3 only.</summary>
    BucketKeyThroughS3,

    /// <summary>The CloudFormation service role the deploy role hands to CloudFormation.</summary>
    CloudFormationServiceRole,

    /// <summary>An ECS service of the environment (<c>service/&lt;env&gt;/&lt;name&gt;</c>).</summary>
    EcsService,

    /// <summary>The deployments of an ECS service of the environment.</summary>
    EcsServiceDeployment,

    /// <summary>The revisions of an ECS service of the environment.</summary>
    EcsServiceRevision,

    /// <summary>Tasks on the environment's cluster.</summary>
    EcsTask,

    /// <summary>Task definition families of the environment's services.</summary>
    EcsTaskDefinition,

    /// <summary>Calls ECS authorizes per cluster only (<c>ecs:cluster</c> condition on the environment's cluster).</summary>
    EcsCluster,

    /// <summary>The environment's cluster itself (<c>cluster/&lt;env&gt;</c>), for calls IAM authorizes on the cluster ARN such as <c>ecs:ListContainerInstances</c>.</summary>
    EcsClusterArn,

    /// <summary>The container instances (hosts) of the environment's cluster (<c>container-instance/&lt;env&gt;/*</c>).</summary>
    EcsContainerInstance,

    /// <summary>The task and execution roles of the services, passed to ECS tasks.</summary>
    TaskRoles,

    /// <summary>The deployment alarms of the environment's services.</summary>
    ServiceAlarms,

    /// <summary>Objects below the backup prefix in the backup bucket.</summary>
    BackupObjects,

    /// <summary>The backup bucket, listed below the backup prefix only.</summary>
    BackupBucket,

    /// <summary>Metrics in OttKit's own CloudWatch namespaces (<c>cloudwatch:namespace</c> condition).</summary>
    OwnMetricNamespace,

    /// <summary>The ECR repositories of the environment's services.</summary>
    EcrRepository,

    /// <summary>Actions AWS authorizes on no resource at all (documented as <c>*</c> only).</summary>
    NoResource,

    /// <summary>The AWS-owned <c>AWS-RunPatchBaseline</c> SSM document (<c>arn:aws:ssm:&lt;region&gt;::document/AWS-RunPatchBaseline</c>).</summary>
    PatchBaselineDocument,

    /// <summary>The environment's EC2 instances in its patch groups (<c>ssm:resourceTag/Patch Group</c> condition).</summary>
    PatchGroupInstances,
}

/// <summary>One IAM action an operation calls, and what it calls it on.</summary>
/// <param name="Action">The action, <c>service:Operation</c> exactly as IAM spells it.</param>
/// <param name="Scope">What the action is called on.</param>
public sealed record RequiredAction(string Action, PermissionScope Scope)
{
    /// <summary>The permissions of several operations, without duplicates, in first-seen order.</summary>
    /// <param name="operations">The operations' lists.</param>
    /// <returns>The union.</returns>
    public static ImmutableArray<RequiredAction> Union(params IEnumerable<RequiredAction>[] operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var seen = new HashSet<RequiredAction>();
        var builder = ImmutableArray.CreateBuilder<RequiredAction>();
        foreach (var permission in operations.SelectMany(static o => o))
        {
            if (seen.Add(permission))
            {
                builder.Add(permission);
            }
        }

        return builder.ToImmutable();
    }
}
