using System.Net;
using System.Net.Http;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class VirtualClockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Delay_CompletesWhenClockPassesDueTime_NotBefore()
    {
        var clock = new VirtualClock();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock, Ct);

        clock.Advance(TimeSpan.FromSeconds(9));
        var early = delay.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.False(early);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriodCrossed_SeeingItsOwnDueTime()
    {
        var clock = new VirtualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(16));

        Assert.Equal([5, 10, 15], fired.Select(f => (int)(f - VirtualClock.DefaultStart).TotalSeconds));
        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(16), clock.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Backwards_IsRefused()
    {
        var clock = new VirtualClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(clock.GetUtcNow().AddSeconds(-1)));
    }

    [Fact]
    public void NextDueTime_FollowsChangeAndDispose()
    {
        var clock = new VirtualClock();
        var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        var afterChange = clock.NextDueTime;
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var afterDisarm = clock.NextDueTime;
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();

        Assert.Equal(VirtualClock.DefaultStart.AddSeconds(30), afterChange);
        Assert.Null(afterDisarm);
        Assert.Null(clock.NextDueTime);
        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RunAsync_PollLoop_EndsAfterExactlyTheVirtualTimeItWaited()
    {
        var clock = new VirtualClock();

        var polls = await clock.RunAsync(PollAsync(clock, times: 40, every: TimeSpan.FromSeconds(15)), cancellationToken: Ct);

        Assert.Equal(40, polls);
        Assert.Equal(VirtualClock.DefaultStart.AddMinutes(10), clock.GetUtcNow());
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_PollLoop_CountsOneMovePerWait_WithOrWithoutTheEarlySettle(bool settleEarly)
    {
        var clock = new VirtualClock { SettleEarlyWhenIdle = settleEarly };

        var polls = await clock.RunAsync(PollAsync(clock, times: 12, every: TimeSpan.FromSeconds(5)), cancellationToken: Ct);

        Assert.Equal(12, polls);
        Assert.Equal(12, clock.Moves);
        Assert.Equal(VirtualClock.DefaultStart.AddMinutes(1), clock.GetUtcNow());
        Assert.True(clock.SettleWaited > TimeSpan.Zero);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RunAsync_RescheduledTimeout_IsNotFiredAtItsOldDueTime()
    {
        // The hang of the old driven clock: a timer re-armed later kept its first due time in the driver's books.
        var clock = new VirtualClock();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock);

        var work = Task.Run(async () =>
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await Task.Delay(TimeSpan.FromMinutes(1), clock, Ct);
            return timeout.IsCancellationRequested;
        }, Ct);

        Assert.False(await clock.RunAsync(work, cancellationToken: Ct));
        Assert.Equal(VirtualClock.DefaultStart.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RunAsync_WhileTrackedRequestIsInFlight_DoesNotMoveTime()
    {
        var clock = new VirtualClock();
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient(clock.TrackActivity(new ScriptedHandler(answer.Task)));
        using var deadline = new CancellationTokenSource();

        // A deadline timer is armed while the request is on the wire: an idle-blind driver would fire it.
        var deadlineTimer = Task.Delay(TimeSpan.FromMinutes(30), clock, deadline.Token);
        var request = http.GetAsync(new Uri("http://simulator.invalid/"), Ct);
        var driving = clock.RunAsync(request, cancellationToken: Ct);
        await Task.Delay(50, Ct);
        var timeDuringRequest = clock.GetUtcNow();
        answer.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        using var response = await driving;
        await deadline.CancelAsync();

        Assert.Equal(VirtualClock.DefaultStart, timeDuringRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(deadlineTimer.IsCompletedSuccessfully);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RunAsync_WorkThatOutwaitsTheVirtualLimit_FailsWithTimeoutNamingTheLimit()
    {
        var clock = new VirtualClock();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => clock.RunAsync(
            PollAsync(clock, times: 1000, every: TimeSpan.FromMinutes(1)), TimeSpan.FromHours(1), Ct));

        Assert.Contains("01:00:00 of virtual time", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RunAsync_WorkStuckOutsideTheClock_FailsAfterTheStallLimit()
    {
        var clock = new VirtualClock { StallLimit = TimeSpan.FromMilliseconds(200) };
        var never = new TaskCompletionSource<int>();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => clock.RunAsync(never.Task, cancellationToken: Ct));

        Assert.Contains("neither finished", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WaitUntilParkedAsync_ReturnsOnceTheCodeWaitsOnTheClock()
    {
        var clock = new VirtualClock();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = Task.Run(async () =>
        {
            await gate.Task;
            await Task.Delay(TimeSpan.FromSeconds(5), clock, Ct);
        }, Ct);

        var parked = clock.WaitUntilParkedAsync(cancellationToken: Ct);
        await Task.Delay(30, Ct);
        var parkedEarly = parked.IsCompleted;
        gate.SetResult();
        await parked;
        clock.Advance(TimeSpan.FromSeconds(5));
        await work;

        Assert.False(parkedEarly);
        Assert.Equal([TimeSpan.FromSeconds(5)], clock.Waits);
    }

    private static async Task<int> PollAsync(VirtualClock clock, int times, TimeSpan every)
    {
        var polls = 0;
        for (var i = 0; i < times; i++)
        {
            await Task.Delay(every, clock, Ct);
            polls++;
        }

        return polls;
    }

    private sealed class ScriptedHandler(Task<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer;
    }
}
