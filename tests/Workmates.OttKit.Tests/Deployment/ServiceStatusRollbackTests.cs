using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using EcsDeployment = Workmates.OttKit.Aws.Ecs.Model.Deployment;
using Task = System.Threading.Tasks.Task;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Tests.Aws;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary><c>ottkit status</c> never shows a rollback as a plain deployment, whichever field ECS carries it in.</summary>
public sealed class ServiceStatusRollbackTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_rollback_carried_only_in_rolloutStateReason_is_reported_as_a_rollback_in_progress()
    {
        // DescribeServices as ECS answers it during a circuit-breaker rollback when no current service deployment is
        // listed (older services, or a deployment started outside the Service Deployments API).
        var service = new Service
        {
            ServiceName = "web",
            TaskDefinition = "arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1",
            DesiredCount = 2,
            RunningCount = 1,
            Deployments =
            [
                new EcsDeployment
                {
                    Id = "ecs-svc/3", Status = "PRIMARY", RolloutState = "IN_PROGRESS", TaskDefinition = "arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1",
                    RolloutStateReason = "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.",
                },
                new EcsDeployment
                {
                    Id = "ecs-svc/2", Status = "ACTIVE", RolloutState = "FAILED", TaskDefinition = "arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:2",
                    RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.",
                },
            ],
        };
        var (ecs, script) = ScriptedApi.Create<IEcsApi>();
        script.On<DescribeServicesRequest, DescribeServicesResponse>("DescribeServices", _ => new DescribeServicesResponse { Services = [service] });

        var status = await new ServiceDeployer(ecs).GetStatusAsync("blacksheep", "web", cancellationToken: TestContext.Current.CancellationToken);

        var rollback = Assert.IsType<ServiceRollbackStatus>(status.Rollback);
        Assert.True(rollback.InProgress);
        Assert.Equal("rolloutState", rollback.Source);
        Assert.Equal("ECS deployment circuit breaker: tasks failed to start. ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.", rollback.Reason);
    }

    [Fact]
    public void A_finished_rollback_is_read_from_the_service_deployment_status()
    {
        var rollback = ServiceDeployer.RollbackOf(
            new Service { Deployments = [new EcsDeployment { Status = "PRIMARY", RolloutState = "COMPLETED" }] },
            new ServiceDeployment { Status = "ROLLBACK_SUCCESSFUL", StatusReason = "Service deployment rolled back because the circuit breaker was triggered." });

        Assert.NotNull(rollback);
        Assert.False(rollback.InProgress);
        Assert.Equal("serviceDeployment", rollback.Source);
    }

    [Fact]
    public void Events_are_the_last_resort_and_only_since_the_last_steady_state()
    {
        var rolling = new Service
        {
            Deployments = [new EcsDeployment { Status = "PRIMARY", RolloutState = "IN_PROGRESS" }, new EcsDeployment { Status = "ACTIVE" }],
            Events = [new ServiceEvent { Message = "(service web) rolling back to deployment ecs-svc/1." }],
        };
        var recovered = new Service
        {
            Deployments = [new EcsDeployment { Status = "PRIMARY", RolloutState = "COMPLETED" }],
            Events = [new ServiceEvent { Message = "(service web) has reached a steady state." }, new ServiceEvent { Message = "(service web) rolling back to deployment ecs-svc/1." }],
        };

        Assert.Equal("events", ServiceDeployer.RollbackOf(rolling, null)?.Source);
        Assert.Null(ServiceDeployer.RollbackOf(recovered, null));
    }
}
