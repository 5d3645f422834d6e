namespace Workmates.OttKit.Mongo.Health;

/// <summary>The unit of a health metric, named as CloudWatch names it.</summary>
public enum HealthMetricUnit
{
    /// <summary>A plain number (status codes, flags).</summary>
    None,

    /// <summary>A count of things (members, elections).</summary>
    Count,

    /// <summary>A duration in seconds.</summary>
    Seconds,
}

/// <summary>One metric data point.</summary>
/// <param name="MetricName">The metric name (<see cref="ReplicaSetHealthMetricNames"/>).</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">The unit.</param>
/// <param name="Dimensions">The dimensions; always <c>Environment</c>, plus <c>Member</c> or <c>Rule</c> where noted.</param>
/// <param name="Timestamp">When the value was observed.</param>
public sealed record HealthMetricDatum(
    string MetricName,
    double Value,
    HealthMetricUnit Unit,
    IReadOnlyDictionary<string, string> Dimensions,
    DateTimeOffset Timestamp);

/// <summary>
/// Publishes health metrics, for instance as CloudWatch custom metrics, so that alarms and dashboards can use them. The
/// replica-set health check publishes after each evaluation when <see cref="ReplicaSetHealthCheckOptions.EnvironmentName"/>
/// is set; a publishing failure is logged and never changes the health result.
/// </summary>
public interface IHealthMetricsPublisher
{
    /// <summary>Publishes data points.</summary>
    /// <param name="metricNamespace">The metric namespace, <see cref="ReplicaSetHealthMetricNames.Namespace"/> for replica sets.</param>
    /// <param name="data">The data points.</param>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>A task that completes when the points are accepted.</returns>
    Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken);
}

/// <summary>The namespace, metric names and dimension names the replica-set health check publishes.</summary>
public static class ReplicaSetHealthMetricNames
{
    /// <summary>The CloudWatch namespace: <c>OttKit/MongoDB</c>.</summary>
    public const string Namespace = "OttKit/MongoDB";

    /// <summary>The dimension every data point carries: the environment name.</summary>
    public const string EnvironmentDimension = "Environment";

    /// <summary>The dimension of per-member data points: the member's <c>host:port</c>.</summary>
    public const string MemberDimension = "Member";

    /// <summary>The dimension of <see cref="RuleStatus"/>: the rule name.</summary>
    public const string RuleDimension = "Rule";

    /// <summary>Overall status: 0 healthy, 1 degraded, 2 unhealthy.</summary>
    public const string HealthStatus = "HealthStatus";

    /// <summary>Status of one rule (dimension <c>Rule</c>): 0 healthy, 1 degraded, 2 unhealthy.</summary>
    public const string RuleStatus = "RuleStatus";

    /// <summary>1 when a primary is present, else 0.</summary>
    public const string PrimaryPresent = "PrimaryPresent";

    /// <summary>Seconds without a primary (0 when present), when known.</summary>
    public const string PrimaryAbsentSeconds = "PrimaryAbsentSeconds";

    /// <summary>Healthy data-bearing voting members.</summary>
    public const string HealthyDataBearingVoters = "HealthyDataBearingVoters";

    /// <summary>Healthy data-bearing voters minus <c>writeMajorityCount</c>; below 0 majority writes cannot complete.</summary>
    public const string WriteMajorityMargin = "WriteMajorityMargin";

    /// <summary>The largest replication lag in seconds.</summary>
    public const string ReplicationLagMaxSeconds = "ReplicationLagMaxSeconds";

    /// <summary>Replication lag of one secondary in seconds (dimension <c>Member</c>).</summary>
    public const string ReplicationLagSeconds = "ReplicationLagSeconds";

    /// <summary>The oplog window in seconds, when observed.</summary>
    public const string OplogWindowSeconds = "OplogWindowSeconds";

    /// <summary>The oplog window minus the largest lag, in seconds, when observed.</summary>
    public const string OplogHeadroomSeconds = "OplogHeadroomSeconds";

    /// <summary>The age in seconds of the stalest heartbeat with a reachable member.</summary>
    public const string HeartbeatMaxAgeSeconds = "HeartbeatMaxAgeSeconds";

    /// <summary>Members in an unusual state (unreachable, recovering, rolling back…).</summary>
    public const string UnusualStateMembers = "UnusualStateMembers";

    /// <summary>Elections (term increases) within the election window, when a term is reported.</summary>
    public const string Elections = "Elections";

    /// <summary>Members that restarted or reconnected recently.</summary>
    public const string RecentRestarts = "RecentRestarts";

    /// <summary>Distinct availability zones among voting members, when the configuration is observed.</summary>
    public const string VotingAvailabilityZones = "VotingAvailabilityZones";
}
