using Amazon.Runtime;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;

using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Deployment;

/// <summary>
/// Deploys an image to an ECS service and watches the rollout to an honest verdict: the Service Deployments API is
/// the source of truth, so a circuit-breaker, alarm or fail-fast rollback is reported as the failure it is. With a
/// load-balancer and a CloudWatch client it also reports the targets' health and the deployment alarms.
/// </summary>
/// <remarks>
/// Every operation has two forms over one code path: <c>…EventsAsync</c> streams the typed
/// <see cref="DeploymentEvent"/>s (the last one is always <see cref="DeploymentTerminal"/>), and the
/// <see cref="Task{TResult}"/> form consumes that stream, forwards each event to
/// <see cref="ServiceDeployOptions.Progress"/> and returns the terminal result.
/// </remarks>
public sealed partial class ServiceDeployer
{
    private static readonly HashSet<string> InFlightStatuses =
        ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"];

    private readonly IEcsApi _ecs;
    private readonly IElasticLoadBalancingV2Api? _elb;
    private readonly ICloudWatchApi? _cloudWatch;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a deployer that watches through ECS only (no target health, no alarm states, no fail-fast).</summary>
    /// <param name="ecs">The ECS API.</param>
    /// <param name="timeProvider">The clock for polling and deadlines; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ecs"/> is null.</exception>
    public ServiceDeployer(IEcsApi ecs, TimeProvider? timeProvider = null, ILogger<ServiceDeployer>? logger = null)
        : this(ecs, null, null, timeProvider, logger)
    {
    }

    /// <summary>Creates a deployer that also reads target health and the deployment alarms while watching.</summary>
    /// <param name="ecs">The ECS API.</param>
    /// <param name="loadBalancing">The ELBv2 API for DescribeTargetHealth; null to skip target health (and fail-fast).</param>
    /// <param name="cloudWatch">The CloudWatch API for DescribeAlarms; null to skip alarm states.</param>
    /// <param name="timeProvider">The clock for polling and deadlines; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ecs"/> is null.</exception>
    public ServiceDeployer(
        IEcsApi ecs, IElasticLoadBalancingV2Api? loadBalancing, ICloudWatchApi? cloudWatch, TimeProvider? timeProvider = null, ILogger<ServiceDeployer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        _ecs = ecs;
        _elb = loadBalancing;
        _cloudWatch = cloudWatch;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Registers a revision of the service's current task definition that changes only the image of one container
    /// (plus the environment, secrets, cpu and memory the options ask for), updates the service to it and watches.
    /// </summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="image">The image to run: a full image URI, or a bare tag (no '/' and no ':') that replaces the tag of the container's current image.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch (the deployment itself goes on in ECS).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="Blueprint.OttKitValidationException">The options are invalid; the message names each option and its fix.</exception>
    /// <exception cref="ServiceDeploymentException">The service is missing, the container is missing, or a deployment is in progress and the policy refuses.</exception>
    public Task<ServiceDeploymentResult> DeployImageAsync(
        string cluster, string service, string image, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        return ConsumeAsync(StreamAsync((sink, ct) => DeployCoreAsync(cluster, service, image, options, sink, ct), cancellationToken), options);
    }

    /// <summary>The event stream of <see cref="DeployImageAsync"/>; the last event is the <see cref="DeploymentTerminal"/>.</summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="image">The image URI or bare tag.</param>
    /// <param name="options">Options (<see cref="ServiceDeployOptions.Progress"/> is not called by the stream); defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The events as they happen; enumeration throws what <see cref="DeployImageAsync"/> throws.</returns>
    public IAsyncEnumerable<DeploymentEvent> DeployImageEventsAsync(
        string cluster, string service, string image, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        return StreamAsync((sink, ct) => DeployCoreAsync(cluster, service, image, options, sink, ct), cancellationToken);
    }

    /// <summary>Attaches to the service's current deployment (e.g. after a restart) and watches it to its verdict.</summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="options">Options (polling, deadline, rollback on timeout, fail-fast, progress); defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The verdict; the same one the watcher that started the deployment would reach.</returns>
    /// <exception cref="ServiceDeploymentException">The service is missing or has no service deployment.</exception>
    public Task<ServiceDeploymentResult> WatchAsync(
        string cluster, string service, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        return ConsumeAsync(StreamAsync((sink, ct) => AttachCoreAsync(cluster, service, options, sink, ct), cancellationToken), options);
    }

    /// <summary>The event stream of <see cref="WatchAsync"/>; the last event is the <see cref="DeploymentTerminal"/>.</summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The events as they happen.</returns>
    public IAsyncEnumerable<DeploymentEvent> WatchEventsAsync(
        string cluster, string service, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        return StreamAsync((sink, ct) => AttachCoreAsync(cluster, service, options, sink, ct), cancellationToken);
    }

    /// <summary>
    /// Rolls the service back: if a deployment is in flight, stops it with StopServiceDeployment(ROLLBACK); otherwise
    /// deploys <paramref name="toRevision"/> or the previous revision that completed. Watches to the verdict.
    /// </summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="toRevision">A task definition (ARN or family:revision); null for the previous completed one (ignored when a deployment is in flight).</param>
    /// <param name="deregisterBad">Deregister the revision rolled away from once the rollback succeeded.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns><see cref="ServiceDeploymentOutcome.Succeeded"/> with <see cref="ServiceDeploymentResult.RolledBackTo"/> when the service is back.</returns>
    /// <exception cref="ServiceDeploymentException">The service is missing or there is no earlier completed revision.</exception>
    public Task<ServiceDeploymentResult> RollbackAsync(
        string cluster, string service, string? toRevision = null, bool deregisterBad = false, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        return ConsumeAsync(StreamAsync((sink, ct) => RollbackCoreAsync(cluster, service, toRevision, deregisterBad, options, sink, ct), cancellationToken), options);
    }

    /// <summary>The event stream of <see cref="RollbackAsync"/>; the last event is the <see cref="DeploymentTerminal"/>.</summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="toRevision">A task definition, or null for the previous completed one.</param>
    /// <param name="deregisterBad">Deregister the revision rolled away from once the rollback succeeded.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The events as they happen.</returns>
    public IAsyncEnumerable<DeploymentEvent> RollbackEventsAsync(
        string cluster, string service, string? toRevision = null, bool deregisterBad = false, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(cluster, service, options);
        return StreamAsync((sink, ct) => RollbackCoreAsync(cluster, service, toRevision, deregisterBad, options, sink, ct), cancellationToken);
    }

    private static ServiceDeployOptions Check(string cluster, string service, ServiceDeployOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        options ??= new ServiceDeployOptions();
        options.Validate();
        return options;
    }

    private static async Task<ServiceDeploymentResult> ConsumeAsync(IAsyncEnumerable<DeploymentEvent> events, ServiceDeployOptions options)
    {
        ServiceDeploymentResult? result = null;
        await foreach (var deploymentEvent in events.ConfigureAwait(false))
        {
            options.Progress?.Report(deploymentEvent);
            if (deploymentEvent is DeploymentTerminal terminal)
            {
                result = terminal.Result;
            }
        }

        return result ?? throw new InvalidOperationException("The deployment ended without a verdict.");
    }

    // One code path: the operation writes its events into a channel and the stream reads them; the terminal event
    // is written once the operation returned, so it is always last. Leaving the enumeration early stops the operation.
    private async IAsyncEnumerable<DeploymentEvent> StreamAsync(
        Func<EventSink, CancellationToken, Task<ServiceDeploymentResult>> operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<DeploymentEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sink = new EventSink(channel.Writer, _logger);
        var work = RunAsync();
        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var deploymentEvent))
                {
                    yield return deploymentEvent;
                }
            }

            await work.ConfigureAwait(false);
        }
        finally
        {
            if (!work.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The consumer left; the operation stopped with it.
                }
            }
        }

        async Task RunAsync()
        {
            try
            {
                var result = await operation(sink, stop.Token).ConfigureAwait(false);
                LogVerdict(_logger, result.Service, result.Outcome, result.RunningTaskDefinition, result.Reason);
                sink.Emit(new DeploymentTerminal(_time.GetUtcNow(), result));
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }
    }

    private async Task<ServiceDeploymentResult> DeployCoreAsync(
        string cluster, string service, string image, ServiceDeployOptions options, EventSink sink, CancellationToken cancellationToken)
    {
        var current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        if (IsInFlight(current))
        {
            if (options.WhenDeploymentInProgress == InFlightDeploymentPolicy.Refuse)
            {
                throw new ServiceDeploymentException(
                    ServiceDeploymentErrorKind.DeploymentInProgress, cluster, service,
                    $"Service '{service}' in cluster '{cluster}' has a deployment in progress ({current.CurrentServiceDeployment}); wait for it, roll it back, or deploy with WhenDeploymentInProgress = Wait.",
                    current.CurrentServiceDeployment);
            }

            LogWaiting(_logger, service, current.CurrentServiceDeployment);
            await AttachCoreAsync(cluster, service, options, sink, cancellationToken).ConfigureAwait(false);
            current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        }

        var described = await _ecs.DescribeTaskDefinitionAsync(
            new DescribeTaskDefinitionRequest { TaskDefinition = current.TaskDefinition, Include = ["TAGS"] }, cancellationToken).ConfigureAwait(false);
        var definition = described.TaskDefinition!;
        var container = PickContainer(definition.ContainerDefinitions ?? [], options.ContainerName)
            ?? throw new ServiceDeploymentException(
                ServiceDeploymentErrorKind.ContainerNotFound, cluster, service,
                $"Task definition '{definition.TaskDefinitionArn}' has no container '{options.ContainerName}'; name one of: {string.Join(", ", (definition.ContainerDefinitions ?? []).Select(c => c.Name))}.");
        image = ImageReference.Resolve(container.Image, image);

        var primary = current.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
        var asksMore = options.Environment.Count > 0 || options.Secrets.Count > 0 || options.Cpu is not null || options.Memory is not null;
        if (!asksMore && container.Image == image && primary is { RolloutState: "COMPLETED" } && primary.TaskDefinition == definition.TaskDefinitionArn)
        {
            return new ServiceDeploymentResult
            {
                Outcome = ServiceDeploymentOutcome.NoChange,
                Cluster = cluster,
                Service = service,
                DeployedTaskDefinition = definition.TaskDefinitionArn,
                RunningTaskDefinition = definition.TaskDefinitionArn,
                Status = primary.RolloutState,
                Reason = $"Image '{image}' is already PRIMARY and COMPLETED.",
                VerdictAt = _time.GetUtcNow(),
            };
        }

        var request = RegisterTaskDefinitionRequest.FromTaskDefinition(definition, described.Tags is { Count: > 0 } tags ? tags : null);
        Apply(request, container.Name, image, options);
        var registered = await _ecs.RegisterTaskDefinitionAsync(request, cancellationToken).ConfigureAwait(false);
        var newArn = registered.TaskDefinition!.TaskDefinitionArn!;
        sink.Emit(new RevisionRegistered(_time.GetUtcNow(), newArn, image));

        var updated = await _ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = cluster, Service = service, TaskDefinition = newArn }, cancellationToken).ConfigureAwait(false);
        var deploymentArn = updated.Service?.CurrentServiceDeployment
            ?? (await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false)).CurrentServiceDeployment
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service, "UpdateService started no service deployment.");
        sink.Emit(new DeploymentStarted(_time.GetUtcNow(), deploymentArn, newArn));
        return await WatchCoreAsync(new Watch(cluster, service, deploymentArn, newArn, options, sink, IsRollback: false), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ServiceDeploymentResult> AttachCoreAsync(string cluster, string service, ServiceDeployOptions options, EventSink sink, CancellationToken cancellationToken)
    {
        var current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        var arn = current.CurrentServiceDeployment
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service, $"Service '{service}' has no service deployment to watch.");
        var deployment = await DescribeServiceDeploymentAsync(arn, cancellationToken).ConfigureAwait(false);
        var target = deployment.TargetServiceRevision?.Arn;
        var deployed = target is null ? current.TaskDefinition : (await TaskDefinitionsOfRevisionsAsync([target], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(target);
        sink.Emit(new DeploymentStarted(_time.GetUtcNow(), arn, deployed ?? string.Empty));
        return await WatchCoreAsync(new Watch(cluster, service, arn, deployed, options, sink, IsRollback: false), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ServiceDeploymentResult> RollbackCoreAsync(
        string cluster, string service, string? toRevision, bool deregisterBad, ServiceDeployOptions options, EventSink sink, CancellationToken cancellationToken)
    {
        var current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        var bad = current.TaskDefinition;
        ServiceDeploymentResult result;
        if (IsInFlight(current) && current.CurrentServiceDeployment is { } inFlight)
        {
            await _ecs.StopServiceDeploymentAsync(
                new StopServiceDeploymentRequest { ServiceDeploymentArn = inFlight, StopType = "ROLLBACK" }, cancellationToken).ConfigureAwait(false);
            sink.Emit(new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, "StopServiceDeployment(ROLLBACK) requested."));
            result = await WatchCoreAsync(new Watch(cluster, service, inFlight, bad, options, sink, IsRollback: true), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var target = toRevision ?? await PreviousCompletedRevisionAsync(cluster, service, bad, cancellationToken).ConfigureAwait(false)
                ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service,
                    $"Service '{service}' has no earlier successfully deployed revision; pass toRevision.");
            var updated = await _ecs.UpdateServiceAsync(
                new UpdateServiceRequest { Cluster = cluster, Service = service, TaskDefinition = target }, cancellationToken).ConfigureAwait(false);
            var arn = updated.Service?.CurrentServiceDeployment
                ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service, "UpdateService started no service deployment.");
            sink.Emit(new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, $"Redeploying {target}."));
            sink.Emit(new DeploymentStarted(_time.GetUtcNow(), arn, updated.Service?.TaskDefinition ?? target));
            result = await WatchCoreAsync(new Watch(cluster, service, arn, updated.Service?.TaskDefinition ?? target, options, sink, IsRollback: true), cancellationToken).ConfigureAwait(false);
            if (result.Outcome == ServiceDeploymentOutcome.Succeeded)
            {
                result = result with { RolledBackTo = result.RunningTaskDefinition, RollbackTrigger = RollbackTrigger.Stopped };
            }
        }

        if (deregisterBad && result.IsSuccess && bad is not null && bad != result.RunningTaskDefinition)
        {
            await _ecs.DeregisterTaskDefinitionAsync(new DeregisterTaskDefinitionRequest { TaskDefinition = bad }, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Where a running operation writes its events: the log and the stream's channel.</summary>
    private sealed class EventSink(ChannelWriter<DeploymentEvent> writer, ILogger logger)
    {
        public void Emit(DeploymentEvent deploymentEvent)
        {
            LogEvent(logger, deploymentEvent);
            writer.TryWrite(deploymentEvent);
        }
    }

    private static RollbackTrigger TriggerOf(ServiceDeployment deployment, bool stopped, bool failFast = false) =>
        failFast ? RollbackTrigger.FailFast
        : deployment.DeploymentCircuitBreaker?.Status == "TRIGGERED" ? RollbackTrigger.CircuitBreaker
        : deployment.Alarms?.Status == "TRIGGERED" ? RollbackTrigger.Alarm
        : stopped ? RollbackTrigger.Stopped
        : RollbackTrigger.Unknown;

    private static bool IsTransient(AmazonServiceException error) =>
        Aws.AwsErrorCodes.IsThrottling(error.ErrorCode) || (int)error.StatusCode >= 500;

    // In flight: ECS still has more than one deployment or the PRIMARY one has not completed.
    private static bool IsInFlight(Service service) =>
        service.Deployments is { } deployments && (deployments.Count > 1 || deployments.Any(d => d.RolloutState == "IN_PROGRESS"));

    private static ContainerDefinition? PickContainer(List<ContainerDefinition> containers, string? name) =>
        name is not null ? containers.FirstOrDefault(c => c.Name == name)
        : containers.Count == 1 ? containers[0]
        : containers.FirstOrDefault(c => c.Essential != false);

    private static void Apply(RegisterTaskDefinitionRequest request, string? containerName, string image, ServiceDeployOptions options)
    {
        var container = request.ContainerDefinitions!.First(c => c.Name == containerName);
        container.Image = image;
        if (options.Environment.Count > 0)
        {
            var environment = container.Environment ?? [];
            foreach (var (name, value) in options.Environment)
            {
                environment.RemoveAll(e => e.Name == name);
                environment.Add(new Aws.Ecs.Model.KeyValuePair { Name = name, Value = value });
            }

            container.Environment = environment;
        }

        if (options.Secrets.Count > 0)
        {
            var secrets = container.Secrets ?? [];
            foreach (var (name, valueFrom) in options.Secrets)
            {
                secrets.RemoveAll(e => e.Name == name);
                secrets.Add(new Secret { Name = name, ValueFrom = valueFrom });
            }

            container.Secrets = secrets;
        }

        request.Cpu = options.Cpu ?? request.Cpu;
        request.Memory = options.Memory ?? request.Memory;
    }

    private async Task<string?> PreviousCompletedRevisionAsync(string cluster, string service, string? current, CancellationToken cancellationToken)
    {
        var listed = await _ecs.ListServiceDeploymentsAsync(
            new ListServiceDeploymentsRequest { Cluster = cluster, Service = service, Status = ["SUCCESSFUL"], MaxResults = 20 }, cancellationToken).ConfigureAwait(false);
        var revisions = (listed.ServiceDeployments ?? []).Select(b => b.TargetServiceRevisionArn).OfType<string>().ToList();
        if (revisions.Count == 0)
        {
            return null;
        }

        var definitions = await TaskDefinitionsOfRevisionsAsync(revisions, cancellationToken).ConfigureAwait(false);
        return revisions.Select(r => definitions.GetValueOrDefault(r)).FirstOrDefault(td => td is not null && td != current);
    }

    private async Task<Dictionary<string, string>> TaskDefinitionsOfRevisionsAsync(List<string> revisionArns, CancellationToken cancellationToken)
    {
        var response = await _ecs.DescribeServiceRevisionsAsync(
            new DescribeServiceRevisionsRequest { ServiceRevisionArns = revisionArns }, cancellationToken).ConfigureAwait(false);
        return (response.ServiceRevisions ?? [])
            .Where(r => r.ServiceRevisionArn is not null && r.TaskDefinition is not null)
            .ToDictionary(r => r.ServiceRevisionArn!, r => r.TaskDefinition!, StringComparer.Ordinal);
    }

    private async Task<Service> DescribeServiceAsync(string cluster, string service, CancellationToken cancellationToken)
    {
        var response = await _ecs.DescribeServicesAsync(
            new DescribeServicesRequest { Cluster = cluster, Services = [service] }, cancellationToken).ConfigureAwait(false);
        return response.Services?.FirstOrDefault(s => s.Status != "INACTIVE")
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.ServiceNotFound, cluster, service,
                $"Service '{service}' was not found in cluster '{cluster}'; check the names and the region.");
    }

    private async Task<ServiceDeployment> DescribeServiceDeploymentAsync(string arn, CancellationToken cancellationToken)
    {
        var response = await _ecs.DescribeServiceDeploymentsAsync(
            new DescribeServiceDeploymentsRequest { ServiceDeploymentArns = [arn] }, cancellationToken).ConfigureAwait(false);
        return response.ServiceDeployments?.FirstOrDefault()
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, string.Empty, string.Empty,
                $"Service deployment '{arn}' was not found.", arn);
    }

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, v.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : v.Kind).ToUniversalTime()) : null;

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Deployment event {Event}")]
    private static partial void LogEvent(ILogger logger, DeploymentEvent @event);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Service {Service}: waiting for in-flight deployment {Deployment}")]
    private static partial void LogWaiting(ILogger logger, string service, string? deployment);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Service {Service}: deployment {Deployment} timed out; stopping it with rollback")]
    private static partial void LogStoppingAfterTimeout(ILogger logger, string service, string deployment);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Service {Service}: {Outcome}, running {Running} ({Reason})")]
    private static partial void LogVerdict(ILogger logger, string service, ServiceDeploymentOutcome outcome, string? running, string? reason);
}
