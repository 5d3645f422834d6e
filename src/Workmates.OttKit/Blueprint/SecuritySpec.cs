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

    /// <summary>The scan gate of every service workflow: the pushed image's ECR scan must show no finding at or above a severity.</summary>
    /// <value>Default: fail on CRITICAL findings, nothing allowed.</value>
    public ImageScanGateSpec ImageScanGate { get; init; } = new();
}

/// <summary>How severe an image scan finding is (ECR's severities, in order).</summary>
public enum FindingSeverity
{
    /// <summary>ECR could not rate the finding (<c>UNDEFINED</c>, Inspector's <c>UNTRIAGED</c>); never blocks a deploy.</summary>
    Undefined,

    /// <summary><c>INFORMATIONAL</c>.</summary>
    Informational,

    /// <summary><c>LOW</c>.</summary>
    Low,

    /// <summary><c>MEDIUM</c>.</summary>
    Medium,

    /// <summary><c>HIGH</c>.</summary>
    High,

    /// <summary><c>CRITICAL</c>.</summary>
    Critical,
}

/// <summary>
/// <c>security.imageScanGate</c>: after a service workflow pushes an image, <c>ottkit image scan-gate</c> waits for the
/// image's ECR scan and fails the workflow (before the deploy) when a finding is at or above <see cref="FailOn"/>, unless
/// the finding's id is allowed and the allowance has not expired.
/// </summary>
public sealed record ImageScanGateSpec
{
    /// <summary>The wire names of the severities (as ECR spells them).</summary>
    public static IReadOnlyDictionary<string, FindingSeverity> SeverityNames { get; } = new Dictionary<string, FindingSeverity>(StringComparer.Ordinal)
    {
        ["INFORMATIONAL"] = FindingSeverity.Informational,
        ["LOW"] = FindingSeverity.Low,
        ["MEDIUM"] = FindingSeverity.Medium,
        ["HIGH"] = FindingSeverity.High,
        ["CRITICAL"] = FindingSeverity.Critical,
    };

    /// <summary>The lowest severity that fails the gate.</summary>
    /// <value>Default: <see cref="FindingSeverity.Critical"/>.</value>
    public FindingSeverity FailOn { get; init; } = FindingSeverity.Critical;

    /// <summary>Findings accepted for a while (a fix is not yet released, or the code path is unreachable), each until a date.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<ScanFindingAllowance> Allow { get; init; } = [];

    /// <summary>Minutes the gate waits for the scan to complete before it fails.</summary>
    /// <value>Default: 20.</value>
    public int TimeoutMinutes { get; init; } = SpecDefaults.ImageScanTimeoutMinutes;
}

/// <summary>One accepted finding: its id (a CVE id, or the enhanced finding's vulnerability id), until when, and why.</summary>
public sealed record ScanFindingAllowance
{
    /// <summary>The finding id, for example <c>CVE-2024-3094</c>.</summary>
    /// <value>Required.</value>
    public string Id { get; init; } = string.Empty;

    /// <summary>The last day (UTC) the finding is accepted; from the next day it fails the gate again.</summary>
    /// <value>Required.</value>
    public DateOnly Until { get; init; }

    /// <summary>Why the finding is accepted (shown in the gate's verdict).</summary>
    /// <value>Required.</value>
    public string Reason { get; init; } = string.Empty;
}
