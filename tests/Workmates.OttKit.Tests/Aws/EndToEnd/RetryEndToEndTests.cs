using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>The SDK's own retry (standard mode, defaults) observed in the simulators' request logs.</summary>
public sealed class RetryEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DescribeServicesRequest Web => new() { Cluster = "prod", Services = ["web"] };

    private static ValidateTemplateRequest Template => new() { TemplateBody = CfnTestBed.BaseTemplate };

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Ecs_ThrottledOnTheFirstNCalls_SucceedsAfterNPlusOneRequests(int throttled)
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Throttle().ForOperation("DescribeServices").OnCalls([.. Enumerable.Range(1, throttled)]));
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var response = await ecs.DescribeServicesAsync(Web, Ct);

        Assert.Equal("web", Assert.Single(response.Services!).ServiceName);
        var log = bed.Simulator.Requests.For("DescribeServices");
        Assert.Equal(throttled + 1, log.Count);
        Assert.All(log.Take(throttled), r => Assert.Equal((400, "ThrottlingException", FaultKind.Throttle), (r.StatusCode, r.ErrorCode, r.Fault)));
        Assert.Equal((200, (FaultKind?)null), (log[^1].StatusCode, log[^1].Fault));
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task CloudFormation_ThrottledOnTheFirstNCalls_SucceedsAfterNPlusOneRequests(int throttled)
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        simulator.Faults.Add(FaultRule.Throttle().OnCalls([.. Enumerable.Range(1, throttled)]));
        var cfn = SimulatorClients.CloudFormation(simulator);

        var response = await cfn.ValidateTemplateAsync(Template, Ct);

        Assert.Equal("OTT media stack", response.Description);
        var log = simulator.Requests.For("ValidateTemplate");
        Assert.Equal(throttled + 1, log.Count);
        Assert.All(log.Take(throttled), r => Assert.Equal((400, "Throttling"), (r.StatusCode, r.ErrorCode)));
        Assert.Equal(200, log[^1].StatusCode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Ecs_Http500Then503_AreRetriedToSuccess()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.InternalError().OnCalls(1)).Add(FaultRule.ServiceUnavailable().OnCalls(2));
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var response = await ecs.ListTaskDefinitionsAsync(new ListTaskDefinitionsRequest(), Ct);

        Assert.Contains(bed.FirstTaskDefinition, response.TaskDefinitionArns!);
        Assert.Equal([500, 503, 200], bed.Simulator.Requests.For("ListTaskDefinitions").Select(r => r.StatusCode));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CloudFormation_Http500Then503_AreRetriedToSuccess()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        simulator.Faults.Add(FaultRule.InternalError().OnCalls(1)).Add(FaultRule.ServiceUnavailable().OnCalls(2));
        var cfn = SimulatorClients.CloudFormation(simulator);

        var response = await cfn.ValidateTemplateAsync(Template, Ct);

        Assert.Equal(3, response.Parameters!.Count);
        Assert.Equal([500, 503, 200], simulator.Requests.For("ValidateTemplate").Select(r => r.StatusCode));
        Assert.Equal(["InternalFailure", "ServiceUnavailable", null], simulator.Requests.For("ValidateTemplate").Select(r => r.ErrorCode));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Ecs_PermanentThrottle_EndsInTheTypedThrottlingException_AfterTheSdksMaxAttempts()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Throttle());
        var maxErrorRetry = -1;
        var ecs = SimulatorClients.Ecs(bed.Simulator, configure: c => maxErrorRetry = c.MaxErrorRetry);

        var error = await Assert.ThrowsAsync<EcsException>(() => ecs.DescribeServicesAsync(Web, Ct));

        Assert.Equal(typeof(EcsException), error.GetType());
        Assert.True(error.IsThrottling);
        Assert.Equal(("ThrottlingException", "Rate exceeded"), (error.ErrorCode, error.Message));
        Assert.InRange(maxErrorRetry, 1, 10);
        var log = bed.Simulator.Requests.For("DescribeServices");
        Assert.Equal(maxErrorRetry + 1, log.Count);
        Assert.All(log, r => Assert.Equal(FaultKind.Throttle, r.Fault));
        TestContext.Current.TestOutputHelper?.WriteLine($"SDK default MaxErrorRetry = {maxErrorRetry}; requests = {log.Count}");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CloudFormation_PermanentThrottle_EndsInTheTypedThrottlingException_AfterTheConfiguredMaxAttempts()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: Ct);
        simulator.Faults.Add(FaultRule.Throttle());
        var cfn = SimulatorClients.CloudFormation(simulator, configure: c => c.MaxErrorRetry = 3);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => cfn.ValidateTemplateAsync(Template, Ct));

        Assert.Equal(typeof(CloudFormationException), error.GetType());
        Assert.True(error.IsThrottling);
        Assert.Equal(("Throttling", System.Net.HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Equal(4, simulator.Requests.For("ValidateTemplate").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Ecs_ClientErrors_AreNotRetried()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        await Assert.ThrowsAsync<ServiceNotFoundException>(() => ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "ghost" }, Ct));

        Assert.Single(bed.Simulator.Requests.For("UpdateService"));
    }
}
