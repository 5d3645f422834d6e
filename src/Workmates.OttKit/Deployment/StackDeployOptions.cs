using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Deployment;

/// <summary>How <see cref="StackDeployer"/> plans and deploys a stack set. Every default is the safe choice.</summary>
public sealed class StackDeployOptions
{
    /// <summary>Only these stacks (names); empty means every stack of the set. Dependencies are not added implicitly.</summary>
    public IList<string> StackNames { get; } = [];

    /// <summary>Execute the change sets (<c>--yes</c>). Without it <see cref="StackDeployer.DeployAsync"/> only plans.</summary>
    public bool Execute { get; set; }

    /// <summary>Run drift detection on existing stacks before planning and show it in the plan.</summary>
    public bool DetectDrift { get; set; }

    /// <summary>Recover a stack in UPDATE_ROLLBACK_FAILED with ContinueUpdateRollback, skipping the resources that failed to roll back.</summary>
    public bool ContinueUpdateRollback { get; set; }

    /// <summary>Delete a stack whose first create failed (ROLLBACK_COMPLETE / ROLLBACK_FAILED) so it can be created again.</summary>
    public bool DeleteFailedNewStack { get; set; }

    /// <summary>Turn termination protection on for every deployed stack (default true).</summary>
    public bool TerminationProtection { get; set; } = true;

    /// <summary>Set the stack policy that forbids replacing or deleting data volumes and the backup bucket (default true).</summary>
    public bool ProtectData { get; set; } = true;

    /// <summary>How many stacks deploy at once when they do not depend on each other (1–16, default 4).</summary>
    public int MaxParallelStacks { get; set; } = 4;

    /// <summary>Delay between DescribeChangeSet / DescribeStackEvents polls (default 5 s, at least 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for one stack operation (default 3 h).</summary>
    public TimeSpan StackTimeout { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// The first image tag of a service stack that does not exist yet, by stack name. Ignored for existing stacks:
    /// their image belongs to service deploys (the running image is read from ECS), see docs/deploy.md.
    /// </summary>
    public IDictionary<string, string> InitialImageTags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Create the selected stacks that do not exist yet and leave existing ones alone (their plan is NoChanges with a
    /// reason). The first run of a service's or the backup image's workflow uses it (<c>--create-only</c>) to create the
    /// stack the infrastructure run deferred until its image existed; later runs change nothing here.
    /// </summary>
    public bool CreateOnly { get; set; }

    /// <summary>
    /// ARN of the CloudFormation service role (<c>&lt;env&gt;-cloudformation</c>, an output of the ci stack) passed with
    /// every change set, rollback recovery and delete, so the stacks' resources are created with its permissions rather
    /// than the caller's. The caller needs <c>iam:PassRole</c> on it (see <see cref="StackDeployer.RequiredPermissions.Deploy"/>).
    /// </summary>
    /// <value>Default: <see langword="null"/> (CloudFormation uses the role already associated with the stack, else the caller's credentials).</value>
    public string? ServiceRoleArn { get; set; }

    /// <summary>Receives progress events (change sets, plans, stack events, verdicts).</summary>
    public IProgress<StackDeploymentEvent>? Progress { get; set; }

    /// <summary>Checks every member; throws one exception that lists every problem.</summary>
    /// <exception cref="OttKitValidationException">An option is out of range; the message names each option and its fix.</exception>
    public void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="StackDeployOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<StackDeployOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(StackDeployOptions options, OptionsProblems problems)
        {
            if (options.MaxParallelStacks is < 1 or > 16)
            {
                problems.Add(nameof(MaxParallelStacks), $"is {options.MaxParallelStacks}", "use 1 to 16.");
            }

            if (options.PollInterval < TimeSpan.FromSeconds(1))
            {
                problems.Add(nameof(PollInterval), $"is {options.PollInterval}", "use at least 1 second.");
            }

            if (options.StackTimeout < options.PollInterval)
            {
                problems.Add(nameof(StackTimeout), $"is {options.StackTimeout}", $"use at least PollInterval ({options.PollInterval}).");
            }
        }
    }
}
