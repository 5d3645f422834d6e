using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary>The AWS CloudFormation operations on the wire (AWS query protocol, XML responses).</summary>
internal static class CloudFormationOperations
{
    public static readonly AwsQueryOperation<CreateChangeSetRequest, CreateChangeSetResponse> CreateChangeSet =
        new(AwsServiceDescriptor.CloudFormation, "CreateChangeSet", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DescribeChangeSetRequest, DescribeChangeSetResponse> DescribeChangeSet =
        new(AwsServiceDescriptor.CloudFormation, "DescribeChangeSet", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<ExecuteChangeSetRequest, ExecuteChangeSetResponse> ExecuteChangeSet =
        new(AwsServiceDescriptor.CloudFormation, "ExecuteChangeSet", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DeleteChangeSetRequest, DeleteChangeSetResponse> DeleteChangeSet =
        new(AwsServiceDescriptor.CloudFormation, "DeleteChangeSet", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<ListChangeSetsRequest, ListChangeSetsResponse> ListChangeSets =
        new(AwsServiceDescriptor.CloudFormation, "ListChangeSets", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DescribeStacksRequest, DescribeStacksResponse> DescribeStacks =
        new(AwsServiceDescriptor.CloudFormation, "DescribeStacks", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DescribeStackEventsRequest, DescribeStackEventsResponse> DescribeStackEvents =
        new(AwsServiceDescriptor.CloudFormation, "DescribeStackEvents", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DescribeStackResourcesRequest, DescribeStackResourcesResponse> DescribeStackResources =
        new(AwsServiceDescriptor.CloudFormation, "DescribeStackResources", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<GetTemplateRequest, GetTemplateResponse> GetTemplate =
        new(AwsServiceDescriptor.CloudFormation, "GetTemplate", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<ValidateTemplateRequest, ValidateTemplateResponse> ValidateTemplate =
        new(AwsServiceDescriptor.CloudFormation, "ValidateTemplate", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<ContinueUpdateRollbackRequest, ContinueUpdateRollbackResponse> ContinueUpdateRollback =
        new(AwsServiceDescriptor.CloudFormation, "ContinueUpdateRollback", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<CancelUpdateStackRequest, CancelUpdateStackResponse> CancelUpdateStack =
        new(AwsServiceDescriptor.CloudFormation, "CancelUpdateStack", hasResult: false, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<RollbackStackRequest, RollbackStackResponse> RollbackStack =
        new(AwsServiceDescriptor.CloudFormation, "RollbackStack", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DeleteStackRequest, DeleteStackResponse> DeleteStack =
        new(AwsServiceDescriptor.CloudFormation, "DeleteStack", hasResult: false, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<UpdateTerminationProtectionRequest, UpdateTerminationProtectionResponse> UpdateTerminationProtection =
        new(AwsServiceDescriptor.CloudFormation, "UpdateTerminationProtection", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<SetStackPolicyRequest, SetStackPolicyResponse> SetStackPolicy =
        new(AwsServiceDescriptor.CloudFormation, "SetStackPolicy", hasResult: false, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DetectStackDriftRequest, DetectStackDriftResponse> DetectStackDrift =
        new(AwsServiceDescriptor.CloudFormation, "DetectStackDrift", hasResult: true, CloudFormationException.FromError);

    public static readonly AwsQueryOperation<DescribeStackDriftDetectionStatusRequest, DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatus =
        new(AwsServiceDescriptor.CloudFormation, "DescribeStackDriftDetectionStatus", hasResult: true, CloudFormationException.FromError);

    public static IReadOnlyList<IAwsOperation> All { get; } =
    [
        CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet, ListChangeSets, DescribeStacks, DescribeStackEvents, DescribeStackResources, GetTemplate, ValidateTemplate, ContinueUpdateRollback, CancelUpdateStack, RollbackStack, DeleteStack, UpdateTerminationProtection, SetStackPolicy, DetectStackDrift, DescribeStackDriftDetectionStatus,
    ];
}
