using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Workmates.OttKit.Simulators;

/// <summary>
/// The one clock of the test suite: a <see cref="FakeTimeProvider"/> that also knows every timer armed on it and every
/// tracked I/O operation in flight, so that <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> can drive
/// code that mixes waits on the clock with real I/O (loopback simulators, s3rver) deterministically.
/// </summary>
/// <remarks>
/// <para>
/// The rule is: <b>time moves only when everything under test is idle</b> — no tracked request in flight and nothing
/// armed, changed, fired or completed for <see cref="SettleTime"/> — and then exactly to the earliest armed timer, never
/// past it. A poll loop therefore sees each of its waits end in order, and a wait never ends while a request it raced
/// is still on the wire. I/O is tracked when it goes through <see cref="TrackActivity(HttpMessageHandler)"/> (any
/// <see cref="HttpClient"/>), <see cref="AwsHttpClientFactory"/> (AWS SDK clients) or <see cref="BeginActivity"/>.
/// </para>
/// <para>
/// <see cref="Advance"/> and <see cref="SetUtcNow"/> move through each timer's due time in order (a callback sees the
/// time it was due, as on a real clock); <see cref="FakeTimeProvider"/>'s own methods jump straight to the target.
/// </para>
/// </remarks>
public sealed class VirtualClock : FakeTimeProvider
{
    /// <summary>The start of virtual time unless a test gives one: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();

    // Held while a timer is armed and while the clock moves, so that a timer's recorded due time and the base clock's
    // own due time are computed from the same instant. Without it a timer armed while the clock moved was recorded as
    // due earlier than the base clock would fire it, and the drive loop spun on a due time that never fired.
    // Reentrant (System.Threading.Lock): a timer callback that arms another timer runs inside a move.
    private readonly Lock _move = new();
    private readonly HashSet<TrackedTimer> _armed = [];
    private readonly List<TimeSpan> _waits = [];
    private long _sequence;
    private long _version;
    private int _inFlight;
    private long _moves;
    private long _settleTicks;

    /// <summary>Creates a clock at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public VirtualClock(DateTimeOffset? start = null)
        : base(start ?? DefaultStart)
    {
    }

    /// <summary>How long (real time) everything must stay idle before <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> moves time; 5 ms.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Whether <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> may move time before <see cref="SettleTime"/>
    /// has passed when the quiet is certain: nothing armed, changed, fired or completed and no tracked request in flight
    /// over two polls in a row, and the process's thread pool has no queued work item and no worker running one (but the
    /// drive loop's own). Default <see langword="true"/>; set <see langword="false"/> for code under test that works on
    /// threads of its own (outside the thread pool) between its waits on the clock.
    /// </summary>
    public bool SettleEarlyWhenIdle { get; init; } = true;

    /// <summary>How long (real time) <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> waits for work that neither finishes nor waits on the clock; 45 s.</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Timers armed now (one-shot timers not yet fired, periodic timers not disposed).</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>Every due time armed on this clock so far, in order (what the code under test asked to wait).</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    /// <summary>How many times <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> (and its siblings) moved the clock to the next due timer.</summary>
    public long Moves => Interlocked.Read(ref _moves);

    /// <summary>The real time <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/> (and its siblings) spent waiting for quiet before its moves, summed (a profile of the drive loop, not of the code under test).</summary>
    public TimeSpan SettleWaited => TimeSpan.FromTicks(Interlocked.Read(ref _settleTicks));

    /// <summary>Tracked I/O operations in flight.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The earliest due time of an armed timer, or <see langword="null"/> when none is armed.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count == 0 ? null : _armed.Min(t => t.DueAt);
            }
        }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward by <paramref name="delta"/>, stopping at each due timer in order.</summary>
    public new void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        MoveTo(GetUtcNow() + delta);
    }

    /// <summary>Sets the clock to a later time, stopping at each due timer on the way. Virtual time never goes back.</summary>
    public new void SetUtcNow(DateTimeOffset value)
    {
        if (value < GetUtcNow())
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Virtual time never goes back.");
        }

        MoveTo(value);
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TrackedTimer(this);
        lock (_move)
        {
            timer.Arm(dueTime, period);

            // The base timer may fire inside CreateTimer (due time zero): the record above is already in place.
            timer.Inner = base.CreateTimer(
                s =>
                {
                    timer.Fired();
                    callback(s);
                },
                state,
                dueTime,
                period);
        }

        return timer;
    }

    /// <summary>Marks one tracked operation in flight until the returned handle is disposed.</summary>
    public IDisposable BeginActivity()
    {
        Interlocked.Increment(ref _inFlight);
        Touch();
        return new Activity(this);
    }

    /// <summary>Wraps <paramref name="inner"/> so that every request sent through it counts as activity until its response arrives.</summary>
    public HttpMessageHandler TrackActivity(HttpMessageHandler inner) => new ActivityHandler(this, inner);

    /// <summary>An AWS SDK <see cref="HttpClientFactory"/> whose clients count their requests as activity on this clock (set it as <c>ClientConfig.HttpClientFactory</c>).</summary>
    public HttpClientFactory AwsHttpClientFactory() => new AwsClients(this);

    /// <summary>
    /// Runs <paramref name="work"/> to its end, moving virtual time to the next due timer whenever everything is idle.
    /// </summary>
    /// <param name="work">The operation under test, already started against this clock.</param>
    /// <param name="virtualLimit">How far virtual time may move before the run is declared stuck (default 6 hours).</param>
    /// <param name="cancellationToken">The test's token (its timeout cancels it).</param>
    /// <exception cref="TimeoutException">The work needed more virtual time than <paramref name="virtualLimit"/>, or for
    /// <see cref="StallLimit"/> neither finished, nor did I/O, nor waited on the clock.</exception>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? virtualLimit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await DriveAsync(work, () => false, virtualLimit, cancellationToken).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> to its end (see <see cref="RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/>).</summary>
    public async Task RunAsync(Task work, TimeSpan? virtualLimit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await DriveAsync(work, () => false, virtualLimit, cancellationToken).ConfigureAwait(false);
        await work.ConfigureAwait(false);
    }

    /// <summary>Drives <paramref name="work"/> like <c>RunAsync</c> until <paramref name="until"/> holds or the work ends, then leaves it running.</summary>
    public Task RunUntilAsync(Task work, Func<bool> until, TimeSpan? virtualLimit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(until);
        return DriveAsync(work, until, virtualLimit, cancellationToken);
    }

    /// <summary>Waits (real time) until everything is idle and at least <paramref name="armed"/> timers are armed: the code under test is parked on the clock.</summary>
    public async Task WaitUntilParkedAsync(int armed = 1, CancellationToken cancellationToken = default)
    {
        var stall = Stopwatch.StartNew();
        var seen = Volatile.Read(ref _version);
        var quiet = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            var version = Volatile.Read(ref _version);
            if (version != seen || InFlight > 0)
            {
                seen = version;
                quiet.Restart();
            }
            else if (quiet.Elapsed >= SettleTime && ArmedTimers >= armed)
            {
                return;
            }

            if (stall.Elapsed > StallLimit)
            {
                throw new TimeoutException($"The code under test did not park on {armed} timer(s) within {StallLimit.TotalSeconds:0} s (armed: {ArmedTimers}, in flight: {InFlight}).");
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{GetUtcNow():O} (armed {ArmedTimers}, in flight {InFlight})");

    private async Task DriveAsync(Task work, Func<bool> until, TimeSpan? virtualLimit, CancellationToken cancellationToken)
    {
        var stopAt = GetUtcNow() + (virtualLimit ?? TimeSpan.FromHours(6));
        var stall = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var seen = Volatile.Read(ref _version);
        var quietPolls = 0;
        while (!work.IsCompleted && !until())
        {
            await Task.WhenAny(work, Task.Delay(1, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (work.IsCompleted || until())
            {
                return;
            }

            var version = Volatile.Read(ref _version);
            if (version != seen)
            {
                seen = version;
                quiet.Restart();
                quietPolls = 0;
                stall.Restart();
                continue;
            }

            if (InFlight > 0)
            {
                // A request on the wire holds the clock, but one that never answers is a stall like any other.
                quiet.Restart();
                quietPolls = 0;
                if (stall.Elapsed > StallLimit)
                {
                    throw new TimeoutException($"A tracked request has been in flight for {StallLimit.TotalSeconds:0} real seconds with nothing else happening (clock {this}).");
                }

                continue;
            }

            // SettleTime of real quiet before each move costs the rehearsal ~6 ms a move (724 moves for Blacksheep): when
            // the thread pool is idle nothing of the code under test can be running, so two quiet polls are enough.
            quietPolls++;
            if (quiet.Elapsed < SettleTime && !(SettleEarlyWhenIdle && quietPolls >= 2 && ThreadPoolIdle()))
            {
                continue;
            }

            if (NextDueTime is { } due)
            {
                if (due > stopAt)
                {
                    throw new TimeoutException($"The work was still waiting after {virtualLimit ?? TimeSpan.FromHours(6)} of virtual time (next wake-up {due:O}; clock {this}).");
                }

                Interlocked.Add(ref _settleTicks, quiet.Elapsed.Ticks);
                Interlocked.Increment(ref _moves);
                MoveTo(due > GetUtcNow() ? due : GetUtcNow());
                stall.Restart();
            }
            else if (stall.Elapsed > StallLimit)
            {
                throw new TimeoutException($"The work neither finished, nor did tracked I/O, nor waited on the clock for {StallLimit.TotalSeconds:0} real seconds (clock {this}).");
            }
        }
    }

    private void MoveTo(DateTimeOffset target)
    {
        lock (_move)
        {
            while (NextDueTime is { } due && due <= target)
            {
                var version = Volatile.Read(ref _version);
                base.SetUtcNow(due > GetUtcNow() ? due : GetUtcNow());
                if (Volatile.Read(ref _version) == version && NextDueTime == due && due <= GetUtcNow())
                {
                    // Nothing fired at its due time: the record and the base clock disagree. Fail loudly, never spin.
                    throw new InvalidOperationException($"A timer recorded as due at {due:O} did not fire when the clock reached it (clock {this}).");
                }
            }

            if (target > GetUtcNow())
            {
                base.SetUtcNow(target);
            }
        }
    }

    private static bool ThreadPoolIdle()
    {
        if (ThreadPool.PendingWorkItemCount > 0)
        {
            return false;
        }

        // Busy workers = maximum - available (a worker counts from the moment it is requested until it goes back to
        // wait for work, so work queued and about to run is busy too). The drive loop itself may be one of them.
        ThreadPool.GetMaxThreads(out var maximum, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return maximum - available <= (Thread.CurrentThread.IsThreadPoolThread ? 1 : 0);
    }

    private void Touch() => Interlocked.Increment(ref _version);

    private void EndActivity()
    {
        Interlocked.Decrement(ref _inFlight);
        Touch();
    }

    private sealed class TrackedTimer(VirtualClock owner) : ITimer
    {
        private TimeSpan _period;

        public ITimer? Inner { get; set; }

        public DateTimeOffset DueAt { get; private set; }

        public long Sequence { get; private set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._armed.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner.GetUtcNow() + dueTime;
                    owner._waits.Add(dueTime);
                    _period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                    Sequence = ++owner._sequence;
                    owner._armed.Add(this);
                }
            }

            owner.Touch();
        }

        public void Fired()
        {
            lock (owner._gate)
            {
                if (_period > TimeSpan.Zero)
                {
                    DueAt += _period;
                }
                else
                {
                    owner._armed.Remove(this);
                }
            }

            owner.Touch();
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._move)
            {
                Arm(dueTime, period);
                return Inner?.Change(dueTime, period) ?? true;
            }
        }

        public void Dispose()
        {
            Disarm();
            Inner?.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            Disarm();
            if (Inner is not null)
            {
                await Inner.DisposeAsync().ConfigureAwait(false);
            }
        }

        private void Disarm()
        {
            lock (owner._gate)
            {
                owner._armed.Remove(this);
            }

            owner.Touch();
        }
    }

    private sealed class Activity(VirtualClock owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.EndActivity();
            }
        }
    }

    private sealed class ActivityHandler(VirtualClock owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private const long MaxBufferedBody = 1 << 20;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var activity = owner.BeginActivity();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            // Buffer small bodies (every simulator answer) so the request counts as in flight until it has fully
            // arrived; large object downloads stream as they would in production.
            if (response.Content.Headers.ContentLength is <= MaxBufferedBody)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            }

            return response;
        }
    }

    private sealed class AwsClients(VirtualClock owner) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(owner.TrackActivity(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "ottkit-virtual-clock";
    }
}
