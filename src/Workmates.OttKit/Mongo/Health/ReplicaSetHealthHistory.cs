using System.Collections.Immutable;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>A term seen at a moment; elections are counted from how the term grows.</summary>
/// <param name="At">When it was observed.</param>
/// <param name="Term">The election term.</param>
internal readonly record struct TermSample(DateTimeOffset At, long Term);

/// <summary>
/// What earlier observations left behind for the history-based rules (primary absence, election churn, restarts).
/// Immutable: <see cref="Advance"/> returns the next state, so the evaluator stays pure and the health check owns the state.
/// </summary>
internal sealed record ReplicaSetHealthHistory
{
    public static ReplicaSetHealthHistory Empty { get; } = new();

    /// <summary>Gets when the previous observation was taken; <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastObservedAt { get; init; }

    /// <summary>Gets the first observation that saw no primary, while the primary is still absent.</summary>
    public DateTimeOffset? PrimaryAbsentSince { get; init; }

    /// <summary>Gets the term samples inside the election window, plus the last one before it as a baseline.</summary>
    public ImmutableList<TermSample> Terms { get; init; } = [];

    /// <summary>Gets the last uptime seen per member name.</summary>
    public ImmutableDictionary<string, TimeSpan> Uptimes { get; init; } = ImmutableDictionary.Create<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Returns the history after <paramref name="observation"/>.</summary>
    /// <param name="observation">The observation just evaluated.</param>
    /// <param name="options">The thresholds (for the election window).</param>
    /// <returns>The next history.</returns>
    public ReplicaSetHealthHistory Advance(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(options);
        var now = observation.ObservedAt;
        var hasPrimary = ReplicaSetHealthEvaluator.FindPrimary(observation.Status) is not null;

        var terms = Terms;
        if (observation.Status.Term is { } term)
        {
            // Concurrent runs can finish out of order; keep the samples in time order.
            var at = terms.FindLastIndex(sample => sample.At <= now) + 1;
            terms = Prune(terms.Insert(at, new TermSample(now, term)), now - options.ElectionWindow);
        }

        var uptimes = Uptimes.ToBuilder();
        foreach (var member in observation.Status.Members)
        {
            if (member.Healthy && member.Uptime is { } uptime)
            {
                uptimes[member.Name] = uptime;
            }
        }

        return this with
        {
            LastObservedAt = now,
            PrimaryAbsentSince = hasPrimary ? null : PrimaryAbsentSince ?? now,
            Terms = terms,
            Uptimes = uptimes.ToImmutable(),
        };
    }

    /// <summary>Gets the number of elections inside the window ending at <paramref name="now"/>, counting <paramref name="currentTerm"/>.</summary>
    /// <param name="now">The end of the window.</param>
    /// <param name="window">The window length.</param>
    /// <param name="currentTerm">The term observed now.</param>
    /// <returns>Term growth since the baseline sample; 0 without history.</returns>
    public long ElectionsWithin(DateTimeOffset now, TimeSpan window, long currentTerm)
    {
        var start = now - window;

        // Terms only grow, so the elections in the window are the growth since the last sample at or before its start
        // (or the oldest sample inside it).
        TermSample? baseline = null;
        foreach (var sample in Terms)
        {
            if (sample.At <= start || baseline is null)
            {
                baseline = sample;
            }
        }

        return baseline is { } first ? Math.Max(0, currentTerm - first.Term) : 0;
    }

    private static ImmutableList<TermSample> Prune(ImmutableList<TermSample> samples, DateTimeOffset windowStart)
    {
        // Keep the last sample at or before the window start as the baseline; drop older ones.
        var lastBefore = -1;
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].At <= windowStart)
            {
                lastBefore = i;
            }
        }

        return lastBefore > 0 ? samples.RemoveRange(0, lastBefore) : samples;
    }
}
