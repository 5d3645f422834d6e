using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary><c>replSetStepDown</c> in the replica-set simulator, as mongod 8 answers it.</summary>
public sealed class ReplicaSetStepDownTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Step_down_elects_the_most_caught_up_secondary_in_a_new_term()
    {
        await using var set = ReplicaSetSimulator.Start(3);
        set.Members[1].Lag = TimeSpan.FromSeconds(5);
        var term = set.Term;
        await using var client = MongoDriverClient.Create(set.ConnectionString(options: "serverSelectionTimeoutMS=5000"));

        var reply = await client.RunCommandAsync("admin", new BsonDocument { { "replSetStepDown", 60 } }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Same(set.Members[2], set.Primary);
        Assert.Equal(SimulatedMemberState.Secondary, set.Members[0].State);
        Assert.Equal(term + 1, set.Term);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Step_down_without_a_caught_up_secondary_is_refused_with_exceeded_time_limit_unless_forced()
    {
        await using var set = ReplicaSetSimulator.Start(3);
        set.Members[1].Lag = TimeSpan.FromSeconds(30);
        set.Members[2].Lag = TimeSpan.FromSeconds(60);
        await using var client = MongoDriverClient.Create(set.ConnectionString(options: "serverSelectionTimeoutMS=5000"));

        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.RunCommandAsync("admin", new BsonDocument { { "replSetStepDown", 60 } }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(262, error.Code);
        Assert.Same(set.Members[0], set.Primary);

        await client.RunCommandAsync("admin", new BsonDocument { { "replSetStepDown", 60 }, { "force", true } }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Same(set.Members[1], set.Primary);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Step_down_period_shorter_than_the_catch_up_period_is_a_bad_value()
    {
        await using var set = ReplicaSetSimulator.Start(3);
        await using var client = MongoDriverClient.Create(set.ConnectionString(options: "serverSelectionTimeoutMS=5000"));

        var error = await Assert.ThrowsAsync<MongoCommandException>(() =>
            client.RunCommandAsync("admin", new BsonDocument { { "replSetStepDown", 5 } }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(2, error.Code);
        Assert.Same(set.Members[0], set.Primary);
    }
}
