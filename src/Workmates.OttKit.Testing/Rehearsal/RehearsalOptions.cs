using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Testing;

/// <summary>One <c>ottkit</c> command line for <see cref="RehearsalOptions.CommandLine"/> to run in process.</summary>
/// <param name="Arguments">The arguments after <c>ottkit</c>, as the workflow step passes them (the spec path replaced by the rehearsal's copy).</param>
/// <param name="Variables">The process environment the command sees: the simulators' endpoints (<c>AWS_ENDPOINT_URL_*</c>), the step's signing key, <c>CI=true</c>, the step's <c>env</c>.</param>
/// <param name="Time">The rehearsal's virtual clock: every wait and poll of the command must use it.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record RehearsalCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Variables, TimeProvider Time, TextWriter Output, TextWriter Error);

/// <summary>
/// Runs one <c>ottkit</c> command in process and returns its exit code. The default is
/// <see cref="InProcessCommandLine.RunAsync"/> (the <c>ottkit</c> commands of Workmates.OttKit.Cli.Core, which this
/// package references); a test may pass its own to observe or alter the commands.
/// </summary>
/// <param name="command">The command and its environment.</param>
/// <param name="cancellationToken">Cancels the command.</param>
/// <returns>The exit code.</returns>
public delegate Task<int> OttKitCommandRunner(RehearsalCommand command, CancellationToken cancellationToken);

/// <summary>Settings of <see cref="Rehearsal.RunAsync"/>.</summary>
public sealed record RehearsalOptions
{
    /// <summary>The account the simulators pretend to be (default: the spec's <c>accountId</c>, else <c>246813579024</c>).</summary>
    public string? AccountId { get; init; }

    /// <summary>
    /// Replace the documentation placeholders a spec may still hold (the example accounts <c>111122223333</c> and
    /// <c>123456789012</c>, the scaffold's all-zero certificate ids, <c>example.com</c>, OWL270's example hosted zone) by
    /// rehearsal values, as a customer replaces them before the first run (the workflows validate with <c>--strict</c>).
    /// Default true; each replacement is listed in the first step's detail.
    /// </summary>
    public bool ReplacePlaceholders { get; init; } = true;

    /// <summary>
    /// Runs the workflows' <c>ottkit</c> commands (default: <see cref="InProcessCommandLine.RunAsync"/>, the same commands
    /// the workflows run, in process). Set to null to run only the static checks (reachability, architecture, workflow sources); the
    /// workflow steps are then reported as skipped.
    /// </summary>
    public OttKitCommandRunner? CommandLine { get; init; } = InProcessCommandLine.RunAsync;

    /// <summary>
    /// Run the steps after the infrastructure (default true): <c>ottkit deploy service</c> for every service and one
    /// <c>ottkit rollback service</c> as the CI deploy role against the ECS, ELBv2 and CloudWatch simulators, then the
    /// scheduled backup and health tasks as their task definitions describe them (secrets resolved as the execution
    /// role, the image's entry point run in process as the task role against the replica-set simulator, S3 and
    /// CloudWatch). Set to false for a faster rehearsal of the workflows alone. Needs <see cref="CommandLine"/>.
    /// </summary>
    public bool TaskSteps { get; init; } = true;

    /// <summary>Where the rehearsal keeps its copy of the spec and the step summary (default: a new temporary directory, deleted afterwards).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Changes the synthesized stack set the rehearsal derives its principals, workflows and checks from, before it
    /// runs: the regression tests seed each seam the rehearsal found this way and expect it found again.
    /// </summary>
    internal Action<StackSet>? Seed { get; init; }

    /// <summary>
    /// Changes the generated workflows (their text, or the repository a file belongs in) before the rehearsal reads
    /// them: every later step (the workflow sources, the architecture check, the commands the workflows run) sees the
    /// seeded files. The regression tests seed the workflow seams (<c>ci.owner</c>, the tool's source) this way.
    /// </summary>
    internal Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>>? SeedWorkflows { get; init; }
}
