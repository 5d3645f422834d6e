using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>The health of one load-balancer target, as <c>DescribeTargetHealth</c> reports it.</summary>
/// <param name="Id">The target id (the task's private IPv4 address: target type <c>ip</c>).</param>
/// <param name="Port">The registered port.</param>
/// <param name="State">initial, healthy, unhealthy, draining.</param>
/// <param name="Reason">The reason code (null when healthy).</param>
/// <param name="Description">The reason text (null when healthy).</param>
internal sealed record SimulatedTargetHealth(string Id, int Port, string State, string? Reason, string? Description);

/// <summary>A CloudWatch metric alarm's state, as <c>DescribeAlarms</c> reports it.</summary>
internal sealed class SimulatedAlarm(string name, string arn, DateTimeOffset createdAt)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public DateTimeOffset ConfiguredAt { get; } = createdAt;

    public string State { get; set; } = "OK";

    public string Reason { get; set; } = "Threshold Crossed: no datapoints were breaching the threshold.";

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public string? ForcedState { get; set; }
}

/// <summary>
/// The load-balancer and alarm side of the ECS world: tasks of a service with a target group are registered as
/// <c>ip</c> targets once RUNNING, and the deployment alarms of services change state with the tasks they watch.
/// <see cref="ElbV2Simulator"/> and <see cref="CloudWatchSimulator"/> serve this state over their own protocols.
/// </summary>
public sealed partial class EcsSimulator
{
    private readonly Dictionary<string, SimulatedAlarm> _alarms = new(StringComparer.Ordinal);

    /// <summary>Forces an alarm's state (null returns it to the simulation); the alarm is created when absent.</summary>
    public void SetAlarmState(string alarmName, string? state, string reason = "Forced by the test.")
    {
        lock (_state)
        {
            Reconcile();
            var alarm = DefineAlarm(alarmName, Clock.GetUtcNow());
            alarm.ForcedState = state;
            if (state is not null && alarm.State != state)
            {
                alarm.State = state;
                alarm.Reason = reason;
                alarm.UpdatedAt = Clock.GetUtcNow();
            }
        }
    }

    /// <summary>The targets of a target group after settling to the clock; null when no service uses it.</summary>
    internal IReadOnlyList<SimulatedTargetHealth>? TargetHealthOf(string targetGroupArn)
    {
        lock (_state)
        {
            Reconcile();
            var services = AllServices().Where(s => s.TargetGroupArn == targetGroupArn).ToList();
            if (services.Count == 0)
            {
                return null;
            }

            var now = Clock.GetUtcNow();
            return services.SelectMany(s => s.Tasks.Select(t => TargetOf(s, t, now))).OfType<SimulatedTargetHealth>().ToList();
        }
    }

    /// <summary>The known target groups.</summary>
    internal IReadOnlyList<string> TargetGroups()
    {
        lock (_state)
        {
            return AllServices().Select(s => s.TargetGroupArn).OfType<string>().Distinct().ToList();
        }
    }

    /// <summary>The alarms named (all when empty) after settling to the clock, sorted by name.</summary>
    internal IReadOnlyList<(string Name, string Arn, string State, string Reason, DateTimeOffset UpdatedAt, DateTimeOffset ConfiguredAt)> Alarms(IReadOnlyCollection<string> names)
    {
        lock (_state)
        {
            Reconcile();
            return _alarms.Values
                .Where(a => names.Count == 0 || names.Contains(a.Name))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => (a.Name, a.Arn, a.State, a.Reason, a.UpdatedAt, a.ConfiguredAt))
                .ToList();
        }
    }

    private SimulatedAlarm DefineAlarm(string name, DateTimeOffset now)
    {
        if (!_alarms.TryGetValue(name, out var alarm))
        {
            alarm = new SimulatedAlarm(name, $"arn:aws:cloudwatch:{Region}:{Options.AccountId}:alarm:{name}", now);
            _alarms[name] = alarm;
        }

        return alarm;
    }

    // The first deployment alarm of a service goes to ALARM while a task of an alarm-tripping image has been
    // healthy for its AlarmAfter (the same condition ECS acts on), and back to OK once no such task runs.
    private void EvaluateAlarms(DateTimeOffset t)
    {
        foreach (var alarm in _alarms.Values)
        {
            if (alarm.ForcedState is not null)
            {
                continue;
            }

            var breaching = AllServices().Any(s =>
                (s.DeploymentConfiguration["alarms"] as JsonObject) is { } config
                && StrList(config, "alarmNames") is { Count: > 0 } names && names[0] == alarm.Name
                && s.Tasks.Any(x => x.IsRunning && x.Behavior.Outcome == ImageOutcome.TripsAlarm
                                    && x.Deployment?.FirstHealthyAt is { } healthy && t >= healthy + x.Behavior.AlarmAfter));
            var state = breaching ? "ALARM" : "OK";
            if (alarm.State != state)
            {
                alarm.State = state;
                alarm.UpdatedAt = t;
                alarm.Reason = breaching
                    ? "Threshold Crossed: 2 out of the last 2 datapoints were greater than the threshold (10.0)."
                    : "Threshold Crossed: 2 out of the last 2 datapoints were not greater than the threshold (10.0).";
            }
        }
    }

    private static SimulatedTargetHealth? TargetOf(EcsService service, EcsTask task, DateTimeOffset now)
    {
        // ECS registers a task's target once the task is RUNNING and deregisters it when the task stops.
        if (task.LastStatus != "RUNNING" || task.StartedAt is not { } started)
        {
            return null;
        }

        var port = service.ContainerPort;
        if (task.DesiredStatus == "STOPPED")
        {
            return new(task.PrivateIp, port, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress");
        }

        if (now < started + task.Behavior.HealthCheckDuration && task.HealthStatus != "HEALTHY")
        {
            return new(task.PrivateIp, port, "initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        }

        return task.Behavior.Outcome == ImageOutcome.FailsTargetHealthChecks
            ? new(task.PrivateIp, port, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]")
            : new(task.PrivateIp, port, "healthy", null, null);
    }

    private static JsonArray LoadBalancersJson(EcsService service) => service.TargetGroupArn is null
        ? []
        : new JsonArray(new JsonObject
        {
            ["targetGroupArn"] = service.TargetGroupArn,
            ["containerName"] = service.ContainerName,
            ["containerPort"] = service.ContainerPort,
        });
}
