using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;
using Workmates.OttKit.Aws.Runtime;
using A = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model.DescribeTargetHealthResponse>;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;

/// <summary>The ELBv2 target waiters of waiters-2.json, acceptor by acceptor, in the model's order.</summary>
internal static class ElasticLoadBalancingV2WaiterDefinitions
{
    private const string States = "TargetHealthDescriptions[].TargetHealth.State";

    public static readonly WaiterDefinition<DescribeTargetHealthResponse> TargetInService = new(
        "TargetInService",
        "DescribeTargetHealth",
        15,
        40,
        [
            A.PathAll(WaiterState.Success, States, "healthy", SelectStates),
            A.Error(WaiterState.Retry, "InvalidInstance"),
        ]);

    public static readonly WaiterDefinition<DescribeTargetHealthResponse> TargetDeregistered = new(
        "TargetDeregistered",
        "DescribeTargetHealth",
        15,
        40,
        [
            A.Error(WaiterState.Success, "InvalidTarget"),
            A.PathAll(WaiterState.Success, States, "unused", SelectStates),
        ]);

    private static IEnumerable<string?>? SelectStates(DescribeTargetHealthResponse response) =>
        response.TargetHealthDescriptions?.Select(d => d.TargetHealth?.State);
}
