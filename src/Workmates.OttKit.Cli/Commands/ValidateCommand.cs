using System.CommandLine;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit validate --spec F</c>: every problem of a spec at once, each with its path and fix.</summary>
internal static class ValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = SpecOption.Create();
        var command = new Command(
            "validate",
            "Check an environment spec and report every problem at once, each with its path and how to fix it.\n\n" +
            "Examples:\n  ottkit validate --spec blacksheep.yaml\n  ottkit validate --spec owl270.yaml --output json")
        {
            spec,
        };
        command.SetAction((parse, _) => Task.FromResult(Run(OttKitCommandLine.ContextOf(parse), parse.GetRequiredValue(spec))));
        return command;
    }

    /// <summary>Validates the spec at <paramref name="path"/>; exit 0 when valid, 1 otherwise.</summary>
    public static int Run(CliContext context, string path)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, path, out var exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        var problems = loaded.Validate();
        var weakenings = loaded.DescribeWeakenings();
        context.Result(new JsonObject
        {
            ["ok"] = problems.Count == 0,
            ["spec"] = path,
            ["environment"] = loaded.Name,
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path,
                ["message"] = p.Message,
                ["fix"] = p.Fix,
            })]),
            ["weakenings"] = new JsonArray([.. weakenings.Select(w => (JsonNode)JsonValue.Create(w))]),
        });

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
            context.Error.WriteLine($"{path}: {problems.Count} problem(s):");
            foreach (var problem in problems)
            {
                context.Error.WriteLine($"  {problem.Path}: {problem.Message}");
                context.Error.WriteLine($"    fix: {problem.Fix}");
            }
        }

        return ExitCodes.Failure;
    }
}
