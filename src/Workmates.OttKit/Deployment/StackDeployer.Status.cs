using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;

namespace Workmates.OttKit.Deployment;

/// <summary>The state of one deployed CloudFormation stack, as <c>ottkit status</c> shows it.</summary>
/// <param name="StackName">The stack name.</param>
/// <param name="Status">CloudFormation's stack status, such as <c>CREATE_COMPLETE</c> or <c>UPDATE_ROLLBACK_COMPLETE</c>.</param>
/// <param name="StatusReason">CloudFormation's reason for the status, when it gives one.</param>
public sealed record DeployedStackState(string StackName, string Status, string? StatusReason);

public sealed partial class StackDeployer
{
    /// <summary>
    /// Reads the state of one stack. Calls <c>cloudformation:DescribeStacks</c> (part of
    /// <see cref="RequiredPermissions.Plan"/>).
    /// </summary>
    /// <param name="cloudFormation">The CloudFormation client of the stack's region.</param>
    /// <param name="stackName">The stack name.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The state, or <see langword="null"/> when the stack does not exist (not deployed yet, or deleted).</returns>
    /// <exception cref="CloudFormationException">CloudFormation refused the call (a denied call, an unreachable endpoint).</exception>
    public static async Task<DeployedStackState?> GetStackStateAsync(ICloudFormationApi cloudFormation, string stackName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudFormation);
        ArgumentException.ThrowIfNullOrEmpty(stackName);
        try
        {
            var described = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackName }, cancellationToken).ConfigureAwait(false);
            return described.Stacks?.FirstOrDefault() is { } stack
                ? new DeployedStackState(stack.StackName ?? stackName, stack.StackStatus ?? "UNKNOWN", stack.StackStatusReason)
                : null;
        }
        catch (CloudFormationException e) when (IsMissingStack(e))
        {
            return null;
        }
    }
}
