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

    /// <summary>A healthy image.</summary>
    public static ImageBehavior Healthy { get; } = new();

    /// <summary>An image whose container exits at start.</summary>
    public static ImageBehavior CrashesAtStart { get; } = new() { Outcome = ImageOutcome.CrashesAtStart };

    /// <summary>An image that fails container health checks.</summary>
    public static ImageBehavior FailsHealthChecks { get; } = new() { Outcome = ImageOutcome.FailsHealthChecks };

    /// <summary>An image that is healthy but trips the deployment alarm.</summary>
    public static ImageBehavior TripsAlarm { get; } = new() { Outcome = ImageOutcome.TripsAlarm };

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
}
