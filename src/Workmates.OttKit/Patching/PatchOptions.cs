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

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Environment))
        {
            throw new ArgumentException("Environment: give the environment's name (the spec's 'name').", nameof(Environment));
        }

        if (HostBatchPercent is < 1 or > 100)
        {
            throw new ArgumentException($"HostBatchPercent: {HostBatchPercent} is not in 1..100.", nameof(HostBatchPercent));
        }

        if (PollInterval <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero || MemberRecoveryTimeout <= TimeSpan.Zero || ReplicationLagThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentException("PollInterval, CommandTimeout, MemberRecoveryTimeout and ReplicationLagThreshold must be positive.");
        }

        if (!Enum.IsDefined(Target))
        {
            throw new ArgumentException($"Target: {Target} is not hosts, database or all.", nameof(Target));
        }
    }
}
