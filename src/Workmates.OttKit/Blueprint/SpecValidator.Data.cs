using System.Globalization;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>Rules of the data tier, admin access, patching and backups sections.</summary>
internal static partial class SpecValidator
{
    private static void ValidateDataTier(EnvironmentSpec spec, Action<string, string, string> add)
    {
        if (spec.Database is { } database)
        {
            ValidateDatabase(spec, database, add);
        }

        if (spec.AdminAccess is { } admin)
        {
            ValidateAdminAccess(spec, admin, add);
        }

        ValidatePatching(spec.Patching, add);
        ValidateBackups(spec.Backups, add);
    }

    private static void ValidateDatabase(EnvironmentSpec spec, DatabaseSpec database, Action<string, string, string> add)
    {
        if (database.Members < 1 || database.Members > 7)
        {
            add("database.members", $"{database.Members} members is outside 1..7 (a replica set has at most 7 voting members, and the blueprint places one per zone).", "Use 3 (the default) or another odd number up to the number of availability zones.");
        }
        else if (database.Members > spec.Network.AvailabilityZones)
        {
            add("database.members", $"{database.Members} members do not fit one per availability zone: the network has {spec.Network.AvailabilityZones}.", $"Lower database.members to at most {spec.Network.AvailabilityZones}, or raise network.availabilityZones to {database.Members}.");
        }

        var voting = database.VotingMembers ?? database.Members;
        var votingPath = database.VotingMembers is null ? "database.members" : "database.votingMembers";
        if (database.VotingMembers is { } v && (v < 1 || v > database.Members))
        {
            add("database.votingMembers", $"{v} voting members is outside 1..{database.Members} (the number of members).", "Use an odd number of voting members no greater than database.members.");
        }
        else if (voting % 2 == 0 && database.Members is >= 1 and <= 7)
        {
            add(votingPath, $"{voting} voting members is an even number: a network split can leave both halves without a majority.", database.VotingMembers is null
                ? $"Use an odd number of members, or set database.votingMembers to {voting - 1} (the other member becomes a non-voting copy)."
                : $"Set database.votingMembers to {voting - 1} or {voting + 1}.");
        }

        if (!DatabaseSpec.SupportedVersions.Contains(database.Version, StringComparer.Ordinal))
        {
            add("database.version", $"'{database.Version}' is not a MongoDB version the blueprint installs.", $"Use one of {string.Join(", ", DatabaseSpec.SupportedVersions)}.");
        }

        if (!InstanceTypes.TryGet(database.InstanceType, out _))
        {
            add("database.instanceType", $"'{database.InstanceType}' is not in the known instance-type table, so the WiredTiger cache cannot be sized.", "Use a known type such as r6i.large, r7g.large or m6i.xlarge; see docs/blueprint.md.");
        }
        else if (!spec.Weakenings.AllowInstancesWithoutTransitEncryption && !TransitEncryption.Supports(database.InstanceType))
        {
            add("database.instanceType", $"'{database.InstanceType}' does not encrypt traffic between instances (Nitro encryption in transit).", TransitEncryption.Fix(database.InstanceType));
        }

        if (database.VolumeGiB is < 10 or > 16384)
        {
            add("database.volumeGiB", $"{database.VolumeGiB} GiB is outside 10..16384 (gp3's maximum is 16 TiB; MongoDB needs room for its journal).", "Use 10 to 16384 GiB.");
        }

        if (database.VolumeIops is < 3000 or > 16000)
        {
            add("database.volumeIops", $"{database.VolumeIops} IOPS is outside gp3's 3000..16000.", "Use 3000 (the free baseline) up to 16000.");
        }
        else if (database.VolumeGiB is >= 10 and <= 16384 && database.VolumeIops > 3000 && database.VolumeIops > 500L * database.VolumeGiB)
        {
            add("database.volumeIops", $"{database.VolumeIops} IOPS exceeds gp3's 500 IOPS per GiB for {database.VolumeGiB} GiB.", $"Lower database.volumeIops to {500L * database.VolumeGiB} or raise database.volumeGiB to {Ceiling(database.VolumeIops, 500)}.");
        }

        if (database.VolumeThroughput is < 125 or > 1000)
        {
            add("database.volumeThroughput", $"{database.VolumeThroughput} MiB/s is outside gp3's 125..1000.", "Use 125 (the free baseline) up to 1000 MiB/s.");
        }
        else if (database.VolumeThroughput > 125 && database.VolumeThroughput * 4L > database.VolumeIops)
        {
            add("database.volumeThroughput", $"{database.VolumeThroughput} MiB/s exceeds gp3's 0.25 MiB/s per provisioned IOPS ({database.VolumeIops} IOPS allow {database.VolumeIops / 4}).", $"Raise database.volumeIops to at least {database.VolumeThroughput * 4} or lower the throughput.");
        }

        if (!ReplicaSetName().IsMatch(database.ReplicaSetName))
        {
            add("database.replicaSetName", $"'{database.ReplicaSetName}' is not a replica-set name of 1–32 letters, digits, '-' or '_'.", "Use a short name such as rs0.");
        }

        if (database.DatabaseName is { } name && !DatabaseName().IsMatch(name))
        {
            add("database.databaseName", $"'{name}' is not a MongoDB database name the blueprint accepts (1–38 letters, digits, '-' or '_'; not admin, local or config).", "Use a short name such as the environment's.");
        }
        else if (database.DatabaseName is "admin" or "local" or "config")
        {
            add("database.databaseName", $"'{database.DatabaseName}' is a MongoDB system database.", "Choose an application database name.");
        }

        if (database.ClientServices is { } clients)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < clients.Count; i++)
            {
                if (!spec.Services.Any(s => string.Equals(s.Name, clients[i], StringComparison.Ordinal)))
                {
                    add($"database.clientServices[{i}]", $"'{clients[i]}' is not a service of this environment.", "List names from services[].name, or leave clientServices out to admit every service.");
                }
                else if (!seen.Add(clients[i]))
                {
                    add($"database.clientServices[{i}]", $"'{clients[i]}' is listed twice.", "Remove the duplicate.");
                }
            }
        }
    }

    private static void ValidateAdminAccess(EnvironmentSpec spec, AdminAccessSpec admin, Action<string, string, string> add)
    {
        if (admin.AllowedCidrs.Count == 0)
        {
            add("adminAccess.allowedCidrs", "no source range may reach the VPN.", "List the office or home ranges administrators connect from, for example [203.0.113.0/24].");
        }

        for (var i = 0; i < admin.AllowedCidrs.Count; i++)
        {
            if (!Ipv4Cidr.TryParse(admin.AllowedCidrs[i], out _, out var error))
            {
                add($"adminAccess.allowedCidrs[{i}]", error + ".", "Write the range as a network address and prefix, for example 203.0.113.0/24.");
            }
        }

        if (admin.VpnPort is < 1 or > 65535)
        {
            add("adminAccess.vpnPort", $"{admin.VpnPort} is not a UDP port.", "Use a port in 1..65535 (11940 is the default).");
        }

        if (admin.SshPort is < 1024 or > 65535)
        {
            add("adminAccess.sshPort", $"{admin.SshPort} is outside 1024..65535: SSH stays off 22, the port every scanner tries.", "Use a high port such as 2222 (the default).");
        }

        if (!Ipv4Cidr.TryParse(admin.ClientCidr, out var clients, out var clientError))
        {
            add("adminAccess.clientCidr", clientError + ".", "Write the VPN client range as a network address and prefix, for example 172.31.240.0/24.");
        }
        else if (clients.Prefix is < 16 or > 28 || !Ipv4Cidr.PrivateRanges.Any(r => r.Contains(clients)))
        {
            add("adminAccess.clientCidr", $"{clients} is not a private range between /16 and /28.", "Use a private range such as 172.31.240.0/24.");
        }
        else if (Ipv4Cidr.TryParse(spec.Network.VpcCidr, out var vpc, out _) && vpc.Overlaps(clients))
        {
            add("adminAccess.clientCidr", $"{clients} overlaps the VPC {vpc}: VPN clients could not route to the hosts.", "Choose a client range outside network.vpcCidr.");
        }

        if (!InstanceTypes.TryGet(admin.InstanceType, out _))
        {
            add("adminAccess.instanceType", $"'{admin.InstanceType}' is not in the known instance-type table.", "Use a known type such as m7g.medium or m7a.medium.");
        }
        else if (!spec.Weakenings.AllowInstancesWithoutTransitEncryption && !TransitEncryption.Supports(admin.InstanceType))
        {
            add("adminAccess.instanceType", $"'{admin.InstanceType}' does not encrypt traffic between instances (Nitro encryption in transit), so administrators' sessions to the hosts would cross the VPC in the clear.", TransitEncryption.Fix(admin.InstanceType));
        }
    }

    private static void ValidatePatching(PatchingSpec patching, Action<string, string, string> add)
    {
        if (patching.ApproveAfterDays is < 0 or > 360)
        {
            add("patching.approveAfterDays", $"{patching.ApproveAfterDays} days is outside SSM's 0..360.", "Use 7 (the default) or another value in 0..360.");
        }

        if (!IsCron(patching.MaintenanceWindow))
        {
            add("patching.maintenanceWindow", $"'{patching.MaintenanceWindow}' is not a cron expression of six fields with '?' in one day field.", "Write it like cron(0 3 ? * SUN *) (Sundays at 03:00).");
        }

        if (patching.WindowHours is < 2 or > 24)
        {
            add("patching.windowHours", $"{patching.WindowHours} hours is outside 2..24 (no task starts in the last hour of the window).", "Use 3 (the default) or another value in 2..24.");
        }

        if (!IsTimeZone(patching.TimeZone))
        {
            add("patching.timeZone", $"'{patching.TimeZone}' is not an IANA time zone.", "Use a name such as UTC or Asia/Kolkata.");
        }
    }

    private static void ValidateBackups(BackupsSpec backups, Action<string, string, string> add)
    {
        if (backups.RetentionDays is < 1 or > 3650)
        {
            add("backups.retentionDays", $"{backups.RetentionDays} days is outside 1..3650.", "Use 15 (the default) or another value in 1..3650.");
        }

        if (!TryParseUtcTime(backups.ScheduleUtc, out _, out _))
        {
            add("backups.scheduleUtc", $"'{backups.ScheduleUtc}' is not a time of day HH:mm.", "Write the UTC time with two-digit hours and minutes, for example 02:00.");
        }

        if (!BackupPrefix().IsMatch(backups.Prefix))
        {
            add("backups.prefix", $"'{backups.Prefix}' is not a key prefix of letters, digits, '-', '_', '.' and '/' ending with '/'.", "Use a prefix such as mongodb/.");
        }
    }

    /// <summary>Parses <c>HH:mm</c> (24-hour, UTC).</summary>
    internal static bool TryParseUtcTime(string? text, out int hour, out int minute)
    {
        hour = minute = 0;
        if (text is not { Length: 5 } || text[2] != ':')
        {
            return false;
        }

        return int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out hour) && hour < 24
            && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out minute) && minute < 60;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplicaSetName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();

    [GeneratedRegex("^([A-Za-z0-9_.-]+/)+$", RegexOptions.CultureInvariant)]
    private static partial Regex BackupPrefix();
}
