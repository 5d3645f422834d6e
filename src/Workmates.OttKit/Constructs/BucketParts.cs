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
    /// <see cref="GuardSuppressions"/> for KMS, logging and Object Lock.
    /// </summary>
    public static Resource ServerAccessLogBucket(Template t, PlatformContext ctx, string id, string tag, int retentionDays, params string[] sourceIds)
    {
        var bucket = t.AddResource(id, "AWS::S3::Bucket", new CfnObject
        {
            ["BucketEncryption"] = new CfnObject
            {
                ["ServerSideEncryptionConfiguration"] = new CfnList
                {
                    new CfnObject { ["ServerSideEncryptionByDefault"] = new CfnObject { ["SSEAlgorithm"] = "AES256" } },
                },
            },
            ["PublicAccessBlockConfiguration"] = new CfnObject
            {
                ["BlockPublicAcls"] = true,
                ["BlockPublicPolicy"] = true,
                ["IgnorePublicAcls"] = true,
                ["RestrictPublicBuckets"] = true,
            },
            ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } },
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = new CfnObject
            {
                ["Rules"] = new CfnList
                {
                    new CfnObject
                    {
                        ["Id"] = "expire-access-logs",
                        ["Status"] = "Enabled",
                        ["ExpirationInDays"] = retentionDays,
                        ["NoncurrentVersionExpiration"] = new CfnObject { ["NoncurrentDays"] = 30 },
                        ["AbortIncompleteMultipartUpload"] = new CfnObject { ["DaysAfterInitiation"] = 7 },
                    },
                },
            },
            ["NotificationConfiguration"] = EventBridgeNotifications(),
            ["Tags"] = ctx.Tags(tag),
        });
        bucket.DeletionPolicy = DeletionPolicy.Retain;
        bucket.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        GuardSuppressions.Suppress(bucket, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging, GuardSuppressions.BucketObjectLock);

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
}
