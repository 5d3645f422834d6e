using Amazon.Runtime;
using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2.Model;
using Task = System.Threading.Tasks.Task;
using EcsDeployment = Workmates.OttKit.Aws.Ecs.Model.Deployment;

namespace Workmates.OttKit.Deployment;

/// <summary>Target health (DescribeTargetHealth) and deployment alarms (DescribeAlarms) while watching.</summary>
public sealed partial class ServiceDeployer
{
    /// <summary>The last target health and alarm states, and which target belongs to which ECS deployment.</summary>
    private sealed class Observations
    {
        /// <summary>Target id (private IP) → the ECS deployment id that started its task; null when no running task has it.</summary>
        public Dictionary<string, string?> Owners { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<TargetState> Targets { get; set; } = [];

        public IReadOnlyList<AlarmState> Alarms { get; set; } = [];

        public DateTimeOffset? LastRead { get; set; }

        public bool TargetHealthUnavailable { get; set; }

        public bool AlarmsUnavailable { get; set; }
    }

    private async Task ObserveAsync(Watch watch, WatchState state, ServiceDeployment deployment, Service service, EcsDeployment? primary, CancellationToken cancellationToken)
    {
        var observed = state.Observed;
        var now = _time.GetUtcNow();
        if (observed.LastRead is { } last && now - last < watch.Options.HealthCheckInterval)
        {
            return;
        }

        observed.LastRead = now;
        var targetGroup = service.LoadBalancers?.Select(l => l.TargetGroupArn).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        if (_elb is not null && targetGroup is not null && !observed.TargetHealthUnavailable)
        {
            await ReadTargetHealthAsync(watch, state, targetGroup, primary, cancellationToken).ConfigureAwait(false);
        }

        var alarmNames = deployment.Alarms?.AlarmNames is { Count: > 0 } fromDeployment ? fromDeployment
            : service.DeploymentConfiguration?.Alarms is { Enable: true, AlarmNames: { Count: > 0 } configured } ? configured
            : null;
        if (_cloudWatch is not null && alarmNames is not null && !observed.AlarmsUnavailable)
        {
            await ReadAlarmsAsync(watch, observed, alarmNames, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadTargetHealthAsync(Watch watch, WatchState state, string targetGroup, EcsDeployment? primary, CancellationToken cancellationToken)
    {
        var observed = state.Observed;
        DescribeTargetHealthResponse response;
        try
        {
            response = await _elb!.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = targetGroup }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error)
        {
            Unavailable(watch, error, "DescribeTargetHealth", () => observed.TargetHealthUnavailable = true);
            return;
        }

        var descriptions = response.TargetHealthDescriptions ?? [];
        var ids = descriptions.Select(d => d.Target?.Id).OfType<string>().ToList();
        if (ids.Any(id => !observed.Owners.ContainsKey(id)) && !await ResolveOwnersAsync(watch, observed, ids, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var watched = primary?.Id;
        var targets = descriptions
            .Where(d => d.Target?.Id is not null)
            .Select(d => new TargetState(
                d.Target!.Id!, d.Target.Port, d.TargetHealth?.State ?? "unavailable", d.TargetHealth?.Reason, d.TargetHealth?.Description,
                watched is not null && observed.Owners.GetValueOrDefault(d.Target.Id!) == watched))
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .ToList();

        // One check for fail-fast: unhealthy when a target of the deployment being watched is unhealthy and none is
        // healthy. A healthy new target resets the count; a read with only initial targets (ECS replacing a failed
        // task) neither counts nor resets, so a task replaced between two reads does not hide a bad image.
        var newUnhealthy = targets.Any(t => t.IsNewTask && t.IsUnhealthy);
        var newHealthy = targets.Any(t => t.IsNewTask && t.State == "healthy");
        state.UnhealthyChecks = newHealthy ? 0 : newUnhealthy ? state.UnhealthyChecks + 1 : state.UnhealthyChecks;
        if (!targets.SequenceEqual(observed.Targets))
        {
            observed.Targets = targets;
            watch.Sink.Emit(new TargetHealthObserved(_time.GetUtcNow(), targetGroup, targets));
        }
    }

    // Target ids are the tasks' private IPs (awsvpc, target type ip). Which deployment a target belongs to comes from
    // the task's startedBy; it is looked up only when an unknown target appears, so a steady rollout costs nothing.
    private async Task<bool> ResolveOwnersAsync(Watch watch, Observations observed, List<string> ids, CancellationToken cancellationToken)
    {
        try
        {
            var listed = await _ecs.ListTasksAsync(new ListTasksRequest { Cluster = watch.Cluster, ServiceName = watch.Service }, cancellationToken).ConfigureAwait(false);
            var arns = listed.TaskArns ?? [];
            foreach (var batch in arns.Chunk(100))
            {
                var described = await _ecs.DescribeTasksAsync(new DescribeTasksRequest { Cluster = watch.Cluster, Tasks = [.. batch] }, cancellationToken).ConfigureAwait(false);
                foreach (var task in described.Tasks ?? [])
                {
                    foreach (var address in AddressesOf(task))
                    {
                        observed.Owners[address] = task.StartedBy;
                    }
                }
            }
        }
        catch (AmazonServiceException error) when (IsTransient(error))
        {
            return false;
        }

        foreach (var id in ids.Where(id => !observed.Owners.ContainsKey(id)))
        {
            observed.Owners[id] = null;
        }

        return true;
    }

    private static IEnumerable<string> AddressesOf(Aws.Ecs.Model.Task task) =>
        (task.Attachments ?? [])
        .SelectMany(a => a.Details ?? [])
        .Where(d => d.Name == "privateIPv4Address" && !string.IsNullOrEmpty(d.Value))
        .Select(d => d.Value!);

    private async Task ReadAlarmsAsync(Watch watch, Observations observed, List<string> names, CancellationToken cancellationToken)
    {
        DescribeAlarmsResponse response;
        try
        {
            response = await _cloudWatch!.DescribeAlarmsAsync(new DescribeAlarmsRequest { AlarmNames = names, AlarmTypes = ["MetricAlarm", "CompositeAlarm"] }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error)
        {
            Unavailable(watch, error, "DescribeAlarms", () => observed.AlarmsUnavailable = true);
            return;
        }

        var alarms = (response.MetricAlarms ?? []).Select(a => new AlarmState(a.AlarmName ?? string.Empty, a.StateValue ?? "INSUFFICIENT_DATA", a.StateReason, ToOffset(a.StateUpdatedTimestamp)))
            .Concat((response.CompositeAlarms ?? []).Select(a => new AlarmState(a.AlarmName ?? string.Empty, a.StateValue ?? "INSUFFICIENT_DATA", a.StateReason, ToOffset(a.StateUpdatedTimestamp))))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var alarm in alarms.Where(a => !observed.Alarms.Any(o => o.Name == a.Name && o.State == a.State)))
        {
            watch.Sink.Emit(new AlarmStateObserved(_time.GetUtcNow(), alarm));
        }

        observed.Alarms = alarms;
    }

    // A transient failure skips this read (the next one comes at the next interval); anything else (access denied,
    // a deleted target group) is reported once and that source is no longer read: the ECS verdict does not need it.
    private void Unavailable(Watch watch, AmazonServiceException error, string source, Action disable)
    {
        if (IsTransient(error))
        {
            return;
        }

        disable();
        watch.Sink.Emit(new ObservationUnavailable(_time.GetUtcNow(), source, error.ErrorCode, error.Message));
    }
}
