using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The blueprint's WAFv2 web ACL, written once for the load balancer (REGIONAL) and the media distribution
/// (CLOUDFRONT, in us-east-1): the AWS common, known-bad-inputs and IP-reputation rule groups, then a per-IP rate
/// limit that blocks; allow by default; metrics and sampled requests on every rule.
/// </summary>
internal static class WebAclParts
{
    /// <summary>The AWS managed rule groups every web ACL evaluates, in priority order.</summary>
    public static readonly IReadOnlyList<string> ManagedRuleGroups =
        ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"];

    /// <summary>Adds the web ACL <c>WebAcl</c> to <paramref name="t"/>.</summary>
    /// <param name="t">The template.</param>
    /// <param name="ctx">The environment (tags).</param>
    /// <param name="name">The web ACL's name.</param>
    /// <param name="scope"><c>REGIONAL</c> or <c>CLOUDFRONT</c>.</param>
    /// <param name="description">Its description.</param>
    /// <param name="ruleMetricPrefix">Prefix of the rules' metric names (<c>&lt;prefix&gt;-&lt;group&gt;</c>, <c>&lt;prefix&gt;-rate-limit</c>).</param>
    /// <param name="aclMetric">The web ACL's own metric name.</param>
    /// <param name="rateLimitPer5Minutes">Requests per IP per 5 minutes above which the IP is blocked.</param>
    /// <param name="tag">The <c>Name</c> tag suffix.</param>
    /// <returns>The web ACL resource.</returns>
    public static Resource WebAcl(Template t, PlatformNaming ctx, string name, string scope, string description, string ruleMetricPrefix, string aclMetric, int rateLimitPer5Minutes, string tag)
    {
        var rules = new CfnList();
        var priority = 0;
        foreach (var group in ManagedRuleGroups)
        {
            rules.Add(new CfnObject
            {
                ["Name"] = group,
                ["Priority"] = priority++,
                ["OverrideAction"] = new CfnObject { ["None"] = new CfnObject() },
                ["Statement"] = new CfnObject { ["ManagedRuleGroupStatement"] = new CfnObject { ["VendorName"] = "AWS", ["Name"] = group } },
                ["VisibilityConfig"] = Visibility($"{ruleMetricPrefix}-{group}"),
            });
        }

        rules.Add(new CfnObject
        {
            ["Name"] = "RateLimitPerIp",
            ["Priority"] = priority,
            ["Action"] = new CfnObject { ["Block"] = new CfnObject() },
            ["Statement"] = new CfnObject { ["RateBasedStatement"] = new CfnObject { ["Limit"] = rateLimitPer5Minutes, ["AggregateKeyType"] = "IP" } },
            ["VisibilityConfig"] = Visibility($"{ruleMetricPrefix}-rate-limit"),
        });

        return t.AddResource("WebAcl", "AWS::WAFv2::WebACL", new CfnObject
        {
            ["Name"] = name,
            ["Scope"] = scope,
            ["Description"] = description,
            ["DefaultAction"] = new CfnObject { ["Allow"] = new CfnObject() },
            ["VisibilityConfig"] = Visibility(aclMetric),
            ["Rules"] = rules,
            ["Tags"] = ctx.Tags(tag),
        });
    }

    private static CfnObject Visibility(string metric) => new()
    {
        ["SampledRequestsEnabled"] = true,
        ["CloudWatchMetricsEnabled"] = true,
        ["MetricName"] = metric,
    };

    /// <summary>
    /// WAF.11: logs the web ACL's decisions to a KMS-encrypted log group kept when the stack goes. The group's name must
    /// start with <c>aws-waf-logs-</c>, and WAF wants the group's ARN without the <c>:*</c> suffix <c>GetAtt Arn</c> returns.
    /// </summary>
    /// <param name="t">The web ACL's template.</param>
    /// <param name="naming">The environment's naming (tags).</param>
    /// <param name="acl">The web ACL.</param>
    /// <param name="logName">The log group's name (<c>aws-waf-logs-…</c>).</param>
    /// <param name="retentionDays">Days the decisions are kept.</param>
    /// <param name="key">The log group's KMS key, in the ACL's region.</param>
    /// <param name="tag">The log group's name tag.</param>
    public static void LogDecisions(Template t, PlatformNaming naming, Resource acl, string logName, int retentionDays, CfnNode key, string tag)
    {
        var logs = t.AddResource("WafLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = logName,
            ["RetentionInDays"] = retentionDays,
            ["KmsKeyId"] = key,
            ["Tags"] = naming.Tags(tag),
        });
        logs.DeletionPolicy = DeletionPolicy.Retain;
        logs.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        t.AddResource("WafLogging", "AWS::WAFv2::LoggingConfiguration", new CfnObject
        {
            ["ResourceArn"] = acl.GetAtt("Arn"),
            ["LogDestinationConfigs"] = new CfnList { PlatformNaming.Arn("logs", $"log-group:{logName}") },
        }).DependOn(logs);
    }
}
