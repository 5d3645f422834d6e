using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.Runtime;
using S = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse>;
using T = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.Ecs.Model.DescribeTasksResponse>;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>The ECS waiters of waiters-2.json, acceptor by acceptor, in the model's order.</summary>
internal static class EcsWaiterDefinitions
{
    private const string StableArgument =
        "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`";

    public static readonly WaiterDefinition<DescribeServicesResponse> ServicesStable = new(
        "ServicesStable",
        "DescribeServices",
        15,
        40,
        [
            S.PathAny(WaiterState.Failure, "failures[].reason", "MISSING", r => r.Failures?.Select(f => f.Reason)),
            S.PathAny(WaiterState.Failure, "services[].status", "DRAINING", r => r.Services?.Select(s => s.Status)),
            S.PathAny(WaiterState.Failure, "services[].status", "INACTIVE", r => r.Services?.Select(s => s.Status)),
            S.Path(WaiterState.Success, StableArgument, true, r => r.Services is { } services && services.TrueForAll(IsSteady)),
        ]);

    public static readonly WaiterDefinition<DescribeServicesResponse> ServicesInactive = new(
        "ServicesInactive",
        "DescribeServices",
        15,
        40,
        [
            S.PathAny(WaiterState.Failure, "failures[].reason", "MISSING", r => r.Failures?.Select(f => f.Reason)),
            S.PathAny(WaiterState.Success, "services[].status", "INACTIVE", r => r.Services?.Select(s => s.Status)),
        ]);

    public static readonly WaiterDefinition<DescribeTasksResponse> TasksRunning = new(
        "TasksRunning",
        "DescribeTasks",
        6,
        100,
        [
            T.PathAny(WaiterState.Failure, "tasks[].lastStatus", "STOPPED", r => r.Tasks?.Select(t => t.LastStatus)),
            T.PathAny(WaiterState.Failure, "failures[].reason", "MISSING", r => r.Failures?.Select(f => f.Reason)),
            T.PathAll(WaiterState.Success, "tasks[].lastStatus", "RUNNING", r => r.Tasks?.Select(t => t.LastStatus)),
        ]);

    public static readonly WaiterDefinition<DescribeTasksResponse> TasksStopped = new(
        "TasksStopped",
        "DescribeTasks",
        6,
        100,
        [
            T.PathAll(WaiterState.Success, "tasks[].lastStatus", "STOPPED", r => r.Tasks?.Select(t => t.LastStatus)),
        ]);

    // length(deployments) == `1` && runningCount == desiredCount (JMESPath length(null) is an error → not steady).
    private static bool IsSteady(Service service) =>
        service.Deployments is { Count: 1 } && service.RunningCount == service.DesiredCount;
}
