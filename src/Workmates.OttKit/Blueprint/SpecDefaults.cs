namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Every default of the environment spec, in one place, so the docs, the model and the validator agree.
/// Each value is the safe choice; weakening one is an explicit, named option in the spec.
/// </summary>
internal static class SpecDefaults
{
    public const string VpcCidr = "10.0.0.0/16";
    public const int AvailabilityZones = 3;
    public const NatGatewayMode NatGateways = NatGatewayMode.PerAvailabilityZone;
    public const bool InterfaceEndpoints = true;
    public const int FlowLogRetentionDays = 365;

    /// <summary>Two types of one size, both encrypting traffic in transit: the Auto Scaling group can still launch when one
    /// is short in an AZ (AutoScaling.6).</summary>
    public static readonly IReadOnlyList<string> InstanceTypes = ["m6i.large", "m6a.large"];
    public const int MinHosts = 2;
    public const int DesiredHosts = 2;
    public const int MaxHosts = 10;
    public const int TargetCapacityPercent = 90;
    public const int RootVolumeGiB = 30;

    public const string AllowedClientCidr = "0.0.0.0/0";

    public const int ContainerPort = 8080;
    public const string HealthCheckPath = "/health";
    public const int Cpu = 256;
    public const int MemoryMiB = 512;
    public const int MinTasks = 2;
    public const int DesiredTasks = 2;
    public const int MaxTasks = 10;
    public const int RequestsPerTarget = 1000;
    public const int HealthCheckGraceSeconds = 60;
    public const int DeregistrationDelaySeconds = 30;
    public const int LogRetentionDays = 365;
    public const string ContainerUser = "1000:1000";

    public const int PreWarmMinutes = 60;
    public const int RestoreAfterMinutes = 15;
    public const int Slots = 1;

    public const string ScheduleTimeZone = "UTC";

    public const bool CloudTrail = true;
    public const bool Config = true;
    public const bool AutoRemediateS3PublicAccess = true;
    public const int SecurityLogRetentionDays = 365;

    public const int DatabaseMembers = 3;
    public const string DatabaseVersion = "7.0";
    public const string DatabaseInstanceType = "r6i.large";
    public const int DatabaseVolumeGiB = 100;
    public const int DatabaseVolumeIops = 3000;
    public const int DatabaseVolumeThroughput = 125;
    public const string ReplicaSetName = "rs0";
    public const int MongoPort = 27017;

    public const int VpnPort = 11940;
    public const int VpnSshPort = 2222;
    public const string VpnClientCidr = "172.31.240.0/24";
    /// <summary>Graviton, 1 vCPU and 4 GiB: the price of a t3.medium, with Nitro encryption in transit.</summary>
    public const string VpnInstanceType = "m7g.medium";

    public const int PatchApproveAfterDays = 7;
    public const string PatchWindow = "cron(0 3 ? * SUN *)";
    public const int PatchWindowHours = 3;

    public const int BackupRetentionDays = 15;
    public const string BackupScheduleUtc = "02:00";
    public const string BackupPrefix = "mongodb/";

    /// <summary>First listener-rule priority; each service in spec order gets the next step unless it sets its own.</summary>
    public const int FirstRulePriority = 100;
    public const int RulePriorityStep = 10;

    public const int MaxSessionHours = 4;

    public const string MediaPriceClass = "PriceClass_All";
    public const int MediaRateLimitPer5Minutes = 10_000;
    public const int MediaLogRetentionDays = 365;

    public const int LoadBalancer5xxPercent = 5;
    public const int Target5xxPerMinute = 25;
    public const int TargetResponseTimeP95Milliseconds = 1500;
    public const int HostReservationPercent = 85;
    public const int DataVolumeThroughputMiBps = 100;

    public const int ImageScanTimeoutMinutes = 20;
}
