using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Runtime;
using A = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStacksResponse>;
using C = Workmates.OttKit.Aws.Runtime.WaiterAcceptor<Workmates.OttKit.Aws.CloudFormation.Model.DescribeChangeSetResponse>;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary>The CloudFormation waiters of waiters-2.json, acceptor by acceptor, in the model's order.</summary>
internal static class CloudFormationWaiterDefinitions
{
    private const string StackStatuses = "Stacks[].StackStatus";

    public static readonly WaiterDefinition<DescribeStacksResponse> StackExists = new(
        "StackExists",
        "DescribeStacks",
        5,
        20,
        [
            A.Status(WaiterState.Success, 200),
            A.Error(WaiterState.Retry, "ValidationError"),
        ]);

    public static readonly WaiterDefinition<DescribeStacksResponse> StackCreateComplete = new(
        "StackCreateComplete",
        "DescribeStacks",
        30,
        120,
        [
            A.PathAll(WaiterState.Success, StackStatuses, "CREATE_COMPLETE", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_COMPLETE", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_IN_PROGRESS", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_FAILED", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_ROLLBACK_IN_PROGRESS", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", SelectStackStatuses),
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_ROLLBACK_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "CREATE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "DELETE_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "DELETE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "ROLLBACK_COMPLETE", SelectStackStatuses),
            A.Error(WaiterState.Failure, "ValidationError"),
        ]);

    public static readonly WaiterDefinition<DescribeStacksResponse> StackDeleteComplete = new(
        "StackDeleteComplete",
        "DescribeStacks",
        30,
        120,
        [
            A.PathAll(WaiterState.Success, StackStatuses, "DELETE_COMPLETE", SelectStackStatuses),
            A.Error(WaiterState.Success, "ValidationError"),
            A.PathAny(WaiterState.Failure, StackStatuses, "DELETE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "CREATE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_IN_PROGRESS", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_COMPLETE", SelectStackStatuses),
        ]);

    public static readonly WaiterDefinition<DescribeStacksResponse> StackUpdateComplete = new(
        "StackUpdateComplete",
        "DescribeStacks",
        30,
        120,
        [
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_COMPLETE", SelectStackStatuses),
            A.Error(WaiterState.Failure, "ValidationError"),
        ]);

    public static readonly WaiterDefinition<DescribeStacksResponse> StackImportComplete = new(
        "StackImportComplete",
        "DescribeStacks",
        30,
        120,
        [
            A.PathAll(WaiterState.Success, StackStatuses, "IMPORT_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "ROLLBACK_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "IMPORT_ROLLBACK_IN_PROGRESS", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "IMPORT_ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "IMPORT_ROLLBACK_COMPLETE", SelectStackStatuses),
            A.Error(WaiterState.Failure, "ValidationError"),
        ]);

    public static readonly WaiterDefinition<DescribeStacksResponse> StackRollbackComplete = new(
        "StackRollbackComplete",
        "DescribeStacks",
        30,
        120,
        [
            A.PathAll(WaiterState.Success, StackStatuses, "UPDATE_ROLLBACK_COMPLETE", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "UPDATE_ROLLBACK_FAILED", SelectStackStatuses),
            A.PathAny(WaiterState.Failure, StackStatuses, "DELETE_FAILED", SelectStackStatuses),
            A.Error(WaiterState.Failure, "ValidationError"),
        ]);

    public static readonly WaiterDefinition<DescribeChangeSetResponse> ChangeSetCreateComplete = new(
        "ChangeSetCreateComplete",
        "DescribeChangeSet",
        30,
        120,
        [
            C.Path(WaiterState.Success, "Status", "CREATE_COMPLETE", r => r.Status),
            C.Path(WaiterState.Failure, "Status", "FAILED", r => r.Status),
            C.Error(WaiterState.Failure, "ValidationError"),
        ]);

    private static IEnumerable<string?>? SelectStackStatuses(DescribeStacksResponse response) =>
        response.Stacks?.Select(s => s.StackStatus);
}
