using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Outputs;

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
        command.SetAction(async (parse, ct) =>
        {
            var context = OttKitCommandLine.ContextOf(parse);
            return SpecCommands.RefuseRegion(context, parse, "diagram")
                ?? await RunAsync(context, parse.GetRequiredValue(spec), parse.GetValue(output), ct).ConfigureAwait(false);
        });
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

        // The same checks as synth; failures reach the command line's edge.
        var stackSet = EnvironmentOutput.SynthesizeStacks(loaded, null, out _);
        var path = string.IsNullOrEmpty(outFile) ? ArchitectureDiagram.FileName : outFile;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
            var temporary = path + ".tmp";
            try
            {
                await File.WriteAllTextAsync(temporary, ArchitectureDiagram.Render(stackSet), cancellationToken).ConfigureAwait(false);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException(folder, error.Message, error);
        }

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
