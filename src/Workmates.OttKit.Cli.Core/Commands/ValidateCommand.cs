using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Outputs;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit validate --spec F [--strict]</c>: every problem of a spec at once, each with its path and fix. It runs the
/// whole synthesis without writing (<see cref="EnvironmentOutput.Synthesize"/>), so whatever <c>synth</c> would refuse,
/// <c>validate</c> refuses first.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var strict = StrictOption.Create();
        var command = new Command(
            "validate",
            "Check an environment spec and report every problem at once, each with its path and how to fix it; placeholders are warnings\n" +
            "(errors with --strict). The whole synthesis runs, templates are checked against CloudFormation's registry schemas, nothing is written.\n\n" +
            "Examples:\n  ottkit validate --spec blacksheep.yaml\n  ottkit validate --spec owl270.yaml --strict --output json")
        {
            spec,
            strict,
        };
        command.SetAction((parse, _) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            return Task.FromResult(SpecCommands.RefuseRegion(context, parse, "validate") ?? Run(context, parse.GetRequiredValue(spec), parse.GetValue(strict), environment.Time.GetUtcNow()));
        });
        return command;
    }

    /// <summary>Validates the spec at <paramref name="path"/> (live events over before <paramref name="now"/> are refused); exit 0 when valid, 1 otherwise.</summary>
    public static int Run(CliContext context, string path, bool strict = false, DateTimeOffset? now = null)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, path, out var exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        IReadOnlyList<ValidationProblem> problems;
        IReadOnlyList<ValidationProblem> warnings;
        try
        {
            warnings = EnvironmentOutput.Synthesize(loaded, new EnvironmentOutputOptions { Strict = strict, Now = now }).Warnings;
            problems = [];
        }
        catch (OttKitValidationException ex)
        {
            problems = ex.Problems;
            warnings = strict ? [] : SpecPlaceholders.Find(loaded);
        }

        var weakenings = loaded.DescribeWeakenings();
        context.Result(new JsonObject
        {
            ["ok"] = problems.Count == 0,
            ["spec"] = path,
            ["environment"] = loaded.Name,
            ["strict"] = strict,
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["message"] = p.Message,
                ["fix"] = p.Fix,
            })]),
            ["warnings"] = StrictOption.Json(warnings),
            ["weakenings"] = new JsonArray([.. weakenings.Select(w => (JsonNode)JsonValue.Create(w))]),
        });

        StrictOption.WriteWarnings(context, warnings);
        if (problems.Count == 0)
        {
            context.Line($"{path}: environment '{loaded.Name}' is valid.");
            foreach (var weakening in weakenings)
            {
                context.Line($"  weakened default: {weakening}");
            }

            return ExitCodes.Success;
        }

        if (context.Format == OutputFormat.Text)
        {
            context.Error.WriteLine($"error: {path}: {problems.Count} problem(s); fix each as said and run again:");
            foreach (var problem in problems)
            {
                context.Error.WriteLine($"  {problem.Path}: {problem.Message}");
                context.Error.WriteLine($"    fix: {problem.Fix}");
            }
        }

        return ExitCodes.Failure;
    }
}
