namespace Workmates.OttKit.Blueprint;

/// <summary>
/// A one-off event (a marathon, a match, a launch): services' task floors and ceilings are raised
/// <see cref="PreWarmMinutes"/> before <see cref="StartUtc"/> and restored <see cref="RestoreAfterMinutes"/> after <see cref="EndUtc"/>.
/// Times are UTC only; a local time is rejected rather than guessed.
/// </summary>
public sealed record LiveEventSpec
{
    /// <summary>Event name (DNS-safe), unique in the environment; it names the scheduled actions.</summary>
    public required string Name { get; init; }

    /// <summary>When the event starts, in UTC (offset zero).</summary>
    public required DateTimeOffset StartUtc { get; init; }

    /// <summary>When the event ends, in UTC (offset zero).</summary>
    public required DateTimeOffset EndUtc { get; init; }

    /// <summary>Minutes before the start at which capacity is raised (0–1440), so tasks and hosts are warm.</summary>
    /// <value>Default: 60.</value>
    public int PreWarmMinutes { get; init; } = SpecDefaults.PreWarmMinutes;

    /// <summary>Minutes after the end at which capacity is restored (0–1440), so late viewers drain.</summary>
    /// <value>Default: 15.</value>
    public int RestoreAfterMinutes { get; init; } = SpecDefaults.RestoreAfterMinutes;

    /// <summary>Number of equal programme slots (for example 50 celebrity slots); the duration must divide into whole minutes.</summary>
    /// <value>Default: 1.</value>
    public int Slots { get; init; } = SpecDefaults.Slots;

    /// <summary>The services scaled for the event and their task bounds during it.</summary>
    public IReadOnlyList<LiveEventServiceSpec> Services { get; init; } = [];

    /// <summary>When capacity is raised: <see cref="StartUtc"/> minus <see cref="PreWarmMinutes"/>.</summary>
    public DateTimeOffset PreWarmStartUtc => StartUtc.AddMinutes(-PreWarmMinutes);

    /// <summary>When capacity is restored: <see cref="EndUtc"/> plus <see cref="RestoreAfterMinutes"/>.</summary>
    public DateTimeOffset RestoreAtUtc => EndUtc.AddMinutes(RestoreAfterMinutes);

    /// <summary>Length of the event itself (without pre-warm and restore).</summary>
    public TimeSpan Duration => EndUtc - StartUtc;

    /// <summary>The programme slots: <see cref="Slots"/> contiguous equal windows from start to end.</summary>
    /// <returns>Slot windows in order; empty when the times or slot count are invalid.</returns>
    public IReadOnlyList<TimeWindow> SlotWindows()
    {
        if (Slots < 1 || EndUtc <= StartUtc)
        {
            return [];
        }

        var ticks = Duration.Ticks / Slots;
        var windows = new TimeWindow[Slots];
        for (var i = 0; i < Slots; i++)
        {
            var start = StartUtc.AddTicks(ticks * i);
            var end = i == Slots - 1 ? EndUtc : StartUtc.AddTicks(ticks * (i + 1));
            windows[i] = new TimeWindow(start, end);
        }

        return windows;
    }
}

/// <summary>A service's task bounds during a live event; both must be at least the service's normal bounds.</summary>
public sealed record LiveEventServiceSpec
{
    /// <summary>Name of a service in <see cref="EnvironmentSpec.Services"/>.</summary>
    public required string Service { get; init; }

    /// <summary>Task floor during the event.</summary>
    public required int MinTasks { get; init; }

    /// <summary>Task ceiling during the event.</summary>
    public required int MaxTasks { get; init; }
}

/// <summary>A half-open interval of time [<see cref="Start"/>, <see cref="End"/>).</summary>
/// <param name="Start">Inclusive start.</param>
/// <param name="End">Exclusive end.</param>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Whether the two windows share any instant.</summary>
    /// <param name="other">The other window.</param>
    /// <returns><see langword="true"/> when they overlap.</returns>
    public bool Overlaps(TimeWindow other) => Start < other.End && other.Start < End;

    /// <summary>The window's length.</summary>
    public TimeSpan Length => End - Start;
}

/// <summary>
/// A recurring scaling window, for example school hours: at <see cref="StartCron"/> the services' bounds are raised,
/// at <see cref="EndCron"/> they return to the services' normal bounds. Crons are Application Auto Scaling
/// <c>cron(minutes hours day-of-month month day-of-week year)</c> expressions evaluated in <see cref="TimeZone"/>.
/// </summary>
public sealed record ScheduledScalingSpec
{
    /// <summary>Schedule name (DNS-safe), unique in the environment.</summary>
    public required string Name { get; init; }

    /// <summary>When the window opens, for example <c>cron(0 8 ? * MON-SAT *)</c>.</summary>
    public required string StartCron { get; init; }

    /// <summary>When the window closes, for example <c>cron(0 17 ? * MON-SAT *)</c>.</summary>
    public required string EndCron { get; init; }

    /// <summary>IANA time zone the crons are evaluated in (daylight saving handled by AWS).</summary>
    /// <value>Default: <c>UTC</c>.</value>
    public string TimeZone { get; init; } = SpecDefaults.ScheduleTimeZone;

    /// <summary>The services scaled during the window and their task bounds.</summary>
    public IReadOnlyList<LiveEventServiceSpec> Services { get; init; } = [];
}
