using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>The ECS operations on the wire (awsJson 1.1, target prefix <c>AmazonEC2ContainerServiceV20141113</c>).</summary>
internal static class EcsOperations
{
    public const string TargetPrefix = "AmazonEC2ContainerServiceV20141113";

    public static readonly AwsJsonOperation<RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse> RegisterTaskDefinition =
        Create<RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse>("RegisterTaskDefinition");

    public static readonly AwsJsonOperation<DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse> DescribeTaskDefinition =
        Create<DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse>("DescribeTaskDefinition");

    public static readonly AwsJsonOperation<DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse> DeregisterTaskDefinition =
        Create<DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse>("DeregisterTaskDefinition");

    public static readonly AwsJsonOperation<ListTaskDefinitionsRequest, ListTaskDefinitionsResponse> ListTaskDefinitions =
        Create<ListTaskDefinitionsRequest, ListTaskDefinitionsResponse>("ListTaskDefinitions");

    public static readonly AwsJsonOperation<UpdateServiceRequest, UpdateServiceResponse> UpdateService =
        Create<UpdateServiceRequest, UpdateServiceResponse>("UpdateService");

    public static readonly AwsJsonOperation<DescribeServicesRequest, DescribeServicesResponse> DescribeServices =
        Create<DescribeServicesRequest, DescribeServicesResponse>("DescribeServices");

    public static readonly AwsJsonOperation<ListServiceDeploymentsRequest, ListServiceDeploymentsResponse> ListServiceDeployments =
        Create<ListServiceDeploymentsRequest, ListServiceDeploymentsResponse>("ListServiceDeployments");

    public static readonly AwsJsonOperation<DescribeServiceDeploymentsRequest, DescribeServiceDeploymentsResponse> DescribeServiceDeployments =
        Create<DescribeServiceDeploymentsRequest, DescribeServiceDeploymentsResponse>("DescribeServiceDeployments");

    public static readonly AwsJsonOperation<StopServiceDeploymentRequest, StopServiceDeploymentResponse> StopServiceDeployment =
        Create<StopServiceDeploymentRequest, StopServiceDeploymentResponse>("StopServiceDeployment");

    public static readonly AwsJsonOperation<DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse> DescribeServiceRevisions =
        Create<DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse>("DescribeServiceRevisions");

    public static readonly AwsJsonOperation<ListTasksRequest, ListTasksResponse> ListTasks =
        Create<ListTasksRequest, ListTasksResponse>("ListTasks");

    public static readonly AwsJsonOperation<DescribeTasksRequest, DescribeTasksResponse> DescribeTasks =
        Create<DescribeTasksRequest, DescribeTasksResponse>("DescribeTasks");

    public static readonly AwsJsonOperation<ListContainerInstancesRequest, ListContainerInstancesResponse> ListContainerInstances =
        Create<ListContainerInstancesRequest, ListContainerInstancesResponse>("ListContainerInstances");

    public static readonly AwsJsonOperation<DescribeContainerInstancesRequest, DescribeContainerInstancesResponse> DescribeContainerInstances =
        Create<DescribeContainerInstancesRequest, DescribeContainerInstancesResponse>("DescribeContainerInstances");

    public static readonly AwsJsonOperation<UpdateContainerInstancesStateRequest, UpdateContainerInstancesStateResponse> UpdateContainerInstancesState =
        Create<UpdateContainerInstancesStateRequest, UpdateContainerInstancesStateResponse>("UpdateContainerInstancesState");

    public static IReadOnlyList<IAwsOperation> All { get; } =
    [
        RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition, ListTaskDefinitions, UpdateService,
        DescribeServices, ListServiceDeployments, DescribeServiceDeployments, StopServiceDeployment,
        DescribeServiceRevisions, ListTasks, DescribeTasks, ListContainerInstances, DescribeContainerInstances,
        UpdateContainerInstancesState,
    ];

    private static AwsJsonOperation<TRequest, TResponse> Create<TRequest, TResponse>(string name)
        where TRequest : Amazon.Runtime.AmazonWebServiceRequest
        where TResponse : Amazon.Runtime.AmazonWebServiceResponse, new() =>
        new(AwsServiceDescriptor.Ecs, TargetPrefix, "1.1", name, EcsException.FromError);
}
