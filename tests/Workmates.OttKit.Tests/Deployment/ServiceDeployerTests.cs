using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class ServiceDeployerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
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

    [Fact]
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
}
