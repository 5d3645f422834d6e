using System.Collections.Immutable;

namespace Workmates.OttKit.Patching;

/// <summary>A progress event of a patch run, for a CLI or CI to render.</summary>
/// <param name="At">When the runner observed it (the runner's clock).</param>
public abstract record PatchEvent(DateTimeOffset At);

/// <summary>The run found its instances and starts.</summary>
/// <param name="At">When.</param>
/// <param name="Operation">Scan or install.</param>
/// <param name="Hosts">The ECS hosts covered.</param>
/// <param name="Members">The MongoDB members' instances covered.</param>
public sealed record PatchRunStarted(DateTimeOffset At, PatchOperation Operation, int Hosts, int Members) : PatchEvent(At);

/// <summary>A batch of ECS hosts starts (install only).</summary>
/// <param name="At">When.</param>
/// <param name="Batch">The batch number, from 1.</param>
/// <param name="Batches">How many batches.</param>
/// <param name="InstanceIds">The batch's hosts.</param>
public sealed record HostBatchStarted(DateTimeOffset At, int Batch, int Batches, ImmutableArray<string> InstanceIds) : PatchEvent(At);

/// <summary>A batch's container instances are DRAINING and their tasks have moved.</summary>
/// <param name="At">When.</param>
/// <param name="InstanceIds">The hosts.</param>
public sealed record HostsDrained(DateTimeOffset At, ImmutableArray<string> InstanceIds) : PatchEvent(At);

/// <summary>A batch's container instances are ACTIVE again.</summary>
/// <param name="At">When.</param>
/// <param name="InstanceIds">The hosts.</param>
public sealed record HostsActivated(DateTimeOffset At, ImmutableArray<string> InstanceIds) : PatchEvent(At);

/// <summary><c>AWS-RunPatchBaseline</c> was sent.</summary>
/// <param name="At">When.</param>
/// <param name="CommandId">The SSM command id.</param>
/// <param name="InstanceIds">Its instances.</param>
public sealed record PatchCommandSent(DateTimeOffset At, string CommandId, ImmutableArray<string> InstanceIds) : PatchEvent(At);

/// <summary>One instance's invocation finished.</summary>
/// <param name="At">When.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="Status">The final status.</param>
/// <param name="Details">Status details.</param>
public sealed record PatchInvocationFinished(DateTimeOffset At, string InstanceId, string Status, string? Details) : PatchEvent(At);

/// <summary>A MongoDB member is about to be patched.</summary>
/// <param name="At">When.</param>
/// <param name="Member">The member (<c>host:port</c>).</param>
/// <param name="InstanceId">Its instance.</param>
public sealed record MemberPatchStarted(DateTimeOffset At, string Member, string InstanceId) : PatchEvent(At);

/// <summary><c>replSetStepDown</c> was run on the primary, and another member was elected.</summary>
/// <param name="At">When.</param>
/// <param name="OldPrimary">The member that stepped down.</param>
/// <param name="NewPrimary">The member elected.</param>
public sealed record PrimarySteppedDown(DateTimeOffset At, string OldPrimary, string NewPrimary) : PatchEvent(At);

/// <summary>A patched member is SECONDARY again with its lag under the threshold.</summary>
/// <param name="At">When.</param>
/// <param name="Member">The member.</param>
/// <param name="Lag">Its replication lag.</param>
public sealed record MemberCaughtUp(DateTimeOffset At, string Member, TimeSpan Lag) : PatchEvent(At);

/// <summary>The runner is waiting on a member (still not SECONDARY, or lagging).</summary>
/// <param name="At">When.</param>
/// <param name="Member">The member.</param>
/// <param name="State">Its state now.</param>
/// <param name="Lag">Its lag now, when it has one.</param>
public sealed record MemberWaiting(DateTimeOffset At, string Member, string State, TimeSpan? Lag) : PatchEvent(At);
