using System.Globalization;
using Workmates.OttKit.Blueprint;

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
    /// <exception cref="OttKitValidationException">One or more members are out of range; the message names each option and its fix.</exception>
    public void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="ServiceDeployOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<ServiceDeployOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(ServiceDeployOptions options, OptionsProblems problems)
        {
            if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > ServiceDeployDefaults.MaxTimeout)
            {
                problems.Add(nameof(Timeout), Invariant($"is {options.Timeout}, out of range"), "use a value from 00:00:01 to 1.00:00:00.");
            }

            if (options.InitialPollInterval < ServiceDeployDefaults.MinPollInterval)
            {
                problems.Add(nameof(InitialPollInterval), Invariant($"is {options.InitialPollInterval}, too short"), "use at least 00:00:01.");
            }

            if (options.MaxPollInterval < options.InitialPollInterval)
            {
                problems.Add(nameof(MaxPollInterval), Invariant($"({options.MaxPollInterval}) is shorter than InitialPollInterval ({options.InitialPollInterval})"), "raise MaxPollInterval or lower InitialPollInterval.");
            }

            if (!double.IsFinite(options.PollBackoffFactor) || options.PollBackoffFactor < 1 || options.PollBackoffFactor > 10)
            {
                problems.Add(nameof(PollBackoffFactor), Invariant($"is {options.PollBackoffFactor}, out of range"), "use a value from 1 to 10.");
            }

            if (options.HealthCheckInterval < ServiceDeployDefaults.MinPollInterval)
            {
                problems.Add(nameof(HealthCheckInterval), Invariant($"is {options.HealthCheckInterval}, too short"), "use at least 00:00:01.");
            }

            if (options.FailFastUnhealthyChecks is < 1 or > 20)
            {
                problems.Add(nameof(FailFastUnhealthyChecks), Invariant($"is {options.FailFastUnhealthyChecks}, out of range"), "use a value from 1 to 20.");
            }

            if (!Enum.IsDefined(options.WhenDeploymentInProgress))
            {
                problems.Add(nameof(WhenDeploymentInProgress), Invariant($"is {options.WhenDeploymentInProgress}, not a policy"), "use Refuse or Wait.");
            }

            if (options.ContainerName is { Length: 0 })
            {
                problems.Add(nameof(ContainerName), "is empty", "leave it null to pick the task definition's container.");
            }

            foreach (var (name, value) in new[] { (nameof(Cpu), options.Cpu), (nameof(Memory), options.Memory) })
            {
                if (value is not null && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add(name, $"is '{value}', not a whole number", "use ECS units such as \"512\".");
                }
            }

            foreach (var (name, keys) in new[] { (nameof(Environment), options.Environment.Keys), (nameof(Secrets), options.Secrets.Keys) })
            {
                foreach (var key in keys.Where(string.IsNullOrWhiteSpace))
                {
                    problems.Add(name, $"has the blank name '{key}'", "give every variable a name.");
                }
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
