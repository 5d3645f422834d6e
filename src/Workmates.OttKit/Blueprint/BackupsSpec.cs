namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Backups (the <c>backups</c> stack and, with a database, the <c>database-backup</c> stack): a backup bucket, an
/// artifacts bucket for every deployed template version, an AWS Backup plan snapshotting the MongoDB data volumes,
/// and a scheduled ECS task that runs the library's MongoDB backup. Everything keeps <see cref="RetentionDays"/>.
/// </summary>
public sealed record BackupsSpec
{
    /// <summary>Days backups, snapshots and template versions are kept (1..3650).</summary>
    /// <value>Default: 15.</value>
    public int RetentionDays { get; init; } = SpecDefaults.BackupRetentionDays;

    /// <summary>Daily time of the MongoDB backup and the volume snapshots, <c>HH:mm</c> in UTC.</summary>
    /// <value>Default: <c>02:00</c>.</value>
    public string ScheduleUtc { get; init; } = SpecDefaults.BackupScheduleUtc;

    /// <summary>Locks backups in COMPLIANCE mode for <see cref="RetentionDays"/>: nobody, not even root, can delete them early.</summary>
    /// <value>Default: <see langword="false"/>. Object Lock can be turned on later but never off.</value>
    public bool ObjectLock { get; init; }

    /// <summary>Key prefix of the MongoDB backups in the backup bucket; the backup task may write only below it.</summary>
    /// <value>Default: <c>mongodb/</c>.</value>
    public string Prefix { get; init; } = SpecDefaults.BackupPrefix;
}
