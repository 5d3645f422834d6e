using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>Target health, alarm states, fail-fast and the event stream, against the ECS, ELBv2 and CloudWatch simulators.</summary>
public sealed class ServiceDeployerObservationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_HealthyImage_ReportsTheNewTargetsHealthyAndTheAlarmsOk()
    {
        await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx", "web-latency"] });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        var health = bed.Events.OfType<TargetHealthObserved>().ToList();
        Assert.All(health, h => Assert.Equal(DeployTestBed.TargetGroupArn, h.TargetGroupArn));
        Assert.Contains(health, h => h.NewHealthy == 2);
        Assert.Contains(health, h => h.Targets.Any(t => !t.IsNewTask && t.State == "healthy"));
        Assert.DoesNotContain(health, h => h.NewUnhealthy > 0);
        var alarms = bed.Events.OfType<AlarmStateObserved>().Select(a => (a.Alarm.Name, a.Alarm.State)).ToList();
        Assert.Equal([("web-5xx", "OK"), ("web-latency", "OK")], alarms);
        Assert.Equal(["web-5xx", "web-latency"], result.Alarms.Select(a => a.Name));
        Assert.NotEmpty(bed.Elb.Requests.For("DescribeTargetHealth"));
        Assert.NotEmpty(bed.CloudWatch.Requests.For("DescribeAlarms"));
        Assert.IsType<DeploymentTerminal>(bed.Events[^1]);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_ImageTripsAlarm_ReportsTheAlarmGoingToAlarmBeforeTheRollback()
    {
        await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx"] });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:alarming", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal(RollbackTrigger.Alarm, result.RollbackTrigger);
        var states = bed.Events.OfType<AlarmStateObserved>().Where(a => a.Alarm.Name == "web-5xx").Select(a => a.Alarm.State).ToList();
        Assert.Equal(["OK", "ALARM"], states.Take(2));
        var alarmed = bed.Events.FindIndex(e => e is AlarmStateObserved { Alarm.State: "ALARM" });
        var rollback = bed.Events.FindIndex(e => e is RollbackStarted);
        Assert.True(alarmed >= 0 && rollback >= 0);
        Assert.Contains("Threshold Crossed", bed.Events.OfType<AlarmStateObserved>().Last(a => a.Alarm.State == "ALARM").Alarm.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_TargetsUnhealthyWithFailFast_StopsWithRollbackBeforeTheCircuitBreaker()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var options = bed.Options(o => { o.FailFast = true; o.FailFastUnhealthyChecks = 3; });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:unhealthy", options, Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Equal(RollbackTrigger.FailFast, result.RollbackTrigger);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Single(bed.Calls(), "StopServiceDeployment");
        var started = Assert.Single(bed.Events.OfType<RollbackStarted>());
        Assert.Equal(RollbackTrigger.FailFast, started.Trigger);
        Assert.Contains("Target.ResponseCodeMismatch", started.Reason, StringComparison.Ordinal);
        Assert.Contains(bed.Events, e => e is TargetHealthObserved { NewUnhealthy: > 0 });
        Assert.DoesNotContain(result.Events, m => m.Contains("deployment failed: tasks failed to start", StringComparison.Ordinal));
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_TargetsUnhealthyWithoutFailFast_WaitsForTheCircuitBreaker()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:unhealthy", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal(RollbackTrigger.CircuitBreaker, result.RollbackTrigger);
        Assert.DoesNotContain("StopServiceDeployment", bed.Calls());
        Assert.Contains(result.Events, m => m.Contains("failed ELB health checks", StringComparison.Ordinal));
        Assert.Contains(bed.Events, e => e is TargetHealthObserved { NewUnhealthy: > 0 });
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_FailFastOnAHealthyImage_NeverStops()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(o => o.FailFast = true), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.DoesNotContain("StopServiceDeployment", bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageEventsAsync_StreamsTheSameEventsTheProgressSeesEndingWithTheVerdict()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var streamed = new List<DeploymentEvent>();

        async Task<ServiceDeploymentResult> ReadAsync()
        {
            await foreach (var e in bed.NewDeployer().DeployImageEventsAsync("prod", "web", "registry.example/web:bad", bed.Options(), Ct))
            {
                streamed.Add(e);
            }

            return ((DeploymentTerminal)streamed[^1]).Result;
        }

        var result = await bed.RunAsync(ReadAsync());

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.IsType<RevisionRegistered>(streamed[0]);
        Assert.IsType<DeploymentStarted>(streamed[1]);
        Assert.Single(streamed.OfType<DeploymentTerminal>());
        Assert.Contains(streamed, e => e is RollbackStarted { Trigger: RollbackTrigger.CircuitBreaker });
        Assert.Contains(streamed, e => e is TasksProgress { Failed: > 0 });
        Assert.Empty(bed.Events);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageEventsAsync_UnknownService_ThrowsFromTheEnumeration()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<ServiceDeploymentException>(async () =>
        {
            await foreach (var _ in bed.NewDeployer().DeployImageEventsAsync("prod", "api", "registry.example/api:2", bed.Options(), Ct))
            {
            }
        });

        Assert.Equal(ServiceDeploymentErrorKind.ServiceNotFound, error.Kind);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_BareTag_ReplacesTheTagOfTheCurrentImage()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "2", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.Equal("registry.example/web:2", Assert.Single(bed.Events.OfType<RevisionRegistered>()).Image);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_TargetHealthForbidden_ReportsItOnceAndStillReachesTheVerdict()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var stranger = new SimulatorCredentials("AKIDSTRANGER", "not-known-here");
        using var elb = (IDisposable)new Workmates.OttKit.Aws.AwsClientFactory(DeployTestBed.Options(bed.Elb, stranger)).CreateElasticLoadBalancingV2();
        var deployer = new ServiceDeployer(bed.Ecs, (Workmates.OttKit.Aws.ElasticLoadBalancingV2.IElasticLoadBalancingV2Api)elb, bed.CloudWatchClient, bed.Clock);

        var result = await bed.RunAsync(deployer.DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(o => o.FailFast = true), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        var unavailable = Assert.Single(bed.Events.OfType<ObservationUnavailable>());
        Assert.Equal("DescribeTargetHealth", unavailable.Source);
        Assert.Equal("InvalidClientTokenId", unavailable.ErrorCode);
        Assert.Single(bed.Elb.Requests.Entries);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DeployImageAsync_EcsOnlyDeployer_ReadsNoTargetHealthOrAlarms()
    {
        await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx"] });

        var result = await bed.RunAsync(bed.NewEcsOnlyDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.Empty(bed.Elb.Requests.Entries);
        Assert.Empty(bed.CloudWatch.Requests.Entries);
        Assert.DoesNotContain(bed.Events, e => e is TargetHealthObserved or AlarmStateObserved);
    }

    public static TheoryData<string, string, ServiceDeploymentOutcome, RollbackTrigger?> FaultScenarios() => new()
    {
        { "healthy", "registry.example/web:2", ServiceDeploymentOutcome.Succeeded, null },
        { "bad image", "registry.example/web:bad", ServiceDeploymentOutcome.RolledBack, RollbackTrigger.CircuitBreaker },
        { "alarm", "registry.example/web:alarming", ServiceDeploymentOutcome.RolledBack, RollbackTrigger.Alarm },
        { "unhealthy targets, fail-fast", "registry.example/web:unhealthy", ServiceDeploymentOutcome.RolledBack, RollbackTrigger.FailFast },
        { "timeout, stop-and-rollback", "registry.example/web:slow", ServiceDeploymentOutcome.TimedOut, RollbackTrigger.Stopped },
        { "same image", "registry.example/web:1", ServiceDeploymentOutcome.NoChange, null },
    };

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(FaultScenarios))]
    public async Task DeployImageAsync_ThirtyPercentThrottlingAndFivePercentServerErrorsOnEveryEndpoint_ReachesTheRightVerdict(
        string scenario, string image, ServiceDeploymentOutcome expected, RollbackTrigger? trigger)
    {
        await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx"] });
        bed.InjectEverywhere(FaultRule.Throttle().AtRate(0.30), FaultRule.InternalError().AtRate(0.05));
        var options = bed.Options(o =>
        {
            o.FailFast = true;
            o.Timeout = TimeSpan.FromMinutes(12);
            o.RollbackOnTimeout = true;
        });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", image, options, Ct));

        Assert.True(expected == result.Outcome, $"{scenario}: {result.Outcome} ({result.Reason})");
        Assert.Equal(trigger, result.RollbackTrigger);
        var log = bed.AllRequests();
        Assert.Contains(log, r => r.Fault == FaultKind.Throttle);
        Assert.True(log.Count(r => r.Operation == "UpdateService" && r.StatusCode == 200) <= 1);
        Assert.True(log.Count(r => r.Operation == "StopServiceDeployment" && r.StatusCode == 200) <= 1);
        Assert.IsType<DeploymentTerminal>(bed.Events[^1]);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task RollbackAsync_InFlightUnderFaults_StopsOnceAndRestoresThePreviousRevision()
    {
        await using var bed = await DeployTestBed.StartAsync();
        await bed.DeployBehindTheBackAsync("registry.example/web:slow");
        bed.InjectEverywhere(FaultRule.Throttle().AtRate(0.30), FaultRule.InternalError().AtRate(0.05));

        var result = await bed.RunAsync(bed.NewDeployer().RollbackAsync("prod", "web", options: bed.Options(), cancellationToken: Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Single(bed.Simulator.Requests.Entries, r => r.Operation == "StopServiceDeployment" && r.StatusCode == 200);
    }
}
