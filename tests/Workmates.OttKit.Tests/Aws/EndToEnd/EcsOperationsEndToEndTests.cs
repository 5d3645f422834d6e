using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>Every ECS operation of <see cref="IEcsApi"/>, through our client, against the ECS simulator.</summary>
public sealed class EcsOperationsEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RegisterTaskDefinitionRequest Web(string image) => new()
    {
        Family = "web",
        ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = image, Memory = 512, Essential = true }],
    };

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RegisterTaskDefinition_ReturnsTheNextRevisionWithItsContainers()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var response = await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct);

        var definition = response.TaskDefinition!;
        Assert.Equal(("web", 2, "ACTIVE"), (definition.Family, definition.Revision, definition.Status));
        Assert.EndsWith(":task-definition/web:2", definition.TaskDefinitionArn, StringComparison.Ordinal);
        Assert.Equal("registry.example/web:2", Assert.Single(definition.ContainerDefinitions!).Image);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTaskDefinition_ByFamily_ResolvesTheLatestActiveRevision()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct);

        var response = await ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "web" }, Ct);

        Assert.Equal(2, response.TaskDefinition!.Revision);
        Assert.Equal("registry.example/web:2", response.TaskDefinition.ContainerDefinitions![0].Image);
        Assert.NotNull(response.ResponseMetadata.RequestId);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeregisterTaskDefinition_MakesTheRevisionInactive()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var second = (await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct)).TaskDefinition!.TaskDefinitionArn;

        var response = await ecs.DeregisterTaskDefinitionAsync(new DeregisterTaskDefinitionRequest { TaskDefinition = second }, Ct);
        var active = await ecs.ListTaskDefinitionsAsync(new ListTaskDefinitionsRequest { FamilyPrefix = "web", Status = "ACTIVE" }, Ct);

        Assert.Equal("INACTIVE", response.TaskDefinition!.Status);
        Assert.DoesNotContain(second, active.TaskDefinitionArns!);
        Assert.Contains(bed.FirstTaskDefinition, active.TaskDefinitionArns!);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTaskDefinition_Unknown_ThrowsClientException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var error = await Assert.ThrowsAsync<ClientException>(() =>
            ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = "nope:9" }, Ct));

        Assert.Equal("ClientException", error.ErrorCode);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListAllTaskDefinitions_FollowsNextTokenAcrossPages()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        for (var i = 2; i <= 5; i++)
        {
            await ecs.RegisterTaskDefinitionAsync(Web($"registry.example/web:{i}"), Ct);
        }

        bed.Simulator.Requests.Clear();
        var arns = new List<string>();
        await foreach (var arn in ecs.ListAllTaskDefinitionsAsync(new ListTaskDefinitionsRequest { FamilyPrefix = "web", MaxResults = 2 }, Ct))
        {
            arns.Add(arn);
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(r => $":task-definition/web:{r}"), arns.Select(a => a[a.IndexOf(":task-definition", StringComparison.Ordinal)..]));
        Assert.Equal(3, bed.Simulator.Requests.For("ListTaskDefinitions").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListAllTaskDefinitions_StopsCallingWhenTheCallerStops()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        for (var i = 2; i <= 5; i++)
        {
            await ecs.RegisterTaskDefinitionAsync(Web($"registry.example/web:{i}"), Ct);
        }

        bed.Simulator.Requests.Clear();
        await foreach (var arn in ecs.ListAllTaskDefinitionsAsync(new ListTaskDefinitionsRequest { MaxResults = 2 }, Ct))
        {
            Assert.NotEmpty(arn);
            break;
        }

        Assert.Single(bed.Simulator.Requests.For("ListTaskDefinitions"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_CreatesAPrimaryDeploymentAndDemotesTheOldOne()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var second = (await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct)).TaskDefinition!.TaskDefinitionArn;

        var response = await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = second }, Ct);

        var deployments = response.Service!.Deployments!;
        Assert.Equal(second, response.Service.TaskDefinition);
        Assert.Equal(("PRIMARY", second, "IN_PROGRESS"), (deployments[0].Status, deployments[0].TaskDefinition, deployments[0].RolloutState));
        Assert.Equal(("ACTIVE", bed.FirstTaskDefinition), (deployments[1].Status, deployments[1].TaskDefinition));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServices_ReturnsTheServiceAndMissingOnesAsFailures()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web", "ghost"] }, Ct);

        var service = Assert.Single(response.Services!);
        Assert.Equal(("web", "ACTIVE", 2, 2), (service.ServiceName, service.Status, service.DesiredCount, service.RunningCount));
        Assert.Equal(bed.FirstTaskDefinition, service.TaskDefinition);
        var failure = Assert.Single(response.Failures!);
        Assert.Equal("MISSING", failure.Reason);
        Assert.EndsWith("service/prod/ghost", failure.Arn, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ServiceDeploymentsApi_ListDescribeAndRevisions_FollowARolloutToSuccess()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var second = (await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct)).TaskDefinition!.TaskDefinitionArn;
        await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = second }, Ct);
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(15));

        var listed = await ecs.ListServiceDeploymentsAsync(new ListServiceDeploymentsRequest { Cluster = "prod", Service = "web" }, Ct);
        var newest = listed.ServiceDeployments![0];
        var described = await ecs.DescribeServiceDeploymentsAsync(
            new DescribeServiceDeploymentsRequest { ServiceDeploymentArns = [newest.ServiceDeploymentArn!, "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/nope"] }, Ct);
        var deployment = Assert.Single(described.ServiceDeployments!);
        var revisions = await ecs.DescribeServiceRevisionsAsync(
            new DescribeServiceRevisionsRequest { ServiceRevisionArns = [deployment.TargetServiceRevision!.Arn!] }, Ct);

        Assert.Equal("SUCCESSFUL", newest.Status);
        Assert.Equal(newest.ServiceDeploymentArn, deployment.ServiceDeploymentArn);
        Assert.Equal("SUCCESSFUL", deployment.Status);
        Assert.Equal("MISSING", Assert.Single(described.Failures!).Reason);
        Assert.Equal(second, Assert.Single(revisions.ServiceRevisions!).TaskDefinition);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StopServiceDeployment_Rollback_MarksTheDeploymentRollbackRequested()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var slow = (await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:slow"), Ct)).TaskDefinition!.TaskDefinitionArn;
        var updated = await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = slow }, Ct);
        var arn = updated.Service!.CurrentServiceDeployment!;

        var stopped = await ecs.StopServiceDeploymentAsync(new StopServiceDeploymentRequest { ServiceDeploymentArn = arn, StopType = "ROLLBACK" }, Ct);
        var described = await ecs.DescribeServiceDeploymentsAsync(new DescribeServiceDeploymentsRequest { ServiceDeploymentArns = [arn] }, Ct);

        Assert.Equal(arn, stopped.ServiceDeploymentArn);
        Assert.StartsWith("ROLLBACK_", described.ServiceDeployments![0].Status, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListAllTasks_PagesThroughTheServiceTasks_AndDescribeTasksReturnsThemRunning()
    {
        await using var bed = await EcsTestBed.StartAsync(seed => seed with { DesiredCount = 3 });
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(5));
        bed.Simulator.Requests.Clear();

        var arns = new List<string>();
        await foreach (var arn in ecs.ListAllTasksAsync(new ListTasksRequest { Cluster = "prod", ServiceName = "web", MaxResults = 1 }, Ct))
        {
            arns.Add(arn);
        }

        var described = await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "prod", Tasks = arns }, Ct);

        Assert.Equal(3, arns.Distinct().Count());
        Assert.Equal(3, bed.Simulator.Requests.For("ListTasks").Count);
        Assert.Equal(3, described.Tasks!.Count);
        Assert.All(described.Tasks, t => Assert.Equal(("RUNNING", bed.FirstTaskDefinition), (t.LastStatus, t.TaskDefinitionArn)));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_UnknownService_ThrowsServiceNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var error = await Assert.ThrowsAsync<ServiceNotFoundException>(() =>
            ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "ghost", DesiredCount = 1 }, Ct));

        Assert.Equal(("ServiceNotFoundException", "Service not found.", System.Net.HttpStatusCode.BadRequest), (error.ErrorCode, error.Message, error.StatusCode));
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServices_UnknownCluster_ThrowsClusterNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);

        var error = await Assert.ThrowsAsync<ClusterNotFoundException>(() =>
            ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "staging", Services = ["web"] }, Ct));

        Assert.Equal(("ClusterNotFoundException", "Cluster not found."), (error.ErrorCode, error.Message));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ServicesStableWaiter_OnTheSimulatorsVirtualClock_ReturnsOnceTheRolloutCompletes()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var clock = bed.Simulator.Clock;
        var second = (await ecs.RegisterTaskDefinitionAsync(Web("registry.example/web:2"), Ct)).TaskDefinition!.TaskDefinitionArn;
        await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = second }, Ct);
        var started = clock.GetUtcNow();
        bed.Simulator.Requests.Clear();

        var response = await SimulatorClients.DriveAsync(
            clock,
            () => ecs.WaitUntilServicesStableAsync(new DescribeServicesRequest { Cluster = "prod", Services = ["web"] }, clock, Ct));

        var service = Assert.Single(response!.Services!);
        Assert.Equal(second, Assert.Single(service.Deployments!).TaskDefinition);
        Assert.Equal("COMPLETED", service.Deployments![0].RolloutState);
        var polls = bed.Simulator.Requests.For("DescribeServices");
        Assert.True(polls.Count > 1, "the waiter polled more than once");
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second.Time - p.First.Time >= TimeSpan.FromSeconds(15), "15 s (model delay) between polls"));
        Assert.True(clock.GetUtcNow() - started < TimeSpan.FromMinutes(15));
    }

    private static async Task<List<string>> DeploymentTasksAsync(EcsTestBed bed, IEcsApi ecs, string image)
    {
        var arn = (await ecs.RegisterTaskDefinitionAsync(Web(image), Ct)).TaskDefinition!.TaskDefinitionArn;
        var updated = await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = arn }, Ct);
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(5));
        var listed = await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "prod", StartedBy = updated.Service!.Deployments![0].Id }, Ct);
        Assert.NotEmpty(listed.TaskArns!);
        return listed.TaskArns!;
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TasksRunningWaiter_OnTheSimulatorsVirtualClock_ReturnsWhenTheNewTasksRun()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var tasks = await DeploymentTasksAsync(bed, ecs, "registry.example/web:2");
        var first = await ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = "prod", Tasks = tasks }, Ct);

        var done = await SimulatorClients.DriveAsync(bed.Simulator.Clock,
            () => ecs.WaitUntilTasksRunningAsync(new DescribeTasksRequest { Cluster = "prod", Tasks = tasks }, bed.Simulator.Clock, Ct));

        Assert.Contains(first.Tasks!, t => t.LastStatus != "RUNNING");
        Assert.All(done!.Tasks!, t => Assert.Equal("RUNNING", t.LastStatus));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TasksRunningWaiter_WhenTheTasksCrash_FailsAndTasksStoppedWaiterSucceeds()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var ecs = SimulatorClients.Ecs(bed.Simulator);
        var tasks = await DeploymentTasksAsync(bed, ecs, "registry.example/web:bad");
        var request = new DescribeTasksRequest { Cluster = "prod", Tasks = tasks };

        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => SimulatorClients.DriveAsync(bed.Simulator.Clock,
            () => ecs.WaitUntilTasksRunningAsync(request, bed.Simulator.Clock, Ct)));
        var stopped = await SimulatorClients.DriveAsync(bed.Simulator.Clock,
            () => ecs.WaitUntilTasksStoppedAsync(request, bed.Simulator.Clock, Ct));

        Assert.Equal(AwsWaiterFailureReason.FailureStateMatched, error.Reason);
        Assert.All(stopped!.Tasks!, t => Assert.Equal(("STOPPED", "EssentialContainerExited"), (t.LastStatus, t.StopCode)));
    }
}
