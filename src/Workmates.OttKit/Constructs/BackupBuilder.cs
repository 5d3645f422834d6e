using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The backups stack, early in the order (it needs only the security stack's backup key): the backup bucket, its
/// access-log bucket (the artifacts bucket lives in the bootstrap stack, see <see cref="BootstrapBuilder"/>),
/// and AWS Backup (vault with the backup key, daily plan, selection of every EBS volume tagged
/// <c>ottkit:backup=&lt;env&gt;-daily</c>, i.e. the MongoDB data volumes). Everything keeps <c>backups.retentionDays</c>;
/// in the backup bucket that retention is applied by prune, never by an expiration rule (see <see cref="BackupLifecycle"/>).
/// </summary>
internal static class BackupBuilder
{
    /// <summary>Days the server access logs of the two buckets are kept (a year, like every other log).</summary>
    private const int AccessLogRetentionDays = 365;

    /// <summary>EventBridge/AWS Backup cron of the daily run at <c>backups.scheduleUtc</c>.</summary>
    public static string DailyCron(BackupsSpec backups) => DailyCron(backups.ScheduleUtc);

    /// <summary>EventBridge/AWS Backup cron of the daily run at <paramref name="scheduleUtc"/> (<c>HH:MM</c>, validated).</summary>
    public static string DailyCron(string scheduleUtc)
    {
        _ = SpecValidator.TryParseUtcTime(scheduleUtc, out var hour, out var minute);
        return string.Create(CultureInfo.InvariantCulture, $"cron({minute} {hour} * * ? *)");
    }

    public static Backups Build(PlatformNaming naming, StackScope scope, BackupProps backups, SecurityBaseline security)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: backups (backup bucket, AWS Backup plan for the data volumes)";
        var backupKey = security.BackupKey.Arn.In(scope);

        // Server access logs can only be delivered to SSE-S3 buckets.
        var logs = BucketParts.Bucket(t, "BackupAccessLogBucket", key: null, BucketParts.ExpiringLifecycle("expire-access-logs", AccessLogRetentionDays), logging: null, naming.Tags("backup-access-logs"));
        GuardSuppressions.Suppress(logs, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging);

        var backup = BucketParts.KmsBucket(t, naming, "BackupBucket", "backups", backupKey, logs, BackupLifecycle("backups"), backups.ObjectLock ? backups.RetentionDays : null);

        BucketParts.Policy(t, logs, [BucketParts.S3ServerAccessLogsFrom(logs, [string.Empty], new CfnList { backup.GetAtt("Arn") })]);
        BucketParts.Policy(t, backup, []);

        var vaultProperties = new CfnObject
        {
            ["BackupVaultName"] = $"{naming.Env}-backups",
            ["EncryptionKeyArn"] = backupKey,
            ["BackupVaultTags"] = new CfnObject([.. naming.Tags("backup-vault").Select(p => new KeyValuePair<string, CfnNode>(p.Key, p.Value))]),
        };
        if (backups.ObjectLock)
        {
            // Vault Lock in governance mode until someone confirms it: recovery points cannot be deleted before the retention.
            vaultProperties["LockConfiguration"] = new CfnObject { ["MinRetentionDays"] = backups.RetentionDays };
        }

        var vault = t.AddResource("BackupVault", "AWS::Backup::BackupVault", vaultProperties);
        BucketParts.Keep(vault);
        var plan = t.AddResource("BackupPlan", "AWS::Backup::BackupPlan", new CfnObject
        {
            ["BackupPlan"] = new CfnObject
            {
                ["BackupPlanName"] = $"{naming.Env}-daily",
                ["BackupPlanRule"] = new CfnList
                {
                    new CfnObject
                    {
                        ["RuleName"] = "daily-volume-snapshots",
                        ["TargetBackupVault"] = vault.Ref(),
                        ["ScheduleExpression"] = DailyCron(backups.ScheduleUtc),
                        ["ScheduleExpressionTimezone"] = "Etc/UTC",
                        ["StartWindowMinutes"] = 60,
                        ["CompletionWindowMinutes"] = 480,
                        ["Lifecycle"] = new CfnObject { ["DeleteAfterDays"] = backups.RetentionDays },
                        ["RecoveryPointTags"] = new CfnObject { ["ottkit:environment"] = naming.Env },
                    },
                },
            },
            ["BackupPlanTags"] = new CfnObject([.. naming.Tags("backup-plan").Select(p => new KeyValuePair<string, CfnNode>(p.Key, p.Value))]),
        });
        var role = t.AddResource("BackupServiceRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{naming.Env}: AWS Backup snapshots and restores the tagged data volumes",
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("backup.amazonaws.com"),
            ["ManagedPolicyArns"] = new CfnList
            {
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"),
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"),
            },
            ["Tags"] = naming.Tags("backup-service"),
        });
        t.AddResource("BackupSelection", "AWS::Backup::BackupSelection", new CfnObject
        {
            ["BackupPlanId"] = plan.Ref(),
            ["BackupSelection"] = new CfnObject
            {
                ["SelectionName"] = $"{naming.Env}-data-volumes",
                ["IamRoleArn"] = role.GetAtt("Arn"),
                // Resources and Conditions are ANDed: EBS volumes of this account and region that carry the tag.
                ["Resources"] = new CfnList { PlatformNaming.Arn("ec2", "volume/*") },
                ["Conditions"] = new CfnObject
                {
                    ["StringEquals"] = new CfnList
                    {
                        new CfnObject { ["ConditionKey"] = $"aws:ResourceTag/{PlatformNaming.BackupTag}", ["ConditionValue"] = naming.BackupTagValue },
                    },
                },
            },
        });

        var bucketName = scope.Export("BackupBucketName", backup.Ref(), "Bucket of the MongoDB backups");
        var bucketArn = scope.Export("BackupBucketArn", backup.GetAtt("Arn"), "ARN of the backup bucket");
        return new Backups(
            scope,
            new SecureBucket(bucketName, bucketArn),
            scope.Export("AccessLogBucketName", logs.Ref(), "Bucket of the server access logs of the backup bucket"),
            scope.Export("BackupVaultName", vault.Ref(), "AWS Backup vault of the volume snapshots"),
            scope.Export("BackupPlanId", plan.Ref(), "AWS Backup plan of the daily volume snapshots"));
    }

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
}

/// <summary>The backups construct's props (<c>backups.*</c>; see <see cref="ConstructProps.Backups"/>).</summary>
/// <param name="ScheduleUtc">Daily run time, <c>HH:MM</c> UTC.</param>
/// <param name="RetentionDays">Days backups, snapshots and recovery points are kept.</param>
/// <param name="ObjectLock">Whether the backup bucket and vault are locked for the retention.</param>
internal sealed record BackupProps(string ScheduleUtc, int RetentionDays, bool ObjectLock);
