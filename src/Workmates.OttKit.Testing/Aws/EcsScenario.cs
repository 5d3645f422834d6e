namespace Workmates.OttKit.Simulators.Aws;

/// <summary>How tasks running an image behave in the ECS simulator.</summary>
public enum ImageOutcome
{
    /// <summary>Starts, passes health checks, stays up.</summary>
    Healthy,

    /// <summary>The essential container exits at start (the task stops with <c>EssentialContainerExited</c>).</summary>
    CrashesAtStart,

    /// <summary>Starts, then fails its container health checks and is replaced.</summary>
    FailsHealthChecks,

    /// <summary>Starts and passes health checks, but the deployment's first alarm goes to ALARM after <see cref="ImageBehavior.AlarmAfter"/>.</summary>
    TripsAlarm,

    /// <summary>
    /// Starts and stays RUNNING, but its load-balancer target answers 500 (<c>unhealthy</c>,
    /// <c>Target.ResponseCodeMismatch</c>); ECS stops the task <see cref="ImageBehavior.TargetUnhealthyDuration"/>
    /// after the first failed check ("failed ELB health checks") and counts it toward the circuit breaker.
    /// </summary>
    FailsTargetHealthChecks,
}

/// <summary>The scenario behaviour of one image (timings are virtual).</summary>
public sealed record ImageBehavior
{
    /// <summary>What happens to tasks running the image.</summary>
    public ImageOutcome Outcome { get; init; } = ImageOutcome.Healthy;

    /// <summary>From task creation to RUNNING (or to the crash).</summary>
    public TimeSpan StartDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>From RUNNING to the first health-check verdict.</summary>
    public TimeSpan HealthCheckDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For <see cref="ImageOutcome.TripsAlarm"/>: from the first healthy task to the alarm.</summary>
    public TimeSpan AlarmAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>For <see cref="ImageOutcome.FailsTargetHealthChecks"/>: how long the target is reported unhealthy before ECS stops the task (unhealthy threshold × interval).</summary>
    public TimeSpan TargetUnhealthyDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A healthy image.</summary>
    public static ImageBehavior Healthy { get; } = new();

    /// <summary>An image whose container exits at start.</summary>
    public static ImageBehavior CrashesAtStart { get; } = new() { Outcome = ImageOutcome.CrashesAtStart };

    /// <summary>An image that fails container health checks.</summary>
    public static ImageBehavior FailsHealthChecks { get; } = new() { Outcome = ImageOutcome.FailsHealthChecks };

    /// <summary>An image that is healthy but trips the deployment alarm.</summary>
    public static ImageBehavior TripsAlarm { get; } = new() { Outcome = ImageOutcome.TripsAlarm };

    /// <summary>An image whose load-balancer target fails its health checks.</summary>
    public static ImageBehavior FailsTargetHealthChecks { get; } = new() { Outcome = ImageOutcome.FailsTargetHealthChecks };

    /// <summary>A healthy image that takes <paramref name="startDuration"/> to start.</summary>
    public static ImageBehavior Slow(TimeSpan startDuration) => new() { StartDuration = startDuration };
}

/// <summary>Simulation settings of the ECS simulator.</summary>
public sealed record EcsScenario
{
    /// <summary>The simulation step; state changes happen on multiples of it from the clock's start.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Behaviour of images with no explicit entry.</summary>
    public ImageBehavior DefaultImage { get; init; } = ImageBehavior.Healthy;

    /// <summary>
    /// How long alarms are watched after the new tasks are steady before the deployment completes, when alarms are
    /// enabled and <c>bakeTimeInMinutes</c> is not set.
    /// </summary>
    public TimeSpan AlarmMonitoringTime { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>A service to seed in steady state (one COMPLETED deployment, all tasks running and healthy).</summary>
public sealed record EcsServiceSeed
{
    /// <summary>Cluster name (created when absent).</summary>
    public string Cluster { get; init; } = "default";

    /// <summary>Service name.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Task definition: family, family:revision or ARN.</summary>
    public required string TaskDefinition { get; init; }

    /// <summary>Desired task count.</summary>
    public int DesiredCount { get; init; } = 2;

    /// <summary>Launch type.</summary>
    public string LaunchType { get; init; } = "EC2";

    /// <summary>Circuit breaker enabled.</summary>
    public bool CircuitBreakerEnabled { get; init; } = true;

    /// <summary>Circuit breaker rolls back.</summary>
    public bool CircuitBreakerRollback { get; init; } = true;

    /// <summary>Optional threshold configuration: type (COUNT, BOUNDED_PERCENT, UNBOUNDED_PERCENT) and value.</summary>
    public (string Type, int Value)? CircuitBreakerThreshold { get; init; }

    /// <summary>Deployment alarm names (alarm-based rollback is enabled when non-empty).</summary>
    public IReadOnlyList<string> Alarms { get; init; } = [];

    /// <summary>Whether alarms roll back.</summary>
    public bool AlarmRollback { get; init; } = true;

    /// <summary>maximumPercent.</summary>
    public int MaximumPercent { get; init; } = 200;

    /// <summary>minimumHealthyPercent.</summary>
    public int MinimumHealthyPercent { get; init; } = 100;

    /// <summary>
    /// The target group (target type <c>ip</c>) the service registers its tasks in, as <c>loadBalancers[0]</c>; the
    /// <see cref="ElbV2Simulator"/> reports their health. Null: no load balancer.
    /// </summary>
    public string? TargetGroupArn { get; init; }

    /// <summary>The container port registered in the target group.</summary>
    public int ContainerPort { get; init; } = 8080;
}
