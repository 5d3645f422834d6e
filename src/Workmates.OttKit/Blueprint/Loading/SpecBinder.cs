using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>
/// Binds a <see cref="SpecNode"/> tree to an <see cref="EnvironmentSpec"/> by hand (no reflection): every key is known,
/// so a typo is an error with its path and position instead of a silently ignored setting. All problems are collected.
/// </summary>
internal sealed partial class SpecBinder
{
    private readonly List<SpecLoadProblem> _problems = [];

    public static EnvironmentSpec Bind(string text, string fileName, bool isJson)
    {
        SpecNode? root;
        try
        {
            root = isJson ? JsonSpecReader.Read(text) : YamlSpecReader.Read(text);
        }
        catch (SpecSyntaxException ex)
        {
            throw new SpecLoadException(fileName, [new SpecLoadProblem(string.Empty, ex.Line, ex.Column, ex.Message)]);
        }

        if (root is not SpecMapping mapping)
        {
            var (line, column) = root is null ? (1, 1) : (root.Line, root.Column);
            throw new SpecLoadException(fileName, [new SpecLoadProblem(string.Empty, line, column, $"the spec must be a mapping of keys, found {root?.Kind ?? "an empty document"}")]);
        }

        var binder = new SpecBinder();
        var spec = binder.ReadEnvironment(new MapReader(binder, mapping, string.Empty));
        if (binder._problems.Count > 0)
        {
            throw new SpecLoadException(fileName, binder._problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToArray());
        }

        return spec;
    }

    internal void Problem(string path, SpecNode node, string message) => _problems.Add(new SpecLoadProblem(path, node.Line, node.Column, message));

    internal void Problem(string path, int line, int column, string message) => _problems.Add(new SpecLoadProblem(path, line, column, message));

    private EnvironmentSpec ReadEnvironment(MapReader r)
    {
        var d = new Weakenings();
        var spec = new EnvironmentSpec
        {
            Name = r.RequiredString("name"),
            Region = r.RequiredString("region"),
            AccountId = r.String("accountId"),
            Tags = r.StringMap("tags") ?? ImmutableSortedDictionary<string, string>.Empty,
            Network = r.Object("network", ReadNetwork) ?? new NetworkSpec(),
            Cluster = r.Object("cluster", ReadCluster) ?? new ClusterSpec(),
            LoadBalancer = r.Object("loadBalancer", ReadLoadBalancer) ?? new LoadBalancerSpec(),
            Services = r.List("services", (n, p) => Map(n, p, ReadService)) ?? [],
            LiveEvents = r.List("liveEvents", (n, p) => Map(n, p, ReadLiveEvent)) ?? [],
            ScheduledScaling = r.List("scheduledScaling", (n, p) => Map(n, p, ReadSchedule)) ?? [],
            Security = r.Object("security", ReadSecurity) ?? new SecuritySpec(),
            Database = r.Object("database", ReadDatabase),
            AdminAccess = r.Object("adminAccess", ReadAdminAccess),
            Access = r.Object("access", ReadAccess),
            Patching = r.Object("patching", ReadPatching) ?? new PatchingSpec(),
            Backups = r.Object("backups", ReadBackups) ?? new BackupsSpec(),
            Media = r.Object("media", ReadMedia),
            Monitoring = r.Object("monitoring", ReadMonitoring),
            Ci = r.Object("ci", ReadCi),
            Weakenings = r.Object("weakenings", w => new Weakenings
            {
                DisableLoadBalancerDeletionProtection = w.Bool("disableLoadBalancerDeletionProtection") ?? d.DisableLoadBalancerDeletionProtection,
                DisableWebApplicationFirewall = w.Bool("disableWebApplicationFirewall") ?? d.DisableWebApplicationFirewall,
                AllowSecretLikeEnvironmentVariables = w.Bool("allowSecretLikeEnvironmentVariables") ?? d.AllowSecretLikeEnvironmentVariables,
                DisableDatabaseTls = w.Bool("disableDatabaseTls") ?? d.DisableDatabaseTls,
                AllowInstancesWithoutTransitEncryption = w.Bool("allowInstancesWithoutTransitEncryption") ?? d.AllowInstancesWithoutTransitEncryption,
                SingleOriginMedia = w.Bool("singleOriginMedia") ?? d.SingleOriginMedia,
            }) ?? d,
        };
        r.Finish();
        return spec;
    }

    private T? Map<T>(SpecNode node, string path, Func<MapReader, T> read)
        where T : class
    {
        if (node is not SpecMapping mapping)
        {
            Problem(path, node, $"expected a mapping, found {node.Kind}");
            return null;
        }

        var reader = new MapReader(this, mapping, path);
        var value = read(reader);
        reader.Finish();
        return value;
    }

    private static NetworkSpec ReadNetwork(MapReader r)
    {
        var d = new NetworkSpec();
        return new NetworkSpec
        {
            VpcCidr = r.String("vpcCidr") ?? d.VpcCidr,
            AvailabilityZones = r.Int("availabilityZones") ?? d.AvailabilityZones,
            NatGateways = r.Enum("natGateways", NatModes) ?? d.NatGateways,
            InterfaceEndpoints = r.Bool("interfaceEndpoints") ?? d.InterfaceEndpoints,
            ReservedCidrs = r.StringList("reservedCidrs") ?? d.ReservedCidrs,
        };
    }

    private static readonly IReadOnlyDictionary<string, NatGatewayMode> NatModes = new Dictionary<string, NatGatewayMode>(StringComparer.Ordinal)
    {
        ["perAvailabilityZone"] = NatGatewayMode.PerAvailabilityZone,
        ["perAz"] = NatGatewayMode.PerAvailabilityZone,
        ["single"] = NatGatewayMode.Shared,
    };

    private SecuritySpec ReadSecurity(MapReader r)
    {
        var d = new SecuritySpec();
        var gate = new ImageScanGateSpec();
        return new SecuritySpec
        {
            CloudTrail = r.Bool("cloudTrail") ?? d.CloudTrail,
            Config = r.Bool("config") ?? d.Config,
            AutoRemediateS3PublicAccess = r.Bool("autoRemediateS3PublicAccess") ?? d.AutoRemediateS3PublicAccess,
            LogRetentionDays = r.Int("logRetentionDays") ?? d.LogRetentionDays,
            ImageScanGate = r.Object("imageScanGate", g => new ImageScanGateSpec
            {
                FailOn = g.Enum("failOn", ImageScanGateSpec.SeverityNames) ?? gate.FailOn,
                Allow = g.List("allow", (n, p) => Map(n, p, a => new ScanFindingAllowance
                {
                    Id = a.RequiredString("id"),
                    Until = a.Date("until") ?? default,
                    Reason = a.String("reason") ?? string.Empty,
                })) ?? gate.Allow,
                TimeoutMinutes = g.Int("timeoutMinutes") ?? gate.TimeoutMinutes,
            }) ?? d.ImageScanGate,
        };
    }

    private static ClusterSpec ReadCluster(MapReader r)
    {
        var d = new ClusterSpec();
        return new ClusterSpec
        {
            InstanceTypes = r.StringList("instanceTypes") ?? d.InstanceTypes,
            MinHosts = r.Int("minHosts") ?? d.MinHosts,
            DesiredHosts = r.Int("desiredHosts") ?? d.DesiredHosts,
            MaxHosts = r.Int("maxHosts") ?? d.MaxHosts,
            TargetCapacityPercent = r.Int("targetCapacityPercent") ?? d.TargetCapacityPercent,
            RootVolumeGiB = r.Int("rootVolumeGiB") ?? d.RootVolumeGiB,
            EniTrunking = r.Bool("eniTrunking") ?? d.EniTrunking,
        };
    }

    private static LoadBalancerSpec ReadLoadBalancer(MapReader r)
    {
        var d = new LoadBalancerSpec();
        return new LoadBalancerSpec
        {
            CertificateArn = r.String("certificateArn"),
            Domain = r.String("domain"),
            HostedZoneId = r.String("hostedZoneId"),
            AllowedClientCidrs = r.StringList("allowedClientCidrs") ?? d.AllowedClientCidrs,
        };
    }

    private ServiceSpec ReadService(MapReader r)
    {
        var name = r.RequiredString("name");
        var d = new ServiceSpec { Name = name };
        var sd = new ScalingSpec();
        var wd = new ServiceWeakenings();
        return new ServiceSpec
        {
            Name = name,
            ContainerPort = r.Int("containerPort") ?? d.ContainerPort,
            HealthCheckPath = r.String("healthCheckPath") ?? d.HealthCheckPath,
            ContainerHealthCheckCommand = r.String("containerHealthCheckCommand"),
            Cpu = r.Int("cpu") ?? d.Cpu,
            Memory = r.Int("memory") ?? d.Memory,
            Scaling = r.Object("scaling", s => new ScalingSpec
            {
                MinTasks = s.Int("minTasks") ?? sd.MinTasks,
                DesiredTasks = s.Int("desiredTasks") ?? sd.DesiredTasks,
                MaxTasks = s.Int("maxTasks") ?? sd.MaxTasks,
                RequestsPerTarget = s.Int("requestsPerTarget") ?? sd.RequestsPerTarget,
                CpuTargetPercent = s.Int("cpuTargetPercent"),
            }) ?? sd,
            Routing = r.Object("routing", s => new RoutingSpec
            {
                PathPatterns = s.StringList("pathPatterns") ?? [],
                Hosts = s.StringList("hosts") ?? [],
                Priority = s.Int("priority"),
            }),
            Environment = r.StringMap("environment") ?? d.Environment,
            Secrets = r.StringMap("secrets") ?? d.Secrets,
            ImageRepository = r.String("imageRepository"),
            HealthCheckGraceSeconds = r.Int("healthCheckGraceSeconds") ?? d.HealthCheckGraceSeconds,
            LogRetentionDays = r.Int("logRetentionDays") ?? d.LogRetentionDays,
            Weakenings = r.Object("weakenings", w => new ServiceWeakenings
            {
                WritableRootFilesystem = w.Bool("writableRootFilesystem") ?? wd.WritableRootFilesystem,
                RunAsRoot = w.Bool("runAsRoot") ?? wd.RunAsRoot,
                MutableImageTags = w.Bool("mutableImageTags") ?? wd.MutableImageTags,
            }) ?? wd,
        };
    }

    private LiveEventSpec ReadLiveEvent(MapReader r)
    {
        var d = new LiveEventSpec { Name = string.Empty, StartUtc = default, EndUtc = default };
        return new LiveEventSpec
        {
            Name = r.RequiredString("name"),
            StartUtc = r.UtcTime("startUtc"),
            EndUtc = r.UtcTime("endUtc"),
            PreWarmMinutes = r.Int("preWarmMinutes") ?? d.PreWarmMinutes,
            RestoreAfterMinutes = r.Int("restoreAfterMinutes") ?? d.RestoreAfterMinutes,
            Slots = r.Int("slots") ?? d.Slots,
            Services = r.List("services", (n, p) => Map(n, p, ReadServiceBounds)) ?? [],
        };
    }

    private ScheduledScalingSpec ReadSchedule(MapReader r)
    {
        return new ScheduledScalingSpec
        {
            Name = r.RequiredString("name"),
            StartCron = r.RequiredString("startCron"),
            EndCron = r.RequiredString("endCron"),
            TimeZone = r.String("timeZone") ?? SpecDefaults.ScheduleTimeZone,
            Services = r.List("services", (n, p) => Map(n, p, ReadServiceBounds)) ?? [],
        };
    }

    private static LiveEventServiceSpec ReadServiceBounds(MapReader r) => new()
    {
        Service = r.RequiredString("service"),
        MinTasks = r.RequiredInt("minTasks"),
        MaxTasks = r.RequiredInt("maxTasks"),
    };

    private static DatabaseSpec ReadDatabase(MapReader r)
    {
        var d = new DatabaseSpec();
        return new DatabaseSpec
        {
            Members = r.Int("members") ?? d.Members,
            VotingMembers = r.Int("votingMembers"),
            Version = r.String("version") ?? d.Version,
            InstanceType = r.String("instanceType") ?? d.InstanceType,
            VolumeGiB = r.Int("volumeGiB") ?? d.VolumeGiB,
            VolumeIops = r.Int("volumeIops") ?? d.VolumeIops,
            VolumeThroughput = r.Int("volumeThroughput") ?? d.VolumeThroughput,
            ReplicaSetName = r.String("replicaSetName") ?? d.ReplicaSetName,
            DatabaseName = r.String("databaseName"),
            ClientServices = r.StringList("clientServices"),
        };
    }

    private static AdminAccessSpec ReadAdminAccess(MapReader r)
    {
        var d = new AdminAccessSpec();
        return new AdminAccessSpec
        {
            AllowedCidrs = r.StringList("allowedCidrs") ?? d.AllowedCidrs,
            VpnPort = r.Int("vpnPort") ?? d.VpnPort,
            SshPort = r.Int("sshPort") ?? d.SshPort,
            ClientCidr = r.String("clientCidr") ?? d.ClientCidr,
            InstanceType = r.String("instanceType") ?? d.InstanceType,
        };
    }

    private static AccessSpec ReadAccess(MapReader r)
    {
        var d = new AccessSpec();
        return new AccessSpec
        {
            Administrators = r.StringList("administrators") ?? d.Administrators,
            Developers = r.StringList("developers") ?? d.Developers,
            ReadOnly = r.StringList("readOnly") ?? d.ReadOnly,
            IdentityCenter = r.Bool("identityCenter") ?? d.IdentityCenter,
            MaxSessionHours = r.Int("maxSessionHours") ?? d.MaxSessionHours,
        };
    }

    private static PatchingSpec ReadPatching(MapReader r)
    {
        var d = new PatchingSpec();
        return new PatchingSpec
        {
            ApproveAfterDays = r.Int("approveAfterDays") ?? d.ApproveAfterDays,
            MaintenanceWindow = r.String("maintenanceWindow") ?? d.MaintenanceWindow,
            WindowHours = r.Int("windowHours") ?? d.WindowHours,
            TimeZone = r.String("timeZone") ?? d.TimeZone,
        };
    }

    private static BackupsSpec ReadBackups(MapReader r)
    {
        var d = new BackupsSpec();
        return new BackupsSpec
        {
            RetentionDays = r.Int("retentionDays") ?? d.RetentionDays,
            ScheduleUtc = r.String("scheduleUtc") ?? d.ScheduleUtc,
            ObjectLock = r.Bool("objectLock") ?? d.ObjectLock,
            Prefix = r.String("prefix") ?? d.Prefix,
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    internal static partial Regex CoreInteger();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<offset>Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    internal static partial Regex IsoTimestamp();

    internal static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static MediaSpec ReadMedia(MapReader r)
    {
        var d = new MediaSpec();
        return new MediaSpec
        {
            Aliases = r.StringList("aliases") ?? d.Aliases,
            CertificateArn = r.String("certificateArn"),
            HostedZoneId = r.String("hostedZoneId"),
            PriceClass = r.String("priceClass") ?? d.PriceClass,
            RateLimitPer5Minutes = r.Int("rateLimitPer5Minutes") ?? d.RateLimitPer5Minutes,
            LogRetentionDays = r.Int("logRetentionDays") ?? d.LogRetentionDays,
        };
    }

    private static MonitoringSpec ReadMonitoring(MapReader r)
    {
        var d = new AlarmThresholds();
        return new MonitoringSpec
        {
            AlarmEmails = r.StringList("alarmEmails") ?? [],
            Thresholds = r.Object("thresholds", t => new AlarmThresholds
            {
                LoadBalancer5xxPercent = t.Int("loadBalancer5xxPercent") ?? d.LoadBalancer5xxPercent,
                Target5xxPerMinute = t.Int("target5xxPerMinute") ?? d.Target5xxPerMinute,
                TargetResponseTimeP95Milliseconds = t.Int("targetResponseTimeP95Milliseconds") ?? d.TargetResponseTimeP95Milliseconds,
                HostReservationPercent = t.Int("hostReservationPercent") ?? d.HostReservationPercent,
                DataVolumeThroughputMiBps = t.Int("dataVolumeThroughputMiBps") ?? d.DataVolumeThroughputMiBps,
            }) ?? d,
        };
    }

    private static CiSpec ReadCi(MapReader r)
    {
        var d = new CiSpec();
        return new CiSpec
        {
            Owner = r.RequiredString("owner"),
            Repositories = r.StringList("repositories") ?? d.Repositories,
            Branches = r.StringList("branches") ?? d.Branches,
            Environments = r.StringList("environments") ?? d.Environments,
            ExistingOidcProviderArn = r.String("existingOidcProviderArn"),
            ArtifactsBucketName = r.String("artifactsBucketName"),
            Tool = r.Object("tool", t => new CiToolSpec { Version = t.String("version"), Feed = t.String("feed") }) ?? d.Tool,
        };
    }
}
