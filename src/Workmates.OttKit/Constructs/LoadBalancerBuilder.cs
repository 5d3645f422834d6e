using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The load-balancer stack: an ALB in the public subnets; HTTPS with a TLS 1.3 policy and a default fixed 404;
/// HTTP that only redirects; invalid header fields dropped; desync mitigation defensive; access logs to an encrypted,
/// TLS-only, non-public bucket; deletion protection; a regional WAFv2 web ACL (AWS managed rules + a rate limit).
/// </summary>
internal static class LoadBalancerBuilder
{
    /// <summary>The TLS policy: TLS 1.3 with TLS 1.2 fallback, forward-secret ciphers only.</summary>
    public const string TlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    /// <summary>Requests per 5 minutes from one IP before the WAF rate rule blocks it.</summary>
    public const int RateLimitPer5Minutes = 2000;

    /// <summary>
    /// Elastic Load Balancing accounts that write access logs in regions opened before August 2022; newer regions
    /// use the <c>logdelivery.elasticloadbalancing.amazonaws.com</c> service principal instead.
    /// </summary>
    private static readonly Dictionary<string, string> LogDeliveryAccounts = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = "127311923021", ["us-east-2"] = "033677994240", ["us-west-1"] = "027434742980", ["us-west-2"] = "797873946194",
        ["af-south-1"] = "098369216593", ["ap-east-1"] = "754344448648", ["ap-south-1"] = "718504428378", ["ap-northeast-1"] = "582318560864",
        ["ap-northeast-2"] = "600734575887", ["ap-northeast-3"] = "383597477331", ["ap-southeast-1"] = "114774131450", ["ap-southeast-2"] = "783225319266",
        ["ca-central-1"] = "985666609251", ["eu-central-1"] = "054676820928", ["eu-west-1"] = "156460612806", ["eu-west-2"] = "652711504416",
        ["eu-west-3"] = "009996457667", ["eu-south-1"] = "635631232127", ["eu-north-1"] = "897822967062", ["me-south-1"] = "076674570225",
        ["sa-east-1"] = "507241528517",
    };

    public static LoadBalancer Build(PlatformNaming naming, StackScope scope, LoadBalancerProps lb, SecurityBaseline security, Network network)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: Application Load Balancer, TLS, WAF and access logs";

        var serverLogs = BucketParts.ServerAccessLogBucket(t, naming, "ServerAccessLogBucket", "alb-access-log-access-logs", 365, "AccessLogBucket");
        // ALB access logs support SSE-S3 only (not SSE-KMS).
        var bucket = BucketParts.Bucket(t, "AccessLogBucket", key: null, BucketParts.LogLifecycle("expire-access-logs", 365), BucketParts.LogTo(serverLogs, "alb-logs/"), naming.Tags("alb-logs"));

        var writer = LogDeliveryAccounts.TryGetValue(lb.Region, out var elbAccount)
            ? PolicyPrincipal.Aws(Fn.Sub($"arn:${{AWS::Partition}}:iam::{elbAccount}:root"))
            : PolicyPrincipal.Service("logdelivery.elasticloadbalancing.amazonaws.com");
        GuardSuppressions.Suppress(bucket, GuardSuppressions.BucketKmsEncryption);
        var policy = BucketParts.Policy(t, bucket,
        [
            new PolicyStatement
            {
                Sid = "LoadBalancerWritesAccessLogs",
                Principal = writer,
                Actions = { "s3:PutObject" },
                Resources = { BucketParts.ObjectsUnder(bucket, "AWSLogs/${AWS::AccountId}/") },
            },
        ]);

        var clientRules = new CfnList();
        foreach (var cidr in lb.AllowedClientCidrs)
        {
            foreach (var port in new[] { 443, 80 })
            {
                clientRules.Add(new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = port, ["ToPort"] = port, ["CidrIp"] = cidr, ["Description"] = port == 443 ? "HTTPS from clients" : "HTTP from clients (redirected to HTTPS)" });
            }
        }

        // Unprivileged ports only, unless a service runs as root on a lower one.
        var lowestPort = Math.Min(1024, lb.LowestContainerPort);
        var group = t.AddResource("LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}: load balancer (HTTPS and HTTP from allowed clients; to tasks in the VPC only)",
            ["VpcId"] = network.VpcId.In(scope),
            ["SecurityGroupIngress"] = clientRules,
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = lowestPort, ["ToPort"] = 65535, ["CidrIp"] = network.VpcCidr.In(scope), ["Description"] = "To service tasks in the VPC" },
            },
            ["Tags"] = naming.Tags("alb"),
        });

        var alb = t.AddResource("LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer", new CfnObject
        {
            ["Type"] = "application",
            ["Scheme"] = "internet-facing",
            ["IpAddressType"] = "ipv4",
            ["Subnets"] = Fn.Split(",", network.PublicSubnetIds.In(scope)),
            ["SecurityGroups"] = new CfnList { group.GetAtt("GroupId") },
            ["LoadBalancerAttributes"] = new CfnList
            {
                Attribute("deletion_protection.enabled", lb.DisableDeletionProtection ? "false" : "true"),
                Attribute("routing.http.drop_invalid_header_fields.enabled", "true"),
                Attribute("routing.http.desync_mitigation_mode", "defensive"),
                Attribute("access_logs.s3.enabled", "true"),
                Attribute("access_logs.s3.bucket", bucket.Ref()),
                Attribute("idle_timeout.timeout_seconds", "60"),
            },
            ["Tags"] = naming.Tags("alb"),
        });
        alb.DependOn(policy);

        CfnNode certificateArn;
        if (lb.CertificateArn is not null)
        {
            certificateArn = lb.CertificateArn;
        }
        else
        {
            var certificate = t.AddResource("Certificate", "AWS::CertificateManager::Certificate", new CfnObject
            {
                ["DomainName"] = lb.Domain!,
                ["ValidationMethod"] = "DNS",
                ["DomainValidationOptions"] = new CfnList { new CfnObject { ["DomainName"] = lb.Domain!, ["HostedZoneId"] = lb.HostedZoneId! } },
                ["Tags"] = naming.Tags("certificate"),
            });
            certificateArn = certificate.Ref();
        }

        var https = t.AddResource("HttpsListener", "AWS::ElasticLoadBalancingV2::Listener", new CfnObject
        {
            ["LoadBalancerArn"] = alb.Ref(),
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["SslPolicy"] = TlsPolicy,
            ["Certificates"] = new CfnList { new CfnObject { ["CertificateArn"] = certificateArn } },
            ["DefaultActions"] = new CfnList
            {
                new CfnObject
                {
                    ["Type"] = "fixed-response",
                    ["FixedResponseConfig"] = new CfnObject { ["StatusCode"] = "404", ["ContentType"] = "text/plain", ["MessageBody"] = "Not found" },
                },
            },
        });
        t.AddResource("HttpListener", "AWS::ElasticLoadBalancingV2::Listener", new CfnObject
        {
            ["LoadBalancerArn"] = alb.Ref(),
            ["Port"] = 80,
            ["Protocol"] = "HTTP",
            ["DefaultActions"] = new CfnList
            {
                new CfnObject
                {
                    ["Type"] = "redirect",
                    ["RedirectConfig"] = new CfnObject { ["Protocol"] = "HTTPS", ["Port"] = "443", ["StatusCode"] = "HTTP_301" },
                },
            },
        });

        if (!lb.DisableWebApplicationFirewall)
        {
            AddWebAcl(t, naming, alb, scope, security);
        }

        // Architecture fact: an internet-facing ALB in the public subnets, its listeners and its web ACL.
        scope.Graph.Architecture.LoadBalancers.Add(new(scope.Name, Network: false, "internet-facing", [443, 80], !lb.DisableWebApplicationFirewall));

        if (lb is { Domain: { } domain, HostedZoneId: { } zone })
        {
            // The domain the certificate is issued for points at the load balancer (an alias: no TTL, no charge,
            // follows the ALB's addresses). The ALB is IPv4-only, so A only.
            t.AddResource("DomainAliasRecord", "AWS::Route53::RecordSet", new CfnObject
            {
                ["HostedZoneId"] = zone,
                ["Name"] = domain,
                ["Type"] = "A",
                ["AliasTarget"] = new CfnObject
                {
                    ["DNSName"] = alb.GetAtt("DNSName"),
                    ["HostedZoneId"] = alb.GetAtt("CanonicalHostedZoneID"),
                    ["EvaluateTargetHealth"] = true,
                },
            });
        }

        return new LoadBalancer(
            scope,
            scope.Export("LoadBalancerArn", alb.Ref(), "ALB ARN"),
            scope.Export("LoadBalancerFullName", alb.GetAtt("LoadBalancerFullName"), "ALB full name (app/name/id), for CloudWatch dimensions and scaling labels"),
            scope.Export("LoadBalancerDnsName", alb.GetAtt("DNSName"), "ALB DNS name"),
            scope.Export("LoadBalancerHostedZoneId", alb.GetAtt("CanonicalHostedZoneID"), "ALB hosted zone, for Route 53 alias records"),
            scope.Export("HttpsListenerArn", https.Ref(), "HTTPS listener ARN"),
            scope.Export("LoadBalancerSecurityGroupId", group.GetAtt("GroupId"), "ALB security group id"),
            scope.Export("AccessLogBucketName", bucket.Ref(), "Bucket of the ALB access logs"));
    }

    private static CfnObject Attribute(string key, CfnNode value) => new() { ["Key"] = key, ["Value"] = value };

    private static void AddWebAcl(Template t, PlatformNaming naming, Resource alb, StackScope scope, SecurityBaseline security)
    {
        var acl = WebAclParts.WebAcl(t, naming, $"{naming.Env}-alb", "REGIONAL", $"{naming.Env}: AWS managed rules and a per-IP rate limit in front of the load balancer", naming.Env, $"{naming.Env}-alb", RateLimitPer5Minutes, "waf");
        t.AddResource("WebAclAssociation", "AWS::WAFv2::WebACLAssociation", new CfnObject
        {
            ["ResourceArn"] = alb.Ref(),
            ["WebACLArn"] = acl.GetAtt("Arn"),
        });

        WebAclParts.LogDecisions(t, naming, acl, $"aws-waf-logs-{naming.Env}", 365, security.LogsKey.Arn.In(scope), "waf-logs");
    }
}

/// <summary>The load balancer construct's props (<c>loadBalancer.*</c> and what it needs of the services; see
/// <see cref="ConstructProps.LoadBalancer"/>).</summary>
/// <param name="Region">The environment's region (picks the ELB log-delivery account).</param>
/// <param name="AllowedClientCidrs">Client CIDRs allowed to reach the listeners.</param>
/// <param name="CertificateArn">An existing certificate, when given.</param>
/// <param name="Domain">The domain of a certificate to request and of the alias record, when given.</param>
/// <param name="HostedZoneId">The Route 53 zone of <paramref name="Domain"/>, when given.</param>
/// <param name="LowestContainerPort">The lowest container port of the services (the egress range starts there or at 1024).</param>
/// <param name="DisableDeletionProtection">The <c>weakenings.disableLoadBalancerDeletionProtection</c> weakening.</param>
/// <param name="DisableWebApplicationFirewall">The <c>weakenings.disableWebApplicationFirewall</c> weakening.</param>
internal sealed record LoadBalancerProps(
    string Region,
    IReadOnlyList<string> AllowedClientCidrs,
    string? CertificateArn,
    string? Domain,
    string? HostedZoneId,
    int LowestContainerPort,
    bool DisableDeletionProtection,
    bool DisableWebApplicationFirewall);
