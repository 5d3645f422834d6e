using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// Media delivery, two stacks. <c>edge-waf</c> (us-east-1, where CloudFront reads web ACLs): a CLOUDFRONT-scope WAFv2
/// web ACL (AWS managed rules and a per-IP rate limit) logging to a KMS-encrypted log group with its own key.
/// <c>media</c> (home region): a private SSE-KMS bucket (versioned, TLS only, ACLs disabled, access logs) served only
/// through a CloudFront distribution with Origin Access Control, HTTPS only, TLS 1.2 minimum, compression and logging.
/// The web ACL's ARN crosses regions as the media stack's <see cref="WebAclParameter"/>, filled by the deployer from the
/// edge stack's <see cref="WebAclOutput"/> (<see cref="StackParameter.ValueFrom"/>), since Fn::ImportValue is regional.
/// </summary>
internal static class MediaDeliveryBuilder
{
    /// <summary>The media stack's parameter that receives the edge web ACL's ARN.</summary>
    public const string WebAclParameter = "EdgeWebAclArn";

    /// <summary>The edge stack's output with the web ACL's ARN.</summary>
    public const string WebAclOutput = "WebAclArn";

    /// <summary>The media stack's parameter that receives the edge stack's certificate (when the spec names a hosted zone).</summary>
    public const string CertificateParameter = "EdgeCertificateArn";

    /// <summary>The edge stack's output with the certificate it requested.</summary>
    public const string CertificateOutput = "CertificateArn";

    /// <summary>CloudFront's managed cache policy CachingOptimized.</summary>
    public const string CachingOptimizedPolicyId = "658327ea-f89d-4fab-a63d-7e88639e58f6";

    /// <summary>CloudFront's managed response headers policy SecurityHeadersPolicy (HSTS, nosniff, frame options…).</summary>
    public const string SecurityHeadersPolicyId = "67f7725c-6f97-4210-82d7-5512b31e9d03";

    /// <summary>The viewer TLS policy when the distribution has its own certificate.</summary>
    public const string ViewerTlsPolicy = "TLSv1.2_2021";

    private const string OriginId = "media-bucket";

    /// <summary>The us-east-1 stack: the CLOUDFRONT-scope web ACL and its logging. Self-contained: it imports nothing.</summary>
    public static EdgeWebAcl BuildEdgeWebAcl(PlatformNaming naming, StackScope scope, MediaProps media)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: CloudFront web ACL (us-east-1) in front of the media distribution";

        // The environment's logs key lives in the home region; a log group here needs a key of its own region.
        var key = t.AddResource("EdgeLogsKey", "AWS::KMS::Key", new CfnObject
        {
            ["Description"] = $"{naming.Env}: encrypts the edge web ACL's log group (us-east-1)",
            ["EnableKeyRotation"] = true,
            ["KeyPolicy"] = new PolicyDocument
            {
                KeyParts.AccountAdministers(),
                KeyParts.DenyGrantsExceptForAwsResources(),
                new PolicyStatement
                {
                    Sid = "CloudWatchLogsEncryptsThisAccountsLogGroups",
                    Principal = PolicyPrincipal.Service($"logs.{PlatformNaming.EdgeRegion}.amazonaws.com"),
                    Actions = { "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey" },
                    Resources = { "*" },
                    Conditions = new CfnObject
                    {
                        ["ArnLike"] = new CfnObject { ["kms:EncryptionContext:aws:logs:arn"] = PlatformNaming.Arn("logs", "log-group:*") },
                    },
                },
            }.ToNode(),
            ["Tags"] = naming.Tags("edge-logs-key"),
        });
        key.DeletionPolicy = DeletionPolicy.Retain;
        key.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        t.AddResource("EdgeLogsKeyAlias", "AWS::KMS::Alias", new CfnObject
        {
            ["AliasName"] = $"alias/{naming.Env}/edge-logs",
            ["TargetKeyId"] = key.Ref(),
        });

        var acl = WebAclParts.WebAcl(t, naming, $"{naming.Env}-media", "CLOUDFRONT", $"{naming.Env}: AWS managed rules and a per-IP rate limit in front of the media distribution", $"{naming.Env}-edge", $"{naming.Env}-edge", media.RateLimitPer5Minutes, "edge-waf");

        WebAclParts.LogDecisions(t, naming, acl, $"aws-waf-logs-{naming.Env}-edge", media.LogRetentionDays, key.GetAtt("Arn"), "edge-waf-logs");

        StackOutput? certificateArn = null;
        if (media.RequestsCertificate)
        {
            // CloudFront reads certificates only from us-east-1, so the certificate is requested here; Route 53 is global.
            var certificate = t.AddResource("Certificate", "AWS::CertificateManager::Certificate", new CfnObject
            {
                ["DomainName"] = media.Aliases[0],
                ["ValidationMethod"] = "DNS",
                ["DomainValidationOptions"] = new CfnList([.. media.Aliases.Select(a => (CfnNode)new CfnObject { ["DomainName"] = a, ["HostedZoneId"] = media.HostedZoneId! })]),
                ["Tags"] = naming.Tags("media-certificate"),
            });
            if (media.Aliases.Count > 1)
            {
                certificate.Properties["SubjectAlternativeNames"] = new CfnList([.. media.Aliases.Skip(1).Select(a => (CfnNode)a)]);
            }

            certificateArn = scope.Output(CertificateOutput, certificate.Ref(), "ARN of the media aliases' certificate; the media stack receives it as a parameter");
        }

        // Plain outputs, not exports: exports cannot be imported from another region.
        var webAclArn = scope.Output(WebAclOutput, acl.GetAtt("Arn"), "ARN of the CLOUDFRONT-scope web ACL; the media stack receives it as a parameter");
        return new EdgeWebAcl(scope, webAclArn, certificateArn);
    }

    /// <summary>The home-region stack: media bucket, its log bucket, Origin Access Control and the distribution.</summary>
    public static MediaDelivery Build(PlatformNaming naming, StackScope scope, MediaProps media, SecurityBaseline security, EdgeWebAcl edge)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: media bucket and CloudFront distribution";
        scope.FillParameter(WebAclParameter, edge.WebAclArn);
        var webAcl = t.Add(new Parameter(WebAclParameter)
        {
            Description = $"ARN of the CLOUDFRONT-scope web ACL: output {WebAclOutput} of stack {edge.Stack.Name} in {edge.Stack.Region} (filled by the deployer)",
            AllowedPattern = @"^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$",
            ConstraintDescription = "the ARN of a CLOUDFRONT-scope (global) WAFv2 web ACL",
        });

        CfnNode? certificateArn = media.CertificateArn;
        if (media.RequestsCertificate)
        {
            scope.FillParameter(CertificateParameter, edge.CertificateArn!);
            certificateArn = t.Add(new Parameter(CertificateParameter)
            {
                Description = $"ARN of the aliases' certificate: output {CertificateOutput} of stack {edge.Stack.Name} in {edge.Stack.Region} (filled by the deployer)",
                AllowedPattern = @"^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/.+$",
                ConstraintDescription = "the ARN of an ACM certificate in us-east-1",
            }).Ref();
        }

        // CloudFront standard logging writes through bucket ACLs, and S3 server access logs only go to SSE-S3
        // buckets: this bucket keeps ACLs for the log-delivery account but blocks every public grant.
        var logBucket = BucketParts.Bucket(t, "LogBucket", key: null, BucketParts.LogLifecycle("expire-media-logs", media.LogRetentionDays), logging: null, naming.Tags("media-logs"), aclsForLogDelivery: true);
        GuardSuppressions.Suppress(logBucket, GuardSuppressions.BucketKmsEncryption, GuardSuppressions.BucketLogging);

        var dataKey = security.DataKey.Arn.In(scope);
        var failover = media.Failover;
        var (replica, replicationRole) = failover ? MediaReplica.AddBucketAndRole(t, naming, logBucket, dataKey) : (null, null);
        var bucket = BucketParts.Bucket(t, "MediaBucket", dataKey, BucketParts.KeepCurrentLifecycle(), BucketParts.LogTo(logBucket, "s3/"), naming.Tags("media"));
        if (replica is not null)
        {
            bucket.Properties["ReplicationConfiguration"] = MediaReplica.Replication(replica, replicationRole!, dataKey);
        }

        BucketParts.Policy(t, logBucket,
        [
            BucketParts.S3ServerAccessLogsFrom(
                logBucket,
                replica is null ? ["s3/"] : ["s3/", "s3-replica/"],
                replica is null ? bucket.GetAtt("Arn") : new CfnList { bucket.GetAtt("Arn"), replica.GetAtt("Arn") },
                "S3WritesMediaBucketAccessLogs"),
        ]);

        var oac = t.AddResource("OriginAccessControl", "AWS::CloudFront::OriginAccessControl", new CfnObject
        {
            ["OriginAccessControlConfig"] = new CfnObject
            {
                ["Name"] = $"{naming.Env}-media",
                ["Description"] = $"{naming.Env}: CloudFront signs every request to the media bucket",
                ["OriginAccessControlOriginType"] = "s3",
                ["SigningBehavior"] = "always",
                ["SigningProtocol"] = "sigv4",
            },
        });

        var config = new CfnObject
        {
            ["Enabled"] = true,
            ["Comment"] = $"{naming.Env}: media",
            ["DefaultRootObject"] = "index.html",
            ["HttpVersion"] = "http2and3",
            ["IPV6Enabled"] = true,
            ["PriceClass"] = media.PriceClass,
            ["Origins"] = new CfnList
            {
                new CfnObject
                {
                    ["Id"] = OriginId,
                    ["DomainName"] = bucket.GetAtt("RegionalDomainName"),
                    // OAC replaces the legacy origin access identity, which must be given as empty.
                    ["S3OriginConfig"] = new CfnObject { ["OriginAccessIdentity"] = string.Empty },
                    ["OriginAccessControlId"] = oac.GetAtt("Id"),
                },
            },
            ["DefaultCacheBehavior"] = new CfnObject
            {
                ["TargetOriginId"] = replica is null ? OriginId : MediaReplica.GroupId,
                ["ViewerProtocolPolicy"] = "redirect-to-https",
                ["Compress"] = true,
                ["AllowedMethods"] = new CfnList { "GET", "HEAD", "OPTIONS" },
                ["CachedMethods"] = new CfnList { "GET", "HEAD" },
                ["CachePolicyId"] = CachingOptimizedPolicyId,
                ["ResponseHeadersPolicyId"] = SecurityHeadersPolicyId,
            },
            ["Logging"] = new CfnObject
            {
                ["Bucket"] = logBucket.GetAtt("DomainName"),
                ["Prefix"] = "cloudfront/",
                ["IncludeCookies"] = false,
            },
            ["WebACLId"] = webAcl.Ref(),
        };
        if (replica is not null)
        {
            ((CfnList)config["Origins"]).Add(MediaReplica.Origin(replica, oac));
            config["OriginGroups"] = MediaReplica.OriginGroups(OriginId);
        }

        if (media.Aliases.Count > 0)
        {
            config["Aliases"] = new CfnList([.. media.Aliases.Select(a => (CfnNode)a)]);
            config["ViewerCertificate"] = new CfnObject
            {
                ["AcmCertificateArn"] = certificateArn!,
                ["SslSupportMethod"] = "sni-only",
                ["MinimumProtocolVersion"] = ViewerTlsPolicy,
            };
        }
        else
        {
            // The *.cloudfront.net certificate: CloudFront fixes its minimum protocol (a listed weakening).
            config["ViewerCertificate"] = new CfnObject { ["CloudFrontDefaultCertificate"] = true };
        }

        var distribution = t.AddResource("Distribution", "AWS::CloudFront::Distribution", new CfnObject
        {
            ["DistributionConfig"] = config,
            ["Tags"] = naming.Tags("media"),
        });
        if (media.Aliases.Count == 0)
        {
            // Without an alias CloudFront serves only *.cloudfront.net, with its own certificate (the listed weakening).
            GuardSuppressions.Suppress(distribution, GuardSuppressions.CustomCertificate, GuardSuppressions.Sni);
        }

        BucketParts.Policy(t, bucket, [MediaReplica.CloudFrontReads(bucket, distribution)]);
        if (replica is not null)
        {
            MediaReplica.AddPolicies(scope, bucket, replica, replicationRole!, distribution, security.DataKey);
        }

        if (media.HostedZoneId is { } zone)
        {
            // Each alias points at the distribution, IPv4 and IPv6 (the distribution has IPv6 on). Z2FDTNDATAQYW2 is
            // the hosted zone AWS documents for every CloudFront alias target.
            for (var i = 0; i < media.Aliases.Count; i++)
            {
                foreach (var type in new[] { "A", "AAAA" })
                {
                    t.AddResource($"MediaAlias{i + 1}{(type == "A" ? "Ipv4" : "Ipv6")}Record", "AWS::Route53::RecordSet", new CfnObject
                    {
                        ["HostedZoneId"] = zone,
                        ["Name"] = media.Aliases[i],
                        ["Type"] = type,
                        ["AliasTarget"] = new CfnObject
                        {
                            ["DNSName"] = distribution.GetAtt("DomainName"),
                            ["HostedZoneId"] = "Z2FDTNDATAQYW2",
                            ["EvaluateTargetHealth"] = false,
                        },
                    });
                }
            }
        }

        scope.Export("MediaBucketName", bucket.Ref(), "Media bucket (upload here; viewers read through CloudFront only)");
        scope.Export("MediaBucketArn", bucket.GetAtt("Arn"), "Media bucket ARN");
        var distributionId = scope.Export("DistributionId", distribution.Ref(), "CloudFront distribution id (for invalidations)");
        scope.Export("DistributionDomainName", distribution.GetAtt("DomainName"), "CloudFront domain name (target of the aliases' DNS records)");
        if (replica is not null)
        {
            scope.Export("MediaReplicaBucketName", replica.Ref(), "Replica of the media bucket (filled by S3 replication; CloudFront's second origin)");
        }

        scope.Export("LogBucketName", logBucket.Ref(), "Bucket of the media bucket's access logs and the distribution's logs");
        return new MediaDelivery(scope, distributionId);
    }
}

/// <summary>The media constructs' props (<c>media.*</c> and the single-origin weakening; see <see cref="ConstructProps.Media"/>),
/// read by both the edge web ACL and the media stack.</summary>
/// <param name="Aliases">The distribution's aliases (the first is the certificate's domain), or none.</param>
/// <param name="CertificateArn">An existing us-east-1 certificate for the aliases, when given.</param>
/// <param name="HostedZoneId">The Route 53 zone of the aliases (a certificate is requested and alias records added), when given.</param>
/// <param name="PriceClass">The distribution's price class.</param>
/// <param name="RateLimitPer5Minutes">Requests per 5 minutes from one IP before the edge web ACL blocks it.</param>
/// <param name="LogRetentionDays">How long the edge web ACL's logs and the media log bucket's objects are kept.</param>
/// <param name="Failover">Whether the media bucket has a replica and CloudFront an origin group (not <c>weakenings.singleOriginMedia</c>).</param>
internal sealed record MediaProps(
    IReadOnlyList<string> Aliases,
    string? CertificateArn,
    string? HostedZoneId,
    string PriceClass,
    int RateLimitPer5Minutes,
    int LogRetentionDays,
    bool Failover)
{
    /// <summary>Whether the edge stack requests the aliases' certificate (a hosted zone and at least one alias).</summary>
    public bool RequestsCertificate => HostedZoneId is not null && Aliases.Count > 0;
}
