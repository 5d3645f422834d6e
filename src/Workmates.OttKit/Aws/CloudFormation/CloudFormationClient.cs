using Amazon.Runtime;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary><see cref="ICloudFormationApi"/> over AWSSDK.Core's pipeline (credentials, SigV4, retries, endpoints, logging).</summary>
internal sealed class CloudFormationClient : AwsServiceClient, ICloudFormationApi
{
    public CloudFormationClient(AwsServiceConfig config)
        : base(config)
    {
    }

    public CloudFormationClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
    }

    public Task<CreateChangeSetResponse> CreateChangeSetAsync(
        CreateChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.CreateChangeSet, request, cancellationToken);

    public Task<DescribeChangeSetResponse> DescribeChangeSetAsync(
        DescribeChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DescribeChangeSet, request, cancellationToken);

    public Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(
        ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.ExecuteChangeSet, request, cancellationToken);

    public Task<DeleteChangeSetResponse> DeleteChangeSetAsync(
        DeleteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DeleteChangeSet, request, cancellationToken);

    public Task<ListChangeSetsResponse> ListChangeSetsAsync(
        ListChangeSetsRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.ListChangeSets, request, cancellationToken);

    public Task<DescribeStacksResponse> DescribeStacksAsync(
        DescribeStacksRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DescribeStacks, request, cancellationToken);

    public Task<DescribeStackEventsResponse> DescribeStackEventsAsync(
        DescribeStackEventsRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DescribeStackEvents, request, cancellationToken);

    public Task<DescribeStackResourcesResponse> DescribeStackResourcesAsync(
        DescribeStackResourcesRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DescribeStackResources, request, cancellationToken);

    public Task<GetTemplateResponse> GetTemplateAsync(
        GetTemplateRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.GetTemplate, request, cancellationToken);

    public Task<ValidateTemplateResponse> ValidateTemplateAsync(
        ValidateTemplateRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.ValidateTemplate, request, cancellationToken);

    public Task<ContinueUpdateRollbackResponse> ContinueUpdateRollbackAsync(
        ContinueUpdateRollbackRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.ContinueUpdateRollback, request, cancellationToken);

    public Task<CancelUpdateStackResponse> CancelUpdateStackAsync(
        CancelUpdateStackRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.CancelUpdateStack, request, cancellationToken);

    public Task<RollbackStackResponse> RollbackStackAsync(
        RollbackStackRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.RollbackStack, request, cancellationToken);

    public Task<DeleteStackResponse> DeleteStackAsync(
        DeleteStackRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DeleteStack, request, cancellationToken);

    public Task<UpdateTerminationProtectionResponse> UpdateTerminationProtectionAsync(
        UpdateTerminationProtectionRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.UpdateTerminationProtection, request, cancellationToken);

    public Task<SetStackPolicyResponse> SetStackPolicyAsync(
        SetStackPolicyRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.SetStackPolicy, request, cancellationToken);

    public Task<DetectStackDriftResponse> DetectStackDriftAsync(
        DetectStackDriftRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DetectStackDrift, request, cancellationToken);

    public Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(
        DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default) =>
        Send(CloudFormationOperations.DescribeStackDriftDetectionStatus, request, cancellationToken);

    private Task<TResponse> Send<TRequest, TResponse>(
        AwsQueryOperation<TRequest, TResponse> operation, TRequest request, CancellationToken cancellationToken)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse, new() =>
        SendAsync<TResponse>(request, operation.Marshaller, operation.Unmarshaller, cancellationToken);
}
