using System.Collections.Immutable;
using Workmates.OttKit.Blueprint.Loading;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Everything a customer's platform is, described once: the source of every template, workflow and diagram.
/// Immutable; build one with <see cref="Create(string, string)"/> or load one with <see cref="Load(string)"/>,
/// then call <see cref="Validate()"/> (synthesis refuses an invalid spec).
/// </summary>
public sealed record EnvironmentSpec
{
    /// <summary>Environment name (DNS-safe, 2–24 characters): the prefix of every stack, export and resource name.</summary>
    public required string Name { get; init; }

    /// <summary>AWS region of the platform, for example <c>ap-south-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>AWS account id (12 digits). Optional: when set, templates and ARNs are pinned to it.</summary>
    /// <value>Default: <see langword="null"/> (the deploying account).</value>
    public string? AccountId { get; init; }

    /// <summary>Tags applied to every taggable resource.</summary>
    /// <value>Default: none (the blueprint always adds <c>ottkit:environment</c>).</value>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The VPC and its subnets.</summary>
    /// <value>Default: <see cref="NetworkSpec"/> defaults (10.0.0.0/16, 3 AZs, a NAT gateway per AZ).</value>
    public NetworkSpec Network { get; init; } = new();

    /// <summary>The ECS cluster's EC2 capacity.</summary>
    /// <value>Default: <see cref="ClusterSpec"/> defaults.</value>
    public ClusterSpec Cluster { get; init; } = new();

    /// <summary>The public Application Load Balancer.</summary>
    /// <value>Default: <see cref="LoadBalancerSpec"/> defaults (a certificate source is still required).</value>
    public LoadBalancerSpec LoadBalancer { get; init; } = new();

    /// <summary>The containerised services behind the load balancer.</summary>
    /// <value>Default: none (at least one is required).</value>
    public IReadOnlyList<ServiceSpec> Services { get; init; } = [];

    /// <summary>One-off events (UTC) that raise services' task floors and ceilings ahead of time.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<LiveEventSpec> LiveEvents { get; init; } = [];

    /// <summary>Recurring scaling windows (cron, in a named time zone), for example school hours.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<ScheduledScalingSpec> ScheduledScaling { get; init; } = [];

    /// <summary>The security and compliance baseline: KMS keys, CloudTrail, AWS Config rules and remediation.</summary>
    /// <value>Default: <see cref="SecuritySpec"/> defaults (everything on, logs kept 365 days).</value>
    public SecuritySpec Security { get; init; } = new();

    /// <summary>The MongoDB replica set; <see langword="null"/> synthesizes no database.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public DatabaseSpec? Database { get; init; }

    /// <summary>The OpenVPN host for administrators; <see langword="null"/> creates none (Session Manager still works).</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public AdminAccessSpec? AdminAccess { get; init; }

    /// <summary>People's roles (administrator, developer, read-only) and their Session Manager path; see <see cref="AccessSpec"/>.</summary>
    /// <value>Default: none (no people's roles).</value>
    public AccessSpec? Access { get; init; }

    /// <summary>SSM Patch Manager: baseline, weekly maintenance window and daily compliance scan.</summary>
    /// <value>Default: <see cref="PatchingSpec"/> defaults.</value>
    public PatchingSpec Patching { get; init; } = new();

    /// <summary>Backup and artifacts buckets, volume snapshots and the scheduled MongoDB backup.</summary>
    /// <value>Default: <see cref="BackupsSpec"/> defaults (15 days).</value>
    public BackupsSpec Backups { get; init; } = new();
    /// <summary>Media delivery: private bucket, CloudFront with Origin Access Control and an edge WAF in us-east-1.</summary>
    /// <value>Default: <see langword="null"/> (no media stacks).</value>
    public MediaSpec? Media { get; init; }

    /// <summary>Alarms to e-mail, and the live-event dashboard.</summary>
    /// <value>Default: <see langword="null"/> (no monitoring stack).</value>
    public MonitoringSpec? Monitoring { get; init; }

    /// <summary>GitHub Actions access through OIDC: the deploy and plan roles.</summary>
    /// <value>Default: <see langword="null"/> (no ci stack).</value>
    public CiSpec? Ci { get; init; }

    /// <summary>Explicit, named weakenings of secure defaults; each one shows in <see cref="DescribeWeakenings"/>.</summary>
    /// <value>Default: nothing weakened.</value>
    public Weakenings Weakenings { get; init; } = new();

    /// <summary>Starts a fluent builder for an environment named <paramref name="name"/> in <paramref name="region"/>.</summary>
    /// <param name="name">Environment name (DNS-safe).</param>
    /// <param name="region">AWS region, for example <c>ap-south-1</c>.</param>
    /// <returns>A builder; call <see cref="EnvironmentSpecBuilder.Build"/> at the end.</returns>
    public static EnvironmentSpecBuilder Create(string name, string region) => new(name, region);

    /// <summary>
    /// Loads a spec from a YAML (<c>.yaml</c>/<c>.yml</c>) or JSON (<c>.json</c>) file with camelCase keys.
    /// Unknown keys and values of the wrong type are errors; every error names the file, line and column.
    /// The result is not validated yet: call <see cref="Validate()"/>.
    /// </summary>
    /// <param name="path">Path of the spec file.</param>
    /// <returns>The spec described by the file.</returns>
    /// <exception cref="SpecLoadException">The file is missing, malformed or has unknown keys or wrong types.</exception>
    public static EnvironmentSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            if (Loading.SpecLimits.CheckFileSize(path) is { } tooLarge)
            {
                throw new SpecLoadException(path, [new SpecLoadProblem(string.Empty, 0, 0, tooLarge)]);
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecLoadException(path, [new SpecLoadProblem(string.Empty, 0, 0, $"cannot read the file: {ex.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses spec text; JSON when <paramref name="fileName"/> ends with <c>.json</c>, YAML otherwise.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="fileName">The file name used in error messages and to choose the format.</param>
    /// <returns>The spec described by the text.</returns>
    /// <exception cref="SpecLoadException">The text is malformed or has unknown keys or wrong types.</exception>
    public static EnvironmentSpec Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var isJson = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return SpecBinder.Bind(text, fileName, isJson);
    }

    /// <summary>Checks every rule and returns every problem at once (empty when the spec is valid).</summary>
    /// <returns>Problems, each with its path (<c>services[2].scaling.maxTasks</c>), what is wrong and how to fix it.</returns>
    public IReadOnlyList<ValidationProblem> Validate() => SpecValidator.Validate(this);

    /// <summary>
    /// Checks every rule, with the rules that depend on when they run (a live event already over is refused) checked
    /// against <see cref="ValidationContext.Now"/>. Synthesis never reads a clock; the CLI passes the current time here.
    /// </summary>
    /// <param name="context">The time to check against.</param>
    /// <returns>Problems, each with its path, what is wrong and how to fix it.</returns>
    public IReadOnlyList<ValidationProblem> Validate(ValidationContext context) => SpecValidator.Validate(this, context);

    /// <summary>Throws when <see cref="Validate()"/> finds any problem.</summary>
    /// <exception cref="OttKitValidationException">Carries every problem.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new OttKitValidationException(problems);
        }
    }

    /// <summary>Validates and synthesizes the platform: shorthand for <see cref="Blueprint.Synthesize"/>.</summary>
    /// <returns>The stack set in deployment order.</returns>
    /// <exception cref="OttKitValidationException">The spec has problems; all of them are listed.</exception>
    public StackSet Synthesize() => Blueprint.Synthesize(this);

    /// <summary>Lists, in spec order, every setting that is weaker than the secure default, for plans and reviews.</summary>
    /// <returns>One line per weakening, each naming its spec path.</returns>
    public IReadOnlyList<string> DescribeWeakenings()
    {
        var lines = new List<string>();
        if (Network.NatGateways == NatGatewayMode.Shared)
        {
            lines.Add("network.natGateways: single NAT gateway (one AZ failure cuts egress for all AZs)");
        }

        if (!Network.InterfaceEndpoints)
        {
            lines.Add("network.interfaceEndpoints: off (image pulls and logs go through NAT)");
        }

        if (!Security.CloudTrail)
        {
            lines.Add("security.cloudTrail: off (no audit trail of API activity)");
        }

        if (!Security.Config)
        {
            lines.Add("security.config: off (no AWS Config recorder or compliance rules)");
        }

        if (!Security.AutoRemediateS3PublicAccess)
        {
            lines.Add("security.autoRemediateS3PublicAccess: off (a bucket made public stays public until a person acts)");
        }

        if (Security.LogRetentionDays < SpecDefaults.SecurityLogRetentionDays)
        {
            lines.Add($"security.logRetentionDays: {Security.LogRetentionDays} days (audit logs kept less than a year)");
        }

        if (Database is { } database && (database.VotingMembers ?? database.Members) < 3)
        {
            lines.Add($"database.members: {database.VotingMembers ?? database.Members} voting member(s) (the replica set cannot lose a member and keep a primary)");
        }

        if (AdminAccess is { } admin && admin.AllowedCidrs.Any(c => c.EndsWith("/0", StringComparison.Ordinal)))
        {
            lines.Add($"adminAccess.allowedCidrs: the VPN port {admin.VpnPort}/udp is open to the whole internet (EC2.18)");
        }

        if (Weakenings.DisableLoadBalancerDeletionProtection)
        {
            lines.Add("weakenings.disableLoadBalancerDeletionProtection: the load balancer can be deleted by a stack update");
        }

        if (Weakenings.DisableWebApplicationFirewall)
        {
            lines.Add("weakenings.disableWebApplicationFirewall: no WAF web ACL in front of the load balancer");
        }

        if (Weakenings.AllowSecretLikeEnvironmentVariables)
        {
            lines.Add("weakenings.allowSecretLikeEnvironmentVariables: plain environment variables may hold secrets");
        }

        if (Weakenings.DisableDatabaseTls && Database is not null)
        {
            lines.Add("weakenings.disableDatabaseTls: the MongoDB replica set speaks plaintext (no encryption in transit between members or to clients)");
        }

        if (Weakenings.AllowInstancesWithoutTransitEncryption)
        {
            lines.Add("weakenings.allowInstancesWithoutTransitEncryption: host types whose traffic between instances the Nitro system does not encrypt are accepted");
        }

        if (Weakenings.SingleOriginMedia && Media is not null)
        {
            lines.Add("weakenings.singleOriginMedia: media has one origin bucket (no replica for CloudFront to fail over to)");
        }

        if (Media is { Aliases.Count: 0 })
        {
            lines.Add("media.aliases: none (the distribution uses the *.cloudfront.net certificate, which allows TLS below 1.2)");
        }

        for (var i = 0; i < Services.Count; i++)
        {
            var w = Services[i].Weakenings;
            if (w.WritableRootFilesystem)
            {
                lines.Add($"services[{i}].weakenings.writableRootFilesystem: the container can write its root filesystem");
            }

            if (w.RunAsRoot)
            {
                lines.Add($"services[{i}].weakenings.runAsRoot: the container runs as root");
            }

            if (w.MutableImageTags)
            {
                lines.Add($"services[{i}].weakenings.mutableImageTags: image tags can be overwritten");
            }
        }

        return lines;
    }
}
