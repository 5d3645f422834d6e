namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Media delivery (the <c>media</c> and <c>edge-waf</c> stacks): a private, KMS-encrypted S3 bucket served only
/// through a CloudFront distribution (Origin Access Control, HTTPS only, TLS 1.2 minimum, compression, logging)
/// behind a CLOUDFRONT-scope WAF web ACL, which AWS requires in us-east-1.
/// </summary>
public sealed record MediaSpec
{
    /// <summary>The CloudFront price classes, cheapest coverage first.</summary>
    public static readonly IReadOnlyList<string> PriceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

    /// <summary>Host names the distribution answers to, for example <c>media.blacksheep.tv</c> (point a CNAME or alias at it).</summary>
    /// <value>Default: none (the <c>*.cloudfront.net</c> name and certificate; the TLS minimum cannot then be raised, a listed weakening).</value>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>ARN of an ACM certificate in <b>us-east-1</b> covering every alias (CloudFront only reads certificates there).</summary>
    /// <value>Default: <see langword="null"/>; with <see cref="Aliases"/>, set this or <see cref="HostedZoneId"/>.</value>
    public string? CertificateArn { get; init; }

    /// <summary>
    /// Route 53 hosted zone of the aliases: instead of <see cref="CertificateArn"/>, the us-east-1 edge stack requests a
    /// DNS-validated certificate for them and passes its ARN to the media stack.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? HostedZoneId { get; init; }

    /// <summary>Which edge locations serve the media: one of <see cref="PriceClasses"/>.</summary>
    /// <value>Default: <c>PriceClass_All</c> (every edge location, lowest latency).</value>
    public string PriceClass { get; init; } = SpecDefaults.MediaPriceClass;

    /// <summary>Requests per 5 minutes from one IP before the edge WAF's rate rule blocks it (100 to 2,000,000,000).</summary>
    /// <value>Default: 10,000 (players fetch many segments per minute).</value>
    public int RateLimitPer5Minutes { get; init; } = SpecDefaults.MediaRateLimitPer5Minutes;

    /// <summary>Days the media bucket's access logs, the distribution's logs and the edge WAF's log group are kept.</summary>
    /// <value>Default: 365 (one of CloudWatch Logs' retention values).</value>
    public int LogRetentionDays { get; init; } = SpecDefaults.MediaLogRetentionDays;
}
