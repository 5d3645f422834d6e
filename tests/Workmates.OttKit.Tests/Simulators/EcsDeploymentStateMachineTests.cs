using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class EcsDeploymentStateMachineTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task GoodImage_RollsOutToCompletedAndSuccessful()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var arn = await bed.DeployImageAsync("registry.example/web:2");

        var sd = await bed.RunUntilTerminalAsync();
        var service = await bed.ServiceAsync();

        Assert.Equal("SUCCESSFUL", sd["status"]!.GetValue<string>());
        var deployment = Assert.Single(service["deployments"]!.AsArray())!;
        Assert.Equal(("PRIMARY", "COMPLETED", arn), (deployment["status"]!.GetValue<string>(), deployment["rolloutState"]!.GetValue<string>(), deployment["taskDefinition"]!.GetValue<string>()));
        Assert.Equal([arn], bed.Simulator.RunningTaskDefinitions("prod", "web"));
        Assert.Equal("(service web) has reached a steady state.", service["events"]![0]!["message"]!.GetValue<string>());
        Assert.Equal($"(service web) (deployment {deployment["id"]!.GetValue<string>()}) deployment completed.", service["events"]![1]!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task GoodImage_NeverDropsBelowMinimumHealthy()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { DesiredCount = 4 });
        await bed.DeployImageAsync("registry.example/web:2");

        var lowest = int.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
            lowest = Math.Min(lowest, (await bed.ServiceAsync())["runningCount"]!.GetValue<int>());
        }

        Assert.True(lowest >= 4, $"running count fell to {lowest}");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task BadImage_TripsCircuitBreaker_RollsBack_AndOldRevisionRuns()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:bad");

        var sd = await bed.RunUntilTerminalAsync();
        var service = await bed.ServiceAsync();

        Assert.Equal("ROLLBACK_SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal("TRIGGERED", sd["deploymentCircuitBreaker"]!["status"]!.GetValue<string>());
        Assert.Equal(sd["sourceServiceRevisions"]![0]!["arn"]!.GetValue<string>(), sd["rollback"]!["serviceRevisionArn"]!.GetValue<string>());
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
        Assert.Equal(bed.FirstTaskDefinition, service["taskDefinition"]!.GetValue<string>());
        var messages = service["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.StartsWith("(service web) (deployment ecs-svc/", StringComparison.Ordinal) && m.EndsWith(") deployment failed: tasks failed to start.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("(service web) rolling back to deployment ecs-svc/", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task BadImage_FailedDeployment_ReportsRolloutStateFailedWhileRollingBack()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:bad");

        JsonObject? failed = null;
        for (var i = 0; i < 60 && failed is null; i++)
        {
            bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(15));
            failed = (await bed.ServiceAsync())["deployments"]!.AsArray().OfType<JsonObject>()
                .FirstOrDefault(d => d["rolloutState"]!.GetValue<string>() == "FAILED");
        }

        Assert.NotNull(failed);
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start.", failed["rolloutStateReason"]!.GetValue<string>());
        Assert.True(failed["failedTasks"]!.GetValue<int>() >= 3);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task BadImage_WithoutRollback_StopsAndLeavesOldTasksRunning()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { CircuitBreakerRollback = false });
        var bad = await bed.DeployImageAsync("registry.example/web:bad");

        var sd = await bed.RunUntilTerminalAsync();
        var service = await bed.ServiceAsync();

        Assert.Equal("STOPPED", sd["status"]!.GetValue<string>());
        Assert.Equal(bad, service["taskDefinition"]!.GetValue<string>());
        Assert.Equal("FAILED", service["deployments"]![0]!["rolloutState"]!.GetValue<string>());
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData(2, null, 0, 3)]
    [InlineData(10, null, 0, 5)]
    [InlineData(1000, null, 0, 200)]
    [InlineData(10, "COUNT", 7, 7)]
    [InlineData(10, "UNBOUNDED_PERCENT", 20, 2)]
    [InlineData(10, "BOUNDED_PERCENT", 20, 3)]
    public async Task CircuitBreakerThreshold_FollowsEcsRule(int desired, string? type, int value, int expected)
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with
        {
            DesiredCount = desired,
            CircuitBreakerThreshold = type is null ? null : (type, value),
        });
        await bed.DeployImageAsync("registry.example/web:2");

        var sd = await bed.ServiceDeploymentAsync((await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>());

        Assert.Equal(expected, sd["deploymentCircuitBreaker"]!["threshold"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CountThreshold_TripsAfterExactlyThatManyFailures()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { DesiredCount = 1, CircuitBreakerThreshold = ("COUNT", 5), CircuitBreakerRollback = false });
        await bed.DeployImageAsync("registry.example/web:bad");

        var sd = await bed.RunUntilTerminalAsync();
        var list = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["serviceName"] = "web", ["desiredStatus"] = "STOPPED" });

        Assert.Equal("STOPPED", sd["status"]!.GetValue<string>());
        Assert.Equal(5, sd["deploymentCircuitBreaker"]!["failureCount"]!.GetValue<int>());
        Assert.Equal(5, list["taskArns"]!.AsArray().Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CrashedTask_IsStoppedWithEssentialContainerExited()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:bad");
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(1));

        var list = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["serviceName"] = "web", ["desiredStatus"] = "STOPPED" });
        var tasks = await bed.Client.EcsOkAsync("DescribeTasks", new JsonObject { ["cluster"] = "prod", ["tasks"] = new JsonArray(list["taskArns"]![0]!.GetValue<string>()) });

        var task = tasks["tasks"]![0]!;
        Assert.Equal("STOPPED", task["lastStatus"]!.GetValue<string>());
        Assert.Equal("EssentialContainerExited", task["stopCode"]!.GetValue<string>());
        Assert.Equal(1, task["containers"]![0]!["exitCode"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UnhealthyImage_FailsHealthChecks_AndRollsBack()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:unhealthy");

        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal("ROLLBACK_SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AlarmingImage_TripsDeploymentAlarm_AndRollsBack()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { Alarms = ["web-5xx"] });
        await bed.DeployImageAsync("registry.example/web:alarming");

        var sd = await bed.RunUntilTerminalAsync();
        var service = await bed.ServiceAsync();

        Assert.Equal("ROLLBACK_SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal("TRIGGERED", sd["alarms"]!["status"]!.GetValue<string>());
        Assert.Equal(["web-5xx"], sd["alarms"]!["triggeredAlarmNames"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.NotEqual("TRIGGERED", sd["deploymentCircuitBreaker"]!["status"]!.GetValue<string>());
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
        Assert.Contains(service["events"]!.AsArray(), e => e!["message"]!.GetValue<string>().EndsWith("deployment failed: alarm detected.", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task HealthyImage_WithAlarms_CompletesOnlyAfterMonitoringTime()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { Alarms = ["web-5xx"] });
        await bed.DeployImageAsync("registry.example/web:2");
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(2));

        var early = (await bed.ServiceAsync())["deployments"]![0]!["rolloutState"]!.GetValue<string>();
        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal("IN_PROGRESS", early);
        Assert.Equal("SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal("MONITORING_COMPLETE", sd["alarms"]!["status"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SlowImage_StaysInProgressUntilTasksStart()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:slow");
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(5));

        var during = await bed.ServiceAsync();
        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal("IN_PROGRESS", during["deployments"]![0]!["rolloutState"]!.GetValue<string>());
        Assert.Equal(2, during["deployments"]![0]!["pendingCount"]!.GetValue<int>());
        Assert.Equal("SUCCESSFUL", sd["status"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StopServiceDeployment_Rollback_ReturnsToPreviousRevision()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:slow");
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(1));
        var arn = (await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();

        var stop = await bed.Client.EcsOkAsync("StopServiceDeployment", new JsonObject { ["serviceDeploymentArn"] = arn, ["stopType"] = "ROLLBACK" });
        var requested = await bed.ServiceDeploymentAsync(arn);
        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal(arn, stop["serviceDeploymentArn"]!.GetValue<string>());
        Assert.Equal("ROLLBACK_REQUESTED", requested["status"]!.GetValue<string>());
        Assert.Equal("ROLLBACK_SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal([bed.FirstTaskDefinition], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StopServiceDeployment_Abort_StopsWithoutRollback()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var slow = await bed.DeployImageAsync("registry.example/web:slow");
        var arn = (await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();

        await bed.Client.EcsOkAsync("StopServiceDeployment", new JsonObject { ["serviceDeploymentArn"] = arn, ["stopType"] = "ABORT" });
        var sd = await bed.RunUntilTerminalAsync();
        var service = await bed.ServiceAsync();

        Assert.Equal("STOPPED", sd["status"]!.GetValue<string>());
        Assert.Equal(slow, service["taskDefinition"]!.GetValue<string>());
        Assert.Equal("FAILED", service["deployments"]![0]!["rolloutState"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StopServiceDeployment_Completed_IsConflictException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var arn = (await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();

        var result = await bed.Client.EcsAsync("StopServiceDeployment", new JsonObject { ["serviceDeploymentArn"] = arn, ["stopType"] = "ROLLBACK" });

        Assert.Equal("ConflictException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StopServiceDeployment_Unknown_IsServiceDeploymentNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("StopServiceDeployment", new JsonObject { ["serviceDeploymentArn"] = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/x" });

        Assert.Equal("ServiceDeploymentNotFoundException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SecondUpdate_WhileInProgress_SupersedesFirstServiceDeployment()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:slow");
        var first = (await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(30));

        var third = await bed.DeployImageAsync("registry.example/web:3");
        var superseded = await bed.ServiceDeploymentAsync(first);
        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal("STOPPED", superseded["status"]!.GetValue<string>());
        Assert.Equal("SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal([third], bed.Simulator.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ForceNewDeployment_SameTaskDefinition_StartsNewDeployment()
    {
        await using var bed = await EcsTestBed.StartAsync();

        await bed.Client.EcsOkAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["forceNewDeployment"] = true });
        var sd = await bed.RunUntilTerminalAsync();
        var list = await bed.Client.EcsOkAsync("ListServiceDeployments", new JsonObject { ["cluster"] = "prod", ["service"] = "web" });

        Assert.Equal("SUCCESSFUL", sd["status"]!.GetValue<string>());
        Assert.Equal(2, list["serviceDeployments"]!.AsArray().Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RollbackWhoseTasksAlsoFail_EndsRollbackFailed()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.SetImageBehavior("registry.example/web:1", ImageBehavior.CrashesAtStart);
        await bed.DeployImageAsync("registry.example/web:bad");

        var sd = await bed.RunUntilTerminalAsync();

        Assert.Equal("ROLLBACK_FAILED", sd["status"]!.GetValue<string>());
        Assert.Equal("TRIGGERED", sd["deploymentCircuitBreaker"]!["status"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AlarmRollback_DeploymentNamesAlarmsAsTheRollbackSource()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { Alarms = ["web-5xx"] });
        await bed.DeployImageAsync("registry.example/web:alarming");

        string? reason = null;
        for (var i = 0; i < 100 && reason is null; i++)
        {
            bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
            reason = (await bed.ServiceAsync())["deployments"]!.AsArray()
                .Select(d => d!["rolloutStateReason"]!.GetValue<string>()).FirstOrDefault(r => r.Contains("rolling back", StringComparison.Ordinal));
        }

        Assert.NotNull(reason);
        Assert.StartsWith("ECS deployment alarms: rolling back to deploymentId ecs-svc/", reason, StringComparison.Ordinal);
    }
}
