using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;
using EcsDeployment = Workmates.OttKit.Aws.Ecs.Model.Deployment;

namespace Workmates.OttKit.Deployment;

/// <summary>
/// Deploys an image to an ECS service and watches the rollout to an honest verdict: the Service Deployments API is
/// the source of truth, so a circuit-breaker or alarm rollback is reported as the failure it is.
/// </summary>
public sealed partial class ServiceDeployer
{
    private static readonly HashSet<string> InFlightStatuses =
        ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"];

    private readonly IEcsApi _ecs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a deployer.</summary>
    /// <param name="ecs">The ECS API.</param>
    /// <param name="timeProvider">The clock for polling and deadlines; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ecs"/> is null.</exception>
    public ServiceDeployer(IEcsApi ecs, TimeProvider? timeProvider = null, ILogger<ServiceDeployer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ecs);
        _ecs = ecs;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Registers a revision of the service's current task definition that changes only the image of one container
    /// (plus the environment, secrets, cpu and memory the options ask for), updates the service to it and watches.
    /// </summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="image">The image to run.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch (the deployment itself goes on in ECS).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    /// <exception cref="ServiceDeploymentException">The service is missing, the container is missing, or a deployment is in progress and the policy refuses.</exception>
    public async Task<ServiceDeploymentResult> DeployImageAsync(
        string cluster, string service, string image, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        options ??= new ServiceDeployOptions();
        options.Validate();

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
            await WatchAsync(cluster, service, options, cancellationToken).ConfigureAwait(false);
            current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        }

        var described = await _ecs.DescribeTaskDefinitionAsync(
            new DescribeTaskDefinitionRequest { TaskDefinition = current.TaskDefinition, Include = ["TAGS"] }, cancellationToken).ConfigureAwait(false);
        var definition = described.TaskDefinition!;
        var container = PickContainer(definition.ContainerDefinitions ?? [], options.ContainerName)
            ?? throw new ServiceDeploymentException(
                ServiceDeploymentErrorKind.ContainerNotFound, cluster, service,
                $"Task definition '{definition.TaskDefinitionArn}' has no container '{options.ContainerName}'; name one of: {string.Join(", ", (definition.ContainerDefinitions ?? []).Select(c => c.Name))}.");

        var primary = current.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
        var asksMore = options.Environment.Count > 0 || options.Secrets.Count > 0 || options.Cpu is not null || options.Memory is not null;
        if (!asksMore && container.Image == image && primary is { RolloutState: "COMPLETED" } && primary.TaskDefinition == definition.TaskDefinitionArn)
        {
            var events = new List<DeploymentEvent>();
            var noChange = new ServiceDeploymentResult
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
            Emit(options, events, new DeploymentTerminal(_time.GetUtcNow(), noChange));
            return noChange;
        }

        var request = RegisterTaskDefinitionRequest.FromTaskDefinition(definition, described.Tags is { Count: > 0 } tags ? tags : null);
        Apply(request, container.Name, image, options);
        var registered = await _ecs.RegisterTaskDefinitionAsync(request, cancellationToken).ConfigureAwait(false);
        var newArn = registered.TaskDefinition!.TaskDefinitionArn!;
        var sink = new List<DeploymentEvent>();
        Emit(options, sink, new RevisionRegistered(_time.GetUtcNow(), newArn, image));

        var updated = await _ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = cluster, Service = service, TaskDefinition = newArn }, cancellationToken).ConfigureAwait(false);
        var deploymentArn = updated.Service?.CurrentServiceDeployment
            ?? (await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false)).CurrentServiceDeployment
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service, "UpdateService started no service deployment.");
        Emit(options, sink, new DeploymentStarted(_time.GetUtcNow(), deploymentArn, newArn));
        return await WatchCoreAsync(new Watch(cluster, service, deploymentArn, newArn, options, sink, IsRollback: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attaches to the service's current deployment (e.g. after a restart) and watches it to its verdict.</summary>
    /// <param name="cluster">Cluster name or ARN.</param>
    /// <param name="service">Service name or ARN.</param>
    /// <param name="options">Options (polling, deadline, rollback on timeout, progress); defaults when null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The verdict; the same one the watcher that started the deployment would reach.</returns>
    /// <exception cref="ServiceDeploymentException">The service is missing or has no service deployment.</exception>
    public async Task<ServiceDeploymentResult> WatchAsync(
        string cluster, string service, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        options ??= new ServiceDeployOptions();
        options.Validate();

        var current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        var arn = current.CurrentServiceDeployment
            ?? throw new ServiceDeploymentException(ServiceDeploymentErrorKind.NothingToWatch, cluster, service, $"Service '{service}' has no service deployment to watch.");
        var deployment = await DescribeServiceDeploymentAsync(arn, cancellationToken).ConfigureAwait(false);
        var target = deployment.TargetServiceRevision?.Arn;
        var deployed = target is null ? current.TaskDefinition : (await TaskDefinitionsOfRevisionsAsync([target], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(target);
        var sink = new List<DeploymentEvent>();
        Emit(options, sink, new DeploymentStarted(_time.GetUtcNow(), arn, deployed ?? string.Empty));
        return await WatchCoreAsync(new Watch(cluster, service, arn, deployed, options, sink, IsRollback: false), cancellationToken).ConfigureAwait(false);
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
    public async Task<ServiceDeploymentResult> RollbackAsync(
        string cluster, string service, string? toRevision = null, bool deregisterBad = false, ServiceDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        options ??= new ServiceDeployOptions();
        options.Validate();

        var current = await DescribeServiceAsync(cluster, service, cancellationToken).ConfigureAwait(false);
        var bad = current.TaskDefinition;
        var sink = new List<DeploymentEvent>();
        ServiceDeploymentResult result;
        if (IsInFlight(current) && current.CurrentServiceDeployment is { } inFlight)
        {
            await _ecs.StopServiceDeploymentAsync(
                new StopServiceDeploymentRequest { ServiceDeploymentArn = inFlight, StopType = "ROLLBACK" }, cancellationToken).ConfigureAwait(false);
            Emit(options, sink, new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, "StopServiceDeployment(ROLLBACK) requested."));
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
            Emit(options, sink, new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, $"Redeploying {target}."));
            Emit(options, sink, new DeploymentStarted(_time.GetUtcNow(), arn, updated.Service?.TaskDefinition ?? target));
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

    private sealed record Watch(
        string Cluster, string Service, string DeploymentArn, string? DeployedTaskDefinition, ServiceDeployOptions Options, List<DeploymentEvent> Sink, bool IsRollback);

    private async Task<ServiceDeploymentResult> WatchCoreAsync(Watch watch, CancellationToken cancellationToken)
    {
        var options = watch.Options;
        var deadline = _time.GetUtcNow() + options.Timeout;
        var seenEvents = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<string>();
        TasksProgress? lastProgress = null;
        var rollbackAnnounced = watch.IsRollback;
        var stoppedByUs = false;
        var timedOut = false;
        DateTimeOffset? since = null;
        var attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var delay = PollingBackoff.Delay(attempt++, options.InitialPollInterval, options.PollBackoffFactor, options.MaxPollInterval);
            try
            {
                var deployment = await DescribeServiceDeploymentAsync(watch.DeploymentArn, cancellationToken).ConfigureAwait(false);
                var service = await DescribeServiceAsync(watch.Cluster, watch.Service, cancellationToken).ConfigureAwait(false);
                since ??= ToOffset(deployment.CreatedAt) ?? _time.GetUtcNow();
                foreach (var e in (service.Events ?? []).Where(e => e.Id is not null && ToOffset(e.CreatedAt) >= since).Reverse())
                {
                    if (seenEvents.Add(e.Id!))
                    {
                        messages.Add(e.Message ?? string.Empty);
                        Emit(options, watch.Sink, new ServiceEventObserved(ToOffset(e.CreatedAt) ?? _time.GetUtcNow(), e.Message ?? string.Empty));
                    }
                }

                var primary = service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");
                if (primary is not null)
                {
                    var progress = new TasksProgress(_time.GetUtcNow(), primary.RunningCount ?? 0, primary.PendingCount ?? 0, primary.FailedTasks ?? 0, primary.RolloutState);
                    if (lastProgress is null || lastProgress with { At = progress.At } != progress)
                    {
                        lastProgress = progress;
                        Emit(options, watch.Sink, progress);
                    }
                }

                var status = deployment.Status ?? string.Empty;
                if (!rollbackAnnounced && status.StartsWith("ROLLBACK_", StringComparison.Ordinal))
                {
                    rollbackAnnounced = true;
                    Emit(options, watch.Sink, new RollbackStarted(_time.GetUtcNow(), TriggerOf(deployment, stoppedByUs), deployment.Rollback?.Reason ?? deployment.StatusReason));
                }

                if (!InFlightStatuses.Contains(status))
                {
                    return Finish(watch, Verdict(watch, deployment, service, primary, messages, stoppedByUs, timedOut));
                }

                if (_time.GetUtcNow() >= deadline)
                {
                    if (timedOut || !options.RollbackOnTimeout || status.StartsWith("ROLLBACK_", StringComparison.Ordinal))
                    {
                        return Finish(watch, TimedOutResult(watch, deployment, primary, messages));
                    }

                    // The rollback gets a fresh deadline of its own; a second expiry ends the watch.
                    timedOut = true;
                    stoppedByUs = true;
                    deadline = _time.GetUtcNow() + options.Timeout;
                    attempt = 0;
                    LogStoppingAfterTimeout(_logger, watch.Service, watch.DeploymentArn);
                    await _ecs.StopServiceDeploymentAsync(
                        new StopServiceDeploymentRequest { ServiceDeploymentArn = watch.DeploymentArn, StopType = "ROLLBACK" }, cancellationToken).ConfigureAwait(false);
                    rollbackAnnounced = true;
                    Emit(options, watch.Sink, new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, $"Timed out after {options.Timeout}; StopServiceDeployment(ROLLBACK) requested."));
                    delay = options.InitialPollInterval;
                }
            }
            catch (AmazonServiceException error) when (IsTransient(error))
            {
                // The SDK already retried; a poll that still fails is skipped and the watcher slows down.
                delay = PollingBackoff.AfterThrottling(delay, options.MaxPollInterval);
                Emit(options, watch.Sink, new PollThrottled(_time.GetUtcNow(), error.ErrorCode, delay));
                if (_time.GetUtcNow() >= deadline)
                {
                    return Finish(watch, TimedOutResult(watch, null, null, messages));
                }
            }

            var sleep = PollingBackoff.Clamp(delay, _time.GetUtcNow(), deadline);
            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ServiceDeploymentResult Finish(Watch watch, ServiceDeploymentResult result)
    {
        LogVerdict(_logger, result.Service, result.Outcome, result.RunningTaskDefinition, result.Reason);
        Emit(watch.Options, watch.Sink, new DeploymentTerminal(_time.GetUtcNow(), result));
        return result;
    }

    private ServiceDeploymentResult Verdict(
        Watch watch, ServiceDeployment deployment, Service service, EcsDeployment? primary, List<string> messages, bool stoppedByUs, bool timedOut)
    {
        var status = deployment.Status!;
        var running = primary?.TaskDefinition ?? service.TaskDefinition;
        var rolledBack = status == "ROLLBACK_SUCCESSFUL";
        var outcome = status switch
        {
            _ when timedOut => ServiceDeploymentOutcome.TimedOut,
            "SUCCESSFUL" => ServiceDeploymentOutcome.Succeeded,
            "ROLLBACK_SUCCESSFUL" => watch.IsRollback ? ServiceDeploymentOutcome.Succeeded : ServiceDeploymentOutcome.RolledBack,
            _ => ServiceDeploymentOutcome.Failed,
        };
        return new ServiceDeploymentResult
        {
            Outcome = outcome,
            Cluster = watch.Cluster,
            Service = watch.Service,
            ServiceDeploymentArn = watch.DeploymentArn,
            DeployedTaskDefinition = watch.DeployedTaskDefinition,
            RunningTaskDefinition = running,
            RolledBackTo = rolledBack ? running : null,
            RollbackTrigger = rolledBack ? TriggerOf(deployment, stoppedByUs || watch.IsRollback) : null,
            Status = status,
            Reason = deployment.Rollback?.Reason ?? deployment.StatusReason ?? primary?.RolloutStateReason,
            FinishedAt = ToOffset(deployment.FinishedAt) ?? ToOffset(deployment.StoppedAt) ?? ToOffset(deployment.UpdatedAt),
            VerdictAt = _time.GetUtcNow(),
            Events = [.. messages],
        };
    }

    private ServiceDeploymentResult TimedOutResult(Watch watch, ServiceDeployment? deployment, EcsDeployment? primary, List<string> messages) => new()
    {
        Outcome = ServiceDeploymentOutcome.TimedOut,
        Cluster = watch.Cluster,
        Service = watch.Service,
        ServiceDeploymentArn = watch.DeploymentArn,
        DeployedTaskDefinition = watch.DeployedTaskDefinition,
        RunningTaskDefinition = primary?.TaskDefinition,
        Status = deployment?.Status,
        Reason = $"No verdict within {watch.Options.Timeout}; the deployment is still {deployment?.Status ?? "unknown"}.",
        VerdictAt = _time.GetUtcNow(),
        Events = [.. messages],
    };

    private static RollbackTrigger TriggerOf(ServiceDeployment deployment, bool stopped) =>
        deployment.DeploymentCircuitBreaker?.Status == "TRIGGERED" ? RollbackTrigger.CircuitBreaker
        : deployment.Alarms?.Status == "TRIGGERED" ? RollbackTrigger.Alarm
        : stopped ? RollbackTrigger.Stopped
        : RollbackTrigger.Unknown;

    private static bool IsTransient(AmazonServiceException error) =>
        (error is EcsException ecs && ecs.IsThrottling) || (int)error.StatusCode >= 500;

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

    private void Emit(ServiceDeployOptions options, List<DeploymentEvent> sink, DeploymentEvent deploymentEvent)
    {
        sink.Add(deploymentEvent);
        LogEvent(_logger, deploymentEvent);
        options.Progress?.Report(deploymentEvent);
    }

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, v.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : v.Kind).ToUniversalTime()) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment event {Event}")]
    private static partial void LogEvent(ILogger logger, DeploymentEvent @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service {Service}: waiting for in-flight deployment {Deployment}")]
    private static partial void LogWaiting(ILogger logger, string service, string? deployment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Service}: deployment {Deployment} timed out; stopping it with rollback")]
    private static partial void LogStoppingAfterTimeout(ILogger logger, string service, string deployment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Service {Service}: {Outcome}, running {Running} ({Reason})")]
    private static partial void LogVerdict(ILogger logger, string service, ServiceDeploymentOutcome outcome, string? running, string? reason);
}
