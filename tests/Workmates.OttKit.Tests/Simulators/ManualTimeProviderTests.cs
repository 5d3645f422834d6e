using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public async Task Delay_CompletesWhenClockPassesDueTime_NotBefore()
    {
        var clock = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock, TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromSeconds(9));
        var early = delay.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.False(early);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void PeriodicTimer_FiresOncePerPeriodCrossed()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(16));

        Assert.Equal([5, 10, 15], fired.Select(f => (int)(f - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds));
    }

    [Fact]
    public void SetUtcNow_Backwards_IsRefused()
    {
        var clock = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(clock.GetUtcNow().AddSeconds(-1)));
    }
}
