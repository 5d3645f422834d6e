namespace Workmates.OttKit.Blueprint;

/// <summary>Pure schedule arithmetic of live events: the window capacity is raised for, and overlaps per service.</summary>
public static class LiveEventSchedule
{
    /// <summary>The window during which an event's raised bounds are in force: pre-warm start to restore.</summary>
    /// <param name="liveEvent">The event.</param>
    /// <returns>[<see cref="LiveEventSpec.PreWarmStartUtc"/>, <see cref="LiveEventSpec.RestoreAtUtc"/>).</returns>
    public static TimeWindow Window(LiveEventSpec liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        return new TimeWindow(liveEvent.PreWarmStartUtc, liveEvent.RestoreAtUtc);
    }

    /// <summary>Pairs of events whose windows overlap and that scale at least one common service.</summary>
    /// <param name="events">The events, in spec order.</param>
    /// <returns>Each conflict as (earlier index, later index, service name), ordered by the later index.</returns>
    public static IReadOnlyList<(int First, int Second, string Service)> FindOverlaps(IReadOnlyList<LiveEventSpec> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var conflicts = new List<(int, int, string)>();
        for (var e = 0; e < events.Count; e++)
        {
            for (var f = 0; f < e; f++)
            {
                if (!Window(events[f]).Overlaps(Window(events[e])))
                {
                    continue;
                }

                foreach (var service in events[e].Services.Select(s => s.Service).Intersect(events[f].Services.Select(s => s.Service), StringComparer.Ordinal))
                {
                    conflicts.Add((f, e, service));
                }
            }
        }

        return conflicts;
    }
}
