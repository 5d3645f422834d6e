using System.Collections.Immutable;

namespace Workmates.OttKit.Patching;

/// <summary>What <c>AWS-RunPatchBaseline</c> does on each instance.</summary>
public enum PatchOperation
{
    /// <summary>Reports missing patches against the baseline (Patch Manager compliance); installs nothing, reboots nothing.</summary>
    Scan,

    /// <summary>Installs the approved patches and reboots when a patch needs it (<c>RebootIfNeeded</c>).</summary>
    Install,
}

/// <summary>Which instances of the environment a patch run covers.</summary>
public enum PatchTarget
{
    /// <summary>The ECS container instances (tag <c>Patch Group=&lt;env&gt;-ecs-hosts</c>).</summary>
    Hosts,

    /// <summary>The MongoDB members (tag <c>Patch Group=&lt;env&gt;-mongodb</c>).</summary>
    Database,

    /// <summary>Hosts first, then the database.</summary>
    All,
}

/// <summary>A managed instance SSM knows (from <c>DescribeInstanceInformation</c>).</summary>
/// <param name="InstanceId">The EC2 instance id.</param>
/// <param name="IpAddress">Its private IP address, as the SSM agent reports it.</param>
/// <param name="ComputerName">Its host name, as the SSM agent reports it.</param>
/// <param name="PingStatus">The agent's ping status (<c>Online</c>, <c>ConnectionLost</c>, <c>Inactive</c>).</param>
public sealed record PatchInstance(string InstanceId, string? IpAddress, string? ComputerName, string? PingStatus);

/// <summary>Patch Manager's compliance counts of one instance (<c>DescribeInstancePatchStates</c>).</summary>
/// <param name="Installed">Patches installed.</param>
/// <param name="Missing">Approved patches not installed.</param>
/// <param name="Failed">Patches whose installation failed.</param>
/// <param name="CriticalNonCompliant">Missing patches of compliance level CRITICAL.</param>
/// <param name="SecurityNonCompliant">Missing security patches.</param>
public sealed record PatchCompliance(int Installed, int Missing, int Failed, int CriticalNonCompliant, int SecurityNonCompliant)
{
    /// <summary>Whether nothing approved is missing and nothing failed.</summary>
    public bool IsCompliant => Missing == 0 && Failed == 0 && CriticalNonCompliant == 0;
}

/// <summary>What happened on one instance.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Role">What it is: <c>ecs-host</c> or <c>mongodb &lt;member&gt;</c>.</param>
/// <param name="Status">The command invocation's final status (<c>Success</c>, <c>Failed</c>, <c>TimedOut</c>…), or <c>NotRun</c>.</param>
/// <param name="Details">The status details or the failure, when there is one.</param>
/// <param name="Compliance">The compliance counts after a scan; null after an install.</param>
public sealed record InstancePatchOutcome(string InstanceId, string Role, string Status, string? Details, PatchCompliance? Compliance);

/// <summary>The verdict of a patch run.</summary>
/// <param name="Operation">Scan or install.</param>
/// <param name="Succeeded">Whether every command succeeded (and, for a scan, whether every instance is compliant).</param>
/// <param name="Verdict">One sentence for a person: what was done, and on failure where it stopped.</param>
/// <param name="Instances">Every instance the run covered, in the order it was patched.</param>
/// <param name="ReplicaSetState">After an install that touched the database: which members are patched and who is primary.</param>
public sealed record PatchResult(PatchOperation Operation, bool Succeeded, string Verdict, ImmutableArray<InstancePatchOutcome> Instances, string? ReplicaSetState);

/// <summary>Thrown when a patch run cannot start (no instance to patch, a member without a managed instance…); nothing was patched.</summary>
public sealed class PatchException : OttKitDeploymentException
{
    /// <summary>Creates the exception.</summary>
    public PatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public PatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
