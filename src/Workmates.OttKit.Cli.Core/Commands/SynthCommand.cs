using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Outputs;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit synth --spec F --out DIR [--strict]</c>: the environment's output folder, written by the library in one
/// call (<see cref="EnvironmentOutput"/>): templates, manifest, diagram and workflows, checked before anything is written.
/// </summary>
internal static class SynthCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var strict = StrictOption.Create();
        var output = new Option<string>("--out")
        {
            Description = "The folder to write into (created when missing). Files of the same names are replaced; files an earlier synth wrote that this one does not are removed; other files are kept.",
            Required = true,
        };
        var command = new Command(
            "synth",
            "Synthesize an environment: one CloudFormation template per stack, manifest.json (stacks, regions, order, parameters, files),\n" +
            "architecture.svg (the platform drawn from the stacks)\n" +
            "and the GitHub Actions workflows under <out>/<owner>/<repository>/.github/workflows/.\n" +
            "Every template is checked against CloudFormation's rules and registry schemas first: an invalid spec writes nothing,\n" +
            "and a failed write leaves no half-written or temporary file. Placeholders are warnings (errors with --strict).\n\n" +
            "Examples:\n  ottkit synth --spec blacksheep.yaml --out out/blacksheep\n  ottkit synth --spec blacksheep.yaml --out out/blacksheep --strict")
        {
            spec,
            output,
            strict,
        };
        command.SetAction(async (parse, ct) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            return SpecCommands.RefuseRegion(context, parse, "synth")
                ?? await RunAsync(context, parse.GetRequiredValue(spec), parse.GetRequiredValue(output), parse.GetValue(strict), environment.Time.GetUtcNow(), ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Synthesizes the spec at <paramref name="specPath"/> into <paramref name="outDirectory"/>.</summary>
    public static Task<int> RunAsync(CliContext context, string specPath, string outDirectory, bool strict, CancellationToken cancellationToken) =>
        RunAsync(context, specPath, outDirectory, strict, null, cancellationToken);

    /// <summary>Synthesizes the spec at <paramref name="specPath"/> into <paramref name="outDirectory"/>; <paramref name="now"/> refuses live events already over.</summary>
    public static async Task<int> RunAsync(CliContext context, string specPath, string outDirectory, bool strict, DateTimeOffset? now, CancellationToken cancellationToken)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        // Failures (invalid spec, schema violations, an unwritable folder) reach the command line's edge, which
        // classifies and reports them; nothing has been written then.
        var environment = EnvironmentOutput.Synthesize(loaded, new EnvironmentOutputOptions { Strict = strict, Now = now });
        var result = await environment.WriteToAsync(outDirectory, cancellationToken).ConfigureAwait(false);
        var stackSet = environment.StackSet;
        StrictOption.WriteWarnings(context, environment.Warnings);
        foreach (var file in result.Written)
        {
            context.Line($"wrote {file}");
        }

        foreach (var file in result.Removed)
        {
            context.Line($"removed {file} (no longer part of the environment)");
        }

        context.Line($"{stackSet.Stacks.Count} stacks, {environment.Workflows.Count} workflows, {stackSet.Stacks.Sum(s => s.Template.Resources.Count)} resources, region {stackSet.Region}; every template passes the CloudFormation registry schemas.");
        context.Result(new JsonObject
        {
            ["ok"] = true,
            ["environment"] = stackSet.Environment,
            ["region"] = stackSet.Region,
            ["out"] = result.Directory,
            ["files"] = new JsonArray([.. result.Written.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["removed"] = new JsonArray([.. result.Removed.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["warnings"] = StrictOption.Json(environment.Warnings),
            ["workflows"] = new JsonArray([.. environment.Workflows.Select(w => (JsonNode)new JsonObject
            {
                ["repository"] = w.Repository,
                ["path"] = w.Path,
                ["kind"] = w.Kind.ToString(),
            })]),
            ["stacks"] = new JsonArray([.. stackSet.Stacks.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["region"] = s.Region,
                ["resources"] = s.Template.Resources.Count,
            })]),
        });

        await CliContext.AppendStepSummaryAsync(
            $"### ottkit synth: {stackSet.Environment}\n\n{stackSet.Stacks.Count} stacks written to `{outDirectory}`.",
            cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
