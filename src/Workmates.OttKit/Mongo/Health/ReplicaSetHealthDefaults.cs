namespace Workmates.OttKit.Mongo.Health;

/// <summary>The default thresholds of <see cref="ReplicaSetHealthCheckOptions"/>; docs/mongo-health.md gives their sources.</summary>
internal static class ReplicaSetHealthDefaults
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan ReplicationLagDegraded = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ReplicationLagUnhealthy = TimeSpan.FromSeconds(240);

    public static readonly TimeSpan OplogWindowDegraded = TimeSpan.FromHours(24);

    public static readonly TimeSpan OplogWindowUnhealthy = TimeSpan.FromHours(1);

    public static readonly TimeSpan HeartbeatAgeDegraded = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan HeartbeatAgeUnhealthy = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan PrimaryAbsentDegraded = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan PrimaryAbsentUnhealthy = TimeSpan.FromSeconds(60);

    public const int ElectionsDegraded = 3;

    public static readonly TimeSpan ElectionWindow = TimeSpan.FromHours(1);

    public static readonly TimeSpan RecentRestartUptime = TimeSpan.FromMinutes(10);

    public const string AvailabilityZoneTag = "az";

    public const string MetricsNamespace = "OttKit/MongoDB";
}
