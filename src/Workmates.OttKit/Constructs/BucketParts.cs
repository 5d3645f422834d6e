using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The blueprint's one secure bucket, written once: every bucket is made by <see cref="Bucket"/> (encryption, public
/// access block, object ownership, versioning, events, retention) and every bucket policy by <see cref="Policy"/>
/// (the TLS-only deny first); builders choose only the key, lifecycle, logging and the grants.
/// </summary>
internal static class BucketParts
{
    /// <summary>
    /// A private (all four public-access blocks, FSBP S3.8), versioned bucket that sends its events to EventBridge
    /// (CT.S3.PR.4), encrypted with SSE-KMS and a Bucket Key when <paramref name="key"/> is given (FSBP S3.17, CT.S3.PR.10)
    /// or SSE-S3 otherwise (the only encryption S3 server access logs and ALB access logs accept), with ACLs disabled
    /// (<c>BucketOwnerEnforced</c>, FSBP S3.12) unless <paramref name="aclsForLogDelivery"/> keeps them for a log
    /// delivery that writes through ACLs (CloudFront standard logging). Retained on delete and replacement.
    /// </summary>
    /// <param name="t">The template.</param>
    /// <param name="id">The bucket's logical id.</param>
    /// <param name="key">The KMS key, or <see langword="null"/> for SSE-S3.</param>
    /// <param name="lifecycle">The lifecycle configuration (<see cref="LogLifecycle"/>, <see cref="KeepCurrentLifecycle"/>…).</param>
    /// <param name="logging">Where the bucket's server access logs go (<see cref="LogTo"/>), or none for a log destination.</param>
    /// <param name="tags">The bucket's tags.</param>
    /// <param name="aclsForLogDelivery">Keep ACLs (<c>BucketOwnerPreferred</c>) for a log delivery that needs them.</param>
    /// <returns>The bucket.</returns>
    public static Resource Bucket(Template t, string id, Intrinsic? key, CfnObject lifecycle, CfnObject? logging, Tags tags, bool aclsForLogDelivery = false)
    {
        var properties = new CfnObject
        {
            ["BucketEncryption"] = Encryption(key),
            ["PublicAccessBlockConfiguration"] = PublicAccessBlock(),
            ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = aclsForLogDelivery ? "BucketOwnerPreferred" : "BucketOwnerEnforced" } } },
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = lifecycle,
        };
        if (logging is not null)
        {
            properties["LoggingConfiguration"] = logging;
        }

        properties["NotificationConfiguration"] = EventBridgeNotifications();
        properties["Tags"] = tags;
        var bucket = t.AddResource(id, "AWS::S3::Bucket", properties);
        Keep(bucket);
        return bucket;
    }

    /// <summary>The policy <c>&lt;bucket&gt;Policy</c> of <paramref name="bucket"/>: <see cref="DenyInsecureTransport"/>
    /// first, then <paramref name="grants"/>.</summary>
    /// <param name="t">The bucket's template.</param>
    /// <param name="bucket">A bucket made by <see cref="Bucket"/> in <paramref name="t"/>.</param>
    /// <param name="grants">What the bucket allows, in order.</param>
    /// <returns>The bucket policy.</returns>
    public static Resource Policy(Template t, Resource bucket, IEnumerable<PolicyStatement> grants)
    {
        var document = new PolicyDocument { DenyInsecureTransport(bucket.LogicalId) };
        foreach (var grant in grants)
        {
            document.Add(grant);
        }

        return t.AddResource(bucket.LogicalId + "Policy", "AWS::S3::BucketPolicy", new CfnObject
        {
            ["Bucket"] = bucket.Ref(),
            ["PolicyDocument"] = document.ToNode(),
        });
    }

    /// <summary>The objects of <paramref name="bucket"/> (of the same template) below <paramref name="prefix"/>:
    /// <c>${Bucket.Arn}/&lt;prefix&gt;*</c>.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">Key prefix; empty for every object.</param>
    /// <returns>The objects' ARN pattern.</returns>
    public static Intrinsic ObjectsUnder(Resource bucket, string prefix) => Fn.Sub($"${{{bucket.LogicalId}.Arn}}/{prefix}*");

    /// <summary>
    /// Denies every S3 request without TLS on the bucket and its objects (FSBP S3.5, Control Tower CT.S3.PR.8). The
    /// objects' ARN is <c>Fn::Join ["", [GetAtt Arn, "/*"]]</c>, the form the Control Tower rule recognises.
    /// </summary>
    /// <param name="bucketId">The bucket's logical id in the same template.</param>
    private static PolicyStatement DenyInsecureTransport(string bucketId) => new()
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
        var bucket = Bucket(t, id, key: null, LogLifecycle("expire-access-logs", retentionDays), logging: null, ctx.Tags(tag));
        GuardSuppressions.Suppress(bucket, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging);
        Policy(t, bucket, [S3ServerAccessLogsFrom(bucket, null, new CfnList([.. sourceIds.Select(s => (CfnNode)Fn.GetAtt(s, "Arn"))]))]);
        return bucket;
    }

    /// <summary>S3's logging service of this account writes server access logs of the buckets <paramref name="sources"/>
    /// into <paramref name="logBucket"/> (below <paramref name="prefixes"/>, or anywhere when null).</summary>
    /// <param name="logBucket">The log destination.</param>
    /// <param name="prefixes">The key prefixes the sources log under, or <see langword="null"/> for any key.</param>
    /// <param name="sources">The source buckets' ARNs (one value, or a list).</param>
    /// <param name="sid">The statement's Sid.</param>
    /// <returns>The grant, for <see cref="Policy"/>.</returns>
    public static PolicyStatement S3ServerAccessLogsFrom(Resource logBucket, IReadOnlyList<string>? prefixes, CfnNode sources, string sid = "S3ServerAccessLogsFromTheseBuckets")
    {
        var statement = new PolicyStatement
        {
            Sid = sid,
            Principal = PolicyPrincipal.Service("logging.s3.amazonaws.com"),
            Actions = { "s3:PutObject" },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId },
                ["ArnLike"] = new CfnObject { ["aws:SourceArn"] = sources },
            },
        };
        if (prefixes is null)
        {
            statement.Resources.Add(Fn.Join(string.Empty, Fn.GetAtt(logBucket.LogicalId, "Arn"), "/*"));
        }
        else
        {
            foreach (var prefix in prefixes)
            {
                statement.Resources.Add(ObjectsUnder(logBucket, prefix));
            }
        }

        return statement;
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
        var bucket = Bucket(t, id, key, lifecycle, LogTo(logs, $"{tag}/"), ctx.Tags(tag));
        if (objectLockDays is { } days)
        {
            bucket.Properties["ObjectLockEnabled"] = true;
            bucket.Properties["ObjectLockConfiguration"] = new CfnObject
            {
                ["ObjectLockEnabled"] = "Enabled",
                ["Rule"] = new CfnObject { ["DefaultRetention"] = new CfnObject { ["Mode"] = "COMPLIANCE", ["Days"] = days } },
            };
        }

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

    /// <summary>All four public-access blocks on (FSBP S3.8).</summary>
    private static CfnObject PublicAccessBlock() => new()
    {
        ["BlockPublicAcls"] = true,
        ["BlockPublicPolicy"] = true,
        ["IgnorePublicAcls"] = true,
        ["RestrictPublicBuckets"] = true,
    };

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
