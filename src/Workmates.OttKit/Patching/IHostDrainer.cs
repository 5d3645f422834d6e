namespace Workmates.OttKit.Patching;

/// <summary>
/// Takes ECS hosts out of service before they are patched and puts them back after. The contract is ECS's container
/// instance draining: <see cref="DrainAsync"/> sets the hosts' container instances to <c>DRAINING</c>
/// (<c>UpdateContainerInstancesState</c>) and returns once their service tasks have been replaced elsewhere;
/// <see cref="ActivateAsync"/> sets them <c>ACTIVE</c> again.
/// </summary>
public interface IHostDrainer
{
    /// <summary>Drains the container instances of <paramref name="instanceIds"/> and waits until their tasks have moved.</summary>
    /// <param name="instanceIds">EC2 instance ids.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the hosts run no service task.</returns>
    Task DrainAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);

    /// <summary>Sets the container instances of <paramref name="instanceIds"/> ACTIVE again.</summary>
    /// <param name="instanceIds">EC2 instance ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once ECS accepted the change.</returns>
    Task ActivateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);
}
