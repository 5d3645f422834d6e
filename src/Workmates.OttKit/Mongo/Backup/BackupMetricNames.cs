namespace Workmates.OttKit.Mongo.Backup;

/// <summary>The namespace, metric and dimension the scheduled backup publishes (and the backup-age alarm watches).</summary>
public static class BackupMetricNames
{
    /// <summary>The CloudWatch namespace: <c>OttKit/Backup</c>.</summary>
    public const string Namespace = "OttKit/Backup";

    /// <summary>Seconds since the newest complete backup finished (1e9 when there is none), published after every run.</summary>
    public const string LastSuccessfulBackupAgeSeconds = "LastSuccessfulBackupAgeSeconds";

    /// <summary>The dimension every data point carries: the environment name.</summary>
    public const string EnvironmentDimension = "Environment";
}
