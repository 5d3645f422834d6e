using System.Globalization;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Health;
using Names = Workmates.OttKit.Mongo.Health.ReplicaSetHealthMetricNames;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The alarms on the replica set's health metrics (published every minute by the database-backup stack's health task)
/// and on the backup age, declared once from the publishers' own names: the namespace, metric and dimension names
/// come from <see cref="ReplicaSetHealthMetricNames"/> (what <c>ReplicaSetHealthMetrics.ToDataPoints</c> emits) and
/// <see cref="BackupMetricNames"/> (what the backup task emits); the thresholds from <see cref="ReplicaSetHealthDefaults"/>
/// and the backup schedule. <see cref="MonitoringBuilder"/> turns each into an <c>AWS::CloudWatch::Alarm</c>; the tests
/// prove each one watches a data point the publisher really emits.
/// </summary>
internal static class DatabaseHealthAlarms
{
    /// <summary>How long a daily backup may be late before the age alarm fires: the schedule's interval plus this.</summary>
    public static readonly TimeSpan BackupAgeSlack = TimeSpan.FromHours(2);

    /// <summary>The backup schedule's interval: the blueprint schedules backups once a day (<c>backups.scheduleUtc</c>).</summary>
    public static readonly TimeSpan BackupInterval = TimeSpan.FromDays(1);

    /// <summary>The alarms of an environment named <paramref name="environment"/>.</summary>
    public static IReadOnlyList<HealthAlarm> For(string environment)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { [Names.EnvironmentDimension] = environment };
        var period = DatabaseBackupBuilder.HealthPeriodSeconds;
        var backupAge = BackupInterval + BackupAgeSlack;
        var backupHours = (int)backupAge.TotalHours;
        return
        [
            // A health task that stops publishing must alarm too: missing data counts as "no primary".
            new(
                "MongoNoPrimaryAlarm",
                "mongo-no-primary",
                "The MongoDB replica set had no primary (or the health check published nothing) for 2 of the last 3 minutes: writes fail",
                Names.Namespace,
                Names.PrimaryPresent,
                env,
                "Minimum",
                period,
                3,
                2,
                1,
                "LessThanThreshold",
                "breaching"),
            new(
                "MongoReplicationLagAlarm",
                "mongo-replication-lag",
                string.Create(CultureInfo.InvariantCulture, $"A MongoDB secondary lags more than {ReplicaSetHealthDefaults.ReplicationLagDegraded.TotalSeconds} s behind the primary (the health check's degraded threshold) for 5 minutes"),
                Names.Namespace,
                Names.ReplicationLagMaxSeconds,
                env,
                "Minimum",
                period,
                5,
                5,
                ReplicaSetHealthDefaults.ReplicationLagDegraded.TotalSeconds,
                "GreaterThanOrEqualToThreshold",
                "notBreaching"),
            // The rule's status, not the raw window: an oplog that is not yet full is no limit (a new set's window is minutes).
            new(
                "MongoOplogHeadroomAlarm",
                "mongo-oplog-headroom",
                string.Create(CultureInfo.InvariantCulture, $"The MongoDB oplog window is below {ReplicaSetHealthDefaults.OplogWindowDegraded.TotalHours} h, or the headroom over the largest lag is gone, for 15 minutes: a secondary that falls further behind needs a full initial sync"),
                Names.Namespace,
                Names.RuleStatus,
                new Dictionary<string, string>(env, StringComparer.Ordinal) { [Names.RuleDimension] = ReplicaSetHealthRules.OplogWindow },
                "Minimum",
                5 * period,
                3,
                3,
                1,
                "GreaterThanOrEqualToThreshold",
                "notBreaching"),
            new(
                "MongoMembersDownAlarm",
                "mongo-members-down",
                "A MongoDB member is down, unreachable or not serving (DOWN, RECOVERING, ROLLBACK, STARTUP…) for 5 minutes",
                Names.Namespace,
                Names.UnusualStateMembers,
                env,
                "Minimum",
                period,
                5,
                5,
                0,
                "GreaterThanThreshold",
                "notBreaching"),
            // Published once a day, so the alarm reads hourly periods over the interval plus slack: every hour with no
            // report counts as breaching, and it fires when no run reported a backup younger than that in the whole
            // range (the schedule or the task broke, or runs keep failing). A single failed run is the
            // backup-failed rule's event.
            new(
                "BackupAgeAlarm",
                "backup-age",
                string.Create(CultureInfo.InvariantCulture, $"No MongoDB backup younger than {backupHours} h was reported in the last {backupHours} h (daily schedule plus {BackupAgeSlack.TotalHours} h)"),
                BackupMetricNames.Namespace,
                BackupMetricNames.LastSuccessfulBackupAgeSeconds,
                new Dictionary<string, string>(StringComparer.Ordinal) { [BackupMetricNames.EnvironmentDimension] = environment },
                "Maximum",
                3600,
                backupHours,
                backupHours,
                backupAge.TotalSeconds,
                "GreaterThanThreshold",
                "breaching"),
        ];
    }
}

/// <summary>One alarm on a single metric.</summary>
/// <param name="Id">Logical ID.</param>
/// <param name="Name">Alarm name after the environment prefix.</param>
/// <param name="Description">What it means.</param>
/// <param name="Namespace">Metric namespace.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Dimensions">Dimension name → value, exactly as published.</param>
/// <param name="Statistic">Statistic.</param>
/// <param name="Period">Period in seconds.</param>
/// <param name="Evaluations">Evaluation periods.</param>
/// <param name="ToAlarm">Data points to alarm.</param>
/// <param name="Threshold">Threshold.</param>
/// <param name="Comparison">Comparison operator.</param>
/// <param name="TreatMissingData">Missing-data treatment.</param>
internal sealed record HealthAlarm(
    string Id,
    string Name,
    string Description,
    string Namespace,
    string Metric,
    IReadOnlyDictionary<string, string> Dimensions,
    string Statistic,
    int Period,
    int Evaluations,
    int ToAlarm,
    double Threshold,
    string Comparison,
    string TreatMissingData);
