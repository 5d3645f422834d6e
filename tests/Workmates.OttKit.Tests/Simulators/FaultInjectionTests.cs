using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class FaultInjectionTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ThrottleOnChosenCall_ReturnsThrottlingException400_OnlyOnThatCall()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Throttle().ForOperation("DescribeServices").OnCalls(2));

        var first = await bed.Client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("web") });
        var second = await bed.Client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("web") });
        var third = await bed.Client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("web") });

        Assert.Equal((200, 400, 200), (first.Status, second.Status, third.Status));
        Assert.Equal("ThrottlingException", second.ErrorType);
        Assert.Equal([null, FaultKind.Throttle, null], bed.Simulator.Requests.For("DescribeServices").Select(r => r.Fault));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RateBasedFaults_AreDeterministicForASeed()
    {
        async Task<List<int>> Run()
        {
            await using var bed = await EcsTestBed.StartAsync(options: new AwsSimulatorOptions { Faults = new FaultInjector(seed: 7) });
            bed.Simulator.Faults.Add(FaultRule.Throttle().AtRate(0.3)).Add(FaultRule.InternalError().AtRate(0.05));
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                statuses.Add((await bed.Client.EcsAsync("ListTaskDefinitions", [])).Status);
            }

            return statuses;
        }

        var a = await Run();
        var b = await Run();

        Assert.Equal(a, b);
        Assert.InRange(a.Count(s => s == 400), 4, 24);
        Assert.Contains(200, a);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task InternalErrorAndServiceUnavailable_Return500And503()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.InternalError().OnCalls(1)).Add(FaultRule.ServiceUnavailable().OnCalls(2));

        var first = await bed.Client.EcsAsync("ListTaskDefinitions", []);
        var second = await bed.Client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal((500, "ServerException"), (first.Status, first.ErrorType));
        Assert.Equal((503, "ServiceUnavailable"), (second.Status, second.ErrorType));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DropConnection_AbortsTheConnectionWithoutResponse()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.DropConnection().OnCalls(1));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => bed.Client.EcsAsync("ListTaskDefinitions", []));
        var after = await bed.Client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal(200, after.Status);
        Assert.Equal([0, 200], bed.Simulator.Requests.For("ListTaskDefinitions").Select(r => r.StatusCode));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SlowResponse_OnVirtualClock_AdvancesTimeBeforeAnswering()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var before = bed.Simulator.Clock.GetUtcNow();
        bed.Simulator.Faults.Add(FaultRule.Slow(TimeSpan.FromSeconds(30), virtualDelay: true).ForOperation("ListTaskDefinitions"));

        var result = await bed.Client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal(200, result.Status);
        Assert.Equal(before + TimeSpan.FromSeconds(30), bed.Simulator.Clock.GetUtcNow());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SlowResponse_InRealTime_StillAnswers()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Slow(TimeSpan.FromMilliseconds(20)));

        var result = await bed.Client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal(200, result.Status);
        Assert.Equal(FaultKind.Slow, bed.Simulator.Requests.Entries.Single().Fault);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RequestLog_RecordsOperationVirtualTimeStatusAndAccessKey()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(3));
        var at = bed.Simulator.Clock.GetUtcNow();

        await bed.Client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("web") });
        await bed.Client.EcsAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "ghost" });

        var entries = bed.Simulator.Requests.Entries;
        Assert.Equal(["DescribeServices", "UpdateService"], entries.Select(e => e.Operation));
        Assert.All(entries, e => Assert.Equal(at, e.Time));
        Assert.Equal([200, 400], entries.Select(e => e.StatusCode));
        Assert.Equal([null, "ServiceNotFoundException"], entries.Select(e => e.ErrorCode));
        Assert.All(entries, e => Assert.Equal(SimulatorCredentials.Default.AccessKeyId, e.AccessKeyId));
    }
}
