namespace Workmates.OttKit.Blueprint;

/// <summary>
/// What validation may know beyond the spec itself. Synthesis is pure and validates without it; the CLI's
/// <c>validate</c>, <c>synth</c>, <c>plan</c> and <c>deploy stacks</c> pass the current time so a live event already over is refused.
/// </summary>
public sealed record ValidationContext
{
    /// <summary>No clock: the rules that depend on the time are skipped.</summary>
    public static ValidationContext Timeless { get; } = new();

    /// <summary>The current time; <see langword="null"/> skips the time-dependent rules.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public DateTimeOffset? Now { get; init; }

    /// <summary>A context at the current time of <paramref name="time"/>.</summary>
    /// <param name="time">The clock (<see cref="TimeProvider.System"/> in the CLI, a fake one in tests).</param>
    /// <returns>The context.</returns>
    public static ValidationContext At(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new ValidationContext { Now = time.GetUtcNow() };
    }
}
