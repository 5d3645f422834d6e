namespace Workmates.OttKit.Blueprint;

/// <summary>
/// SSM Patch Manager (the <c>patching</c> stack): an Amazon Linux 2023 baseline, a weekly maintenance window that
/// installs approved patches (ECS hosts a quarter at a time, MongoDB members one at a time), and a daily compliance scan.
/// </summary>
public sealed record PatchingSpec
{
    /// <summary>Days after release before security patches of critical and important severity are approved (0..360).</summary>
    /// <value>Default: 7.</value>
    public int ApproveAfterDays { get; init; } = SpecDefaults.PatchApproveAfterDays;

    /// <summary>Start of the weekly maintenance window, an SSM cron <c>cron(min hour ? * DAY *)</c> in <see cref="TimeZone"/>.</summary>
    /// <value>Default: <c>cron(0 3 ? * SUN *)</c>.</value>
    public string MaintenanceWindow { get; init; } = SpecDefaults.PatchWindow;

    /// <summary>Length of the maintenance window in hours (2..24; no new task starts in the last hour).</summary>
    /// <value>Default: 3.</value>
    public int WindowHours { get; init; } = SpecDefaults.PatchWindowHours;

    /// <summary>IANA time zone of <see cref="MaintenanceWindow"/>.</summary>
    /// <value>Default: <c>UTC</c>.</value>
    public string TimeZone { get; init; } = SpecDefaults.ScheduleTimeZone;
}
