using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit new &lt;name&gt;</c>: a new customer's environment repository, ready to synthesize.</summary>
internal static class NewCommand
{
    /// <summary>Folder (inside the new repository) holding the service workflows meant for the application repositories.</summary>
    public const string ServiceWorkflowsFolder = "app-workflows";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("name")
        {
            Description = "The environment name: 2–24 lowercase letters, digits and hyphens, starting with a letter (e.g. blacksheep-prod).",
        };
        var output = new Option<string?>("--out")
        {
            Description = "The folder to create the repository in. Default: ./<name>.",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Write into a folder that is not empty (files of the same names are replaced).",
        };
        var command = new Command(
            "new",
            "Scaffold a customer's environment repository: <name>.yaml (the spec, every section with its defaults and\n" +
            "comments), README.md, the infrastructure workflow under .github/workflows/ and one deploy workflow per service\n" +
            $"under {ServiceWorkflowsFolder}/<owner>/<repository>/. The spec validates and synthesizes as written; replace the\n" +
            "example certificate ARN before deploying.\n\n" +
            "Examples:\n  ottkit new blacksheep\n  ottkit new owl270 --region ap-south-1 --out ~/customers/owl270-platform")
        {
            name,
            output,
            force,
        };
        command.SetAction((parse, ct) => RunAsync(
            OttKitCommandLine.ContextOf(parse),
            parse.GetRequiredValue(name),
            parse.GetValue(output),
            // The global --region names the new environment's home region here.
            parse.GetValue(OttKitCommandLine.RegionOption) ?? SpecScaffold.DefaultRegion,
            parse.GetValue(force),
            ct));
        return command;
    }

    /// <summary>Writes the scaffold of <paramref name="name"/>.</summary>
    public static async Task<int> RunAsync(CliContext context, string name, string? outDirectory, string region, bool force, CancellationToken cancellationToken)
    {
        var problems = SpecScaffold.Check(name, region);
        if (problems.Count > 0)
        {
            return context.UserError(string.Join(" ", problems.Select(p => $"{p.Message} {p.Fix}")), "bad-argument");
        }

        if (AwsConnection.RegionProblem(region, region) is { } regionProblem)
        {
            return context.UserError(regionProblem, "bad-region");
        }

        var directory = string.IsNullOrEmpty(outDirectory) ? name : outDirectory;
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !force)
        {
            return context.UserError(
                $"folder '{directory}' is not empty. Choose a new or empty folder with --out, or pass --force to write into it (files of the same names are replaced).",
                "folder-not-empty");
        }

        // Generated from the scaffold's own text, so the workflows match the spec exactly as a later synth would.
        var specText = SpecScaffold.Spec(name, region);
        var spec = EnvironmentSpec.Parse(specText, SpecScaffold.SpecFileName(name));
        var workflows = PipelineGenerator.Generate(spec);
        var infrastructure = workflows.Single(w => w.Kind == WorkflowKind.Infrastructure);
        var files = new List<(string Path, string Content)>
        {
            (SpecScaffold.SpecFileName(name), specText),
            ("README.md", SpecScaffold.Readme(name, region, infrastructure.Path, ServiceWorkflowsFolder)),
            (infrastructure.Path, infrastructure.Content),
        };
        // The environment repository's workflows (infrastructure, backup image) sit at the root; each service's under
        // the folder of its own repository.
        files.AddRange(workflows.Where(w => w.Kind != WorkflowKind.Infrastructure)
            .Select(w => (w.Repository == infrastructure.Repository ? w.Path : Path.Combine(ServiceWorkflowsFolder, w.Repository, w.Path), w.Content)));

        var written = new List<string>();
        try
        {
            foreach (var (relative, content) in files)
            {
                var path = Path.Combine(directory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
                written.Add(path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new Outputs.OutputWriteException(Path.GetFullPath(directory), error.Message, error);
        }

        foreach (var path in written)
        {
            context.Line($"wrote {path}");
        }

        context.Line($"Next: replace the example certificate ARN in {Path.Combine(directory, SpecScaffold.SpecFileName(name))}, then 'ottkit synth --spec {Path.Combine(directory, SpecScaffold.SpecFileName(name))} --out out'.");
        context.Result(new JsonObject
        {
            ["ok"] = true,
            ["environment"] = name,
            ["region"] = region,
            ["directory"] = Path.GetFullPath(directory),
            ["spec"] = Path.GetFullPath(Path.Combine(directory, SpecScaffold.SpecFileName(name))),
            ["files"] = new JsonArray([.. written.Select(f => (JsonNode)JsonValue.Create(f))]),
        });
        return ExitCodes.Success;
    }
}
