using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The one mapping from the validated <see cref="EnvironmentSpec"/> to each construct's own props record. Together with
/// <see cref="PlatformGraph"/> it is the only construct code that reads the spec as a whole; a builder sees its props,
/// the spec-free <see cref="PlatformNaming"/> and the handles of the constructs it uses. Defaults are already applied
/// by the spec, so a mapping only selects and reshapes.
/// </summary>
internal static class ConstructProps
{
    /// <summary>What the network stack reads: the VPC layout and whether data subnets need egress.</summary>
    public static NetworkProps Network(EnvironmentSpec spec) => new(
        spec.Network.VpcCidr,
        spec.Network.AvailabilityZones,
        spec.Network.NatGateways,
        spec.Network.InterfaceEndpoints,
        DataEgress: spec.Database is not null);

    /// <summary>What the repositories stack reads: one image per service, plus the backup image with a database.</summary>
    public static RepositoryProps Repositories(EnvironmentSpec spec) => new(
        [.. spec.Services.Select(s => new ServiceImageProps(s.Name, s.ImageRepository, s.Weakenings.MutableImageTags))],
        BackupImage: spec.Database is not null);

    /// <summary>What the bootstrap stack reads: how long deployed templates are kept.</summary>
    public static BootstrapProps Bootstrap(EnvironmentSpec spec) => new(spec.Backups.RetentionDays);

    /// <summary>What the backups stack reads: <c>backups.*</c> except the object prefix.</summary>
    public static BackupProps Backups(EnvironmentSpec spec) => new(spec.Backups.ScheduleUtc, spec.Backups.RetentionDays, spec.Backups.ObjectLock);

    /// <summary>What the load balancer stack reads: <c>loadBalancer.*</c>, the region, the services' lowest port and two weakenings.</summary>
    public static LoadBalancerProps LoadBalancer(EnvironmentSpec spec) => new(
        spec.Region,
        spec.LoadBalancer.AllowedClientCidrs,
        spec.LoadBalancer.CertificateArn,
        spec.LoadBalancer.Domain,
        spec.LoadBalancer.HostedZoneId,
        spec.Services.Min(s => s.ContainerPort),
        spec.Weakenings.DisableLoadBalancerDeletionProtection,
        spec.Weakenings.DisableWebApplicationFirewall);

    /// <summary>What the security stack reads: <c>security.*</c> (not the image scan gate), the region, and whether
    /// monitoring and media exist (each adds a use of the data key).</summary>
    public static SecurityProps Security(EnvironmentSpec spec) => new(
        spec.Region,
        spec.Security.CloudTrail,
        spec.Security.Config,
        spec.Security.AutoRemediateS3PublicAccess,
        spec.Security.LogRetentionDays,
        Monitoring: spec.Monitoring is not null,
        Media: spec.Media is not null);

    // Cluster, services and people access

    /// <summary>What the cluster stack reads: <c>cluster.*</c>, the zone count and, for the host floor, the services'
    /// task sizes and the live events.</summary>
    public static ClusterProps Cluster(EnvironmentSpec spec) => new(
        spec.Cluster.InstanceTypes,
        spec.Cluster.RootVolumeGiB,
        spec.Cluster.MinHosts,
        spec.Cluster.MaxHosts,
        spec.Cluster.DesiredHosts,
        spec.Cluster.TargetCapacityPercent,
        spec.Network.AvailabilityZones,
        new HostFloorProps(spec.Cluster.InstanceTypes, spec.Cluster.EniTrunking, spec.Cluster.MinHosts, spec.Cluster.MaxHosts, spec.Services, spec.LiveEvents));

    /// <summary>What the stack of <c>services[index]</c> reads: its section, its rule priority (by position unless
    /// given), the cluster's instance types, whether it is a database client and where its alarms notify.</summary>
    public static ServiceProps Service(EnvironmentSpec spec, int index)
    {
        var service = spec.Services[index];
        return new ServiceProps(
            service,
            service.EffectiveRouting.Priority ?? SpecDefaults.FirstRulePriority + (SpecDefaults.RulePriorityStep * index),
            spec.Cluster.InstanceTypes,
            DatabaseClient: spec.Database is { } database && (database.ClientServices is null || database.ClientServices.Contains(service.Name, StringComparer.Ordinal)),
            AlarmTopicName: spec.Monitoring is null ? null : MonitoringBuilder.AlarmTopicName(new PlatformNaming(spec.Name, spec.Tags)),
            spec.LiveEvents,
            spec.ScheduledScaling);
    }

    /// <summary>What the access stack reads: <c>access.*</c>, the log retention and whether a database adds its patch group.</summary>
    public static PeopleAccessProps PeopleAccess(EnvironmentSpec spec)
    {
        var access = spec.Access ?? throw new InvalidOperationException("The spec has no access section.");
        return new(
            access.Administrators,
            access.Developers,
            access.ReadOnly,
            access.IdentityCenter,
            access.MaxSessionHours,
            spec.Security.LogRetentionDays,
            Database: spec.Database is not null);
    }

    // Media, admin access and CI roles

    /// <summary>What the edge web ACL and the media stack read: <c>media.*</c> and whether the media bucket has a replica.</summary>
    public static MediaProps Media(EnvironmentSpec spec) => new(
        spec.Media!.Aliases,
        spec.Media.CertificateArn,
        spec.Media.HostedZoneId,
        spec.Media.PriceClass,
        spec.Media.RateLimitPer5Minutes,
        spec.Media.LogRetentionDays,
        Failover: !spec.Weakenings.SingleOriginMedia);

    /// <summary>What the admin access stack reads: <c>adminAccess.*</c> and the VPC's CIDR (pushed to the VPN clients).</summary>
    public static AdminAccessProps AdminAccess(EnvironmentSpec spec) => new(
        spec.AdminAccess!.AllowedCidrs,
        spec.AdminAccess.VpnPort,
        spec.AdminAccess.SshPort,
        spec.AdminAccess.ClientCidr,
        spec.AdminAccess.InstanceType,
        spec.Network.VpcCidr);

    /// <summary>What the ci stack reads: <c>ci.*</c> (not the tool source the workflows install), each service's name,
    /// image repository and deployment alarms, and every image repository the workflows push to (the backup task's
    /// with a database).</summary>
    /// <param name="spec">The validated environment.</param>
    public static CiRoleProps CiRoles(EnvironmentSpec spec)
    {
        var ci = spec.Ci!;
        var naming = new PlatformNaming(spec.Name, spec.Tags);
        var services = spec.Services.Select(s =>
        {
            var (errors, latency) = ServiceBuilder.AlarmNames(naming, s.Name);
            return new CiServiceProps(s.Name, RepositoryBuilder.RepositoryName(naming, s), errors, latency);
        }).ToList();
        var images = services.Select(s => s.ImageRepository).ToList();
        if (spec.Database is not null)
        {
            images.Add(RepositoryBuilder.BackupRepositoryName(naming));
        }

        return new(ci.Owner, ci.Repositories, ci.Branches, ci.Environments, ci.ExistingOidcProviderArn, ci.ArtifactsBucketName, services, images);
    }

    // Database, backup task, monitoring and patching

    /// <summary>What the database stack reads: <c>database.*</c> (the database name defaults to the environment's)
    /// and whether <c>weakenings.disableDatabaseTls</c> leaves TLS off.</summary>
    public static DatabaseProps Database(EnvironmentSpec spec)
    {
        var database = spec.Database ?? throw new InvalidOperationException("The spec has no database section.");
        return new(
            database.Version,
            database.Members,
            database.VotingMembers,
            database.InstanceType,
            database.VolumeGiB,
            database.VolumeIops,
            database.VolumeThroughput,
            database.ReplicaSetName,
            database.DatabaseName ?? spec.Name,
            Tls: !spec.Weakenings.DisableDatabaseTls);
    }

    /// <summary>What the database-backup stack reads: <c>backups.*</c> but the object lock, the patching window its
    /// patch task runs at, and the CPU architecture of the cluster's hosts (its EC2 tasks run there).</summary>
    public static DatabaseBackupProps DatabaseBackup(EnvironmentSpec spec) => new(
        spec.Backups.Prefix,
        spec.Backups.ScheduleUtc,
        spec.Backups.RetentionDays,
        spec.Patching.MaintenanceWindow,
        spec.Patching.TimeZone,
        ClusterBuilder.HostArchitecture(spec.Cluster.InstanceTypes));

    /// <summary>What the monitoring stack reads: <c>monitoring.*</c> and which audit deliveries <c>security.*</c> turns on.</summary>
    public static MonitoringProps Monitoring(EnvironmentSpec spec)
    {
        var monitoring = spec.Monitoring ?? throw new InvalidOperationException("The spec has no monitoring section.");
        var thresholds = monitoring.Thresholds;
        return new(
            monitoring.AlarmEmails,
            thresholds.LoadBalancer5xxPercent,
            thresholds.Target5xxPerMinute,
            thresholds.TargetResponseTimeP95Milliseconds,
            thresholds.HostReservationPercent,
            thresholds.DataVolumeThroughputMiBps,
            AuditTrail: spec.Security.CloudTrail,
            ConfigRecorder: spec.Security.Config);
    }

    /// <summary>What the patching stack reads: <c>patching.*</c> and whether MongoDB members form a patch group.</summary>
    public static PatchingProps Patching(EnvironmentSpec spec) => new(
        spec.Patching.ApproveAfterDays,
        spec.Patching.MaintenanceWindow,
        spec.Patching.WindowHours,
        spec.Patching.TimeZone,
        Database: spec.Database is not null);
}
