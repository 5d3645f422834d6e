using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Patching;

/// <summary>Options of a <see cref="PatchRunner"/> run.</summary>
public sealed class PatchOptions
{
    /// <summary>The environment (the patch groups are <c>&lt;env&gt;-ecs-hosts</c> and <c>&lt;env&gt;-mongodb</c>).</summary>
    public required string Environment { get; init; }

    /// <summary>Which instances; <see cref="PatchTarget.All"/> by default.</summary>
    public PatchTarget Target { get; init; } = PatchTarget.All;

    /// <summary>The share of ECS hosts patched at a time during an install, 1..100; 25 as the maintenance window.</summary>
    public int HostBatchPercent { get; init; } = 25;

    /// <summary>How often command invocations and the replica set are polled; 10 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one command may run on an instance before the run gives up; 2 h (a kernel update and a reboot).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long a patched member may take to be SECONDARY and caught up (and a step-down to elect a new primary); 30 min.</summary>
    public TimeSpan MemberRecoveryTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The replication lag under which a member counts as caught up: the health check's degraded threshold (10 s).</summary>
    public TimeSpan ReplicationLagThreshold { get; init; } = ReplicaSetHealthDefaults.ReplicationLagDegraded;

    /// <summary>How long the old primary may not be re-elected after <c>replSetStepDown</c>; 60 s (mongod's default).</summary>
    public TimeSpan StepDownPeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Finds the managed instance of a replica-set member (<c>host:port</c>) among the database's instances. By default
    /// the member's host name is resolved (<c>mongo-N.&lt;env&gt;.internal</c>, from inside the VPC) and matched to the
    /// instance's private IP, else matched to the instance's computer name.
    /// </summary>
    public Func<string, IReadOnlyList<PatchInstance>, CancellationToken, Task<PatchInstance?>>? MemberInstance { get; init; }

    /// <summary>Receives progress events; none when null.</summary>
    public IProgress<PatchEvent>? Progress { get; init; }

    /// <summary>The ECS hosts' patch group.</summary>
    public string HostPatchGroup => $"{Environment}-ecs-hosts";

    /// <summary>The MongoDB members' patch group.</summary>
    public string DatabasePatchGroup => $"{Environment}-mongodb";

    /// <summary>Checks the options and lists every problem.</summary>
    /// <exception cref="OttKitValidationException">A value is out of range; the message names each option and its fix.</exception>
    public void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="PatchOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<PatchOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(PatchOptions options, OptionsProblems problems)
        {
            if (string.IsNullOrWhiteSpace(options.Environment))
            {
                problems.Add(nameof(Environment), "is empty", "give the environment's name (the spec's 'name').");
            }

            if (options.HostBatchPercent is < 1 or > 100)
            {
                problems.Add(nameof(HostBatchPercent), $"is {options.HostBatchPercent}, not in 1..100", "use a percentage from 1 to 100.");
            }

            foreach (var (name, value) in new[]
            {
                (nameof(PollInterval), options.PollInterval), (nameof(CommandTimeout), options.CommandTimeout),
                (nameof(MemberRecoveryTimeout), options.MemberRecoveryTimeout), (nameof(ReplicationLagThreshold), options.ReplicationLagThreshold),
            })
            {
                if (value <= TimeSpan.Zero)
                {
                    problems.Add(name, $"is {value}", "set it to a positive duration.");
                }
            }

            if (!Enum.IsDefined(options.Target))
            {
                problems.Add(nameof(Target), $"is {options.Target}", "use hosts, database or all.");
            }
        }
    }
}
