namespace Workmates.OttKit.Blueprint;

/// <summary>
/// The security and compliance baseline (the <c>security</c> stack, deployed first): customer-managed KMS keys for
/// data, logs and backups; a CloudTrail trail; an AWS Config recorder with managed rules and S3 public-access
/// remediation. Everything is on by default; each <see langword="false"/> below is a weakening listed by
/// <see cref="EnvironmentSpec.DescribeWeakenings"/>.
/// </summary>
public sealed record SecuritySpec
{
    /// <summary>Records API activity with a multi-region CloudTrail trail (KMS, log file validation, CloudWatch Logs).</summary>
    /// <value>Default: <see langword="true"/>. <see langword="false"/> is a weakening (CloudTrail.1–5).</value>
    public bool CloudTrail { get; init; } = SpecDefaults.CloudTrail;

    /// <summary>Records every supported resource with AWS Config and evaluates the blueprint's managed rules.</summary>
    /// <value>Default: <see langword="true"/>. <see langword="false"/> is a weakening (Config.1).</value>
    public bool Config { get; init; } = SpecDefaults.Config;

    /// <summary>Fixes S3 buckets that lose their public access block, through SSM Automation, without waiting for a person.</summary>
    /// <value>Default: <see langword="true"/> (requires <see cref="Config"/>). <see langword="false"/> is a weakening.</value>
    public bool AutoRemediateS3PublicAccess { get; init; } = SpecDefaults.AutoRemediateS3PublicAccess;

    /// <summary>Days the trail's CloudWatch Logs group and bucket keep events; one of CloudWatch Logs' retention values.</summary>
    /// <value>Default: 365. Less than 365 is a weakening.</value>
    public int LogRetentionDays { get; init; } = SpecDefaults.SecurityLogRetentionDays;
}
