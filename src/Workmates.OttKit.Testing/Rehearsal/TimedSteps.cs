using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Workmates.OttKit.Testing;

/// <summary>
/// The steps of one rehearsal as they are added, each stamped with <see cref="RehearsalStep.ElapsedMilliseconds"/>:
/// the real time since the previous step was added (or since this list was created, at the rehearsal's start).
/// </summary>
internal sealed class TimedSteps : Collection<RehearsalStep>, IReadOnlyList<RehearsalStep>
{
    private long _last = Stopwatch.GetTimestamp();

    protected override void InsertItem(int index, RehearsalStep item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var now = Stopwatch.GetTimestamp();
        var elapsed = (long)Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        _last = now;
        base.InsertItem(index, item.ElapsedMilliseconds == 0 ? item with { ElapsedMilliseconds = elapsed } : item);
    }
}
