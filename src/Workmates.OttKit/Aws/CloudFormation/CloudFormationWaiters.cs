using Workmates.OttKit.Aws.CloudFormation.Model;

namespace Workmates.OttKit.Aws.CloudFormation;

/// <summary>
/// The waiters of the CloudFormation model (waiters-2.json semantics: first call at once, acceptors checked in order, a fixed
/// delay between calls from the injected <see cref="TimeProvider"/>, at most maxAttempts calls). A failure ends in
/// <see cref="AwsWaiterException"/>.
/// </summary>
internal static class CloudFormationWaiters
{
    /// <summary>Polls DescribeStacks until DescribeStacks answers 200; retries while it answers ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackExistsAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackExists.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeStacks until the stack reached CREATE_COMPLETE (or any later UPDATE_* state); fails on CREATE_FAILED, ROLLBACK_*, DELETE_* or ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackCreateCompleteAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackCreateComplete.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeStacks until the stack is DELETE_COMPLETE or gone (ValidationError means success); fails on DELETE_FAILED and other failed states.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackDeleteCompleteAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackDeleteComplete.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeStacks until the stack is UPDATE_COMPLETE; fails on UPDATE_FAILED, UPDATE_ROLLBACK_FAILED, UPDATE_ROLLBACK_COMPLETE or ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackUpdateCompleteAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackUpdateComplete.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeStacks until the stack is IMPORT_COMPLETE; fails on import rollback states or ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackImportCompleteAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackImportComplete.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeStacks until the stack is UPDATE_ROLLBACK_COMPLETE; fails on UPDATE_FAILED, UPDATE_ROLLBACK_FAILED, DELETE_FAILED or ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeStacks request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeStacksResponse?> WaitUntilStackRollbackCompleteAsync(
        this ICloudFormationApi api,
        DescribeStacksRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.StackRollbackComplete.WaitAsync(ct => api.DescribeStacksAsync(request, ct), timeProvider, cancellationToken);
    }

    /// <summary>Polls DescribeChangeSet until the change set Status is CREATE_COMPLETE; fails on FAILED (read StatusReason: "didn't contain changes" means no-op) or ValidationError.</summary>
    /// <param name="api">The API.</param>
    /// <param name="request">The DescribeChangeSet request, sent unchanged on every attempt.</param>
    /// <param name="timeProvider">The clock for the delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The last response (null when the success was an error match).</returns>
    public static Task<DescribeChangeSetResponse?> WaitUntilChangeSetCreateCompleteAsync(
        this ICloudFormationApi api,
        DescribeChangeSetRequest request,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        return CloudFormationWaiterDefinitions.ChangeSetCreateComplete.WaitAsync(ct => api.DescribeChangeSetAsync(request, ct), timeProvider, cancellationToken);
    }
}
