using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workmates.OttKit.Mongo.Health;
using static Workmates.OttKit.Tests.Mongo.Health.ReplicaSetShapes;
using State = Workmates.OttKit.Mongo.Health.ReplicaSetMemberState;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthStateTests
{
    [Fact]
    public void Evaluate_JudgesAgainstThePreviousHistoryThenAdvances()
    {
        var state = new ReplicaSetHealthState();
        var noPrimary = Healthy().WithMembers(Down(0), Member(1, State.Secondary, self: true));

        var first = state.Evaluate(noPrimary, new ReplicaSetHealthCheckOptions());
        var second = state.Evaluate(noPrimary.At(Now + TimeSpan.FromSeconds(20)), new ReplicaSetHealthCheckOptions());

        Assert.Equal("no primary; absence duration unknown (first observation)", first[ReplicaSetHealthRules.Primary].Message);
        Assert.Equal(HealthStatus.Degraded, second[ReplicaSetHealthRules.Primary].Status);
        Assert.Equal(20d, second[ReplicaSetHealthRules.Primary].Data["absentSeconds"]);
        Assert.Equal(Now, state.History.PrimaryAbsentSince);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Evaluate_ConcurrentRuns_EveryObservationRecordedInTimeOrder()
    {
        var state = new ReplicaSetHealthState();
        var options = new ReplicaSetHealthCheckOptions();

        await Task.WhenAll(Enumerable.Range(1, 64).Select(term => Task.Run(
            () => state.Evaluate(Healthy().At(Now + TimeSpan.FromSeconds(term)) with { Status = Healthy().Status with { Term = term } }, options),
            TestContext.Current.CancellationToken)));

        Assert.Equal(Enumerable.Range(1, 64).Select(term => (long)term), state.History.Terms.Select(sample => sample.Term));
    }
}
