using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Diagrams;

namespace Workmates.OttKit.Cli.Commands;

/// <summary><c>ottkit diagram --spec F [--out FILE]</c>: the architecture drawn from the synthesized stack set.</summary>
internal static class DiagramCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var spec = SpecOption.Create();
        var output = new Option<string?>("--out")
        {
            Description = "The SVG file to write (its folder is created when missing). Default: architecture.svg in the current folder.",
        };
        var command = new Command(
            "diagram",
            "Draw the environment's architecture as a self-contained SVG (no scripts, fonts or images to fetch):\n" +
            "region, VPC, one column per Availability Zone, subnets, load balancer, ECS services, MongoDB members,\n" +
            "edge, buckets, security and monitoring, all read from the synthesized stacks. 'synth' writes the same file.\n\n" +
            "Examples:\n  ottkit diagram --spec blacksheep.yaml\n  ottkit diagram --spec owl270.yaml --out docs/owl270.svg")
        {
            spec,
            output,
        };
        command.SetAction((parse, ct) => RunAsync(OttKitCommandLine.ContextOf(parse), parse.GetRequiredValue(spec), parse.GetValue(output), ct));
        return command;
    }

    /// <summary>Synthesizes the spec and writes its diagram.</summary>
    public static async Task<int> RunAsync(CliContext context, string specPath, string? outFile, CancellationToken cancellationToken)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (loaded is null)
        {
            return exitCode;
        }

        StackSet stackSet;
        try
        {
            stackSet = loaded.Synthesize();
        }
        catch (OttKitValidationException ex)
        {
            return context.UserError(ex.Message, "spec-invalid");
        }

        var path = string.IsNullOrEmpty(outFile) ? ArchitectureDiagram.FileName : outFile;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllTextAsync(path, ArchitectureDiagram.Render(stackSet), cancellationToken).ConfigureAwait(false);
        context.Line($"wrote {path}");
        context.Result(new JsonObject
        {
            ["ok"] = true,
            ["environment"] = stackSet.Environment,
            ["file"] = Path.GetFullPath(path),
        });
        return ExitCodes.Success;
    }
}
