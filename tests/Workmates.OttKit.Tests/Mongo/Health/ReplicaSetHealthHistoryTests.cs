using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;
using State = Workmates.OttKit.Mongo.Health.ReplicaSetMemberState;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthHistoryTests
{
    private static readonly ReplicaSetHealthCheckOptions Defaults = new();

    private static ReplicaSetObservation NoPrimary(DateTimeOffset at) =>
        Healthy().WithMembers(Down(0), Member(1, State.Secondary, self: true)).At(at);

    [Fact]
    public void Advance_FirstObservationWithoutPrimary_AbsenceStartsThen()
    {
        var history = ReplicaSetHealthHistory.Empty.Advance(NoPrimary(Now), Defaults);

        Assert.Equal(Now, history.PrimaryAbsentSince);
        Assert.Equal(Now, history.LastObservedAt);
    }

    [Fact]
    public void Advance_StillWithoutPrimary_KeepsTheFirstAbsence()
    {
        var history = ReplicaSetHealthHistory.Empty
            .Advance(NoPrimary(Now), Defaults)
            .Advance(NoPrimary(Now + TimeSpan.FromSeconds(30)), Defaults);

        Assert.Equal(Now, history.PrimaryAbsentSince);
    }

    [Fact]
    public void Advance_PrimaryBack_ClearsTheAbsence()
    {
        var history = ReplicaSetHealthHistory.Empty
            .Advance(NoPrimary(Now), Defaults)
            .Advance(Healthy().At(Now + TimeSpan.FromSeconds(30)), Defaults);

        Assert.Null(history.PrimaryAbsentSince);
    }

    [Fact]
    public void Advance_ManyTermSamples_KeepsOnlyTheWindowAndOneBaseline()
    {
        var history = ReplicaSetHealthHistory.Empty;
        for (var minute = 0; minute <= 180; minute += 10)
        {
            var observation = Healthy().At(Now + TimeSpan.FromMinutes(minute)) with { Status = Healthy().Status with { Term = minute } };
            history = history.Advance(observation, Defaults);
        }

        // Window ends at 180 min and starts at 120 min: samples 120..180 plus nothing older (120 is the baseline itself).
        Assert.Equal([120L, 130, 140, 150, 160, 170, 180], history.Terms.Select(sample => sample.Term));
    }

    [Fact]
    public void Advance_RecordsUptimesOfReachableMembersOnly()
    {
        var observation = Healthy().WithMembers(Member(0, State.Primary, self: true, uptime: TimeSpan.FromHours(5)), Down(1));

        var history = ReplicaSetHealthHistory.Empty.Advance(observation, Defaults);

        Assert.Equal(TimeSpan.FromHours(5), history.Uptimes[Host(0)]);
        Assert.False(history.Uptimes.ContainsKey(Host(1)));
    }

    [Fact]
    public void ElectionsWithin_NoSamples_Zero()
    {
        Assert.Equal(0, ReplicaSetHealthHistory.Empty.ElectionsWithin(Now, TimeSpan.FromHours(1), 12));
    }
}
