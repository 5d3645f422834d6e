namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Monitoring (the <c>monitoring</c> stack): a KMS-encrypted SNS topic with e-mail subscriptions, alarms that all
/// notify it, and one CloudWatch dashboard for a person watching a live event.
/// </summary>
public sealed record MonitoringSpec
{
    /// <summary>Addresses subscribed to the alarm topic (each confirms by e-mail once).</summary>
    /// <value>Default: none; at least one is required.</value>
    public IReadOnlyList<string> AlarmEmails { get; init; } = [];

    /// <summary>When the alarms fire.</summary>
    /// <value>Default: <see cref="AlarmThresholds"/> defaults.</value>
    public AlarmThresholds Thresholds { get; init; } = new();
}

/// <summary>Alarm thresholds; every value has a default that suits a live-streaming platform.</summary>
public sealed record AlarmThresholds
{
    /// <summary>Percentage of the load balancer's requests answered 5xx (by the load balancer or a target) over 5 minutes.</summary>
    /// <value>Default: 5 (1–100).</value>
    public int LoadBalancer5xxPercent { get; init; } = SpecDefaults.LoadBalancer5xxPercent;

    /// <summary>5xx answers of one service's targets per minute, 3 minutes in a row.</summary>
    /// <value>Default: 25 (at least 1).</value>
    public int Target5xxPerMinute { get; init; } = SpecDefaults.Target5xxPerMinute;

    /// <summary>p95 of a service's target response time, in milliseconds, 3 minutes in a row.</summary>
    /// <value>Default: 1500 (1–60000).</value>
    public int TargetResponseTimeP95Milliseconds { get; init; } = SpecDefaults.TargetResponseTimeP95Milliseconds;

    /// <summary>Cluster CPU or memory reservation, in percent, for 15 minutes: the hosts are nearly full.</summary>
    /// <value>Default: 85 (1–100).</value>
    public int HostReservationPercent { get; init; } = SpecDefaults.HostReservationPercent;

    /// <summary>Read plus write throughput of a MongoDB data volume, in MiB/s, for 15 minutes.</summary>
    /// <value>Default: 100 (80 % of a gp3 volume's baseline 125 MiB/s; 1–1000).</value>
    public int DataVolumeThroughputMiBps { get; init; } = SpecDefaults.DataVolumeThroughputMiBps;
}
