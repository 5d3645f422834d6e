using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class ServiceDeployerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_HealthyImage_SucceedsOnTheNewRevision()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.True(result.IsSuccess);
        Assert.Equal(result.DeployedTaskDefinition, result.RunningTaskDefinition);
        Assert.EndsWith("task-definition/web:2", result.DeployedTaskDefinition, StringComparison.Ordinal);
        Assert.Equal("SUCCESSFUL", result.Status);
        Assert.Contains(result.Events, m => m.Contains("deployment completed", StringComparison.Ordinal));
        Assert.IsType<RevisionRegistered>(bed.Events[0]);
        Assert.IsType<DeploymentStarted>(bed.Events[1]);
        Assert.Contains(bed.Events, e => e is TasksProgress { Running: 2 });
        Assert.IsType<DeploymentTerminal>(bed.Events[^1]);
        var calls = bed.Calls();
        Assert.Equal(["DescribeServices", "DescribeTaskDefinition", "RegisterTaskDefinition", "UpdateService"], calls.Take(4));
        Assert.Single(calls, "UpdateService");
        Assert.Contains("DescribeServiceDeployments", calls);
        Assert.Equal([result.DeployedTaskDefinition!], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_NewRevision_ChangesOnlyTheImageAndWhatWasAsked()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var options = bed.Options(o =>
        {
            o.Environment["FEATURE"] = "on";
            o.Secrets["DB"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db";
            o.Memory = "1024";
        });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", options, Ct));

        var before = (await bed.Ecs.DescribeTaskDefinitionAsync(new() { TaskDefinition = bed.FirstTaskDefinition }, Ct)).TaskDefinition!;
        var after = (await bed.Ecs.DescribeTaskDefinitionAsync(new() { TaskDefinition = result.DeployedTaskDefinition }, Ct)).TaskDefinition!;
        var container = Assert.Single(after.ContainerDefinitions!);
        Assert.Equal("registry.example/web:2", container.Image);
        Assert.Equal(before.ContainerDefinitions![0].Name, container.Name);
        Assert.Contains(container.Environment!, e => e.Name == "FEATURE" && e.Value == "on");
        Assert.Contains(container.Secrets!, s => s.Name == "DB");
        Assert.Equal("1024", after.Memory);
        Assert.Equal(before.Family, after.Family);
        Assert.Equal(before.NetworkMode, after.NetworkMode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_CrashingImage_ReportsCircuitBreakerRollbackAsFailure()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:bad", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Equal(RollbackTrigger.CircuitBreaker, result.RollbackTrigger);
        Assert.EndsWith("web:2", result.DeployedTaskDefinition, StringComparison.Ordinal);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Equal(result.RolledBackTo, result.RunningTaskDefinition);
        Assert.Equal("ROLLBACK_SUCCESSFUL", result.Status);
        Assert.Contains(result.Events, m => m.Contains("tasks failed to start", StringComparison.Ordinal));
        Assert.Contains(bed.Events, e => e is RollbackStarted { Trigger: RollbackTrigger.CircuitBreaker });
        Assert.Contains(bed.Events, e => e is TasksProgress { Failed: > 0 });
        Assert.DoesNotContain("StopServiceDeployment", bed.Calls());
        Assert.Single(bed.Calls(), "UpdateService");
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_ImageTripsDeploymentAlarm_ReportsAlarmRollbackAsFailure()
    {
        await using var bed = await DeployTestBed.StartAsync(seed => seed with { Alarms = ["web-5xx"] });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:alarming", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal(RollbackTrigger.Alarm, result.RollbackTrigger);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Contains(result.Events, m => m.Contains("alarm detected", StringComparison.Ordinal));
        Assert.Contains(bed.Events, e => e is RollbackStarted { Trigger: RollbackTrigger.Alarm });
        Assert.DoesNotContain("StopServiceDeployment", bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_DeadlinePassesWithoutRollback_TimesOutAndLeavesTheDeploymentRunning()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var options = bed.Options(o => o.Timeout = TimeSpan.FromMinutes(3));
        var started = bed.Clock.GetUtcNow();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:slow", options, Ct));

        Assert.Equal(ServiceDeploymentOutcome.TimedOut, result.Outcome);
        Assert.False(result.IsSuccess);
        Assert.Null(result.RolledBackTo);
        Assert.Equal("IN_PROGRESS", result.Status);
        Assert.InRange(result.VerdictAt - started, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("StopServiceDeployment", bed.Calls());
        Assert.DoesNotContain(bed.Events, e => e is RollbackStarted);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_DeadlinePassesWithRollbackOnTimeout_StopsWithRollbackAndWatchesIt()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var options = bed.Options(o => { o.Timeout = TimeSpan.FromMinutes(3); o.RollbackOnTimeout = true; });

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:slow", options, Ct));

        Assert.Equal(ServiceDeploymentOutcome.TimedOut, result.Outcome);
        Assert.Equal("ROLLBACK_SUCCESSFUL", result.Status);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Equal(RollbackTrigger.Stopped, result.RollbackTrigger);
        Assert.Single(bed.Calls(), "StopServiceDeployment");
        Assert.Contains(bed.Events, e => e is RollbackStarted { Trigger: RollbackTrigger.Stopped });
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RollbackAsync_Idle_RedeploysThePreviousCompletedRevisionAndDeregistersTheBadOne()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var deployer = bed.NewDeployer();
        var deployed = await bed.RunAsync(deployer.DeployImageAsync("prod", "web", "registry.example/web:2", bed.Options(), Ct));
        bed.Simulator.Requests.Clear();

        var result = await bed.RunAsync(deployer.RollbackAsync("prod", "web", deregisterBad: true, options: bed.Options(), cancellationToken: Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        var calls = bed.Calls();
        Assert.Equal(["DescribeServices", "ListServiceDeployments", "DescribeServiceRevisions", "UpdateService"], calls.Take(4));
        Assert.DoesNotContain("StopServiceDeployment", calls);
        Assert.Equal("DeregisterTaskDefinition", calls[^1]);
        var bad = (await bed.Ecs.DescribeTaskDefinitionAsync(new() { TaskDefinition = deployed.DeployedTaskDefinition }, Ct)).TaskDefinition!;
        Assert.Equal("INACTIVE", bad.Status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RollbackAsync_InFlight_StopsTheDeploymentWithRollback()
    {
        await using var bed = await DeployTestBed.StartAsync();
        await bed.DeployBehindTheBackAsync("registry.example/web:slow");
        bed.Simulator.Requests.Clear();

        var result = await bed.RunAsync(bed.NewDeployer().RollbackAsync("prod", "web", options: bed.Options(), cancellationToken: Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.Equal("ROLLBACK_SUCCESSFUL", result.Status);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Equal(RollbackTrigger.Stopped, result.RollbackTrigger);
        Assert.Equal(["DescribeServices", "StopServiceDeployment"], bed.Calls().Take(2));
        Assert.DoesNotContain("UpdateService", bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_ImageAlreadyPrimaryAndCompleted_IsANoOp()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:1", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.NoChange, result.Outcome);
        Assert.True(result.IsSuccess);
        Assert.Equal(["DescribeServices", "DescribeTaskDefinition"], bed.Calls());
        Assert.IsType<DeploymentTerminal>(Assert.Single(bed.Events));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_AnotherDeploymentInProgressAndRefusePolicy_RefusesWithoutRegistering()
    {
        await using var bed = await DeployTestBed.StartAsync();
        await bed.DeployBehindTheBackAsync("registry.example/web:slow");
        bed.Simulator.Requests.Clear();

        var error = await Assert.ThrowsAsync<ServiceDeploymentException>(
            () => bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:3", bed.Options(), Ct)));

        Assert.Equal(ServiceDeploymentErrorKind.DeploymentInProgress, error.Kind);
        Assert.NotNull(error.ServiceDeploymentArn);
        Assert.Equal(["DescribeServices"], bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_AnotherDeploymentInProgressAndWaitPolicy_DeploysAfterItWithoutSupersedingIt()
    {
        await using var bed = await DeployTestBed.StartAsync();
        await bed.DeployBehindTheBackAsync("registry.example/web:2");
        var options = bed.Options(o => o.WhenDeploymentInProgress = InFlightDeploymentPolicy.Wait);

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:3", options, Ct));

        Assert.Equal(ServiceDeploymentOutcome.Succeeded, result.Outcome);
        Assert.EndsWith("web:3", result.RunningTaskDefinition, StringComparison.Ordinal);
        var history = (await bed.Ecs.ListServiceDeploymentsAsync(new() { Cluster = "prod", Service = "web" }, Ct)).ServiceDeployments!;
        Assert.DoesNotContain(history, d => d.Status == "STOPPED");
        var ourUpdate = bed.Simulator.Requests.For("UpdateService")[^1];
        var firstFinished = history.Where(d => d.TargetServiceRevisionArn is not null).Select(d => d.FinishedAt).OfType<DateTime>().Order().ToList();
        Assert.True(firstFinished.Count >= 2);
        Assert.True(ourUpdate.Time.UtcDateTime >= firstFinished[^2], "our UpdateService came before the in-flight deployment finished");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WatchAsync_NewWatcherAfterRestartMidRollout_ReachesTheSameVerdict()
    {
        await using var bed = await DeployTestBed.StartAsync();
        using var firstWatcher = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:bad", bed.Options(), firstWatcher.Token);
        await bed.Clock.RunUntilAsync(first, () => { lock (bed.Events) { return bed.Events.OfType<TasksProgress>().Count() >= 2; } }, cancellationToken: Ct);
        await firstWatcher.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal("IN_PROGRESS", (await bed.Ecs.DescribeServicesAsync(new() { Cluster = "prod", Services = ["web"] }, Ct)).Services![0].Deployments![0].RolloutState);

        var result = await bed.RunAsync(bed.NewDeployer().WatchAsync("prod", "web", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentOutcome.RolledBack, result.Outcome);
        Assert.Equal(RollbackTrigger.CircuitBreaker, result.RollbackTrigger);
        Assert.EndsWith("web:2", result.DeployedTaskDefinition, StringComparison.Ordinal);
        Assert.EndsWith("web:1", result.RolledBackTo, StringComparison.Ordinal);
        Assert.Single(bed.Calls(), "UpdateService");
    }

    [Theory(Timeout = TestTimeouts.External)]
    [InlineData("registry.example/web:2", ServiceDeploymentOutcome.Succeeded)]
    [InlineData("registry.example/web:bad", ServiceDeploymentOutcome.RolledBack)]
    public async Task DeployImageAsync_ThirtyPercentThrottlingAndFivePercentServerErrors_StillReachesTheRightVerdict(string image, ServiceDeploymentOutcome expected)
    {
        await using var bed = await DeployTestBed.StartAsync();
        bed.Simulator.Faults.Add(FaultRule.Throttle().AtRate(0.30)).Add(FaultRule.InternalError().AtRate(0.05));

        var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", image, bed.Options(), Ct));

        Assert.Equal(expected, result.Outcome);
        Assert.EndsWith(expected == ServiceDeploymentOutcome.Succeeded ? "web:2" : "web:1", result.RunningTaskDefinition, StringComparison.Ordinal);
        var log = bed.Simulator.Requests.Entries;
        Assert.Contains(log, r => r.Fault == FaultKind.Throttle);
        Assert.Single(log, r => r.Operation == "UpdateService" && r.StatusCode == 200);
        Assert.Single(log, r => r.Operation == "RegisterTaskDefinition" && r.StatusCode == 200);
        Assert.IsType<DeploymentTerminal>(bed.Events[^1]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_UnknownContainer_ThrowsNamingTheContainersWithoutRegistering()
    {
        await using var bed = await DeployTestBed.StartAsync();
        var options = bed.Options(o => o.ContainerName = "sidecar");

        var error = await Assert.ThrowsAsync<ServiceDeploymentException>(
            () => bed.NewDeployer().DeployImageAsync("prod", "web", "registry.example/web:2", options, Ct));

        Assert.Equal(ServiceDeploymentErrorKind.ContainerNotFound, error.Kind);
        Assert.Contains("app", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RegisterTaskDefinition", bed.Calls());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_UnknownService_ThrowsServiceNotFound()
    {
        await using var bed = await DeployTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<ServiceDeploymentException>(
            () => bed.NewDeployer().DeployImageAsync("prod", "api", "registry.example/api:2", bed.Options(), Ct));

        Assert.Equal(ServiceDeploymentErrorKind.ServiceNotFound, error.Kind);
        Assert.Equal("api", error.Service);
        Assert.Equal(["DescribeServices"], bed.Calls());
    }
}
