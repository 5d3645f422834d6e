using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Deployment;

/// <summary>What to do when a deploy finds another deployment of the service still in progress.</summary>
public enum InFlightDeploymentPolicy
{
    /// <summary>Refuse with <see cref="ServiceDeploymentException"/> (<see cref="ServiceDeploymentErrorKind.DeploymentInProgress"/>).</summary>
    Refuse,

    /// <summary>Watch the in-flight deployment to its end, then deploy.</summary>
    Wait,
}

/// <summary>Options of one <see cref="ServiceDeployer"/> call. Validated before any AWS call is made.</summary>
public sealed class ServiceDeployOptions
{
    /// <summary>The container whose image is replaced.</summary>
    /// <value>Default <see langword="null"/>: the task definition's only container, or its first essential one.</value>
    public string? ContainerName { get; set; }

    /// <summary>Environment variables to set (added or replaced by name) on the container.</summary>
    /// <value>Default empty: the environment is kept as it is.</value>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Secrets to set (name → Secrets Manager or SSM ARN, added or replaced by name) on the container.</summary>
    /// <value>Default empty: the secrets are kept as they are.</value>
    public IDictionary<string, string> Secrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Task-level CPU units for the new revision (e.g. "512").</summary>
    /// <value>Default <see langword="null"/>: unchanged.</value>
    public string? Cpu { get; set; }

    /// <summary>Task-level memory in MiB for the new revision (e.g. "1024").</summary>
    /// <value>Default <see langword="null"/>: unchanged.</value>
    public string? Memory { get; set; }

    /// <summary>How long to watch before the verdict is <see cref="ServiceDeploymentOutcome.TimedOut"/>.</summary>
    /// <value>Default 30 minutes; from 1 second to 24 hours.</value>
    public TimeSpan Timeout { get; set; } = ServiceDeployDefaults.Timeout;

    /// <summary>The first poll interval.</summary>
    /// <value>Default 5 seconds; at least 1 second and at most <see cref="MaxPollInterval"/>.</value>
    /// <remarks>Each poll is two calls (DescribeServiceDeployments, DescribeServices).</remarks>
    public TimeSpan InitialPollInterval { get; set; } = ServiceDeployDefaults.InitialPollInterval;

    /// <summary>The largest poll interval the back-off reaches.</summary>
    /// <value>Default 30 seconds; at least <see cref="InitialPollInterval"/>. It bounds the verdict's lag behind ECS.</value>
    public TimeSpan MaxPollInterval { get; set; } = ServiceDeployDefaults.MaxPollInterval;

    /// <summary>The factor the poll interval grows by after each poll.</summary>
    /// <value>Default 1.5; from 1 (constant polling) to 10.</value>
    public double PollBackoffFactor { get; set; } = ServiceDeployDefaults.PollBackoffFactor;

    /// <summary>Whether a timed-out deployment is stopped with StopServiceDeployment(ROLLBACK) and the rollback watched.</summary>
    /// <value>Default <see langword="false"/>: a timed-out deployment is left running.</value>
    public bool RollbackOnTimeout { get; set; } = ServiceDeployDefaults.RollbackOnTimeout;

    /// <summary>What a deploy does when another deployment of the service is in progress.</summary>
    /// <value>Default <see cref="InFlightDeploymentPolicy.Refuse"/>.</value>
    public InFlightDeploymentPolicy WhenDeploymentInProgress { get; set; } = ServiceDeployDefaults.WhenDeploymentInProgress;

    /// <summary>
    /// The least time between two reads of target health (DescribeTargetHealth) and of the deployment alarms
    /// (DescribeAlarms); they are read on the ECS poll that follows. Reading faster than the load balancer's own
    /// health-check interval adds calls, not facts.
    /// </summary>
    /// <value>Default 20 seconds (load balancers check every 30 s by default); at least 1 second.</value>
    public TimeSpan HealthCheckInterval { get; set; } = ServiceDeployDefaults.HealthCheckInterval;

    /// <summary>
    /// Whether to stop the deployment with StopServiceDeployment(ROLLBACK) as soon as the new tasks' targets were
    /// unhealthy on <see cref="FailFastUnhealthyChecks"/> consecutive target-health reads (reads where a new task's
    /// target is unhealthy and none is healthy; a read with only <c>initial</c> targets neither counts nor resets), instead of waiting for the
    /// circuit breaker to count enough replaced tasks. The verdict is then <see cref="ServiceDeploymentOutcome.RolledBack"/>
    /// with <see cref="RollbackTrigger.FailFast"/>. Needs a load-balancer client and a service with a target group.
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool FailFast { get; set; } = ServiceDeployDefaults.FailFast;

    /// <summary>How many consecutive target-health reads must find a new task's target unhealthy before <see cref="FailFast"/> acts.</summary>
    /// <value>Default 3; from 1 to 20.</value>
    public int FailFastUnhealthyChecks { get; set; } = ServiceDeployDefaults.FailFastUnhealthyChecks;

    /// <summary>Receives the typed progress events (called on the watcher's thread).</summary>
    /// <value>Default <see langword="null"/>: events are only logged and kept in the result.</value>
    public IProgress<DeploymentEvent>? Progress { get; set; }

    /// <summary>Checks every member and throws one exception that lists every bad one.</summary>
    /// <exception cref="ValidationException">One or more members are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > ServiceDeployDefaults.MaxTimeout)
        {
            errors.Add(Invariant($"Timeout: {Timeout} is out of range; use a value from 00:00:01 to 1.00:00:00."));
        }

        if (InitialPollInterval < ServiceDeployDefaults.MinPollInterval)
        {
            errors.Add(Invariant($"InitialPollInterval: {InitialPollInterval} is too short; use at least 00:00:01."));
        }

        if (MaxPollInterval < InitialPollInterval)
        {
            errors.Add(Invariant($"MaxPollInterval: {MaxPollInterval} is shorter than InitialPollInterval ({InitialPollInterval}); raise it."));
        }

        if (!double.IsFinite(PollBackoffFactor) || PollBackoffFactor < 1 || PollBackoffFactor > 10)
        {
            errors.Add(Invariant($"PollBackoffFactor: {PollBackoffFactor} is out of range; use a value from 1 to 10."));
        }

        if (HealthCheckInterval < ServiceDeployDefaults.MinPollInterval)
        {
            errors.Add(Invariant($"HealthCheckInterval: {HealthCheckInterval} is too short; use at least 00:00:01."));
        }

        if (FailFastUnhealthyChecks is < 1 or > 20)
        {
            errors.Add(Invariant($"FailFastUnhealthyChecks: {FailFastUnhealthyChecks} is out of range; use a value from 1 to 20."));
        }

        if (!Enum.IsDefined(WhenDeploymentInProgress))
        {
            errors.Add(Invariant($"WhenDeploymentInProgress: {WhenDeploymentInProgress} is not a policy; use Refuse or Wait."));
        }

        if (ContainerName is { Length: 0 })
        {
            errors.Add("ContainerName: is empty; leave it null to pick the task definition's container.");
        }

        foreach (var (name, value) in new[] { ("Cpu", Cpu), ("Memory", Memory) })
        {
            if (value is not null && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"{name}: '{value}' is not a whole number; use ECS units such as \"512\".");
            }
        }

        foreach (var key in Environment.Keys.Concat(Secrets.Keys).Where(string.IsNullOrWhiteSpace))
        {
            errors.Add($"Environment/Secrets: the name '{key}' is blank; every variable needs a name.");
        }

        if (errors.Count > 0)
        {
            var message = new StringBuilder("The ServiceDeployOptions are invalid:");
            foreach (var error in errors)
            {
                message.AppendLine().Append("- ").Append(error);
            }

            throw new ValidationException(message.ToString());
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
