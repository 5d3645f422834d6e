namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Thresholds and limits of the MongoDB replica-set health check. A rule is Degraded when its measure crosses the degraded
/// threshold and Unhealthy when it crosses the unhealthy one; the check reports the worst rule.
/// </summary>
/// <remarks>The defaults follow MongoDB's guidance and the common exporter alert rules; docs/mongo-health.md lists the sources.</remarks>
public sealed class ReplicaSetHealthCheckOptions
{
    /// <summary>Gets or sets how long one check may take before it reports "could not evaluate" instead of hanging the health endpoint.</summary>
    /// <value>The default is 3 seconds, so that the answer arrives before a probe with a 5-second timeout gives up.</value>
    public TimeSpan Timeout { get; set; } = ReplicaSetHealthDefaults.Timeout;

    /// <summary>Gets or sets the replication lag of a secondary at or above which the set is Degraded.</summary>
    /// <value>The default is 10 seconds.</value>
    /// <remarks>Must be less than <see cref="ReplicationLagUnhealthy"/>.</remarks>
    public TimeSpan ReplicationLagDegraded { get; set; } = ReplicaSetHealthDefaults.ReplicationLagDegraded;

    /// <summary>Gets or sets the replication lag of a secondary at or above which the set is Unhealthy.</summary>
    /// <value>The default is 240 seconds.</value>
    public TimeSpan ReplicationLagUnhealthy { get; set; } = ReplicaSetHealthDefaults.ReplicationLagUnhealthy;

    /// <summary>Gets or sets the oplog window below which the set is Degraded.</summary>
    /// <value>The default is 24 hours.</value>
    /// <remarks>Must be greater than <see cref="OplogWindowUnhealthy"/>. A headroom (window minus the largest lag) of zero or less is always Unhealthy.</remarks>
    public TimeSpan OplogWindowDegraded { get; set; } = ReplicaSetHealthDefaults.OplogWindowDegraded;

    /// <summary>Gets or sets the oplog window below which the set is Unhealthy.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan OplogWindowUnhealthy { get; set; } = ReplicaSetHealthDefaults.OplogWindowUnhealthy;

    /// <summary>Gets or sets the age of a member's last heartbeat response above which the set is Degraded.</summary>
    /// <value>The default is 10 seconds.</value>
    /// <remarks>Must be less than <see cref="HeartbeatAgeUnhealthy"/>.</remarks>
    public TimeSpan HeartbeatAgeDegraded { get; set; } = ReplicaSetHealthDefaults.HeartbeatAgeDegraded;

    /// <summary>Gets or sets the age of a member's last heartbeat response above which the set is Unhealthy.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan HeartbeatAgeUnhealthy { get; set; } = ReplicaSetHealthDefaults.HeartbeatAgeUnhealthy;

    /// <summary>Gets or sets how long the set may be without a primary before it is Degraded.</summary>
    /// <value>The default is 15 seconds.</value>
    /// <remarks>Must be less than <see cref="PrimaryAbsentUnhealthy"/>. The absence is measured between observations, so its resolution is the polling interval.</remarks>
    public TimeSpan PrimaryAbsentDegraded { get; set; } = ReplicaSetHealthDefaults.PrimaryAbsentDegraded;

    /// <summary>Gets or sets how long the set may be without a primary before it is Unhealthy.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan PrimaryAbsentUnhealthy { get; set; } = ReplicaSetHealthDefaults.PrimaryAbsentUnhealthy;

    /// <summary>Gets or sets the number of elections within <see cref="ElectionWindow"/> above which the set is Degraded.</summary>
    /// <value>The default is 3 (so a fourth election within the window degrades the set).</value>
    public int ElectionsDegraded { get; set; } = ReplicaSetHealthDefaults.ElectionsDegraded;

    /// <summary>Gets or sets the sliding window in which elections (term changes) are counted.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan ElectionWindow { get; set; } = ReplicaSetHealthDefaults.ElectionWindow;

    /// <summary>Gets or sets the uptime below which a member counts as recently restarted (or reconnected), which is Degraded.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan RecentRestartUptime { get; set; } = ReplicaSetHealthDefaults.RecentRestartUptime;

    /// <summary>Gets or sets the member tag that holds the availability zone.</summary>
    /// <value>The default is <c>az</c>, the tag the blueprint sets.</value>
    public string AvailabilityZoneTag { get; set; } = ReplicaSetHealthDefaults.AvailabilityZoneTag;

    /// <summary>Gets or sets the environment name used as the <c>Environment</c> dimension of published metrics.</summary>
    /// <value>The default is <see langword="null"/>: metrics are not published.</value>
    public string? EnvironmentName { get; set; }
}
