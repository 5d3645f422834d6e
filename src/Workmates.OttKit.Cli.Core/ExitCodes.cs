namespace Workmates.OttKit.Cli;

/// <summary>
/// The process exit codes of <c>ottkit</c>. They are part of the tool's contract: CI scripts branch on them,
/// so a value never changes meaning once released. <c>docs/cli.md</c> lists them.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (a valid spec, templates written, a healthy set).</summary>
    public const int Success = 0;

    /// <summary>The command failed: a user mistake (bad spec, missing file) or an operation that did not succeed.</summary>
    public const int Failure = 1;

    /// <summary><c>plan</c> found changes to deploy; <c>mongo health</c> reports Unhealthy.</summary>
    public const int Changes = 2;

    /// <summary><c>mongo health</c>: the replica set is Degraded (shares the value of <see cref="Failure"/>; a bad <c>--uri</c> is a <see cref="UsageError"/> instead).</summary>
    public const int MongoHealthDegraded = 1;

    /// <summary><c>mongo health</c>: the replica set is Unhealthy.</summary>
    public const int MongoHealthUnhealthy = 2;

    /// <summary><c>mongo health</c>: the set could not be evaluated (unreachable, timeout, not authorized).</summary>
    public const int MongoHealthCouldNotEvaluate = 3;

    /// <summary><c>deploy service</c> / <c>rollback service</c>: the deployment failed, or ECS rolled it back (circuit breaker, alarm, <c>--fail-fast</c>): a failure, never a success.</summary>
    public const int DeploymentFailed = 1;

    /// <summary><c>deploy service</c> / <c>rollback service</c>: no verdict before <c>--timeout</c> (with <c>--rollback-on-timeout</c> the deployment was stopped with rollback).</summary>
    public const int DeploymentTimedOut = 4;

    /// <summary><c>image scan-gate</c>: findings at or above the gate's severity, or ECR could not scan the image.</summary>
    public const int ScanGateFailed = 1;

    /// <summary><c>image scan-gate</c>: the scan did not complete within <c>security.imageScanGate.timeoutMinutes</c>.</summary>
    public const int ScanGateTimedOut = 4;

    /// <summary><c>ottkit rehearse</c>: a step failed, a call was denied, or a check found a problem.</summary>
    public const int RehearsalFailed = 1;

    /// <summary>The command line itself could not be parsed, or an argument is invalid (such as a malformed <c>mongo health --uri</c>).</summary>
    public const int UsageError = 64;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
