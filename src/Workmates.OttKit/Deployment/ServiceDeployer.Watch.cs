using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;
using EcsDeployment = Workmates.OttKit.Aws.Ecs.Model.Deployment;

namespace Workmates.OttKit.Deployment;

/// <summary>The watch loop: ECS polls with back-off, target health and alarms at their own pace, fail-fast, the deadline.</summary>
public sealed partial class ServiceDeployer
{
    private sealed record Watch(
        string Cluster, string Service, string DeploymentArn, string? DeployedTaskDefinition, ServiceDeployOptions Options, EventSink Sink, bool IsRollback);

    /// <summary>What one watch has learnt so far.</summary>
    private sealed class WatchState
    {
        public HashSet<string> SeenEvents { get; } = new(StringComparer.Ordinal);

        public List<string> Messages { get; } = [];

        public TasksProgress? LastProgress { get; set; }

        public bool RollbackAnnounced { get; set; }

        public bool StoppedByUs { get; set; }

        public bool TimedOut { get; set; }

        public bool FailFastTriggered { get; set; }

        public int UnhealthyChecks { get; set; }

        public DateTimeOffset? Since { get; set; }

        public Observations Observed { get; } = new();
    }

    private async Task<ServiceDeploymentResult> WatchCoreAsync(Watch watch, CancellationToken cancellationToken)
    {
        var options = watch.Options;
        var deadline = _time.GetUtcNow() + options.Timeout;
        var state = new WatchState { RollbackAnnounced = watch.IsRollback };
        var attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var delay = PollingBackoff.Delay(attempt++, options.InitialPollInterval, options.PollBackoffFactor, options.MaxPollInterval);
            try
            {
                var deployment = await DescribeServiceDeploymentAsync(watch.DeploymentArn, cancellationToken).ConfigureAwait(false);
                var service = await DescribeServiceAsync(watch.Cluster, watch.Service, cancellationToken).ConfigureAwait(false);
                state.Since ??= ToOffset(deployment.CreatedAt) ?? _time.GetUtcNow();
                ReportEcs(watch, state, service);
                var primary = service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY");

                var status = deployment.Status ?? string.Empty;
                if (!state.RollbackAnnounced && status.StartsWith("ROLLBACK_", StringComparison.Ordinal))
                {
                    state.RollbackAnnounced = true;
                    watch.Sink.Emit(new RollbackStarted(_time.GetUtcNow(), TriggerOf(deployment, state.StoppedByUs, state.FailFastTriggered), deployment.Rollback?.Reason ?? deployment.StatusReason));
                }

                if (!InFlightStatuses.Contains(status))
                {
                    return Verdict(watch, state, deployment, service, primary);
                }

                // Target health and alarms: only while the deployment is in flight, at most every HealthCheckInterval.
                await ObserveAsync(watch, state, deployment, service, primary, cancellationToken).ConfigureAwait(false);
                if (ShouldFailFast(watch, state, status))
                {
                    await FailFastAsync(watch, state, cancellationToken).ConfigureAwait(false);
                    delay = options.InitialPollInterval;
                    attempt = 1;
                }
                else if (options.FailFast && state.UnhealthyChecks > 0 && delay > options.HealthCheckInterval)
                {
                    // A new target is failing: take the next checks at the health-check pace, not the backed-off one.
                    delay = options.HealthCheckInterval;
                }

                if (_time.GetUtcNow() >= deadline)
                {
                    if (state.TimedOut || !options.RollbackOnTimeout || status.StartsWith("ROLLBACK_", StringComparison.Ordinal) || state.StoppedByUs)
                    {
                        return TimedOutResult(watch, state, deployment, primary);
                    }

                    // The rollback gets a fresh deadline of its own; a second expiry ends the watch.
                    state.TimedOut = true;
                    state.StoppedByUs = true;
                    deadline = _time.GetUtcNow() + options.Timeout;
                    attempt = 1;
                    LogStoppingAfterTimeout(_logger, watch.Service, watch.DeploymentArn);
                    await _ecs.StopServiceDeploymentAsync(
                        new StopServiceDeploymentRequest { ServiceDeploymentArn = watch.DeploymentArn, StopType = "ROLLBACK" }, cancellationToken).ConfigureAwait(false);
                    state.RollbackAnnounced = true;
                    watch.Sink.Emit(new RollbackStarted(_time.GetUtcNow(), RollbackTrigger.Stopped, $"Timed out after {options.Timeout}; StopServiceDeployment(ROLLBACK) requested."));
                    delay = options.InitialPollInterval;
                }
            }
            catch (AmazonServiceException error) when (IsTransient(error))
            {
                // The SDK already retried; a poll that still fails is skipped and the watcher slows down.
                delay = PollingBackoff.AfterThrottling(delay, options.MaxPollInterval);
                watch.Sink.Emit(new PollThrottled(_time.GetUtcNow(), error.ErrorCode, delay));
                if (_time.GetUtcNow() >= deadline)
                {
                    return TimedOutResult(watch, state, null, null);
                }
            }

            var sleep = PollingBackoff.Clamp(delay, _time.GetUtcNow(), deadline);
            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void ReportEcs(Watch watch, WatchState state, Service service)
    {
        foreach (var e in (service.Events ?? []).Where(e => e.Id is not null && ToOffset(e.CreatedAt) >= state.Since).Reverse())
        {
            if (state.SeenEvents.Add(e.Id!))
            {
                state.Messages.Add(e.Message ?? string.Empty);
                watch.Sink.Emit(new ServiceEventObserved(ToOffset(e.CreatedAt) ?? _time.GetUtcNow(), e.Message ?? string.Empty));
            }
        }

        if (service.Deployments?.FirstOrDefault(d => d.Status == "PRIMARY") is { } primary)
        {
            var progress = new TasksProgress(_time.GetUtcNow(), primary.RunningCount ?? 0, primary.PendingCount ?? 0, primary.FailedTasks ?? 0, primary.RolloutState);
            if (state.LastProgress is null || state.LastProgress with { At = progress.At } != progress)
            {
                state.LastProgress = progress;
                watch.Sink.Emit(progress);
            }
        }
    }

    // Fail-fast acts on a forward deployment only, once, and never after ECS or we started a rollback.
    private static bool ShouldFailFast(Watch watch, WatchState state, string status) =>
        watch.Options.FailFast && !watch.IsRollback && !state.StoppedByUs && !state.FailFastTriggered
        && status is "PENDING" or "IN_PROGRESS" && state.UnhealthyChecks >= watch.Options.FailFastUnhealthyChecks;

    private async Task FailFastAsync(Watch watch, WatchState state, CancellationToken cancellationToken)
    {
        var unhealthy = state.Observed.Targets.Where(t => t.IsNewTask && t.IsUnhealthy).ToList();
        try
        {
            await _ecs.StopServiceDeploymentAsync(
                new StopServiceDeploymentRequest { ServiceDeploymentArn = watch.DeploymentArn, StopType = "ROLLBACK" }, cancellationToken).ConfigureAwait(false);
        }
        catch (EcsException error) when (!error.IsThrottling && (int)error.StatusCode < 500)
        {
            // ECS already ended or is rolling back the deployment (ConflictException): the next poll tells which.
            LogFailFastRefused(_logger, watch.Service, error.ErrorCode);
            return;
        }

        state.FailFastTriggered = true;
        state.StoppedByUs = true;
        state.RollbackAnnounced = true;
        var detail = string.Join(", ", unhealthy.Select(t => $"{t.Id}:{t.Port} {t.Reason}"));
        watch.Sink.Emit(new RollbackStarted(
            _time.GetUtcNow(), RollbackTrigger.FailFast,
            $"Fail-fast: the new tasks' targets were unhealthy on {state.UnhealthyChecks} consecutive checks ({detail}); StopServiceDeployment(ROLLBACK) requested."));
    }

    private ServiceDeploymentResult Verdict(Watch watch, WatchState state, ServiceDeployment deployment, Service service, EcsDeployment? primary)
    {
        var status = deployment.Status!;
        var running = primary?.TaskDefinition ?? service.TaskDefinition;
        var rolledBack = status == "ROLLBACK_SUCCESSFUL";
        var outcome = status switch
        {
            _ when state.TimedOut => ServiceDeploymentOutcome.TimedOut,
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
            RollbackTrigger = rolledBack ? TriggerOf(deployment, state.StoppedByUs || watch.IsRollback, state.FailFastTriggered) : null,
            Status = status,
            Reason = deployment.Rollback?.Reason ?? deployment.StatusReason ?? primary?.RolloutStateReason,
            FinishedAt = ToOffset(deployment.FinishedAt) ?? ToOffset(deployment.StoppedAt) ?? ToOffset(deployment.UpdatedAt),
            VerdictAt = _time.GetUtcNow(),
            Events = [.. state.Messages],
            Targets = state.Observed.Targets,
            Alarms = state.Observed.Alarms,
        };
    }

    private ServiceDeploymentResult TimedOutResult(Watch watch, WatchState state, ServiceDeployment? deployment, EcsDeployment? primary) => new()
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
        Events = [.. state.Messages],
        Targets = state.Observed.Targets,
        Alarms = state.Observed.Alarms,
    };

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Service {Service}: fail-fast stop refused by ECS ({Code}); the deployment already ended or is rolling back")]
    private static partial void LogFailFastRefused(ILogger logger, string service, string? code);
}
