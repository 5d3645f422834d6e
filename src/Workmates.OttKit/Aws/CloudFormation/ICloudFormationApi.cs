using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Aws.CloudFormation.Model;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary>
/// A connection to AWS CloudFormation: get one from <see cref="AwsClientFactory"/> (or <c>AddOttKitAwsClients</c>) and hand it
/// to the library's deployers, gates and publishers. Its operations, named as in the official <c>IAmazonCloudFormation</c>, and
/// their request and response shapes are internal to the library: what a user reads are the deployers' own result
/// types. Errors are <see cref="CloudFormationException"/> (or a subclass). Dispose it through <see cref="IDisposable"/> when done.
/// </summary>
public interface ICloudFormationApi : IAmazonService
{
    /// <summary>The client configuration <c>AddAWSService&lt;ICloudFormationApi&gt;()</c> fills from <c>AWSOptions</c>.</summary>
    /// <returns>A configuration with the service's id, signing name, endpoint rules and SDK defaults.</returns>
    static ClientConfig IAmazonService.CreateDefaultClientConfig() => new CloudFormationClientConfig();

    /// <summary>The client <c>AddAWSService&lt;ICloudFormationApi&gt;()</c> registers: the built-in one over AWSSDK.Core's pipeline.</summary>
    /// <param name="awsCredentials">The credentials; <see langword="null"/> leaves them to the SDK's default chain.</param>
    /// <param name="clientConfig">A configuration from <see cref="IAmazonService.CreateDefaultClientConfig"/>.</param>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    static IAmazonService IAmazonService.CreateDefaultServiceClient(AWSCredentials awsCredentials, ClientConfig clientConfig) =>
        awsCredentials is null
            ? new CloudFormationClient(AwsServiceConfig.Of<CloudFormationClientConfig>(clientConfig))
            : new CloudFormationClient(awsCredentials, AwsServiceConfig.Of<CloudFormationClientConfig>(clientConfig));

    /// <summary>Creates a change set (CREATE, UPDATE or IMPORT) for a stack.</summary>
    /// <param name="request">The input of CreateChangeSet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of CreateChangeSet.</returns>
    internal Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes one page of a change set (see <see cref="CloudFormationPaginators"/> for all pages).</summary>
    /// <param name="request">The input of DescribeChangeSet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeChangeSet.</returns>
    internal Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Executes a change set that is CREATE_COMPLETE / AVAILABLE.</summary>
    /// <param name="request">The input of ExecuteChangeSet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of ExecuteChangeSet.</returns>
    internal Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a change set.</summary>
    /// <param name="request">The input of DeleteChangeSet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DeleteChangeSet.</returns>
    internal Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the change sets of a stack (one page).</summary>
    /// <param name="request">The input of ListChangeSets.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of ListChangeSets.</returns>
    internal Task<ListChangeSetsResponse> ListChangeSetsAsync(ListChangeSetsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes one stack or all stacks (one page).</summary>
    /// <param name="request">The input of DescribeStacks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeStacks.</returns>
    internal Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists stack events, newest first (one page).</summary>
    /// <param name="request">The input of DescribeStackEvents.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeStackEvents.</returns>
    internal Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes the resources of a stack (at most 100).</summary>
    /// <param name="request">The input of DescribeStackResources.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeStackResources.</returns>
    internal Task<DescribeStackResourcesResponse> DescribeStackResourcesAsync(DescribeStackResourcesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the template body of a stack or change set.</summary>
    /// <param name="request">The input of GetTemplate.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of GetTemplate.</returns>
    internal Task<GetTemplateResponse> GetTemplateAsync(GetTemplateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Validates a template and returns its parameters and capabilities.</summary>
    /// <param name="request">The input of ValidateTemplate.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of ValidateTemplate.</returns>
    internal Task<ValidateTemplateResponse> ValidateTemplateAsync(ValidateTemplateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Continues rolling back a stack in UPDATE_ROLLBACK_FAILED.</summary>
    /// <param name="request">The input of ContinueUpdateRollback.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of ContinueUpdateRollback.</returns>
    internal Task<ContinueUpdateRollbackResponse> ContinueUpdateRollbackAsync(ContinueUpdateRollbackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels an update in progress and rolls it back.</summary>
    /// <param name="request">The input of CancelUpdateStack.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of CancelUpdateStack.</returns>
    internal Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Rolls back a stack that is in a *_FAILED state to its last stable state.</summary>
    /// <param name="request">The input of RollbackStack.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of RollbackStack.</returns>
    internal Task<RollbackStackResponse> RollbackStackAsync(RollbackStackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a stack.</summary>
    /// <param name="request">The input of DeleteStack.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DeleteStack.</returns>
    internal Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default);

    /// <summary>Turns termination protection on or off.</summary>
    /// <param name="request">The input of UpdateTerminationProtection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of UpdateTerminationProtection.</returns>
    internal Task<UpdateTerminationProtectionResponse> UpdateTerminationProtectionAsync(UpdateTerminationProtectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sets the stack policy.</summary>
    /// <param name="request">The input of SetStackPolicy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of SetStackPolicy.</returns>
    internal Task<SetStackPolicyResponse> SetStackPolicyAsync(SetStackPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts drift detection on a stack.</summary>
    /// <param name="request">The input of DetectStackDrift.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DetectStackDrift.</returns>
    internal Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the status of a drift detection run.</summary>
    /// <param name="request">The input of DescribeStackDriftDetectionStatus.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result of DescribeStackDriftDetectionStatus.</returns>
    internal Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default);
}
