using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

// The typed handles each construct publishes. A consumer takes the construct (or only the handles it needs) and
// calls handle.In(itsOwnStack): that records the import and the deploy order then, with the same stable export name
// (<env>:<part>:<LogicalId>) the templates always had. Property names equal the outputs' logical IDs.

/// <summary>
/// A customer-managed KMS key published by a stack. Access to it is granted by method, from the consumer's stack, so
/// a permission exists because a use exists (and the use records the import).
/// </summary>
/// <param name="Arn">The key's ARN.</param>
internal sealed record KmsKey(StackOutput Arn)
{
    /// <summary><paramref name="actions"/> on this key, only when <paramref name="service"/> calls on the role's
    /// behalf (<c>kms:ViaService</c>); the statement's Sid is <c>UseKeyThrough&lt;Service&gt;</c>.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="service">The AWS service (<c>s3</c>, <c>secretsmanager</c>…).</param>
    /// <param name="actions">KMS actions.</param>
    /// <returns>The statement to add to the role's policy.</returns>
    public PolicyStatement GrantThrough(StackScope consumer, string service, params string[] actions) =>
        HostParts.DecryptVia(Arn.In(consumer), service, actions);

    /// <summary><c>kms:Decrypt</c> on this key, directly (no service condition).</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="sid">The statement's Sid.</param>
    /// <returns>The statement to add to the role's policy.</returns>
    public PolicyStatement GrantDecrypt(StackScope consumer, string sid) =>
        new() { Sid = sid, Actions = { "kms:Decrypt" }, Resources = { Arn.In(consumer) } };

    /// <summary><paramref name="actions"/> on this key, directly (no service condition), under <paramref name="sid"/>.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="sid">The statement's Sid.</param>
    /// <param name="actions">KMS actions.</param>
    /// <returns>The statement to add to the role's policy.</returns>
    public PolicyStatement Grant(StackScope consumer, string sid, params string[] actions)
    {
        var statement = new PolicyStatement { Sid = sid, Resources = { Arn.In(consumer) } };
        foreach (var action in actions)
        {
            statement.Actions.Add(action);
        }

        return statement;
    }

    /// <summary>The resolution of <see cref="Iam.PermissionScope.BucketKeyThroughS3"/>: this key, through S3 only.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <returns>The key's ARN with the <c>kms:ViaService</c> condition.</returns>
    public ScopeGrant ThroughS3(StackScope consumer) => new(
        [Arn.In(consumer)],
        new CfnObject { ["StringEquals"] = new CfnObject { ["kms:ViaService"] = Fn.Sub("s3.${AWS::Region}.amazonaws.com") } });
}

/// <summary>An S3 bucket published by a stack (built with <see cref="BucketParts"/>).</summary>
/// <param name="Name">The bucket's name.</param>
/// <param name="Arn">The bucket's ARN.</param>
internal sealed record SecureBucket(StackOutput Name, StackOutput Arn)
{
    /// <summary>The resolution of <see cref="Iam.PermissionScope.BackupObjects"/>-style scopes: the objects below
    /// <paramref name="prefix"/>.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="prefix">Key prefix; empty for every object.</param>
    /// <returns>The objects' ARN pattern.</returns>
    public ScopeGrant ObjectsUnder(StackScope consumer, string prefix) =>
        new([Fn.Sub($"${{Bucket}}/{prefix}*", new CfnObject { ["Bucket"] = Arn.In(consumer) })]);

    /// <summary>The bucket itself, for list and location calls, limited to keys below <paramref name="prefix"/>
    /// (<c>s3:prefix</c>) when one is given.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="prefix">Key prefix, or <see langword="null"/> for no condition.</param>
    /// <returns>The bucket's ARN with the condition.</returns>
    public ScopeGrant Bucket(StackScope consumer, string? prefix = null) => prefix is null
        ? new([Arn.In(consumer)])
        : new([Arn.In(consumer)], new CfnObject { ["StringLike"] = new CfnObject { ["s3:prefix"] = new CfnList { $"{prefix}*" } } });
}

/// <summary>The bootstrap stack: the artifacts bucket, its key and its access-log bucket.</summary>
internal sealed record Bootstrap(StackScope Stack, SecureBucket Artifacts, KmsKey ArtifactsKey, StackOutput ArtifactsAccessLogBucketName);

/// <summary>
/// An S3 bucket another stack publishes by name only (the audit bucket): its ARNs are built from the name in the
/// consumer's stack, so a grant on it needs no second export.
/// </summary>
/// <param name="Name">The bucket's name.</param>
internal sealed record NamedBucket(StackOutput Name)
{
    /// <summary>The bucket's ARN, for bucket-level actions.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <returns>The ARN.</returns>
    public Intrinsic Arn(StackScope consumer) => Fn.Join(string.Empty, Fn.Sub("arn:${AWS::Partition}:s3:::"), Name.In(consumer));

    /// <summary>The objects below <paramref name="prefix"/>.</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="prefix">Key prefix; empty for every object.</param>
    /// <returns>The objects' ARN pattern.</returns>
    public Intrinsic ObjectsUnder(StackScope consumer, string prefix) =>
        Fn.Join(string.Empty, Fn.Sub("arn:${AWS::Partition}:s3:::"), Name.In(consumer), "/" + prefix + "*");
}

/// <summary>The security baseline: the environment's keys, the audit bucket and the trail (when enabled).</summary>
internal sealed record SecurityBaseline(
    StackScope Stack,
    KmsKey LogsKey,
    KmsKey DataKey,
    KmsKey BackupKey,
    NamedBucket? AuditBucket,
    StackOutput? TrailArn,
    StackOutput? TrailLogGroupName);

/// <summary>The VPC and its subnet tiers (comma-separated ids in AZ order).</summary>
internal sealed record Network(
    StackScope Stack,
    StackOutput VpcId,
    StackOutput VpcCidr,
    StackOutput PublicSubnetIds,
    StackOutput PrivateSubnetIds,
    StackOutput IsolatedSubnetIds,
    StackOutput LogsKeyArn);

/// <summary>The ECS cluster, its capacity provider and hosts.</summary>
internal sealed record Cluster(
    StackScope Stack,
    StackOutput ClusterName,
    StackOutput ClusterArn,
    StackOutput CapacityProviderName,
    StackOutput AutoScalingGroupName,
    StackOutput HostSecurityGroupId);

/// <summary>One ECR repository.</summary>
/// <param name="Uri">The repository URI.</param>
/// <param name="Arn">The repository ARN.</param>
internal sealed record ImageRepository(StackOutput Uri, StackOutput Arn);

/// <summary>The image repositories, by logical-ID fragment (<c>Web</c>, <c>OttkitBackup</c>).</summary>
internal sealed record Repositories(StackScope Stack, IReadOnlyDictionary<string, ImageRepository> ById)
{
    /// <summary>The repository with logical-ID fragment <paramref name="id"/>.</summary>
    public ImageRepository this[string id] => ById[id];
}

/// <summary>The Application Load Balancer and its HTTPS listener.</summary>
internal sealed record LoadBalancer(
    StackScope Stack,
    StackOutput LoadBalancerArn,
    StackOutput LoadBalancerFullName,
    StackOutput LoadBalancerDnsName,
    StackOutput LoadBalancerHostedZoneId,
    StackOutput HttpsListenerArn,
    StackOutput LoadBalancerSecurityGroupId,
    StackOutput AccessLogBucketName);

/// <summary>The backup bucket and the AWS Backup vault and plan.</summary>
internal sealed record Backups(StackScope Stack, SecureBucket BackupBucket, StackOutput AccessLogBucketName, StackOutput BackupVaultName, StackOutput BackupPlanId);

/// <summary>The patch baseline and maintenance window.</summary>
internal sealed record PatchSchedule(StackScope Stack, StackOutput PatchBaselineId, StackOutput MaintenanceWindowId);

/// <summary>One replica-set member's instance and data volume.</summary>
internal sealed record DatabaseMember(int Number, StackOutput InstanceId, StackOutput DataVolumeId);

/// <summary>The MongoDB replica set.</summary>
internal sealed record Database(
    StackScope Stack,
    IReadOnlyList<DatabaseMember> Members,
    StackOutput SecurityGroupId,
    StackOutput ConnectionString,
    StackOutput AdminSecretArn,
    StackOutput AppSecretArn,
    StackOutput BackupSecretArn,
    StackOutput HostedZoneId,
    StackOutput? TlsCaSecretArn);

/// <summary>The scheduled backup and health-check tasks of the replica set.</summary>
internal sealed record DatabaseBackup(StackScope Stack, StackOutput TaskSecurityGroupId, StackOutput TaskDefinitionArn);

/// <summary>People's roles and the Session Manager path.</summary>
internal sealed record PeopleAccess(StackScope Stack);

/// <summary>The administrator VPN host.</summary>
internal sealed record AdminAccess(StackScope Stack, StackOutput VpnSecurityGroupId);

/// <summary>One ECS service behind the load balancer.</summary>
internal sealed record Service(StackScope Stack, string Name, StackOutput ServiceName, StackOutput TargetGroupFullName);

/// <summary>The us-east-1 web ACL (and certificate) of the media distribution; plain outputs, read as parameters.</summary>
internal sealed record EdgeWebAcl(StackScope Stack, StackOutput WebAclArn, StackOutput? CertificateArn);

/// <summary>The media bucket and its CloudFront distribution.</summary>
internal sealed record MediaDelivery(StackScope Stack, StackOutput DistributionId);

/// <summary>Alarms, notifications and the dashboard.</summary>
internal sealed record Monitoring(StackScope Stack, StackOutput AlarmTopicArn);

/// <summary>The GitHub Actions OIDC roles.</summary>
internal sealed record CiRoles(StackScope Stack, StackOutput DeployRoleArn);
