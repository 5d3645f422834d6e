using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;
using Workmates.OttKit.Iam;
using static System.FormattableString;

namespace Workmates.OttKit.Patching;

/// <summary>
/// <see cref="IHostDrainer"/> over Amazon ECS: finds the container instances of the given EC2 instances in the
/// cluster (<c>ListContainerInstances</c>, <c>DescribeContainerInstances</c>), sets them <c>DRAINING</c>
/// (<c>UpdateContainerInstancesState</c>; ECS then replaces their service tasks elsewhere within each service's
/// <c>minimumHealthyPercent</c> and <c>maximumPercent</c>) and polls until no task other than a daemon service's
/// runs on them. A drain that does not finish within <see cref="EcsHostDrainerOptions.DrainTimeout"/> throws
/// <see cref="HostDrainException"/> naming the tasks still there (tasks that belong to no service are not moved by
/// ECS: stop them or wait for them).
/// </summary>
public sealed partial class EcsHostDrainer : IHostDrainer
{
    private const int UpdateBatch = 10;
    private const int DescribeBatch = 100;
    private readonly IEcsApi _ecs;
    private readonly string _cluster;
    private readonly EcsHostDrainerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _containerInstances = new(StringComparer.Ordinal);

    /// <summary>Creates a drainer for one cluster.</summary>
    /// <param name="ecs">The ECS client.</param>
    /// <param name="cluster">The cluster's name or ARN (the environment's name for an OttKit environment).</param>
    /// <param name="options">Polling and timeout; defaults when null.</param>
    /// <param name="timeProvider">The clock for polling and the deadline; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    public EcsHostDrainer(IEcsApi ecs, string cluster, EcsHostDrainerOptions? options = null, TimeProvider? timeProvider = null, ILogger<EcsHostDrainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        _ecs = ecs;
        _cluster = cluster;
        _options = options ?? new EcsHostDrainerOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    /// <exception cref="HostDrainException">A host is not a container instance of the cluster (nothing was changed), ECS refused the change, or the drain timed out (the hosts stay DRAINING; the caller sets them ACTIVE again).</exception>
    public async Task DrainAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var arns = await ResolveAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        await SetStatusAsync(arns, "DRAINING", cancellationToken).ConfigureAwait(false);
        Log.Draining(_logger, _cluster, instanceIds);
        var deadline = _time.GetUtcNow() + _options.DrainTimeout;
        while (true)
        {
            var remaining = await RemainingAsync(arns, cancellationToken).ConfigureAwait(false);
            if (remaining.Count == 0)
            {
                return;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new HostDrainException(
                    Invariant($"Draining did not finish within {_options.DrainTimeout}: ") + string.Join("; ", remaining.Select(r => $"{r.Key} still runs {r.Value}"))
                    + ". ECS moves only service tasks; stop the others (or wait for them) and run the install again.");
            }

            Log.Waiting(_logger, remaining);

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="HostDrainException">A host is not a container instance of the cluster, or ECS refused the change.</exception>
    public async Task ActivateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var arns = await ResolveAsync(instanceIds, cancellationToken).ConfigureAwait(false);
        await SetStatusAsync(arns, "ACTIVE", cancellationToken).ConfigureAwait(false);
        Log.Activated(_logger, _cluster, instanceIds);
    }

    /// <summary>Maps EC2 instance ids to container instance ARNs (cached for the drainer's life: a registration keeps its ARN).</summary>
    private async Task<List<(string InstanceId, string Arn)>> ResolveAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        if (instanceIds.Any(id => !_containerInstances.ContainsKey(id)))
        {
            var all = new List<string>();
            await foreach (var arn in _ecs.ListAllContainerInstancesAsync(new ListContainerInstancesRequest { Cluster = _cluster }, cancellationToken).ConfigureAwait(false))
            {
                all.Add(arn);
            }

            foreach (var chunk in all.Chunk(DescribeBatch))
            {
                var described = await _ecs.DescribeContainerInstancesAsync(new DescribeContainerInstancesRequest { Cluster = _cluster, ContainerInstances = [.. chunk] }, cancellationToken).ConfigureAwait(false);
                foreach (var instance in described.ContainerInstances ?? [])
                {
                    if (instance.Ec2InstanceId is { } id && instance.ContainerInstanceArn is { } arn)
                    {
                        _containerInstances[id] = arn;
                    }
                }
            }
        }

        var missing = instanceIds.Where(id => !_containerInstances.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new HostDrainException($"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not an ACTIVE or DRAINING container instance of cluster {_cluster} (is the ECS agent running and connected?); nothing was drained.") { NothingDrained = true };
        }

        return [.. instanceIds.Select(id => (id, _containerInstances[id]))];
    }

    private async Task SetStatusAsync(List<(string InstanceId, string Arn)> instances, string status, CancellationToken cancellationToken)
    {
        foreach (var chunk in instances.Chunk(UpdateBatch))
        {
            var response = await _ecs.UpdateContainerInstancesStateAsync(
                new UpdateContainerInstancesStateRequest { Cluster = _cluster, ContainerInstances = [.. chunk.Select(c => c.Arn)], Status = status },
                cancellationToken).ConfigureAwait(false);
            if (response.Failures is { Count: > 0 } failures)
            {
                var byArn = chunk.ToDictionary(c => c.Arn, c => c.InstanceId, StringComparer.Ordinal);
                throw new HostDrainException($"ECS did not set {status}: " + string.Join("; ", failures.Select(f => $"{(f.Arn is not null && byArn.TryGetValue(f.Arn, out var id) ? id : f.Arn)} {f.Reason}{(f.Detail is null ? string.Empty : $" ({f.Detail})")}")) + ".");
            }
        }
    }

    /// <summary>The hosts that still run tasks other than daemon service tasks, with a description of those tasks.</summary>
    private async Task<SortedDictionary<string, string>> RemainingAsync(List<(string InstanceId, string Arn)> instances, CancellationToken cancellationToken)
    {
        var remaining = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var strategies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in instances.Chunk(DescribeBatch))
        {
            var described = await _ecs.DescribeContainerInstancesAsync(new DescribeContainerInstancesRequest { Cluster = _cluster, ContainerInstances = [.. chunk.Select(c => c.Arn)] }, cancellationToken).ConfigureAwait(false);
            foreach (var (instanceId, arn) in chunk)
            {
                var instance = described.ContainerInstances?.FirstOrDefault(i => i.ContainerInstanceArn == arn)
                    ?? throw new HostDrainException($"{instanceId}'s container instance is no longer in cluster {_cluster} (deregistered during the drain?).");
                var count = (instance.RunningTasksCount ?? 0) + (instance.PendingTasksCount ?? 0);
                if (count == 0)
                {
                    continue;
                }

                // runningTasksCount includes the daemon tasks (ECS stops them last), which never move: leave them out.
                var groups = await GroupsAsync(arn, cancellationToken).ConfigureAwait(false);
                await LearnStrategiesAsync(groups, strategies, cancellationToken).ConfigureAwait(false);
                var daemons = groups.Count(g => g.StartsWith("service:", StringComparison.Ordinal) && strategies.GetValueOrDefault(g[8..]) == "DAEMON");
                var others = groups.Where(g => !(g.StartsWith("service:", StringComparison.Ordinal) && strategies.GetValueOrDefault(g[8..]) == "DAEMON")).ToList();
                if (count - daemons <= 0)
                {
                    continue;
                }

                var named = others.GroupBy(g => g, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Invariant($"{g.Key} ×{g.Count()}"));
                var stopping = count - daemons - others.Count;
                remaining[instanceId] = Invariant($"{count - daemons} task{(count - daemons == 1 ? string.Empty : "s")} (")
                    + string.Join(", ", named.Concat(stopping > 0 ? [Invariant($"{stopping} stopping")] : []))
                    + ")";
            }
        }

        return remaining;
    }

    /// <summary>The groups (<c>service:name</c>, <c>family:name</c>) of the tasks whose desired status is RUNNING on one container instance.</summary>
    private async Task<List<string>> GroupsAsync(string containerInstanceArn, CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        await foreach (var arn in _ecs.ListAllTasksAsync(new ListTasksRequest { Cluster = _cluster, ContainerInstance = containerInstanceArn, DesiredStatus = "RUNNING" }, cancellationToken).ConfigureAwait(false))
        {
            arns.Add(arn);
        }

        var groups = new List<string>();
        foreach (var chunk in arns.Chunk(DescribeBatch))
        {
            var tasks = await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = _cluster, Tasks = [.. chunk] }, cancellationToken).ConfigureAwait(false);
            groups.AddRange((tasks.Tasks ?? []).Select(t => t.Group ?? "task"));
        }

        return groups;
    }

    private async Task LearnStrategiesAsync(List<string> groups, Dictionary<string, string> strategies, CancellationToken cancellationToken)
    {
        var unknown = groups.Where(g => g.StartsWith("service:", StringComparison.Ordinal)).Select(g => g[8..]).Distinct(StringComparer.Ordinal).Where(s => !strategies.ContainsKey(s)).ToList();
        foreach (var chunk in unknown.Chunk(10))
        {
            var response = await _ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = _cluster, Services = [.. chunk] }, cancellationToken).ConfigureAwait(false);
            foreach (var service in response.Services ?? [])
            {
                if (service.ServiceName is { } name)
                {
                    strategies[name] = service.SchedulingStrategy ?? "REPLICA";
                }
            }

            foreach (var name in chunk.Where(n => !strategies.ContainsKey(n)))
            {
                strategies[name] = "REPLICA";
            }
        }
    }

    /// <summary>The IAM actions of <see cref="EcsHostDrainer"/>; whoever runs <c>ottkit patch install</c> needs them with <see cref="PatchRunner.RequiredPermissions.Install"/>.</summary>
    public static class RequiredPermissions
    {
        /// <summary>Draining and re-activating hosts: finding their container instances, changing their status, and reading what still runs on them.</summary>
        public static ImmutableArray<RequiredAction> Drain { get; } =
        [
            new("ecs:ListContainerInstances", PermissionScope.EcsClusterArn),
            new("ecs:DescribeContainerInstances", PermissionScope.EcsContainerInstance),
            new("ecs:UpdateContainerInstancesState", PermissionScope.EcsContainerInstance),
            new("ecs:ListTasks", PermissionScope.EcsCluster),
            new("ecs:DescribeTasks", PermissionScope.EcsTask),
            new("ecs:DescribeServices", PermissionScope.EcsService),
        ];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "Cluster {Cluster}: container instances of {Hosts} set DRAINING")]
        public static partial void Draining(ILogger logger, string cluster, IReadOnlyList<string> hosts);

        [LoggerMessage(EventId = 2312, Level = LogLevel.Information, Message = "Waiting for tasks to move: {Remaining}")]
        public static partial void Waiting(ILogger logger, IReadOnlyDictionary<string, string> remaining);

        [LoggerMessage(EventId = 2313, Level = LogLevel.Information, Message = "Cluster {Cluster}: container instances of {Hosts} set ACTIVE")]
        public static partial void Activated(ILogger logger, string cluster, IReadOnlyList<string> hosts);
    }
}

/// <summary>Polling and timeout of an <see cref="EcsHostDrainer"/>.</summary>
public sealed class EcsHostDrainerOptions
{
    /// <summary>How often the hosts' tasks are polled; 15 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the service tasks may take to move off a batch; 30 min (a deployment's bake and a target group's deregistration delay fit in it).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is not positive; the message names it.</exception>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"PollInterval: {PollInterval} must be positive.", nameof(PollInterval));
        }

        if (DrainTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"DrainTimeout: {DrainTimeout} must be positive.", nameof(DrainTimeout));
        }
    }
}

/// <summary>Draining or re-activating ECS hosts failed; the message says which hosts and why.</summary>
public sealed class HostDrainException : OttKitDeploymentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public HostDrainException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public HostDrainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public HostDrainException()
    {
    }

    /// <summary>Whether the failure came before any host was set DRAINING (so none needs to be set ACTIVE again).</summary>
    public bool NothingDrained { get; init; }
}
