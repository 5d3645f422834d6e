namespace Workmates.OttKit.Deployment;

/// <summary>The polling back-off of the deployment watcher: pure functions, so the schedule is testable without a clock.</summary>
internal static class PollingBackoff
{
    /// <summary>
    /// The delay before poll number <paramref name="attempt"/> + 1: <paramref name="initial"/> × <paramref name="factor"/>^attempt,
    /// capped at <paramref name="max"/> (overflow-safe).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, double factor, TimeSpan max)
    {
        if (attempt <= 0)
        {
            return initial > max ? max : initial;
        }

        var ticks = initial.Ticks * Math.Pow(factor, attempt);
        return double.IsFinite(ticks) && ticks < max.Ticks ? TimeSpan.FromTicks((long)ticks) : max;
    }

    /// <summary>
    /// The delay after a poll that was throttled or failed on the server even after the SDK's retries: twice the delay
    /// that was planned, capped at <paramref name="max"/>, so a throttled watcher slows down instead of hammering.
    /// </summary>
    public static TimeSpan AfterThrottling(TimeSpan planned, TimeSpan max) =>
        planned.Ticks >= max.Ticks / 2 ? max : TimeSpan.FromTicks(planned.Ticks * 2);

    /// <summary>The delay actually slept: the planned one, but never past the deadline.</summary>
    public static TimeSpan Clamp(TimeSpan planned, DateTimeOffset now, DateTimeOffset deadline)
    {
        var left = deadline - now;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : planned < left ? planned : left;
    }
}
