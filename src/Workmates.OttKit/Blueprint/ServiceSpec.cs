using System.Collections.Immutable;

namespace Workmates.OttKit.Blueprint;

/// <summary>One containerised service: its image repository, task, target group, listener rule and scaling.</summary>
public sealed record ServiceSpec
{
    /// <summary>Service name: DNS-safe (lowercase letters, digits, hyphens; 2–32 characters), unique in the environment.</summary>
    public required string Name { get; init; }

    /// <summary>Port the container listens on (1024–65535 unless it runs as root).</summary>
    /// <value>Default: 8080.</value>
    public int ContainerPort { get; init; } = SpecDefaults.ContainerPort;

    /// <summary>HTTP path the load balancer and the container health check probe.</summary>
    /// <value>Default: <c>/health</c>.</value>
    public string HealthCheckPath { get; init; } = SpecDefaults.HealthCheckPath;

    /// <summary>
    /// Shell command the container runs to check its own health (exit 0 = healthy), for images without Node.js.
    /// </summary>
    /// <value>Default: <see langword="null"/>: a <c>node -e</c> probe of <see cref="HealthCheckPath"/> on the container port
    /// (the platform's services are NodeJS images, which have <c>node</c> but often neither <c>curl</c> nor <c>wget</c>).</value>
    public string? ContainerHealthCheckCommand { get; init; }

    /// <summary>Task CPU units (1024 = one vCPU); must fit the smallest instance type.</summary>
    /// <value>Default: 256.</value>
    public int Cpu { get; init; } = SpecDefaults.Cpu;

    /// <summary>Task memory in MiB; must fit the smallest instance type's schedulable memory.</summary>
    /// <value>Default: 512.</value>
    public int Memory { get; init; } = SpecDefaults.MemoryMiB;

    /// <summary>Task counts and scaling targets.</summary>
    /// <value>Default: <see cref="ScalingSpec"/> defaults (2..10 tasks, 1000 requests per target).</value>
    public ScalingSpec Scaling { get; init; } = new();

    /// <summary>Which requests the load balancer sends to this service.</summary>
    /// <value>Default: path patterns <c>/&lt;name&gt;</c> and <c>/&lt;name&gt;/*</c>.</value>
    public RoutingSpec? Routing { get; init; }

    /// <summary>Plain environment variables (never secrets: use <see cref="Secrets"/>).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>
    /// Secrets injected at start, by variable name: a Secrets Manager or SSM Parameter Store ARN, or the short forms
    /// <c>secretsmanager:NAME</c> and <c>ssm:/PATH</c> (resolved in the environment's region and account).
    /// </summary>
    /// <value>Default: none.</value>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>ECR repository name for the service's image.</summary>
    /// <value>Default: <c>&lt;environment&gt;/&lt;service&gt;</c>.</value>
    public string? ImageRepository { get; init; }

    /// <summary>Seconds the scheduler ignores load-balancer health checks after a task starts (0–7200).</summary>
    /// <value>Default: 60.</value>
    public int HealthCheckGraceSeconds { get; init; } = SpecDefaults.HealthCheckGraceSeconds;

    /// <summary>Days the service's logs are kept (a CloudWatch Logs retention value).</summary>
    /// <value>Default: 365 (a year, the retention AWS Security Hub control CloudWatch.16 expects).</value>
    public int LogRetentionDays { get; init; } = SpecDefaults.LogRetentionDays;

    /// <summary>Weakened container defaults for this service.</summary>
    /// <value>Default: nothing weakened.</value>
    public ServiceWeakenings Weakenings { get; init; } = new();

    /// <summary>
    /// Failed task launches after which the ECS deployment circuit breaker rolls back:
    /// ECS computes it as half the desired count, clamped to 3..200, so small services fail fast.
    /// </summary>
    public int CircuitBreakerFailureThreshold => Math.Clamp((Scaling.DesiredTasks + 1) / 2, 3, 200);

    /// <summary>The routing in effect: <see cref="Routing"/> or the default path patterns for the name.</summary>
    public RoutingSpec EffectiveRouting => Routing ?? new RoutingSpec { PathPatterns = [$"/{Name}", $"/{Name}/*"] };
}

/// <summary>Task counts and scaling targets of a service.</summary>
public sealed record ScalingSpec
{
    /// <summary>Fewest running tasks.</summary>
    /// <value>Default: 2 (one per AZ loss).</value>
    public int MinTasks { get; init; } = SpecDefaults.MinTasks;

    /// <summary>Initial running tasks (within <see cref="MinTasks"/>..<see cref="MaxTasks"/>).</summary>
    /// <value>Default: 2.</value>
    public int DesiredTasks { get; init; } = SpecDefaults.DesiredTasks;

    /// <summary>Most running tasks.</summary>
    /// <value>Default: 10.</value>
    public int MaxTasks { get; init; } = SpecDefaults.MaxTasks;

    /// <summary>Target tracking on <c>ALBRequestCountPerTarget</c>: requests per task per minute.</summary>
    /// <value>Default: 1000.</value>
    public int RequestsPerTarget { get; init; } = SpecDefaults.RequestsPerTarget;

    /// <summary>Optional second target tracking policy on average CPU, in percent (10–90).</summary>
    /// <value>Default: <see langword="null"/> (request count only).</value>
    public int? CpuTargetPercent { get; init; }
}

/// <summary>A listener rule: host and/or path conditions with a priority.</summary>
public sealed record RoutingSpec
{
    /// <summary>Path patterns (each starts with <c>/</c>; <c>*</c> and <c>?</c> are wildcards).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> PathPatterns { get; init; } = [];

    /// <summary>Host header values, for example <c>api.example.com</c>.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Listener-rule priority (1–50000; lower wins). Put catch-all rules such as <c>/*</c> last.</summary>
    /// <value>Default: 100 + 10 × the service's position in the spec.</value>
    public int? Priority { get; init; }
}
