using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>
/// The deployer's view of the simulator's virtual clock. It sees the timers the deployer creates, so a test can move
/// the clock exactly to the deployer's next wake-up whenever the deployer is waiting (and only then): no real sleeping,
/// and no skipping past a poll.
/// </summary>
internal sealed class DrivenClock(ManualTimeProvider clock) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Pending> _pending = [];

    public ManualTimeProvider Inner { get; } = clock;

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var pending = new Pending(this, Inner.GetUtcNow() + dueTime);
        lock (_gate)
        {
            _pending.Add(pending);
        }

        pending.Inner = Inner.CreateTimer(s => { pending.Done(); callback(s); }, state, dueTime, period);
        return pending;
    }

    /// <summary>Runs <paramref name="work"/>, advancing the clock to each timer it waits on, until it ends or <paramref name="limit"/> of virtual time passed.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? limit = null)
    {
        var stopAt = Inner.GetUtcNow() + (limit ?? TimeSpan.FromHours(3));
        var realDeadline = DateTime.UtcNow.AddMinutes(2);
        while (!work.IsCompleted)
        {
            DateTimeOffset? next;
            lock (_gate)
            {
                next = _pending.Count == 0 ? null : _pending.Min(p => p.DueAt);
            }

            if (next is { } due && due <= stopAt)
            {
                Inner.SetUtcNow(due > Inner.GetUtcNow() ? due : Inner.GetUtcNow());
            }
            else if (DateTime.UtcNow > realDeadline)
            {
                throw new TimeoutException("The work neither finished nor waited on the clock for 2 real minutes.");
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return await work;
    }

    /// <summary>Runs <paramref name="work"/> until <paramref name="until"/> holds, then leaves it running (for restarts).</summary>
    public async Task RunUntilAsync(Task work, Func<bool> until)
    {
        while (!work.IsCompleted && !until())
        {
            DateTimeOffset? next;
            lock (_gate)
            {
                next = _pending.Count == 0 ? null : _pending.Min(p => p.DueAt);
            }

            if (next is { } due)
            {
                Inner.SetUtcNow(due > Inner.GetUtcNow() ? due : Inner.GetUtcNow());
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    private sealed class Pending(DrivenClock owner, DateTimeOffset dueAt) : ITimer
    {
        public DateTimeOffset DueAt { get; } = dueAt;

        public ITimer? Inner { get; set; }

        public void Done()
        {
            lock (owner._gate)
            {
                owner._pending.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner!.Change(dueTime, period);

        public void Dispose()
        {
            Done();
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
