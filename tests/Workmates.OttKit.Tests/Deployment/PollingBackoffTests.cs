using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class PollingBackoffTests
{
    private static readonly TimeSpan Five = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Thirty = TimeSpan.FromSeconds(30);

    [Fact]
    public void Delay_DefaultSchedule_GrowsByTheFactorUntilTheCap()
    {
        var schedule = Enumerable.Range(0, 7).Select(a => PollingBackoff.Delay(a, Five, 1.5, Thirty).TotalSeconds).ToList();

        Assert.Equal([5, 7.5, 11.25, 16.875, 25.3125, 30, 30], schedule);
    }

    [Fact]
    public void Delay_FactorOne_IsConstant() =>
        Assert.All(Enumerable.Range(0, 5), a => Assert.Equal(Five, PollingBackoff.Delay(a, Five, 1, Thirty)));

    [Fact]
    public void Delay_HugeAttempt_DoesNotOverflow() =>
        Assert.Equal(Thirty, PollingBackoff.Delay(int.MaxValue, Five, 10, Thirty));

    [Fact]
    public void Delay_InitialAboveCap_IsCapped() =>
        Assert.Equal(Thirty, PollingBackoff.Delay(0, TimeSpan.FromMinutes(1), 1.5, Thirty));

    [Fact]
    public void AfterThrottling_DoublesThePlannedDelayUpToTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), PollingBackoff.AfterThrottling(Five, Thirty));
        Assert.Equal(Thirty, PollingBackoff.AfterThrottling(TimeSpan.FromSeconds(20), Thirty));
        Assert.Equal(Thirty, PollingBackoff.AfterThrottling(TimeSpan.MaxValue, Thirty));
    }

    [Fact]
    public void Clamp_NeverSleepsPastTheDeadline()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(Five, PollingBackoff.Clamp(Five, now, now.AddMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), PollingBackoff.Clamp(Five, now, now.AddSeconds(2)));
        Assert.Equal(TimeSpan.Zero, PollingBackoff.Clamp(Five, now, now.AddSeconds(-1)));
    }
}
