using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The media bucket's replica and CloudFront's second origin (Control Tower CT.CLOUDFRONT.PR.4): a bucket in the home
/// region, encrypted with the same data key, that S3 replication keeps in step with the media bucket, and an origin
/// group that sends a request to it when the media bucket answers 403, 404 or 5xx. Deletions are not replicated (delete
/// markers stay in the media bucket), so an object deleted by mistake is still served from the replica until it is
/// deleted there too; the replica keeps objects in S3 Standard-IA, which halves its storage price and bills a read
/// only when CloudFront fails over.
/// </summary>
internal static class MediaReplica
{
    /// <summary>CloudFront's origin id of the replica.</summary>
    public const string OriginId = "media-replica";

    /// <summary>CloudFront's id of the origin group the default behavior targets.</summary>
    public const string GroupId = "media-failover";

    /// <summary>The status codes on which CloudFront retries a request on the replica.</summary>
    public static readonly IReadOnlyList<int> FailoverStatusCodes = [403, 404, 500, 502, 503, 504];

    /// <summary>Adds the replica bucket (access logs into <paramref name="logBucket"/> below <c>s3-replica/</c>) and the role S3 replicates as.</summary>
    public static (Resource Bucket, Resource Role) AddBucketAndRole(Template t, PlatformNaming naming, Resource logBucket, Intrinsic dataKey)
    {
        var bucket = BucketParts.Bucket(t, "MediaReplicaBucket", dataKey, BucketParts.KeepCurrentLifecycle(), BucketParts.LogTo(logBucket, "s3-replica/"), naming.Tags("media-replica"));

        var role = t.AddResource("MediaReplicationRole", "AWS::IAM::Role", new CfnObject
        {
            ["Description"] = $"{naming.Env}: S3 replicates the media bucket into its replica",
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("s3.amazonaws.com"),
            ["Tags"] = naming.Tags("media-replication"),
        });
        return (bucket, role);
    }

    /// <summary>The media bucket's replication configuration: everything, SSE-KMS objects included, into the replica.</summary>
    public static CfnObject Replication(Resource replica, Resource role, Intrinsic dataKey) => new()
    {
        ["Role"] = role.GetAtt("Arn"),
        ["Rules"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = "replicate-media",
                ["Status"] = "Enabled",
                ["Priority"] = 1,
                ["Filter"] = new CfnObject { ["Prefix"] = string.Empty },
                ["DeleteMarkerReplication"] = new CfnObject { ["Status"] = "Disabled" },
                ["SourceSelectionCriteria"] = new CfnObject { ["SseKmsEncryptedObjects"] = new CfnObject { ["Status"] = "Enabled" } },
                ["Destination"] = new CfnObject
                {
                    ["Bucket"] = replica.GetAtt("Arn"),
                    ["StorageClass"] = "STANDARD_IA",
                    ["EncryptionConfiguration"] = new CfnObject { ["ReplicaKmsKeyID"] = dataKey },
                },
            },
        },
    };

    /// <summary>The replica's origin: the same Origin Access Control as the media bucket.</summary>
    public static CfnObject Origin(Resource replica, Resource oac) => new()
    {
        ["Id"] = OriginId,
        ["DomainName"] = replica.GetAtt("RegionalDomainName"),
        ["S3OriginConfig"] = new CfnObject { ["OriginAccessIdentity"] = string.Empty },
        ["OriginAccessControlId"] = oac.GetAtt("Id"),
    };

    /// <summary>The origin group: <paramref name="primaryOriginId"/> first, the replica when it fails.</summary>
    public static CfnObject OriginGroups(string primaryOriginId) => new()
    {
        ["Quantity"] = 1,
        ["Items"] = new CfnList
        {
            new CfnObject
            {
                ["Id"] = GroupId,
                ["FailoverCriteria"] = new CfnObject
                {
                    ["StatusCodes"] = new CfnObject
                    {
                        ["Quantity"] = FailoverStatusCodes.Count,
                        ["Items"] = new CfnList([.. FailoverStatusCodes.Select(c => (CfnNode)c)]),
                    },
                },
                ["Members"] = new CfnObject
                {
                    ["Quantity"] = 2,
                    ["Items"] = new CfnList
                    {
                        new CfnObject { ["OriginId"] = primaryOriginId },
                        new CfnObject { ["OriginId"] = OriginId },
                    },
                },
            },
        },
    };

    /// <summary>
    /// The replication role's policy (a separate resource: the media bucket names the role, and the policy names the
    /// media bucket) and the replica's bucket policy (TLS only; CloudFront reads through Origin Access Control, for
    /// <paramref name="distribution"/> only).
    /// </summary>
    public static void AddPolicies(StackScope scope, Resource media, Resource replica, Resource role, Resource distribution, KmsKey dataKey)
    {
        var t = scope.Template;
        var useKey = dataKey.GrantThrough(scope, "s3", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        useKey.Sid = "DecryptSourceAndEncryptReplicaThroughS3";
        t.AddResource("MediaReplicationPolicy", "AWS::IAM::RolePolicy", new CfnObject
        {
            ["PolicyName"] = "replicate-media",
            ["RoleName"] = role.Ref(),
            ["PolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Sid = "ReadReplicationConfiguration",
                    Actions = { "s3:GetReplicationConfiguration", "s3:ListBucket" },
                    Resources = { media.GetAtt("Arn") },
                },
                new PolicyStatement
                {
                    Sid = "ReadSourceVersions",
                    Actions = { "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold" },
                    Resources = { Fn.Join(string.Empty, media.GetAtt("Arn"), "/*") },
                },
                new PolicyStatement
                {
                    Sid = "WriteReplicas",
                    Actions = { "s3:ReplicateObject", "s3:ReplicateTags" },
                    Resources = { Fn.Join(string.Empty, replica.GetAtt("Arn"), "/*") },
                },
                useKey,
            }.ToNode(),
        });

        BucketParts.Policy(t, replica, [CloudFrontReads(replica, distribution)]);
    }

    /// <summary>CloudFront reads <paramref name="bucket"/>'s objects through Origin Access Control, for
    /// <paramref name="distribution"/> only (the media bucket and its replica grant the same).</summary>
    /// <param name="bucket">The media bucket or its replica.</param>
    /// <param name="distribution">The distribution in the same template.</param>
    /// <returns>The grant, for <see cref="BucketParts.Policy"/>.</returns>
    public static PolicyStatement CloudFrontReads(Resource bucket, Resource distribution) => new()
    {
        Sid = "CloudFrontReadsThroughOriginAccessControl",
        Principal = PolicyPrincipal.Service("cloudfront.amazonaws.com"),
        Actions = { "s3:GetObject" },
        Resources = { BucketParts.ObjectsUnder(bucket, string.Empty) },
        Conditions = new CfnObject
        {
            ["StringEquals"] = new CfnObject { ["AWS:SourceArn"] = Fn.Sub($"arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{distribution.LogicalId}}}") },
        },
    };
}
