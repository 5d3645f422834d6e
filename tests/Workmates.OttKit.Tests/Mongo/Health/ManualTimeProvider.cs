using System.Threading.Channels;

namespace Workmates.OttKit.Tests.Mongo.Health;

/// <summary>
/// A clock that moves only when a test advances it, with timers that fire on <see cref="Advance"/>
/// (Microsoft.Extensions.TimeProvider.Testing is not available here).
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly Channel<bool> _created = Channel.CreateUnbounded<bool>();
    private DateTimeOffset _now = start;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        _created.Writer.TryWrite(true);
        return timer;
    }

    /// <summary>Waits until <paramref name="count"/> more timers have been created (the code under test is parked on them).</summary>
    public async Task WaitForTimersAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _created.Reader.ReadAsync(TestContext.Current.CancellationToken);
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = [.. _timers.Where(timer => timer.DueAt is { } at && at <= _now).OrderBy(timer => timer.DueAt)];
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.Now + dueTime;
            return true;
        }

        public void Fire()
        {
            DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : DueAt + _period;
            callback(state);
        }

        public void Dispose() => DueAt = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
