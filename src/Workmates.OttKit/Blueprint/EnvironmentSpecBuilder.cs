namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Fluent construction of an <see cref="EnvironmentSpec"/> that reads like a description of the platform:
/// <c>EnvironmentSpec.Create("blacksheep", "ap-south-1").WithCertificate(arn).AddService("web", s => s with { … }).Build()</c>.
/// Every part keeps its safe default unless a call changes it.
/// </summary>
public sealed class EnvironmentSpecBuilder
{
    private EnvironmentSpec _spec;
    private readonly List<ServiceSpec> _services = [];
    private readonly List<LiveEventSpec> _liveEvents = [];
    private readonly List<ScheduledScalingSpec> _schedules = [];

    internal EnvironmentSpecBuilder(string name, string region)
    {
        _spec = new EnvironmentSpec { Name = name, Region = region };
    }

    /// <summary>Pins the environment to an AWS account.</summary>
    /// <param name="accountId">12-digit account id.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder InAccount(string accountId)
    {
        _spec = _spec with { AccountId = accountId };
        return this;
    }

    /// <summary>Adds a tag to every taggable resource.</summary>
    /// <param name="key">Tag key.</param>
    /// <param name="value">Tag value.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder Tag(string key, string value)
    {
        var tags = new SortedDictionary<string, string>(_spec.Tags.ToDictionary(), StringComparer.Ordinal) { [key] = value };
        _spec = _spec with { Tags = tags };
        return this;
    }

    /// <summary>Changes the network from its defaults.</summary>
    /// <param name="configure">Returns the changed network, for example <c>n => n with { AvailabilityZones = 2 }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithNetwork(Func<NetworkSpec, NetworkSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Network = configure(_spec.Network) };
        return this;
    }

    /// <summary>Changes the cluster from its defaults.</summary>
    /// <param name="configure">Returns the changed cluster.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithCluster(Func<ClusterSpec, ClusterSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Cluster = configure(_spec.Cluster) };
        return this;
    }

    /// <summary>Uses an existing ACM certificate for HTTPS.</summary>
    /// <param name="certificateArn">Certificate ARN in the environment's region.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithCertificate(string certificateArn)
    {
        _spec = _spec with { LoadBalancer = _spec.LoadBalancer with { CertificateArn = certificateArn } };
        return this;
    }

    /// <summary>Creates a DNS-validated ACM certificate for <paramref name="domain"/> in <paramref name="hostedZoneId"/>.</summary>
    /// <param name="domain">Domain name.</param>
    /// <param name="hostedZoneId">Route 53 hosted zone id.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithDomain(string domain, string hostedZoneId)
    {
        _spec = _spec with { LoadBalancer = _spec.LoadBalancer with { Domain = domain, HostedZoneId = hostedZoneId } };
        return this;
    }

    /// <summary>Changes the load balancer from its defaults.</summary>
    /// <param name="configure">Returns the changed load balancer.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithLoadBalancer(Func<LoadBalancerSpec, LoadBalancerSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { LoadBalancer = configure(_spec.LoadBalancer) };
        return this;
    }

    /// <summary>Adds a service with default settings, changed by <paramref name="configure"/>.</summary>
    /// <param name="name">Service name.</param>
    /// <param name="configure">Returns the changed service, for example <c>s => s with { Cpu = 512 }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder AddService(string name, Func<ServiceSpec, ServiceSpec>? configure = null)
    {
        var service = new ServiceSpec { Name = name };
        _services.Add(configure is null ? service : configure(service));
        return this;
    }

    /// <summary>Adds a live event (UTC times) that raises the listed services' bounds.</summary>
    /// <param name="name">Event name.</param>
    /// <param name="startUtc">Start, UTC.</param>
    /// <param name="endUtc">End, UTC.</param>
    /// <param name="configure">Sets services, pre-warm and slots.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder AddLiveEvent(string name, DateTimeOffset startUtc, DateTimeOffset endUtc, Func<LiveEventSpec, LiveEventSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _liveEvents.Add(configure(new LiveEventSpec { Name = name, StartUtc = startUtc, EndUtc = endUtc }));
        return this;
    }

    /// <summary>Adds a recurring scaling window.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder AddScheduledScaling(ScheduledScalingSpec schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedules.Add(schedule);
        return this;
    }

    /// <summary>Sets the security and compliance baseline (turning a part off is a listed weakening).</summary>
    /// <param name="configure">Returns the settings, for example <c>s => s with { LogRetentionDays = 731 }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder Security(Func<SecuritySpec, SecuritySpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Security = configure(_spec.Security) };
        return this;
    }

    /// <summary>Adds the MongoDB replica set (three members by default), changed by <paramref name="configure"/>.</summary>
    /// <param name="configure">Returns the changed database, for example <c>d => d with { Version = "8.0" }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithDatabase(Func<DatabaseSpec, DatabaseSpec>? configure = null)
    {
        var database = _spec.Database ?? new DatabaseSpec();
        _spec = _spec with { Database = configure is null ? database : configure(database) };
        return this;
    }

    /// <summary>Adds the administrators' OpenVPN host, reachable from <paramref name="allowedCidrs"/>.</summary>
    /// <param name="allowedCidrs">Source ranges allowed to reach the VPN port.</param>
    /// <param name="configure">Changes ports, client range or instance type.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder WithAdminAccess(IReadOnlyList<string> allowedCidrs, Func<AdminAccessSpec, AdminAccessSpec>? configure = null)
    {
        var admin = new AdminAccessSpec { AllowedCidrs = allowedCidrs };
        _spec = _spec with { AdminAccess = configure is null ? admin : configure(admin) };
        return this;
    }

    /// <summary>Changes SSM Patch Manager's settings from their defaults.</summary>
    /// <param name="configure">Returns the settings, for example <c>p => p with { TimeZone = "Asia/Kolkata" }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder Patching(Func<PatchingSpec, PatchingSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Patching = configure(_spec.Patching) };
        return this;
    }

    /// <summary>Changes the backups' settings from their defaults (15 days).</summary>
    /// <param name="configure">Returns the settings, for example <c>b => b with { ObjectLock = true }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder Backups(Func<BackupsSpec, BackupsSpec> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Backups = configure(_spec.Backups) };
        return this;
    }

    /// <summary>Weakens environment-wide defaults explicitly.</summary>
    /// <param name="configure">Returns the weakenings, for example <c>w => w with { DisableWebApplicationFirewall = true }</c>.</param>
    /// <returns>This builder.</returns>
    public EnvironmentSpecBuilder Weaken(Func<Weakenings, Weakenings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _spec = _spec with { Weakenings = configure(_spec.Weakenings) };
        return this;
    }

    /// <summary>Returns the immutable spec (not validated: call <see cref="EnvironmentSpec.Validate()"/>).</summary>
    /// <returns>The spec.</returns>
    public EnvironmentSpec Build() => _spec with
    {
        Services = [.. _services],
        LiveEvents = [.. _liveEvents],
        ScheduledScaling = [.. _schedules],
    };
}
