using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>Pieces every bucket of the blueprint shares, written once.</summary>
internal static class BucketParts
{
    /// <summary>
    /// Denies every S3 request without TLS on the bucket and its objects (FSBP S3.5, Control Tower CT.S3.PR.8). The
    /// objects' ARN is <c>Fn::Join ["", [GetAtt Arn, "/*"]]</c>, the form the Control Tower rule recognises.
    /// </summary>
    /// <param name="bucketId">The bucket's logical id in the same template.</param>
    public static PolicyStatement DenyInsecureTransport(string bucketId) => new()
    {
        Sid = "DenyInsecureTransport",
        Effect = PolicyEffect.Deny,
        Principal = PolicyPrincipal.Anyone,
        Actions = { "s3:*" },
        Resources = { Fn.GetAtt(bucketId, "Arn"), Fn.Join(string.Empty, Fn.GetAtt(bucketId, "Arn"), "/*") },
        Conditions = new CfnObject { ["Bool"] = new CfnObject { ["aws:SecureTransport"] = "false" } },
    };

    /// <summary>
    /// A bucket that receives S3 server access logs from the buckets <paramref name="sourceIds"/> of the same template
    /// (FSBP S3.9, Control Tower CT.S3.PR.2 for the sources): SSE-S3, the only encryption S3 log delivery supports;
    /// private, versioned, TLS-only, expiring after <paramref name="retentionDays"/>; only S3's logging service of this
    /// account may write, for those buckets. It is a log destination, so it carries the suppressions of
    /// <see cref="GuardSuppressions"/> for KMS and logging.
    /// </summary>
    public static Resource ServerAccessLogBucket(Template t, PlatformNaming ctx, string id, string tag, int retentionDays, params string[] sourceIds)
    {
        var bucket = t.AddResource(id, "AWS::S3::Bucket", new CfnObject
        {
            ["BucketEncryption"] = Encryption(null),
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(),
            ["OwnershipControls"] = OwnerEnforced(),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = LogLifecycle("expire-access-logs", retentionDays),
            ["NotificationConfiguration"] = EventBridgeNotifications(),
            ["Tags"] = ctx.Tags(tag),
        });
        bucket.DeletionPolicy = DeletionPolicy.Retain;
        bucket.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        GuardSuppressions.Suppress(bucket, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging);

        t.AddResource(id + "Policy", "AWS::S3::BucketPolicy", new CfnObject
        {
            ["Bucket"] = bucket.Ref(),
            ["PolicyDocument"] = new PolicyDocument
            {
                DenyInsecureTransport(id),
                new PolicyStatement
                {
                    Sid = "S3ServerAccessLogsFromTheseBuckets",
                    Principal = PolicyPrincipal.Service("logging.s3.amazonaws.com"),
                    Actions = { "s3:PutObject" },
                    Resources = { Fn.Join(string.Empty, Fn.GetAtt(id, "Arn"), "/*") },
                    Conditions = new CfnObject
                    {
                        ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
                        ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = new CfnList([.. sourceIds.Select(s => (CfnNode)Fn.GetAtt(s, "Arn"))]) },
                    },
                },
            }.ToNode(),
        });
        return bucket;
    }

    /// <summary>Server access logging of a bucket into <paramref name="logBucket"/> below <paramref name="prefix"/>.</summary>
    public static CfnObject LogTo(Resource logBucket, string prefix) =>
        new() { ["DestinationBucketName"] = logBucket.Ref(), ["LogFilePrefix"] = prefix };

    /// <summary>
    /// Sends the bucket's events to Amazon EventBridge (Control Tower CT.S3.PR.4), where a rule can watch deletions or
    /// unexpected writes; nothing is billed until a rule matches.
    /// </summary>
    public static CfnObject EventBridgeNotifications() =>
        new() { ["EventBridgeConfiguration"] = new CfnObject { ["EventBridgeEnabled"] = true } };

    /// <summary>
    /// A private, versioned, SSE-KMS bucket with an S3 Bucket Key (FSBP S3.1/S3.8/S3.14/S3.17, Control Tower
    /// CT.S3.PR.1/PR.10), owner-enforced objects, server access logs into <paramref name="logs"/> below
    /// <c>&lt;tag&gt;/</c> (CT.S3.PR.2), events to EventBridge (CT.S3.PR.4), the given lifecycle, and Object Lock in
    /// compliance mode for <paramref name="objectLockDays"/> when set. Retained on delete and replacement.
    /// </summary>
    public static Resource KmsBucket(Template t, PlatformNaming ctx, string id, string tag, Intrinsic key, Resource logs, CfnObject lifecycle, int? objectLockDays = null)
    {
        var properties = new CfnObject
        {
            ["BucketEncryption"] = Encryption(key),
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(),
            ["OwnershipControls"] = OwnerEnforced(),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = lifecycle,
            ["LoggingConfiguration"] = new CfnObject { ["DestinationBucketName"] = logs.Ref(), ["LogFilePrefix"] = $"{tag}/" },
            ["Tags"] = ctx.Tags(tag),
            ["NotificationConfiguration"] = EventBridgeNotifications(),
        };
        if (objectLockDays is { } days)
        {
            properties["ObjectLockEnabled"] = true;
            properties["ObjectLockConfiguration"] = new CfnObject
            {
                ["ObjectLockEnabled"] = "Enabled",
                ["Rule"] = new CfnObject { ["DefaultRetention"] = new CfnObject { ["Mode"] = "COMPLIANCE", ["Days"] = days } },
            };
        }

        var bucket = t.AddResource(id, "AWS::S3::Bucket", properties);
        Keep(bucket);
        return bucket;
    }

    /// <summary>
    /// Turns S3 Object Lock on for every bucket of <paramref name="template"/> (Control Tower CT.S3.PR.9), without a
    /// default retention unless the bucket sets one: objects stay deletable and lifecycle rules keep working, S3's log
    /// delivery accepts the bucket (it refuses only a default retention), and a retention period or legal hold can be
    /// placed on any object later. Object Lock cannot be turned off again and keeps versioning on for good.
    /// </summary>
    public static void EnableObjectLock(Template template)
    {
        foreach (var resource in template.Resources.Values)
        {
            if (resource.Type == "AWS::S3::Bucket" && !resource.Properties.ContainsKey("ObjectLockEnabled"))
            {
                resource.Properties["ObjectLockEnabled"] = true;
            }
        }
    }

    /// <summary>Keeps a data resource when its stack deletes or replaces it.</summary>
    public static void Keep(Resource resource)
    {
        resource.DeletionPolicy = DeletionPolicy.Retain;
        resource.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
    }

    /// <summary>Default encryption: SSE-KMS with <paramref name="key"/> and a Bucket Key, or SSE-S3 when null.</summary>
    public static CfnObject Encryption(Intrinsic? key) => new()
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

    /// <summary>All four public-access blocks on (FSBP S3.8).</summary>
    public static CfnObject PublicAccessBlock() => new()
    {
        ["BlockPublicAcls"] = true,
        ["BlockPublicPolicy"] = true,
        ["IgnorePublicAcls"] = true,
        ["RestrictPublicBuckets"] = true,
    };

    /// <summary>The bucket owner owns every object; ACLs are disabled (FSBP S3.12).</summary>
    public static CfnObject OwnerEnforced() => new() { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } };

    /// <summary>Current objects expire after <paramref name="days"/>, noncurrent versions a day later, abandoned uploads after a day.</summary>
    public static CfnObject ExpiringLifecycle(string id, int days) => new()
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

    /// <summary>Current objects are kept until deleted (media); overwritten or deleted versions go after 30 days, abandoned uploads after 7.</summary>
    public static CfnObject KeepCurrentLifecycle() => new()
    {
        ["Rules"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = "expire-old-versions",
                ["Status"] = "Enabled",
                ["NoncurrentVersionExpiration"] = new CfnObject { ["NoncurrentDays"] = 30 },
                ["AbortIncompleteMultipartUpload"] = new CfnObject { ["DaysAfterInitiation"] = 7 },
            },
        },
    };

    /// <summary>Log objects expire after <paramref name="days"/>; noncurrent versions after 30 days, abandoned uploads after 7.</summary>
    public static CfnObject LogLifecycle(string id, int days) => new()
    {
        ["Rules"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = id,
                ["Status"] = "Enabled",
                ["ExpirationInDays"] = days,
                ["NoncurrentVersionExpiration"] = new CfnObject { ["NoncurrentDays"] = 30 },
                ["AbortIncompleteMultipartUpload"] = new CfnObject { ["DaysAfterInitiation"] = 7 },
            },
        },
    };
}
