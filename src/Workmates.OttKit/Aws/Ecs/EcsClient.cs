using Amazon.Runtime;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary><see cref="IEcsApi"/> over AWSSDK.Core's pipeline (credentials, SigV4, retries, endpoints, logging).</summary>
internal sealed class EcsClient : AwsServiceClient, IEcsApi
{
    public EcsClient(AwsServiceConfig config)
        : base(config)
    {
    }

    public EcsClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
    }

    public Task<RegisterTaskDefinitionResponse> RegisterTaskDefinitionAsync(
        RegisterTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.RegisterTaskDefinition, request, cancellationToken);

    public Task<DescribeTaskDefinitionResponse> DescribeTaskDefinitionAsync(
        DescribeTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeTaskDefinition, request, cancellationToken);

    public Task<DeregisterTaskDefinitionResponse> DeregisterTaskDefinitionAsync(
        DeregisterTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DeregisterTaskDefinition, request, cancellationToken);

    public Task<ListTaskDefinitionsResponse> ListTaskDefinitionsAsync(
        ListTaskDefinitionsRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.ListTaskDefinitions, request, cancellationToken);

    public Task<UpdateServiceResponse> UpdateServiceAsync(
        UpdateServiceRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.UpdateService, request, cancellationToken);

    public Task<DescribeServicesResponse> DescribeServicesAsync(
        DescribeServicesRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeServices, request, cancellationToken);

    public Task<ListServiceDeploymentsResponse> ListServiceDeploymentsAsync(
        ListServiceDeploymentsRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.ListServiceDeployments, request, cancellationToken);

    public Task<DescribeServiceDeploymentsResponse> DescribeServiceDeploymentsAsync(
        DescribeServiceDeploymentsRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeServiceDeployments, request, cancellationToken);

    public Task<StopServiceDeploymentResponse> StopServiceDeploymentAsync(
        StopServiceDeploymentRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.StopServiceDeployment, request, cancellationToken);

    public Task<DescribeServiceRevisionsResponse> DescribeServiceRevisionsAsync(
        DescribeServiceRevisionsRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeServiceRevisions, request, cancellationToken);

    public Task<ListTasksResponse> ListTasksAsync(ListTasksRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.ListTasks, request, cancellationToken);

    public Task<DescribeTasksResponse> DescribeTasksAsync(
        DescribeTasksRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeTasks, request, cancellationToken);

    public Task<ListContainerInstancesResponse> ListContainerInstancesAsync(
        ListContainerInstancesRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.ListContainerInstances, request, cancellationToken);

    public Task<DescribeContainerInstancesResponse> DescribeContainerInstancesAsync(
        DescribeContainerInstancesRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.DescribeContainerInstances, request, cancellationToken);

    public Task<UpdateContainerInstancesStateResponse> UpdateContainerInstancesStateAsync(
        UpdateContainerInstancesStateRequest request, CancellationToken cancellationToken = default) =>
        Send(EcsOperations.UpdateContainerInstancesState, request, cancellationToken);

    private Task<TResponse> Send<TRequest, TResponse>(
        AwsJsonOperation<TRequest, TResponse> operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new() =>
        SendAsync<TResponse>(request, operation.Marshaller, operation.Unmarshaller, cancellationToken);
}
