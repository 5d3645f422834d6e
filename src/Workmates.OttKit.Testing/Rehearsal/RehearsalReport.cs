using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workmates.OttKit.Testing;

/// <summary>How one rehearsal step ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RehearsalVerdict>))]
public enum RehearsalVerdict
{
    /// <summary>The step did what the workflow expects of it, with no denied call.</summary>
    Passed,

    /// <summary>The step is not run by the rehearsal (it is the rehearsal itself, or it needs what only AWS has); the detail says why.</summary>
    Skipped,

    /// <summary>The step failed: a non-zero exit, a denied call, or a finding.</summary>
    Failed,
}

/// <summary>One step of a rehearsal: a check of the synthesized output, or one <c>ottkit</c> command of a workflow run as its role.</summary>
/// <param name="Number">1-based position in the rehearsal.</param>
/// <param name="Workflow">The workflow file the step comes from (<c>infrastructure-acme-tv.yml</c>), or <c>rehearsal</c> for the rehearsal's own checks.</param>
/// <param name="Job">The workflow job, or the check's name.</param>
/// <param name="Command">The command as run (<c>ottkit plan --spec acme-tv.yaml</c>), or what was checked.</param>
/// <param name="Principal">The IAM principal that signed the step's AWS calls (an assumed-role ARN); null for checks.</param>
/// <param name="Verdict">How the step ended.</param>
/// <param name="ExitCode">The command's exit code (0 for checks that passed, 1 for those that failed).</param>
/// <param name="Calls">AWS calls the step made (authorized or denied).</param>
/// <param name="Denied">Denied calls among them.</param>
/// <param name="Detail">One line: what happened; for a failure the command's last output lines and the denials.</param>
public sealed record RehearsalStep(int Number, string Workflow, string Job, string Command, string? Principal, RehearsalVerdict Verdict, int ExitCode, int Calls, int Denied, string Detail)
{
    /// <summary>
    /// Real (wall-clock, not virtual) milliseconds from the end of the previous step, or the start of the rehearsal for
    /// the first, to the end of this one: what the step cost, its setup included (step 1 includes starting the
    /// rehearsal). Varies with the machine and its load: for profiling, never for an assertion; 0 when not measured.
    /// </summary>
    public long ElapsedMilliseconds { get; init; }
}

/// <summary>One authorized AWS call: who called what on which resource, and IAM's answer.</summary>
/// <param name="Principal">The caller (an assumed-role session ARN).</param>
/// <param name="Action">The IAM action (<c>cloudformation:CreateChangeSet</c>).</param>
/// <param name="Resource">The resource ARN.</param>
/// <param name="Allowed">Whether IAM allowed it.</param>
/// <param name="Message">For a denial, AWS's message (<c>User: … is not authorized to perform: … on resource: …</c>); null when allowed.</param>
public sealed record RehearsalCall(string Principal, string Action, string Resource, bool Allowed, string? Message);

/// <summary>Something wrong found by a check of the synthesized environment (not a denied call).</summary>
/// <param name="Kind"><c>reachability</c>, <c>architecture</c>, <c>workflow</c>, <c>stacks</c> or <c>tasks</c>.</param>
/// <param name="Subject">What the finding is about (an endpoint, a task definition, a stack).</param>
/// <param name="Message">What is wrong and what it breaks.</param>
public sealed record RehearsalFinding(string Kind, string Subject, string Message);

/// <summary>
/// The outcome of <see cref="Rehearsal.RunAsync"/>: every step with its verdict, every AWS call with IAM's answer, and
/// the reachability and architecture findings. <see cref="Succeeded"/> when no step failed, no call was denied and
/// nothing was found.
/// </summary>
public sealed record RehearsalReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The rehearsed environment's name.</summary>
    public required string Environment { get; init; }

    /// <summary>The steps, in the order they ran.</summary>
    public required IReadOnlyList<RehearsalStep> Steps { get; init; }

    /// <summary>Every AWS call the workflows' roles and the CloudFormation service role made, in order.</summary>
    public required IReadOnlyList<RehearsalCall> Calls { get; init; }

    /// <summary>Calls IAM denied.</summary>
    public IReadOnlyList<RehearsalCall> Denials => [.. Calls.Where(c => !c.Allowed)];

    /// <summary>Security-group paths that are missing or that should not exist.</summary>
    public required IReadOnlyList<RehearsalFinding> ReachabilityFindings { get; init; }

    /// <summary>Task definitions, images or hosts built for another CPU architecture than the one they run on.</summary>
    public required IReadOnlyList<RehearsalFinding> ArchitectureFindings { get; init; }

    /// <summary>
    /// Generated workflows that live in or check out a repository the spec does not declare (<c>ci.owner</c> with
    /// <c>ci.repositories</c>), or that install <c>ottkit</c> or build from OttKit source other than the spec's
    /// <c>ci.tool</c> names (kind <c>workflow</c>).
    /// </summary>
    public IReadOnlyList<RehearsalFinding> WorkflowFindings { get; init; } = [];

    /// <summary>Other findings: stacks the workflows never created (kind <c>stacks</c>), and what a scheduled task should have left behind and did not, or a health alarm that watches nothing the health task publishes (kind <c>tasks</c>).</summary>
    public required IReadOnlyList<RehearsalFinding> StackFindings { get; init; }

    /// <summary>Stacks CREATE_COMPLETE at the end.</summary>
    public required int StacksCreated { get; init; }

    /// <summary>Stacks in the synthesized stack set.</summary>
    public required int StacksTotal { get; init; }

    /// <summary>The number of AWS calls (for the JSON document; <see cref="Calls"/> lists them).</summary>
    public int CallCount => Calls.Count;

    /// <summary>Every finding together.</summary>
    public IReadOnlyList<RehearsalFinding> Findings => [.. ReachabilityFindings, .. ArchitectureFindings, .. WorkflowFindings, .. StackFindings];

    /// <summary>True when no step failed, no call was denied and there is no finding.</summary>
    public bool Succeeded => Steps.All(s => s.Verdict != RehearsalVerdict.Failed) && Denials.Count == 0 && Findings.Count == 0;

    /// <summary>The calls one step made (authorized or denied), in order: steps run one after another, so these are the step's slice of <see cref="Calls"/>.</summary>
    /// <param name="step">A step of this report.</param>
    /// <returns>The step's calls.</returns>
    public IReadOnlyList<RehearsalCall> CallsOf(RehearsalStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var offset = Steps.TakeWhile(s => s.Number != step.Number).Sum(s => s.Calls);
        return [.. Calls.Skip(offset).Take(step.Calls)];
    }

    /// <summary>The report as one indented JSON document (steps, denials, findings; calls counted).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            Environment,
            Succeeded,
            StacksCreated,
            StacksTotal,
            CallCount,
            Steps,
            Denials,
            ReachabilityFindings,
            ArchitectureFindings,
            WorkflowFindings,
            StackFindings,
        },
        Json);

    /// <summary>Plain lines, one per step, then denials and findings: what <c>ottkit rehearse</c> prints.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var step in Steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"{step.Number,3}. {Word(step.Verdict),-7} {step.Workflow} · {step.Job} · {step.Command}");
            text.Append(step.Principal is null ? string.Empty : $" (as {step.Principal})");
            text.AppendLine(step.Calls > 0 ? string.Create(CultureInfo.InvariantCulture, $" — {step.Calls} calls, {step.Denied} denied") : string.Empty);
            if (step.Verdict != RehearsalVerdict.Passed && step.Detail.Length > 0)
            {
                text.AppendLine("       " + step.Detail.Replace("\n", "\n       ", StringComparison.Ordinal));
            }
        }

        foreach (var denial in Denials)
        {
            text.AppendLine("denied: " + denial.Message);
        }

        foreach (var finding in Findings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"finding ({finding.Kind}): {finding.Subject}: {finding.Message}");
        }

        text.AppendLine(Summary());
        return text.ToString();
    }

    /// <summary>A Markdown table of the steps and lists of denials and findings, for <c>$GITHUB_STEP_SUMMARY</c>.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Rehearsal of {Environment}: {(Succeeded ? "passed" : "FAILED")}");
        text.AppendLine();
        text.AppendLine(Summary());
        text.AppendLine();
        text.AppendLine("| # | verdict | workflow | job | command | calls | denied |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var step in Steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {step.Number} | {Word(step.Verdict)} | {step.Workflow} | {step.Job} | `{step.Command.Replace("|", "\\|", StringComparison.Ordinal)}` | {step.Calls} | {step.Denied} |");
        }

        if (Denials.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Denied calls:");
            foreach (var denial in Denials)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {denial.Message}");
            }
        }

        if (Findings.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Findings:");
            foreach (var finding in Findings)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {finding.Kind}: {finding.Subject}: {finding.Message}");
            }
        }

        return text.ToString();
    }

    /// <summary>One line: steps, calls, denials, findings, stacks.</summary>
    /// <returns>The line.</returns>
    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment}: {Steps.Count} steps ({Steps.Count(s => s.Verdict == RehearsalVerdict.Failed)} failed), {Calls.Count} AWS calls authorized, {Denials.Count} denied, "
        + $"{Findings.Count} findings, stacks {StacksCreated} of {StacksTotal} CREATE_COMPLETE");

    private static string Word(RehearsalVerdict verdict) => verdict switch
    {
        RehearsalVerdict.Passed => "passed",
        RehearsalVerdict.Skipped => "skipped",
        _ => "FAILED",
    };
}
