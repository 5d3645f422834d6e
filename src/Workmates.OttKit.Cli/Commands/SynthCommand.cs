using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit synth --spec F --out DIR</c>: the stack set's templates and manifest.</summary>
internal static class SynthCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = SpecOption.Create();
        var output = new Option<string>("--out")
        {
            Description = "The folder to write into (created when missing). Existing files of the same names are replaced.",
            Required = true,
        };
        var command = new Command(
            "synth",
            "Synthesize an environment: one CloudFormation template per stack, manifest.json (stacks, regions, order, parameters),\n" +
            "architecture.svg (the platform drawn from the stacks)\n" +
            "and the GitHub Actions workflows under <out>/<owner>/<repository>/.github/workflows/.\n" +
            "An invalid spec writes nothing.\n\n" +
            "Examples:\n  ottkit synth --spec blacksheep.yaml --out out/blacksheep")
        {
            spec,
            output,
        };
        command.SetAction((parse, ct) => RunAsync(OttKitCommandLine.ContextOf(parse), parse.GetRequiredValue(spec), parse.GetRequiredValue(output), ct));
        return command;
    }

    /// <summary>Synthesizes the spec at <paramref name="specPath"/> into <paramref name="outDirectory"/>.</summary>
    public static async Task<int> RunAsync(CliContext context, string specPath, string outDirectory, CancellationToken cancellationToken)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        StackSet stackSet;
        IReadOnlyList<WorkflowFile> workflows;
        string diagram;
        try
        {
            // Everything is generated before anything is written, so an invalid spec leaves the folder untouched.
            stackSet = loaded.Synthesize();
            workflows = PipelineGenerator.Generate(loaded);
            diagram = ArchitectureDiagram.Render(stackSet);
        }
        catch (OttKitValidationException ex)
        {
            return context.UserError(ex.Message, "spec-invalid");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var written = new List<string>(await stackSet.WriteToAsync(outDirectory, cancellationToken).ConfigureAwait(false));
        var diagramPath = Path.Combine(outDirectory, ArchitectureDiagram.FileName);
        await File.WriteAllTextAsync(diagramPath, diagram, cancellationToken).ConfigureAwait(false);
        written.Add(diagramPath);
        foreach (var workflow in workflows)
        {
            var path = Path.Combine(outDirectory, workflow.Repository, workflow.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, workflow.Content, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        foreach (var file in written)
        {
            context.Line($"wrote {file}");
        }

        context.Line($"{stackSet.Stacks.Count} stacks, {workflows.Count} workflows, {stackSet.Stacks.Sum(s => s.Template.Resources.Count)} resources, region {stackSet.Region}.");
        context.Result(new JsonObject
        {
            ["ok"] = true,
            ["environment"] = stackSet.Environment,
            ["region"] = stackSet.Region,
            ["out"] = Path.GetFullPath(outDirectory),
            ["files"] = new JsonArray([.. written.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["workflows"] = new JsonArray([.. workflows.Select(w => (JsonNode)new JsonObject
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
