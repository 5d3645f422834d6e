using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Testing;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit rehearse --spec F</c>: the environment's first deploy rehearsed locally, with no AWS credentials (see
/// <see cref="Rehearsal"/>): each step printed with its verdict; exit 0 when every step passed with no denied call and
/// no finding, 1 otherwise (docs/cli.md). With <c>GITHUB_STEP_SUMMARY</c> set, the report is appended to it as Markdown.
/// </summary>
internal static class RehearseCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var command = new Command(
            "rehearse",
            "Rehearse the environment's first deploy locally, without AWS: the bootstrap, the infrastructure workflow's plan and deploy jobs and each\n" +
            "image workflow's first run, every `ottkit` command run in process as the role its job assumes, against simulators of CloudFormation, ECS\n" +
            "and S3 with IAM enforced; plus reachability over the security groups and one CPU architecture per cluster. Exits 1 on any failed step,\n" +
            "denied call or finding.\n\n" +
            "Examples:\n  ottkit rehearse --spec blacksheep.yaml\n  ottkit rehearse --spec owl270.yaml --output json")
        {
            spec,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            return SpecCommands.RefuseRegion(context, parse, "rehearse") is { } refused ? Task.FromResult(refused) : RunAsync(context, environment, parse.GetRequiredValue(spec), cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the rehearsal of the spec at <paramref name="path"/>.</summary>
    public static async Task<int> RunAsync(CliContext context, CliEnvironment environment, string path, CancellationToken cancellationToken)
    {
        if (OttKitCommandLine.LoadSpec(context, path, out var exitCode) is null)
        {
            return exitCode;
        }

        RehearsalReport report;
        try
        {
            report = await Rehearsal.RunAsync(path, new RehearsalOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (OttKitValidationException ex)
        {
            return context.UserError(
                $"{path}: the spec is invalid, so there is nothing to rehearse: " + string.Join("; ", ex.Problems.Select(p => $"{p.Path}: {p.Message} (fix: {p.Fix})")),
                "spec-invalid");
        }

        if (context.Format == OutputFormat.Json)
        {
            var document = JsonNode.Parse(report.ToJson())!.AsObject();
            document["ok"] = report.Succeeded;
            context.Result(document);
        }
        else
        {
            await context.Output.WriteAsync(report.ToText()).ConfigureAwait(false);
        }

        if (environment.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            await File.AppendAllTextAsync(summary, report.ToMarkdown() + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        }

        if (!report.Succeeded && context.Format == OutputFormat.Text)
        {
            await context.Error.WriteLineAsync(
                $"error: the rehearsal of {report.Environment} failed: {report.Steps.Count(s => s.Verdict == RehearsalVerdict.Failed)} failed step(s), {report.Denials.Count} denied call(s), {report.Findings.Count} finding(s)"
                + (report.Denials.Count > 0 ? $"; first denial: {report.Denials[0].Message}" : string.Empty)
                + (report.Findings.Count > 0 ? $"; first finding: {report.Findings[0].Subject}: {report.Findings[0].Message}" : string.Empty)).ConfigureAwait(false);
        }

        return report.Succeeded ? ExitCodes.Success : ExitCodes.RehearsalFailed;
    }
}
