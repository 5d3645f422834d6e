using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Aws.Ecs.Model;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>
/// A connection to Amazon ECS: get one from <see cref="AwsClientFactory"/> (or <c>AddOttKitAwsClients</c>) and hand it
/// to the library's deployers, gates and publishers. Its operations, named as in the official <c>IAmazonECS</c>, and
/// their request and response shapes are internal to the library: what a user reads are the deployers' own result
/// types. Errors are <see cref="EcsException"/> (or a subclass). Dispose it through <see cref="IDisposable"/> when done.
/// </summary>
public interface IEcsApi : IAmazonService
{
    /// <summary>The client configuration <c>AddAWSService&lt;IEcsApi&gt;()</c> fills from <c>AWSOptions</c>.</summary>
    /// <returns>A configuration with the service's id, signing name, endpoint rules and SDK defaults.</returns>
    static ClientConfig IAmazonService.CreateDefaultClientConfig() => new EcsClientConfig();

    /// <summary>The client <c>AddAWSService&lt;IEcsApi&gt;()</c> registers: the built-in one over AWSSDK.Core's pipeline.</summary>
    /// <param name="awsCredentials">The credentials; <see langword="null"/> leaves them to the SDK's default chain.</param>
    /// <param name="clientConfig">A configuration from <see cref="IAmazonService.CreateDefaultClientConfig"/>.</param>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    static IAmazonService IAmazonService.CreateDefaultServiceClient(AWSCredentials awsCredentials, ClientConfig clientConfig) =>
        awsCredentials is null
            ? new EcsClient(AwsServiceConfig.Of<EcsClientConfig>(clientConfig))
            : new EcsClient(awsCredentials, AwsServiceConfig.Of<EcsClientConfig>(clientConfig));

    /// <summary>Registers a new revision of a task definition family.</summary>
    /// <param name="request">The task definition to register.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered revision.</returns>
    internal Task<RegisterTaskDefinitionResponse> RegisterTaskDefinitionAsync(
        RegisterTaskDefinitionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes one task definition revision (family, family:revision or ARN).</summary>
    /// <param name="request">Which task definition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task definition and, when asked, its tags.</returns>
    internal Task<DescribeTaskDefinitionResponse> DescribeTaskDefinitionAsync(
        DescribeTaskDefinitionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Marks a task definition revision INACTIVE.</summary>
    /// <param name="request">Which revision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deregistered revision.</returns>
    internal Task<DeregisterTaskDefinitionResponse> DeregisterTaskDefinitionAsync(
        DeregisterTaskDefinitionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists task definition ARNs (one page; see <see cref="EcsPaginators"/>).</summary>
    /// <param name="request">Filters and the page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of ARNs.</returns>
    internal Task<ListTaskDefinitionsResponse> ListTaskDefinitionsAsync(
        ListTaskDefinitionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Updates a service (task definition, desired count, deployment configuration…).</summary>
    /// <param name="request">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated service.</returns>
    internal Task<UpdateServiceResponse> UpdateServiceAsync(UpdateServiceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes up to 10 services.</summary>
    /// <param name="request">Cluster and services.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The services and failures (<c>MISSING</c>).</returns>
    internal Task<DescribeServicesResponse> DescribeServicesAsync(
        DescribeServicesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the deployments of a service.</summary>
    /// <param name="request">Service, filters and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of deployment summaries.</returns>
    internal Task<ListServiceDeploymentsResponse> ListServiceDeploymentsAsync(
        ListServiceDeploymentsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes service deployments by ARN.</summary>
    /// <param name="request">The deployment ARNs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments and failures.</returns>
    internal Task<DescribeServiceDeploymentsResponse> DescribeServiceDeploymentsAsync(
        DescribeServiceDeploymentsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stops (and optionally rolls back) an ongoing service deployment.</summary>
    /// <param name="request">The deployment and stop type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployment ARN.</returns>
    internal Task<StopServiceDeploymentResponse> StopServiceDeploymentAsync(
        StopServiceDeploymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes service revisions by ARN.</summary>
    /// <param name="request">The revision ARNs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revisions and failures.</returns>
    internal Task<DescribeServiceRevisionsResponse> DescribeServiceRevisionsAsync(
        DescribeServiceRevisionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists task ARNs (one page; see <see cref="EcsPaginators"/>).</summary>
    /// <param name="request">Cluster, service, desired status and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of task ARNs.</returns>
    internal Task<ListTasksResponse> ListTasksAsync(ListTasksRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes up to 100 tasks.</summary>
    /// <param name="request">Cluster and task ARNs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks and failures.</returns>
    internal Task<DescribeTasksResponse> DescribeTasksAsync(DescribeTasksRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists container instance ARNs of a cluster (one page; see <see cref="EcsPaginators"/>).</summary>
    /// <param name="request">Cluster, status, cluster query language filter and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of container instance ARNs.</returns>
    internal Task<ListContainerInstancesResponse> ListContainerInstancesAsync(
        ListContainerInstancesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes up to 100 container instances (EC2 instance id, status, running and pending task counts).</summary>
    /// <param name="request">Cluster and container instance ARNs or ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The container instances and failures (<c>MISSING</c>).</returns>
    internal Task<DescribeContainerInstancesResponse> DescribeContainerInstancesAsync(
        DescribeContainerInstancesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sets up to 10 container instances <c>ACTIVE</c> or <c>DRAINING</c>.</summary>
    /// <param name="request">Cluster, container instances and the new status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated container instances and failures.</returns>
    internal Task<UpdateContainerInstancesStateResponse> UpdateContainerInstancesStateAsync(
        UpdateContainerInstancesStateRequest request, CancellationToken cancellationToken = default);
}
