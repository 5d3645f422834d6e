namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Environment-wide weakenings of secure defaults. Every flag is off by default; turning one on is a reviewed,
/// visible decision (it is listed by <see cref="EnvironmentSpec.DescribeWeakenings"/>).
/// </summary>
public sealed record Weakenings
{
    /// <summary>Lets a stack update delete the load balancer (useful only for throw-away environments).</summary>
    /// <value>Default: <see langword="false"/> (deletion protection on).</value>
    public bool DisableLoadBalancerDeletionProtection { get; init; }

    /// <summary>Omits the WAFv2 web ACL in front of the load balancer.</summary>
    /// <value>Default: <see langword="false"/> (WAF with AWS managed rules and a rate limit).</value>
    public bool DisableWebApplicationFirewall { get; init; }

    /// <summary>Accepts plain environment variables whose names look like secrets (PASSWORD, TOKEN, SECRET, API_KEY…).</summary>
    /// <value>Default: <see langword="false"/> (such names are a validation error: use <see cref="ServiceSpec.Secrets"/>).</value>
    public bool AllowSecretLikeEnvironmentVariables { get; init; }

    /// <summary>
    /// Lets the MongoDB replica set speak plaintext: no private CA, no member certificates, no <c>requireTLS</c>, and
    /// connection strings without <c>tls=true</c> (see docs/mongo-tls.md).
    /// </summary>
    /// <value>Default: <see langword="false"/> (members require TLS, clients verify the environment's own CA).</value>
    public bool DisableDatabaseTls { get; init; }

    /// <summary>
    /// Accepts host types (ECS hosts, MongoDB members, the VPN host) whose network traffic the Nitro system does not
    /// encrypt between instances (Control Tower CT.EC2.PR.19 and CT.AUTOSCALING.PR.11; EC2 User Guide, "Encryption in
    /// transit"), for example <c>m5</c>, <c>m6g</c> or the burstable <c>t3</c>/<c>t4g</c>.
    /// </summary>
    /// <value>Default: <see langword="false"/> (such types are a validation error naming an encrypting equivalent).</value>
    public bool AllowInstancesWithoutTransitEncryption { get; init; }

    /// <summary>
    /// Serves media from one bucket: no replica bucket and no CloudFront origin group to fail over to when the media
    /// bucket answers 403, 404 or 5xx (Control Tower CT.CLOUDFRONT.PR.4).
    /// </summary>
    /// <value>Default: <see langword="false"/> (a replica bucket in the home region, fed by S3 replication, is the
    /// distribution's second origin).</value>
    public bool SingleOriginMedia { get; init; }
}

/// <summary>Per-service weakenings of the container's secure defaults; all off by default.</summary>
public sealed record ServiceWeakenings
{
    /// <summary>Makes the container's root filesystem writable.</summary>
    /// <value>Default: <see langword="false"/> (read-only root with a tmpfs on <c>/tmp</c>).</value>
    public bool WritableRootFilesystem { get; init; }

    /// <summary>Runs the container as root (needed only to bind ports below 1024).</summary>
    /// <value>Default: <see langword="false"/> (runs as <c>1000:1000</c>).</value>
    public bool RunAsRoot { get; init; }

    /// <summary>Lets image tags in the service's ECR repository be overwritten.</summary>
    /// <value>Default: <see langword="false"/> (immutable tags).</value>
    public bool MutableImageTags { get; init; }
}
