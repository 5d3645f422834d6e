using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;
using static Workmates.OttKit.Tests.Constructs.TemplateAssertions;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>FSBP controls of the media, edge WAF, monitoring and CI stacks (same Blacksheep synth as the rest of the class).</summary>
public sealed partial class SecurityControlTests
{
    private static Resource MediaBucket => Platform["blacksheep-media"].Template.Resources["MediaBucket"];

    private static Resource MediaLogBucket => Platform["blacksheep-media"].Template.Resources["LogBucket"];

    private static CfnObject DistributionConfig => (CfnObject)Platform["blacksheep-media"].Template.Resources["Distribution"].Properties["DistributionConfig"];

    private static Resource EdgeAcl => Platform["blacksheep-edge-waf"].Template.Resources["WebAcl"];

    private static string Policy(string stack, string id) => Platform[stack].Template.Resources[id].Properties["PolicyDocument"].ToString();

    [Fact]
    public void S3_17_media_bucket_is_encrypted_with_the_data_kms_key()
    {
        var rule = ((CfnList)At(MediaBucket.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration")!)[0];
        Assert.Equal("aws:kms", Text(At(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")));
        Assert.Equal(Fn.ImportValue("blacksheep:security:DataKeyArn").ToString(), At(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID")!.ToString());
    }

    [Fact]
    public void S3_5_media_buckets_deny_requests_without_tls()
    {
        foreach (var policy in new[] { Policy("blacksheep-media", "MediaBucketPolicy"), Policy("blacksheep-media", "LogBucketPolicy") })
        {
            Assert.Contains("\"aws:SecureTransport\":\"false\"", policy, StringComparison.Ordinal);
            Assert.Contains("\"Effect\":\"Deny\"", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void S3_8_media_buckets_block_public_access() =>
        Assert.All(new[] { MediaBucket, MediaLogBucket }, b => Assert.All(
            ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
            k => Assert.Equal("true", Text(At(b.Properties, "PublicAccessBlockConfiguration", k)))));

    [Fact]
    public void S3_2_S3_3_media_bucket_policy_grants_reads_to_cloudfront_only()
    {
        var statements = ((CfnList)At(Platform["blacksheep-media"].Template.Resources["MediaBucketPolicy"].Properties, "PolicyDocument", "Statement")!).Cast<CfnObject>();
        var allows = statements.Where(s => Text(s["Effect"]) == "Allow").ToArray();
        var allow = Assert.Single(allows);
        Assert.Equal("cloudfront.amazonaws.com", Text(At(allow, "Principal", "Service")));
        Assert.Equal("s3:GetObject", Text(allow["Action"]));
        Assert.Contains("distribution/${Distribution}", At(allow, "Condition", "StringEquals", "AWS:SourceArn")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void S3_9_media_bucket_logs_access_to_the_log_bucket() =>
        Assert.Equal(Fn.Ref("LogBucket").ToString(), At(MediaBucket.Properties, "LoggingConfiguration", "DestinationBucketName")!.ToString());

    [Fact]
    public void S3_12_media_bucket_disables_acls() =>
        MediaBucket.HasProperties(new CfnObject { ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } } });

    [Fact]
    public void S3_13_S3_14_media_buckets_are_versioned_with_a_lifecycle() =>
        Assert.All(new[] { MediaBucket, MediaLogBucket }, b =>
        {
            Assert.Equal("Enabled", Text(At(b.Properties, "VersioningConfiguration", "Status")));
            Assert.NotNull(At(b.Properties, "LifecycleConfiguration", "Rules"));
        });

    [Fact]
    public void CloudFront_1_distribution_has_a_default_root_object() =>
        Assert.Equal("index.html", Text(DistributionConfig["DefaultRootObject"]));

    [Fact]
    public void CloudFront_3_distribution_requires_https_from_viewers() =>
        Assert.Equal("redirect-to-https", Text(At(DistributionConfig, "DefaultCacheBehavior", "ViewerProtocolPolicy")));

    [Fact]
    public void CloudFront_5_distribution_logs_to_the_media_log_bucket() =>
        Assert.Equal(Fn.GetAtt("LogBucket", "DomainName").ToString(), At(DistributionConfig, "Logging", "Bucket")!.ToString());

    [Fact]
    public void CloudFront_6_distribution_uses_the_us_east_1_web_acl()
    {
        Assert.Equal(Fn.Ref("EdgeWebAclArn").ToString(), DistributionConfig["WebACLId"].ToString());
        Assert.Equal("CLOUDFRONT", Text(EdgeAcl.Properties["Scope"]));
        Assert.Equal("us-east-1", Platform["blacksheep-edge-waf"].Region);
    }

    [Fact]
    public void CloudFront_7_distribution_uses_its_own_certificate()
    {
        Assert.Contains("us-east-1", Text(At(DistributionConfig, "ViewerCertificate", "AcmCertificateArn")), StringComparison.Ordinal);
        Assert.Null(At(DistributionConfig, "ViewerCertificate", "CloudFrontDefaultCertificate"));
    }

    [Fact]
    public void CloudFront_8_distribution_uses_sni() =>
        Assert.Equal("sni-only", Text(At(DistributionConfig, "ViewerCertificate", "SslSupportMethod")));

    [Fact]
    public void CloudFront_12_distribution_points_to_the_bucket_of_its_own_stack() =>
        Assert.Equal(Fn.GetAtt("MediaBucket", "RegionalDomainName").ToString(), At(((CfnList)DistributionConfig["Origins"])[0], "DomainName")!.ToString());

    [Fact]
    public void CloudFront_13_distribution_reads_the_bucket_through_origin_access_control()
    {
        var origin = ((CfnList)DistributionConfig["Origins"])[0];
        Assert.Equal(Fn.GetAtt("OriginAccessControl", "Id").ToString(), At(origin, "OriginAccessControlId")!.ToString());
        Assert.Equal(string.Empty, Text(At(origin, "S3OriginConfig", "OriginAccessIdentity")));
        Assert.Equal("always", Text(At(Platform["blacksheep-media"].Template.Resources["OriginAccessControl"].Properties, "OriginAccessControlConfig", "SigningBehavior")));
    }

    [Fact]
    public void CloudFront_15_distribution_uses_the_recommended_tls_policy() =>
        Assert.Equal("TLSv1.2_2021", Text(At(DistributionConfig, "ViewerCertificate", "MinimumProtocolVersion")));

    [Fact]
    public void CloudFront_compresses_and_sends_security_headers()
    {
        Assert.Equal("true", Text(At(DistributionConfig, "DefaultCacheBehavior", "Compress")));
        Assert.NotNull(At(DistributionConfig, "DefaultCacheBehavior", "ResponseHeadersPolicyId"));
    }

    [Fact]
    public void KMS_data_key_lets_cloudfront_decrypt_only_for_distributions_of_the_account()
    {
        var key = Platform["blacksheep-security"].Template.Resources["DataKey"];
        var statement = ((CfnList)At(key.Properties, "KeyPolicy", "Statement")!).Cast<CfnObject>().Single(s => Text(s["Sid"]) == "CloudFrontReadsMediaThroughOriginAccessControl");
        Assert.Equal("kms:Decrypt", Text(statement["Action"]));
        Assert.Contains(":distribution/*", At(statement, "Condition", "ArnLike", "aws:SourceArn")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WAF_10_edge_web_acl_has_managed_rules_and_a_rate_limit()
    {
        var rules = ((CfnList)EdgeAcl.Properties["Rules"]).Cast<CfnObject>().Select(r => Text(r["Name"]) ?? string.Empty).ToArray();
        Assert.Equal(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "RateLimitPerIp"], rules);
    }

    [Fact]
    public void WAF_11_edge_web_acl_logs_to_a_log_group_encrypted_with_a_us_east_1_key()
    {
        var edge = Platform["blacksheep-edge-waf"].Template;
        Assert.Contains("log-group:aws-waf-logs-blacksheep-edge", edge.Resources["WafLogging"].Properties["LogDestinationConfigs"].ToString(), StringComparison.Ordinal);
        Assert.Equal(Fn.GetAtt("EdgeLogsKey", "Arn").ToString(), edge.Resources["WafLogGroup"].Properties["KmsKeyId"].ToString());
        Assert.Equal("true", Text(edge.Resources["EdgeLogsKey"].Properties["EnableKeyRotation"]));
    }

    [Fact]
    public void WAF_12_every_web_acl_rule_publishes_cloudwatch_metrics() =>
        Assert.All(
            All("AWS::WAFv2::WebACL").SelectMany(a => ((CfnList)a.Resource.Properties["Rules"]).Cast<CfnObject>()),
            r => Assert.Equal("true", Text(At(r, "VisibilityConfig", "CloudWatchMetricsEnabled"))));

    [Fact]
    public void SNS_1_alarm_topic_is_encrypted_with_the_data_key() =>
        Assert.Equal(
            Fn.ImportValue("blacksheep:security:DataKeyArn").ToString(),
            Platform["blacksheep-monitoring"].Template.Resources["AlarmTopic"].Properties["KmsMasterKeyId"].ToString());

    [Fact]
    public void SNS_4_alarm_topic_policy_allows_only_this_accounts_services()
    {
        var statements = ((CfnList)At(Platform["blacksheep-monitoring"].Template.Resources["AlarmTopicPolicy"].Properties, "PolicyDocument", "Statement")!).Cast<CfnObject>();
        Assert.All(statements.Where(s => Text(s["Effect"]) == "Allow"), s =>
        {
            Assert.Null(Text(s["Principal"]));
            Assert.NotNull(At(s, "Condition", "StringEquals", "aws:SourceAccount"));
        });
    }

    [Fact]
    public void KMS_data_key_lets_cloudwatch_and_eventbridge_publish_to_the_encrypted_topic()
    {
        var policy = Platform["blacksheep-security"].Template.Resources["DataKey"].Properties["KeyPolicy"].ToString();
        Assert.Contains("cloudwatch.amazonaws.com", policy, StringComparison.Ordinal);
        Assert.Contains("events.amazonaws.com", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void CloudWatch_15_CloudWatch_17_every_monitoring_alarm_notifies_the_topic()
    {
        var alarms = Platform["blacksheep-monitoring"].Template.Resources.Values.Where(r => r.Type == "AWS::CloudWatch::Alarm").ToArray();
        Assert.True(alarms.Length > 20, $"only {alarms.Length} alarms");
        Assert.All(alarms, a =>
        {
            Assert.Equal("true", Text(a.Properties["ActionsEnabled"]));
            Assert.Equal(Fn.Ref("AlarmTopic").ToString(), ((CfnList)a.Properties["AlarmActions"]).Single().ToString());
        });
    }

    [Fact]
    public void IAM_no_template_creates_users_access_keys_or_inline_credentials()
    {
        foreach (var sample in new[] { "blacksheep", "owl270" })
        {
            var set = SampleSpecs.ByName(sample).Synthesize();
            var forbidden = set.Stacks
                .SelectMany(s => s.Template.Resources.Values.Select(r => (s.Name, r)))
                .Where(x => x.r.Type is "AWS::IAM::AccessKey" or "AWS::IAM::User" or "AWS::IAM::UserToGroupAddition" or "AWS::IAM::Group")
                .Select(x => $"{x.Name}/{x.r.LogicalId} ({x.r.Type})")
                .ToArray();
            Assert.True(forbidden.Length == 0, string.Join(", ", forbidden));
        }
    }

    [Fact]
    public void IAM_1_no_policy_grants_every_action_on_every_resource()
    {
        foreach (var (stack, role) in All("AWS::IAM::Role"))
        {
            var policies = At(role.Properties, "Policies") as CfnList ?? [];
            foreach (var statement in policies.Cast<CfnObject>().SelectMany(p => ((CfnList)At(p, "PolicyDocument", "Statement")!).Cast<CfnObject>()))
            {
                Assert.False(Text(statement["Action"]) == "*" && Text(statement["Resource"]) == "*", $"{stack}/{role.LogicalId}");
            }
        }
    }

    [Fact]
    public void IAM_ci_roles_trust_only_github_oidc_with_exact_audience_and_subjects()
    {
        var ci = Platform["blacksheep-ci"].Template;
        foreach (var id in new[] { "DeployRole", "PlanRole" })
        {
            var statement = (CfnObject)((CfnList)At(ci.Resources[id].Properties, "AssumeRolePolicyDocument", "Statement")!).Single();
            Assert.Equal("sts:AssumeRoleWithWebIdentity", Text(statement["Action"]));
            Assert.Equal(Fn.Ref("GitHubOidcProvider").ToString(), At(statement, "Principal", "Federated")!.ToString());
            Assert.Equal("sts.amazonaws.com", Text(At(statement, "Condition", "StringEquals", "token.actions.githubusercontent.com:aud")));
            var subjects = ((CfnList)At(statement, "Condition", "StringEquals", "token.actions.githubusercontent.com:sub")!).Select(s => Text(s)!).ToArray();
            Assert.All(subjects, s => Assert.DoesNotContain("*", s, StringComparison.Ordinal));
            Assert.Null(At(statement, "Condition", "StringLike"));
        }
    }
}
