using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The security stack, first in the set: customer-managed KMS keys (data, logs, backups) whose policies name the
/// services that may use them; a multi-region CloudTrail trail (KMS, log file validation, CloudWatch Logs) with its
/// bucket; an AWS Config recorder for every supported resource with a delivery channel, AWS managed rules for the
/// controls the blueprint promises, and SSM Automation remediation of S3 public access. Later stacks import the keys.
/// </summary>
internal static class SecurityBuilder
{
    /// <summary>How often the periodic managed rules run.</summary>
    private const string PeriodicFrequency = "TwentyFour_Hours";

    /// <summary>The SSM Automation document that puts back a bucket's public access block (all four settings on).</summary>
    public const string S3PublicAccessRemediationDocument = "AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock";

    /// <summary>The managed rule whose non-compliant buckets are remediated automatically.</summary>
    public const string S3PublicAccessRule = "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED";

    private const string KeyUse = "KeyUse";

    /// <summary>
    /// AWS managed Config rules: identifier, the resource types a change-triggered rule watches (none: periodic), and
    /// the FSBP control it backs. Sorted by what they check so the template reads like the control list.
    /// </summary>
    internal static readonly IReadOnlyList<(string Identifier, string[] ResourceTypes, string Control)> ManagedRules =
    [
        ("CLOUD_TRAIL_ENABLED", [], "CloudTrail.1"),
        ("MULTI_REGION_CLOUD_TRAIL_ENABLED", [], "CloudTrail.1"),
        ("CLOUD_TRAIL_ENCRYPTION_ENABLED", [], "CloudTrail.2"),
        ("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", [], "CloudTrail.4"),
        ("CMK_BACKING_KEY_ROTATION_ENABLED", [], "KMS.4"),
        ("CLOUDWATCH_LOG_GROUP_ENCRYPTED", [], "CloudWatch Logs encryption"),
        ("VPC_FLOW_LOGS_ENABLED", [], "EC2.6"),
        ("INCOMING_SSH_DISABLED", ["AWS::EC2::SecurityGroup"], "EC2.13"),
        ("VPC_DEFAULT_SECURITY_GROUP_CLOSED", ["AWS::EC2::SecurityGroup"], "EC2.2"),
        ("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", ["AWS::EC2::Subnet"], "EC2.15"),
        ("ENCRYPTED_VOLUMES", ["AWS::EC2::Volume"], "EC2.3"),
        ("EC2_IMDSV2_CHECK", ["AWS::EC2::Instance"], "EC2.8"),
        ("S3_BUCKET_PUBLIC_READ_PROHIBITED", ["AWS::S3::Bucket"], "S3.2"),
        ("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", ["AWS::S3::Bucket"], "S3.3"),
        (S3PublicAccessRule, ["AWS::S3::Bucket"], "S3.8"),
        ("S3_BUCKET_SSL_REQUESTS_ONLY", ["AWS::S3::Bucket"], "S3.5"),
        ("ECR_PRIVATE_IMAGE_SCANNING_ENABLED", ["AWS::ECR::Repository"], "ECR.1"),
        ("ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED", ["AWS::ECR::Repository"], "ECR.2"),
        ("ECS_CONTAINERS_READONLY_ACCESS", ["AWS::ECS::TaskDefinition"], "ECS.5"),
        ("ECS_NO_ENVIRONMENT_SECRETS", ["AWS::ECS::TaskDefinition"], "ECS.8"),
        ("ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", ["AWS::ElasticLoadBalancingV2::LoadBalancer"], "ELB.1"),
        ("ELB_DELETION_PROTECTION_ENABLED", ["AWS::ElasticLoadBalancingV2::LoadBalancer"], "ELB.6"),
    ];

    public static SecurityBaseline Build(PlatformNaming naming, StackScope scope, SecurityProps security)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: security baseline (KMS keys, CloudTrail, AWS Config rules and remediation)";

        var logsKey = AddKey(t, naming, "Logs", "logs", "encrypts the environment's log groups, CloudTrail and AWS Config deliveries", LogsKeyStatements(security.Region));
        var dataKey = AddKey(t, naming, "Data", "data", "encrypts data volumes, secrets, buckets and topics", DataKeyStatements(security));
        var backupKey = AddKey(t, naming, "Backup", "backups", "encrypts backups and snapshots", BackupKeyStatements(security.Region));
        var logsKeyArn = scope.Export("LogsKeyArn", logsKey.GetAtt("Arn"), "KMS key for log groups, CloudTrail and AWS Config");
        var dataKeyArn = scope.Export("DataKeyArn", dataKey.GetAtt("Arn"), "KMS key for data (volumes, secrets, buckets, topics)");
        var backupKeyArn = scope.Export("BackupKeyArn", backupKey.GetAtt("Arn"), "KMS key for backups and snapshots");
        StackOutput? auditBucketName = null;
        (StackOutput Arn, StackOutput LogGroupName)? trail = null;

        if (security.CloudTrail || security.Config)
        {
            var bucket = AddAuditBucket(t, naming, security, logsKey);
            var policy = AddAuditBucketPolicy(t, naming, security, bucket);
            auditBucketName = scope.Export("AuditBucketName", bucket.Ref(), "Bucket of the CloudTrail and AWS Config deliveries");
            if (security.CloudTrail)
            {
                trail = AddTrail(scope, naming, security, bucket, policy, logsKey);
            }

            if (security.Config)
            {
                AddConfig(t, naming, security, bucket, policy, logsKey);
            }
        }

        return new SecurityBaseline(scope, new KmsKey(logsKeyArn), new KmsKey(dataKeyArn), new KmsKey(backupKeyArn), auditBucketName is null ? null : new NamedBucket(auditBucketName), trail?.Arn, trail?.LogGroupName);
    }

    /// <summary>The trail's name; its ARN is known before creation, which the bucket policy's conditions need.</summary>
    internal static string TrailName(PlatformNaming naming) => $"{naming.Env}-trail";

    internal static Resource AddKey(Template t, PlatformNaming naming, string id, string alias, string purpose, IEnumerable<PolicyStatement> uses)
    {
        var policy = new PolicyDocument
        {
            KeyParts.AccountAdministers(),
            KeyParts.DenyGrantsExceptForAwsResources(),
        };
        foreach (var statement in uses)
        {
            policy.Add(statement);
        }

        var key = t.AddResource($"{id}Key", "AWS::KMS::Key", new CfnObject
        {
            ["Description"] = $"{naming.Env}: {purpose}",
            ["EnableKeyRotation"] = true,
            ["KeyPolicy"] = policy.ToNode(),
            ["Tags"] = naming.Tags($"{alias}-key"),
        });
        key.DeletionPolicy = DeletionPolicy.Retain;
        key.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        t.AddResource($"{id}KeyAlias", "AWS::KMS::Alias", new CfnObject
        {
            ["AliasName"] = $"alias/{naming.Env}/{alias}",
            ["TargetKeyId"] = key.Ref(),
        });
        return key;
    }

    private static CfnObject SourceAccount() => new() { ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") } };

    private static PolicyStatement ViaServices(string sid, string region, params string[] services) => new()
    {
        Sid = sid,
        Principal = PolicyPrincipal.Aws(Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")),
        Actions = { "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant" },
        Resources = { "*" },
        Conditions = new CfnObject
        {
            ["StringEquals"] = new CfnObject
            {
                ["kms:CallerAccount"] = Fn.Ref("AWS::AccountId"),
                ["kms:ViaService"] = new CfnList([.. services.Select(s => (CfnNode)$"{s}.{region}.amazonaws.com")]),
            },
        },
    };

    private static IEnumerable<PolicyStatement> LogsKeyStatements(string region)
    {
        yield return new PolicyStatement
        {
            Sid = "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Principal = PolicyPrincipal.Service($"logs.{region}.amazonaws.com"),
            Actions = { "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey" },
            Resources = { "*" },
            Conditions = new CfnObject
            {
                ["ArnLike"] = new CfnObject { ["kms:EncryptionContext:aws:logs:arn"] = PlatformNaming.Arn("logs", "log-group:*") },
            },
        };
        yield return new PolicyStatement
        {
            Sid = "CloudTrailEncryptsThisAccountsTrails",
            Principal = PolicyPrincipal.Service("cloudtrail.amazonaws.com"),
            Actions = { "kms:GenerateDataKey" },
            Resources = { "*" },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                ["StringLike"] = new CfnObject { ["kms:EncryptionContext:aws:cloudtrail:arn"] = Fn.Sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*") },
            },
        };
        yield return new PolicyStatement
        {
            Sid = "CloudTrailDescribesTheKey",
            Principal = PolicyPrincipal.Service("cloudtrail.amazonaws.com"),
            Actions = { "kms:DescribeKey" },
            Resources = { "*" },
            Conditions = SourceAccount(),
        };
        yield return new PolicyStatement
        {
            Sid = "ConfigDeliversToTheEncryptedBucket",
            Principal = PolicyPrincipal.Service("config.amazonaws.com"),
            Actions = { "kms:Decrypt", "kms:GenerateDataKey" },
            Resources = { "*" },
            Conditions = SourceAccount(),
        };

        // Readers of the trail bucket decrypt through S3 only.
        yield return ViaServices("AccountUsesThroughS3", region, "s3");
    }

    private static IEnumerable<PolicyStatement> DataKeyStatements(SecurityProps spec)
    {
        yield return ViaServices("AccountUsesThroughDataServices", spec.Region, "ec2", "s3", "secretsmanager", "sns");
        yield return new PolicyStatement
        {
            // Alarms publish to KMS-encrypted SNS topics only if CloudWatch may use the topic's key.
            Sid = "CloudWatchAlarmsPublishToEncryptedTopics",
            Principal = PolicyPrincipal.Service("cloudwatch.amazonaws.com"),
            Actions = { "kms:Decrypt", "kms:GenerateDataKey" },
            Resources = { "*" },
            Conditions = SourceAccount(),
        };
        if (spec.Monitoring)
        {
            yield return new PolicyStatement
            {
                // EventBridge rules (backup task and AWS Config delivery failures) publish to the encrypted alarm topic.
                Sid = "EventBridgePublishesToEncryptedTopics",
                Principal = PolicyPrincipal.Service("events.amazonaws.com"),
                Actions = { "kms:Decrypt", "kms:GenerateDataKey" },
                Resources = { "*" },
                Conditions = SourceAccount(),
            };
        }

        if (spec.Media)
        {
            yield return new PolicyStatement
            {
                // CloudFront reads the SSE-KMS media bucket through Origin Access Control. The distribution's id is
                // unknown here (it lives in the later media stack), so the condition names any distribution of this account.
                Sid = "CloudFrontReadsMediaThroughOriginAccessControl",
                Principal = PolicyPrincipal.Service("cloudfront.amazonaws.com"),
                Actions = { "kms:Decrypt" },
                Resources = { "*" },
                Conditions = new CfnObject
                {
                    ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                    ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = Fn.Sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/*") },
                },
            };
        }
    }

    private static IEnumerable<PolicyStatement> BackupKeyStatements(string region)
    {
        yield return ViaServices("AccountUsesThroughBackupServices", region, "backup", "ec2", "s3");
    }

    private static Resource AddAuditBucket(Template t, PlatformNaming naming, SecurityProps security, Resource logsKey)
    {
        var accessLogs = BucketParts.ServerAccessLogBucket(t, naming, "AuditAccessLogBucket", "audit-access-logs", security.LogRetentionDays, "AuditBucket");
        return BucketParts.Bucket(t, "AuditBucket", logsKey.GetAtt("Arn"), BucketParts.LogLifecycle("expire-audit-logs", security.LogRetentionDays), BucketParts.LogTo(accessLogs, "audit/"), naming.Tags("audit"));
    }

    private static Resource AddAuditBucketPolicy(Template t, PlatformNaming naming, SecurityProps security, Resource bucket)
    {
        var trailArn = PlatformNaming.Arn("cloudtrail", $"trail/{TrailName(naming)}");
        var document = new List<PolicyStatement>();
        if (security.CloudTrail)
        {
            var fromTrail = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:SourceArn"] = trailArn } };
            document.Add(new PolicyStatement
            {
                Sid = "CloudTrailChecksBucketAcl",
                Principal = PolicyPrincipal.Service("cloudtrail.amazonaws.com"),
                Actions = { "s3:GetBucketAcl" },
                Resources = { bucket.GetAtt("Arn") },
                Conditions = fromTrail,
            });
            document.Add(new PolicyStatement
            {
                Sid = "CloudTrailWritesLogs",
                Principal = PolicyPrincipal.Service("cloudtrail.amazonaws.com"),
                Actions = { "s3:PutObject" },
                Resources = { BucketParts.ObjectsUnder(bucket, "AWSLogs/${AWS::AccountId}/") },
                Conditions = new CfnObject
                {
                    ["StringEquals"] = new CfnObject { ["s3:x-amz-acl"] = "bucket-owner-full-control", ["aws:SourceArn"] = trailArn },
                },
            });
        }

        if (security.Config)
        {
            document.Add(new PolicyStatement
            {
                Sid = "ConfigChecksBucket",
                Principal = PolicyPrincipal.Service("config.amazonaws.com"),
                Actions = { "s3:GetBucketAcl", "s3:ListBucket" },
                Resources = { bucket.GetAtt("Arn") },
                Conditions = SourceAccount(),
            });
            document.Add(new PolicyStatement
            {
                Sid = "ConfigWritesSnapshots",
                Principal = PolicyPrincipal.Service("config.amazonaws.com"),
                Actions = { "s3:PutObject" },
                Resources = { BucketParts.ObjectsUnder(bucket, "AWSLogs/${AWS::AccountId}/Config/") },
                Conditions = new CfnObject
                {
                    ["StringEquals"] = new CfnObject { ["s3:x-amz-acl"] = "bucket-owner-full-control", ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                },
            });
        }

        return BucketParts.Policy(t, bucket, document);
    }

    private static (StackOutput Arn, StackOutput LogGroupName) AddTrail(StackScope scope, PlatformNaming naming, SecurityProps security, Resource bucket, Resource bucketPolicy, Resource logsKey)
    {
        var t = scope.Template;
        var group = t.AddResource("TrailLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = $"/ottkit/{naming.Env}/cloudtrail",
            ["RetentionInDays"] = security.LogRetentionDays,
            ["KmsKeyId"] = logsKey.GetAtt("Arn"),
            ["Tags"] = naming.Tags("cloudtrail"),
        });
        group.DeletionPolicy = DeletionPolicy.Retain;
        group.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        var role = t.AddResource("TrailLogsRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("cloudtrail.amazonaws.com"),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "deliver-trail-events",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Actions = { "logs:CreateLogStream", "logs:PutLogEvents" },
                            Resources = { group.GetAtt("Arn") },
                        },
                    }.ToNode(),
                },
            },
            ["Tags"] = naming.Tags("cloudtrail"),
        });
        var trail = t.AddResource("Trail", "AWS::CloudTrail::Trail", new CfnObject
        {
            ["TrailName"] = TrailName(naming),
            ["S3BucketName"] = bucket.Ref(),
            ["IsLogging"] = true,
            ["IsMultiRegionTrail"] = true,
            ["IncludeGlobalServiceEvents"] = true,
            ["EnableLogFileValidation"] = true,
            ["KMSKeyId"] = logsKey.GetAtt("Arn"),
            ["CloudWatchLogsLogGroupArn"] = group.GetAtt("Arn"),
            ["CloudWatchLogsRoleArn"] = role.GetAtt("Arn"),
            ["Tags"] = naming.Tags("trail"),
        });

        // CloudTrail checks the bucket policy when the trail is created.
        trail.DependOn(bucketPolicy);
        return (scope.Export("TrailArn", trail.GetAtt("Arn"), "CloudTrail trail ARN"),
            scope.Export("TrailLogGroupName", group.Ref(), "Log group of the CloudTrail trail, for metric filters and alarms"));
    }

    private static void AddConfig(Template t, PlatformNaming naming, SecurityProps security, Resource bucket, Resource bucketPolicy, Resource logsKey)
    {
        // Config.1: the recorder uses AWS Config's service-linked role (created once per account, see docs/security-controls.md).
        var recorder = t.AddResource("ConfigRecorder", "AWS::Config::ConfigurationRecorder", new CfnObject
        {
            ["Name"] = $"{naming.Env}-recorder",
            ["RoleARN"] = Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
            ["RecordingGroup"] = new CfnObject { ["AllSupported"] = true, ["IncludeGlobalResourceTypes"] = true },
        });
        var channel = t.AddResource("ConfigDeliveryChannel", "AWS::Config::DeliveryChannel", new CfnObject
        {
            ["Name"] = $"{naming.Env}-delivery",
            ["S3BucketName"] = bucket.Ref(),
            ["S3KmsKeyArn"] = logsKey.GetAtt("Arn"),
            ["ConfigSnapshotDeliveryProperties"] = new CfnObject { ["DeliveryFrequency"] = PeriodicFrequency },
        });

        // A delivery channel needs a recorder, and Config checks the bucket policy when the channel is created.
        channel.DependOn(recorder).DependOn(bucketPolicy);
        foreach (var (identifier, types, _) in ManagedRules)
        {
            var properties = new CfnObject
            {
                ["ConfigRuleName"] = $"{naming.Env}-{identifier.ToLowerInvariant().Replace('_', '-')}",
                ["Source"] = new CfnObject { ["Owner"] = "AWS", ["SourceIdentifier"] = identifier },
            };
            if (types.Length == 0)
            {
                properties["MaximumExecutionFrequency"] = PeriodicFrequency;
            }
            else
            {
                properties["Scope"] = new CfnObject { ["ComplianceResourceTypes"] = new CfnList([.. types.Select(x => (CfnNode)x)]) };
            }

            // Rules evaluate only once the recorder exists.
            t.AddResource(RuleId(identifier), "AWS::Config::ConfigRule", properties).DependOn(recorder);
        }

        if (security.AutoRemediateS3PublicAccess)
        {
            AddS3Remediation(t, naming);
        }
    }

    internal static string RuleId(string identifier) => PlatformNaming.Pascal(identifier.ToLowerInvariant()) + "Rule";

    private static void AddS3Remediation(Template t, PlatformNaming naming)
    {
        var role = t.AddResource("S3RemediationRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Principal = PolicyPrincipal.Service("ssm.amazonaws.com"),
                    Actions = { "sts:AssumeRole" },
                    Conditions = SourceAccount(),
                },
            }.ToNode(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "restore-s3-public-access-block",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Actions = { "s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock" },
                            Resources = { Fn.Sub("arn:${AWS::Partition}:s3:::*") },
                        },
                    }.ToNode(),
                },
            },
            ["Tags"] = naming.Tags("s3-remediation"),
        });
        t.AddResource("S3PublicAccessRemediation", "AWS::Config::RemediationConfiguration", new CfnObject
        {
            ["ConfigRuleName"] = Fn.Ref(RuleId(S3PublicAccessRule)),
            ["TargetType"] = "SSM_DOCUMENT",
            ["TargetId"] = S3PublicAccessRemediationDocument,
            ["ResourceType"] = "AWS::S3::Bucket",
            ["Automatic"] = true,
            ["MaximumAutomaticAttempts"] = 5,
            ["RetryAttemptSeconds"] = 60,
            ["Parameters"] = new CfnObject
            {
                ["AutomationAssumeRole"] = new CfnObject { ["StaticValue"] = new CfnObject { ["Values"] = new CfnList { role.GetAtt("Arn") } } },
                ["BucketName"] = new CfnObject { ["ResourceValue"] = new CfnObject { ["Value"] = "RESOURCE_ID" } },
            },
        });
    }
}

/// <summary>The security baseline's props (<c>security.*</c>, the region, and which later stacks use the data key;
/// see <see cref="ConstructProps.Security"/>).</summary>
/// <param name="Region">The environment's region (the keys' via-service conditions).</param>
/// <param name="CloudTrail">Whether a trail delivers to the audit bucket.</param>
/// <param name="Config">Whether AWS Config records and evaluates rules.</param>
/// <param name="AutoRemediateS3PublicAccess">Whether a lost public access block is fixed automatically.</param>
/// <param name="LogRetentionDays">Days audit logs are kept.</param>
/// <param name="Monitoring">Whether there is monitoring (EventBridge publishes to the encrypted alarm topic).</param>
/// <param name="Media">Whether there is media delivery (CloudFront reads the SSE-KMS media bucket).</param>
internal sealed record SecurityProps(
    string Region,
    bool CloudTrail,
    bool Config,
    bool AutoRemediateS3PublicAccess,
    int LogRetentionDays,
    bool Monitoring,
    bool Media);
