using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The AWS Control Tower proactive controls (cfn-guard rules) a resource deliberately does not satisfy, written as
/// <c>Metadata: guard: SuppressedRules: [rule]</c> — the convention cfn-guard tooling reads. Every rule here has its
/// reason in <c>docs/security-controls.md</c> ("Control Tower proactive controls"): only AWS's own requirement or a
/// rule older than the setting it checks, never convenience.
/// </summary>
internal static class GuardSuppressions
{
    /// <summary>CT.S3.PR.10: SSE-KMS. S3 server access logs and ALB access logs are delivered only to SSE-S3 buckets.</summary>
    public const string BucketKmsEncryption = "s3_bucket_default_encryption_kms_check";

    /// <summary>CT.S3.PR.2: server access logging. A log bucket does not log into itself or into a further log bucket.</summary>
    public const string BucketLogging = "s3_bucket_logging_enabled_check";

    /// <summary>CT.ECS.PR.2: Container Insights. The rule accepts only <c>enabled</c>, older than <c>enhanced</c> (a superset).</summary>
    public const string ContainerInsights = "ecs_container_insights_enabled_check";

    /// <summary>CT.CLOUDFRONT.PR.7: a custom certificate. A distribution without aliases can only use CloudFront's default certificate.</summary>
    public const string CustomCertificate = "cloudfront_custom_ssl_certificate_check";

    /// <summary>CT.CLOUDFRONT.PR.8: SNI. Set only with a custom certificate, which a distribution without aliases cannot have.</summary>
    public const string Sni = "cloudfront_sni_enabled_check";

    /// <summary>Adds <paramref name="rules"/> to the resource's <c>Metadata.guard.SuppressedRules</c> (once each, in order).</summary>
    /// <param name="resource">The resource that deliberately does not satisfy the rules.</param>
    /// <param name="rules">Control Tower rule names, e.g. <see cref="BucketKmsEncryption"/>.</param>
    /// <returns>The resource.</returns>
    public static Resource Suppress(Resource resource, params string[] rules)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(rules);
        resource.Metadata ??= [];
        if (resource.Metadata.TryGetValue("guard", out var guardNode) is false || guardNode is not CfnObject guard)
        {
            guard = [];
            resource.Metadata["guard"] = guard;
        }

        if (guard.TryGetValue("SuppressedRules", out var listNode) is false || listNode is not CfnList list)
        {
            list = [];
            guard["SuppressedRules"] = list;
        }

        foreach (var rule in rules)
        {
            if (!list.Any(existing => existing is CfnScalar scalar && string.Equals(scalar.StringValue, rule, StringComparison.Ordinal)))
            {
                list.Add(rule);
            }
        }

        return resource;
    }
}
