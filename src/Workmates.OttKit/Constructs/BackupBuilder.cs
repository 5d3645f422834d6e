using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The backups stack, early in the order (it needs only the security stack's backup key): the backup bucket, the
/// artifacts bucket where the stack deployer keeps every deployed template version, an access-log bucket for both,
/// and AWS Backup (vault with the backup key, daily plan, selection of every EBS volume tagged
/// <c>ottkit:backup=&lt;env&gt;-daily</c>, i.e. the MongoDB data volumes). Everything keeps <c>backups.retentionDays</c>;
/// in the backup bucket that retention is applied by prune, never by an expiration rule (see <see cref="BackupLifecycle"/>).
/// </summary>
internal static class BackupBuilder
{
    private const string Part = PlatformContext.BackupsPart;

    /// <summary>Days the server access logs of the two buckets are kept (a year, like every other log).</summary>
    private const int AccessLogRetentionDays = 365;

    /// <summary>EventBridge/AWS Backup cron of the daily run at <c>backups.scheduleUtc</c>.</summary>
    public static string DailyCron(BackupsSpec backups)
    {
        _ = SpecValidator.TryParseUtcTime(backups.ScheduleUtc, out var hour, out var minute);
        return string.Create(CultureInfo.InvariantCulture, $"cron({minute} {hour} * * ? *)");
    }

    public static Template Build(PlatformContext ctx)
    {
        var backups = ctx.Spec.Backups;
        var t = new Template { Description = $"OttKit {ctx.Env}: backups (backup and artifacts buckets, AWS Backup plan for the data volumes)" };
        var backupKey = ctx.Import(PlatformContext.SecurityPart, "BackupKeyArn");

        var logs = t.AddResource("BackupAccessLogBucket", "AWS::S3::Bucket", new CfnObject
        {
            // Server access logs can only be delivered to SSE-S3 buckets.
            ["BucketEncryption"] = Encryption(null),
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(),
            ["OwnershipControls"] = OwnerEnforced(),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = Lifecycle("expire-access-logs", AccessLogRetentionDays),
            ["Tags"] = ctx.Tags("backup-access-logs"),
            ["NotificationConfiguration"] = BucketParts.EventBridgeNotifications(),
        });
        Keep(logs);
        GuardSuppressions.Suppress(logs, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging, GuardSuppressions.BucketObjectLock);

        var backup = Bucket(t, ctx, "BackupBucket", "backups", backupKey, logs, backups.ObjectLock, BackupLifecycle("backups"));
        var artifacts = Bucket(t, ctx, "ArtifactsBucket", "artifacts", backupKey, logs, objectLock: false, Lifecycle("expire-artifacts", backups.RetentionDays));

        var logPolicy = TlsOnly("BackupAccessLogBucket");
        logPolicy.Add(new PolicyStatement
        {
            Sid = "S3ServerAccessLogsFromTheseBuckets",
            Principal = PolicyPrincipal.Service("logging.s3.amazonaws.com"),
            Actions = { "s3:PutObject" },
            Resources = { Fn.Sub("${BackupAccessLogBucket.Arn}/*") },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
                ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = new CfnList { backup.GetAtt("Arn"), artifacts.GetAtt("Arn") } },
            },
        });
        t.AddResource("BackupAccessLogBucketPolicy", "AWS::S3::BucketPolicy", new CfnObject { ["Bucket"] = logs.Ref(), ["PolicyDocument"] = logPolicy.ToNode() });
        t.AddResource("BackupBucketPolicy", "AWS::S3::BucketPolicy", new CfnObject { ["Bucket"] = backup.Ref(), ["PolicyDocument"] = TlsOnly("BackupBucket").ToNode() });
        t.AddResource("ArtifactsBucketPolicy", "AWS::S3::BucketPolicy", new CfnObject { ["Bucket"] = artifacts.Ref(), ["PolicyDocument"] = TlsOnly("ArtifactsBucket").ToNode() });

        var vaultProperties = new CfnObject
        {
            ["BackupVaultName"] = $"{ctx.Env}-backups",
            ["EncryptionKeyArn"] = backupKey,
            ["BackupVaultTags"] = new CfnObject([.. ctx.Tags("backup-vault").Select(p => new KeyValuePair<string, CfnNode>(p.Key, p.Value))]),
        };
        if (backups.ObjectLock)
        {
            // Vault Lock in governance mode until someone confirms it: recovery points cannot be deleted before the retention.
            vaultProperties["LockConfiguration"] = new CfnObject { ["MinRetentionDays"] = backups.RetentionDays };
        }

        var vault = t.AddResource("BackupVault", "AWS::Backup::BackupVault", vaultProperties);
        Keep(vault);
        var plan = t.AddResource("BackupPlan", "AWS::Backup::BackupPlan", new CfnObject
        {
            ["BackupPlan"] = new CfnObject
            {
                ["BackupPlanName"] = $"{ctx.Env}-daily",
                ["BackupPlanRule"] = new CfnList
                {
                    new CfnObject
                    {
                        ["RuleName"] = "daily-volume-snapshots",
                        ["TargetBackupVault"] = vault.Ref(),
                        ["ScheduleExpression"] = DailyCron(backups),
                        ["ScheduleExpressionTimezone"] = "Etc/UTC",
                        ["StartWindowMinutes"] = 60,
                        ["CompletionWindowMinutes"] = 480,
                        ["Lifecycle"] = new CfnObject { ["DeleteAfterDays"] = backups.RetentionDays },
                        ["RecoveryPointTags"] = new CfnObject { ["ottkit:environment"] = ctx.Env },
                    },
                },
            },
            ["BackupPlanTags"] = new CfnObject([.. ctx.Tags("backup-plan").Select(p => new KeyValuePair<string, CfnNode>(p.Key, p.Value))]),
        });
        var role = t.AddResource("BackupServiceRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{ctx.Env}: AWS Backup snapshots and restores the tagged data volumes",
            ["AssumeRolePolicyDocument"] = PlatformContext.AssumeRole("backup.amazonaws.com"),
            ["ManagedPolicyArns"] = new CfnList
            {
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"),
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"),
            },
            ["Tags"] = ctx.Tags("backup-service"),
        });
        t.AddResource("BackupSelection", "AWS::Backup::BackupSelection", new CfnObject
        {
            ["BackupPlanId"] = plan.Ref(),
            ["BackupSelection"] = new CfnObject
            {
                ["SelectionName"] = $"{ctx.Env}-data-volumes",
                ["IamRoleArn"] = role.GetAtt("Arn"),
                // Resources and Conditions are ANDed: EBS volumes of this account and region that carry the tag.
                ["Resources"] = new CfnList { PlatformContext.Arn("ec2", "volume/*") },
                ["Conditions"] = new CfnObject
                {
                    ["StringEquals"] = new CfnList
                    {
                        new CfnObject { ["ConditionKey"] = $"aws:ResourceTag/{PlatformContext.BackupTag}", ["ConditionValue"] = ctx.BackupTagValue },
                    },
                },
            },
        });

        ctx.Export(t, Part, "BackupBucketName", backup.Ref(), "Bucket of the MongoDB backups");
        ctx.Export(t, Part, "BackupBucketArn", backup.GetAtt("Arn"), "ARN of the backup bucket");
        ctx.Export(t, Part, "ArtifactsBucketName", artifacts.Ref(), "Bucket where the stack deployer keeps every deployed template version");
        ctx.Export(t, Part, "ArtifactsBucketArn", artifacts.GetAtt("Arn"), "ARN of the artifacts bucket");
        ctx.Export(t, Part, "AccessLogBucketName", logs.Ref(), "Bucket of the server access logs of the backup and artifacts buckets");
        ctx.Export(t, Part, "BackupVaultName", vault.Ref(), "AWS Backup vault of the volume snapshots");
        ctx.Export(t, Part, "BackupPlanId", plan.Ref(), "AWS Backup plan of the daily volume snapshots");
        return t;
    }

    private static Resource Bucket(Template t, PlatformContext ctx, string id, string name, Intrinsic key, Resource logs, bool objectLock, CfnObject lifecycle)
    {
        var retention = ctx.Spec.Backups.RetentionDays;
        var properties = new CfnObject
        {
            ["BucketEncryption"] = Encryption(key),
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(),
            ["OwnershipControls"] = OwnerEnforced(),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = lifecycle,
            ["LoggingConfiguration"] = new CfnObject { ["DestinationBucketName"] = logs.Ref(), ["LogFilePrefix"] = $"{name}/" },
            ["Tags"] = ctx.Tags(name),
            ["NotificationConfiguration"] = BucketParts.EventBridgeNotifications(),
        };
        if (objectLock)
        {
            properties["ObjectLockEnabled"] = true;
            properties["ObjectLockConfiguration"] = new CfnObject
            {
                ["ObjectLockEnabled"] = "Enabled",
                ["Rule"] = new CfnObject { ["DefaultRetention"] = new CfnObject { ["Mode"] = "COMPLIANCE", ["Days"] = retention } },
            };
        }

        var bucket = t.AddResource(id, "AWS::S3::Bucket", properties);
        Keep(bucket);
        return bucket;
    }

    private static void Keep(Resource resource)
    {
        resource.DeletionPolicy = DeletionPolicy.Retain;
        resource.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
    }

    private static CfnObject Encryption(Intrinsic? key) => new()
    {
        ["ServerSideEncryptionConfiguration"] = new CfnList
        {
            key is null
                ? new CfnObject { ["ServerSideEncryptionByDefault"] = new CfnObject { ["SSEAlgorithm"] = "AES256" } }
                : new CfnObject
                {
                    ["ServerSideEncryptionByDefault"] = new CfnObject { ["SSEAlgorithm"] = "aws:kms", ["KMSMasterKeyID"] = key },
                    ["BucketKeyEnabled"] = true,
                },
        },
    };

    private static CfnObject PublicAccessBlock() => new()
    {
        ["BlockPublicAcls"] = true,
        ["BlockPublicPolicy"] = true,
        ["IgnorePublicAcls"] = true,
        ["RestrictPublicBuckets"] = true,
    };

    private static CfnObject OwnerEnforced() => new() { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } };

    /// <summary>
    /// Days a backup object deleted by <c>ottkit mongo backups prune</c> stays recoverable as a noncurrent version
    /// before the lifecycle removes it.
    /// </summary>
    internal const int DeletedBackupRecoveryDays = 7;

    /// <summary>
    /// The backup bucket's lifecycle agrees with prune: it never expires a current object, so only prune (which
    /// always keeps the newest complete backup and the newest <c>minimumKept</c>) decides which backups go. After
    /// weeks without a successful backup the last good one is still there. The lifecycle only removes what prune
    /// already deleted (noncurrent versions, after <see cref="DeletedBackupRecoveryDays"/> days; under Object Lock
    /// not before their retention), the delete markers left behind, and abandoned multipart uploads.
    /// </summary>
    private static CfnObject BackupLifecycle(string name) => new()
    {
        ["Rules"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = $"remove-pruned-{name}",
                ["Status"] = "Enabled",
                ["NoncurrentVersionExpiration"] = new CfnObject { ["NoncurrentDays"] = DeletedBackupRecoveryDays },
                ["ExpiredObjectDeleteMarker"] = true,
                ["AbortIncompleteMultipartUpload"] = new CfnObject { ["DaysAfterInitiation"] = 1 },
            },
        },
    };

    private static CfnObject Lifecycle(string id, int days) => new()
    {
        ["Rules"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = id,
                ["Status"] = "Enabled",
                ["ExpirationInDays"] = days,
                ["NoncurrentVersionExpiration"] = new CfnObject { ["NoncurrentDays"] = 1 },
                ["AbortIncompleteMultipartUpload"] = new CfnObject { ["DaysAfterInitiation"] = 1 },
            },
        },
    };

    private static PolicyDocument TlsOnly(string bucketId) => [BucketParts.DenyInsecureTransport(bucketId)];
}
