using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// Renders a service deploy or rollback: live (Spectre.Console) on a terminal, plain timestamped lines otherwise,
/// one JSON document with <c>--output json</c>, and a Markdown summary appended to <c>$GITHUB_STEP_SUMMARY</c>.
/// </summary>
internal sealed class DeploymentOutput(CliContext context, CliEnvironment environment, bool noColor)
{
    private bool Plain => environment.WantsPlainOutput(noColor);

    /// <summary>Reads the event stream to its verdict, rendering as it goes.</summary>
    public async Task<ServiceDeploymentResult> RenderAsync(string service, IAsyncEnumerable<DeploymentEvent> events, CancellationToken cancellationToken)
    {
        ServiceDeploymentResult? result = null;
        if (context.Format == OutputFormat.Json || Plain)
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                result = (e as DeploymentTerminal)?.Result ?? result;
                if (e is not DeploymentTerminal)
                {
                    context.Line($"{Stamp(e.At)} {service}: {Describe(e)}");
                }
            }

            return result!;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
        await console.Status().StartAsync($"{service}: starting", async status =>
        {
            await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (e is DeploymentTerminal terminal)
                {
                    result = terminal.Result;
                    continue;
                }

                if (e is TasksProgress progress)
                {
                    status.Status($"{service}: {progress.Running} running, {progress.Pending} pending, {progress.Failed} failed ({progress.RolloutState})");
                }

                var colour = e switch
                {
                    RollbackStarted or ObservationUnavailable => "yellow",
                    TargetHealthObserved { NewUnhealthy: > 0 } or AlarmStateObserved { Alarm.State: "ALARM" } => "red",
                    _ => "grey",
                };
                console.MarkupLine($"[{colour}]{Markup.Escape($"{Stamp(e.At)} {Describe(e)}")}[/]");
            }
        }).ConfigureAwait(false);
        return result!;
    }

    /// <summary>The verdict line in text mode: one unwrapped line (CI logs and scripts grep it), also after live rendering.</summary>
    public void Verdict(ServiceDeploymentResult result) => context.Line(Verdict(result, result.Service));

    public static string Verdict(ServiceDeploymentResult r, string service) => r.Outcome switch
    {
        ServiceDeploymentOutcome.Succeeded when r.RolledBackTo is not null => $"rolled back: {service} runs {r.RolledBackTo} again.",
        ServiceDeploymentOutcome.Succeeded => $"succeeded: {service} runs {r.RunningTaskDefinition}.",
        ServiceDeploymentOutcome.NoChange => $"no change: {r.Reason}",
        ServiceDeploymentOutcome.RolledBack => $"FAILED: ECS rolled {service} back to {r.RolledBackTo} ({Trigger(r.RollbackTrigger)}). Reason: {r.Reason}",
        ServiceDeploymentOutcome.TimedOut when r.RolledBackTo is not null => $"TIMED OUT: stopped with rollback; {service} runs {r.RolledBackTo} again.",
        ServiceDeploymentOutcome.TimedOut => $"TIMED OUT: {r.Reason} It goes on in ECS; watch it with 'ottkit status' or roll it back with 'ottkit rollback service'.",
        _ => $"FAILED: {r.Reason} (service deployment {r.Status}); {service} runs {r.RunningTaskDefinition}.",
    };

    /// <summary>The JSON result document.</summary>
    public static JsonObject Json(string command, ServiceDeploymentResult r, int exitCode) => new()
    {
        ["ok"] = r.IsSuccess,
        ["command"] = command,
        ["cluster"] = r.Cluster,
        ["service"] = r.Service,
        ["outcome"] = r.Outcome.ToString(),
        ["exitCode"] = exitCode,
        ["serviceDeploymentArn"] = r.ServiceDeploymentArn,
        ["deployedTaskDefinition"] = r.DeployedTaskDefinition,
        ["runningTaskDefinition"] = r.RunningTaskDefinition,
        ["rolledBackTo"] = r.RolledBackTo,
        ["rollbackTrigger"] = r.RollbackTrigger?.ToString(),
        ["status"] = r.Status,
        ["reason"] = r.Reason,
        ["finishedAt"] = r.FinishedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["verdictAt"] = r.VerdictAt.ToString("O", CultureInfo.InvariantCulture),
        ["targets"] = Targets(r.Targets),
        ["alarms"] = Alarms(r.Alarms),
        ["events"] = new JsonArray([.. r.Events.Select(m => (JsonNode)JsonValue.Create(m))]),
    };

    public static JsonArray Targets(IReadOnlyList<TargetState> targets) => new([.. targets.Select(t => (JsonNode)new JsonObject
    {
        ["id"] = t.Id, ["port"] = t.Port, ["state"] = t.State, ["reason"] = t.Reason, ["description"] = t.Description, ["newTask"] = t.IsNewTask,
    })]);

    public static JsonArray Alarms(IReadOnlyList<AlarmState> alarms) => new([.. alarms.Select(a => (JsonNode)new JsonObject
    {
        ["name"] = a.Name, ["state"] = a.State, ["reason"] = a.Reason,
    })]);

    /// <summary>Appends the Markdown summary when <c>GITHUB_STEP_SUMMARY</c> is set.</summary>
    public async Task SummaryAsync(string title, ServiceDeploymentResult r, CancellationToken cancellationToken)
    {
        if (environment.Variable("GITHUB_STEP_SUMMARY") is not { } path)
        {
            return;
        }

        var markdown = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"### {(r.IsSuccess ? "✅" : "❌")} {title}: {r.Outcome}").AppendLine().AppendLine()
            .AppendLine("| | |").AppendLine("| --- | --- |")
            .Append(CultureInfo.InvariantCulture, $"| service | `{r.Cluster}/{r.Service}` |").AppendLine()
            .Append(CultureInfo.InvariantCulture, $"| deployed | `{r.DeployedTaskDefinition}` |").AppendLine()
            .Append(CultureInfo.InvariantCulture, $"| running now | `{r.RunningTaskDefinition}` |").AppendLine();
        if (r.RolledBackTo is not null)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| rolled back to | `{r.RolledBackTo}` ({Trigger(r.RollbackTrigger)}) |").AppendLine();
        }

        markdown.Append(CultureInfo.InvariantCulture, $"| reason | {(r.Reason ?? "—").Replace("|", "\\|", StringComparison.Ordinal)} |").AppendLine();
        foreach (var alarm in r.Alarms)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| alarm `{alarm.Name}` | {alarm.State} |").AppendLine();
        }

        if (r.Targets.Count > 0)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| targets | {Summary(r.Targets)} |").AppendLine();
        }

        await File.AppendAllTextAsync(path, markdown.AppendLine().ToString(), cancellationToken).ConfigureAwait(false);
    }

    public static string Describe(DeploymentEvent e) => e switch
    {
        RevisionRegistered r => $"registered {r.TaskDefinitionArn} (image {r.Image})",
        DeploymentStarted d => $"watching service deployment {d.ServiceDeploymentArn} of {d.TaskDefinitionArn}",
        TasksProgress p => $"tasks: {p.Running} running, {p.Pending} pending, {p.Failed} failed (rollout {p.RolloutState})",
        ServiceEventObserved s => $"ECS: {s.Message}",
        TargetHealthObserved t => $"targets: {Summary(t.Targets)}",
        AlarmStateObserved a => $"alarm {a.Alarm.Name}: {a.Alarm.State}" + (a.Alarm.State == "OK" ? string.Empty : $" ({a.Alarm.Reason})"),
        ObservationUnavailable o => $"warning: cannot read {o.Source} ({o.ErrorCode}); watching without it",
        PollThrottled p => string.Create(CultureInfo.InvariantCulture, $"AWS answered {p.ErrorCode}; next poll in {p.NextPollIn.TotalSeconds:0} s"),
        RollbackStarted r => $"rollback started ({Trigger(r.Trigger)}): {r.Reason}",
        _ => e.ToString(),
    };

    public static string Summary(IReadOnlyList<TargetState> targets)
    {
        if (targets.Count == 0)
        {
            return "none registered";
        }

        var groups = targets.GroupBy(t => (t.IsNewTask, t.State)).OrderByDescending(g => g.Key.IsNewTask).ThenBy(g => g.Key.State, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key.State} ({(g.Key.IsNewTask ? "new" : "old")})");
        var unhealthy = targets.Where(t => t.IsUnhealthy).Select(t => $"{t.Id}:{t.Port} {t.Reason}").ToList();
        return string.Join(", ", groups) + (unhealthy.Count > 0 ? $"; unhealthy: {string.Join(", ", unhealthy)}" : string.Empty);
    }

    public static string Trigger(RollbackTrigger? trigger) => trigger switch
    {
        RollbackTrigger.CircuitBreaker => "circuit breaker",
        RollbackTrigger.Alarm => "alarm",
        RollbackTrigger.FailFast => "fail-fast: unhealthy targets",
        RollbackTrigger.Stopped => "stop requested",
        _ => "unknown trigger",
    };

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
