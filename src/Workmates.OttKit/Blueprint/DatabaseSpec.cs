namespace Workmates.OttKit.Blueprint;

/// <summary>
/// The MongoDB replica set (the <c>database</c> stack): one EC2 member per availability zone in the isolated data
/// subnets, each with its own encrypted gp3 data volume and a stable DNS name <c>mongo-N.&lt;env&gt;.internal</c>.
/// Leaving the section out synthesizes no database (for platforms that use a managed MongoDB elsewhere).
/// </summary>
public sealed record DatabaseSpec
{
    /// <summary>MongoDB server versions the blueprint installs (from the official repository for Amazon Linux 2023).</summary>
    public static IReadOnlyList<string> SupportedVersions { get; } = ["6.0", "7.0", "8.0"];

    /// <summary>Replica-set members, one per availability zone (at most <see cref="NetworkSpec.AvailabilityZones"/>, at most 7).</summary>
    /// <value>Default: 3.</value>
    public int Members { get; init; } = SpecDefaults.DatabaseMembers;

    /// <summary>Members that vote in elections; the rest are non-voting, priority-0 copies. Must be odd.</summary>
    /// <value>Default: <see langword="null"/> (every member votes).</value>
    public int? VotingMembers { get; init; }

    /// <summary>MongoDB major version, one of <see cref="SupportedVersions"/>.</summary>
    /// <value>Default: <c>7.0</c>.</value>
    public string Version { get; init; } = SpecDefaults.DatabaseVersion;

    /// <summary>EC2 instance type of every member (a known type: the WiredTiger cache is sized from its memory).</summary>
    /// <value>Default: <c>r6i.large</c> (2 vCPUs, 16 GiB).</value>
    public string InstanceType { get; init; } = SpecDefaults.DatabaseInstanceType;

    /// <summary>Size of each member's gp3 data volume in GiB (1..16384).</summary>
    /// <value>Default: 100.</value>
    public int VolumeGiB { get; init; } = SpecDefaults.DatabaseVolumeGiB;

    /// <summary>Provisioned IOPS of each data volume (gp3: 3000..16000, at most 500 per GiB).</summary>
    /// <value>Default: 3000 (gp3's free baseline).</value>
    public int VolumeIops { get; init; } = SpecDefaults.DatabaseVolumeIops;

    /// <summary>Provisioned throughput of each data volume in MiB/s (gp3: 125..1000, at most IOPS / 4).</summary>
    /// <value>Default: 125 (gp3's free baseline).</value>
    public int VolumeThroughput { get; init; } = SpecDefaults.DatabaseVolumeThroughput;

    /// <summary>The replica set's name (<c>replSetName</c>).</summary>
    /// <value>Default: <c>rs0</c>.</value>
    public string ReplicaSetName { get; init; } = SpecDefaults.ReplicaSetName;

    /// <summary>The application database the application user may read and write.</summary>
    /// <value>Default: the environment name.</value>
    public string? DatabaseName { get; init; }

    /// <summary>Services whose tasks may connect on 27017.</summary>
    /// <value>Default: <see langword="null"/> (every service).</value>
    public IReadOnlyList<string>? ClientServices { get; init; }
}
