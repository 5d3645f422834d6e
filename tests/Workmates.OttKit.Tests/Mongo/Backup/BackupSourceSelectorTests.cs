using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Tests.Mongo.Backup;

public sealed class BackupSourceSelectorTests
{
    private static BackupCandidate Member(string host, int state, bool hidden = false, bool arbiter = false, bool healthy = true, bool delayed = false, double lagSeconds = 0) =>
        new(host, state, healthy, hidden, arbiter, delayed, TimeSpan.FromSeconds(lagSeconds));

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public void Choose_HiddenSecondaryAvailable_PrefersItOverAVisibleOne()
    {
        var choice = BackupSourceSelector.Choose([Member("p:1", 1), Member("s:1", 2), Member("h:1", 2, hidden: true, lagSeconds: 3)], allowPrimary: false, Limit);

        Assert.Equal("h:1", choice.Member.Host);
    }

    [Fact]
    public void Choose_SeveralSecondaries_TakesTheLeastLagged()
    {
        var choice = BackupSourceSelector.Choose([Member("p:1", 1), Member("a:1", 2, lagSeconds: 9), Member("b:1", 2, lagSeconds: 2)], allowPrimary: false, Limit);

        Assert.Equal("b:1", choice.Member.Host);
    }

    [Fact]
    public void Choose_SecondaryLagsAboveTheLimit_IsRejectedWithItsLag()
    {
        var error = Assert.Throws<MongoBackupException>(() => BackupSourceSelector.Choose([Member("p:1", 1), Member("s:1", 2, lagSeconds: 45)], allowPrimary: false, Limit));

        Assert.Equal(MongoBackupFailureReason.NoEligibleSource, error.Reason);
        Assert.Contains("s:1: lag 45 s is above the limit 20 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("allow the primary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_OnlyAnArbiterAndThePrimary_NeverPicksTheArbiter()
    {
        var error = Assert.Throws<MongoBackupException>(() => BackupSourceSelector.Choose([Member("p:1", 1), Member("arb:1", 7, arbiter: true)], allowPrimary: false, Limit));

        Assert.Contains("arb:1: an arbiter holds no data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoSecondaryButPrimaryAllowed_TakesThePrimary()
    {
        var choice = BackupSourceSelector.Choose([Member("p:1", 1), Member("arb:1", 7, arbiter: true), Member("s:1", 2, healthy: false)], allowPrimary: true, Limit);

        Assert.Equal("p:1", choice.Member.Host);
        Assert.Equal(2, choice.Rejected.Count);
    }

    [Fact]
    public void Choose_DelayedSecondary_IsNotUsed()
    {
        var choice = BackupSourceSelector.Choose([Member("p:1", 1), Member("d:1", 2, hidden: true, delayed: true), Member("s:1", 2)], allowPrimary: false, Limit);

        Assert.Equal("s:1", choice.Member.Host);
    }

    [Fact]
    public void Choose_RecoveringMember_IsRejectedWithItsState()
    {
        var error = Assert.Throws<MongoBackupException>(() => BackupSourceSelector.Choose([Member("p:1", 1), Member("r:1", 3)], allowPrimary: false, Limit));

        Assert.Contains("r:1: state 3 is not SECONDARY", error.Message, StringComparison.Ordinal);
    }
}
