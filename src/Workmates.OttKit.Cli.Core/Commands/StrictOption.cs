using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>The <c>--strict</c> option of the commands that synthesize, and how they report placeholders.</summary>
internal static class StrictOption
{
    /// <summary>Creates a fresh <c>--strict</c> option.</summary>
    public static Option<bool> Create() => new("--strict")
    {
        Description = "Treat placeholders (example account ids, the scaffold's certificate ARN, example.com addresses, example hosted zones) as errors. The generated pipelines pass it.",
    };

    /// <summary>Text mode: one <c>warning:</c> line per placeholder on stderr, with its spec path and fix.</summary>
    public static void WriteWarnings(CliContext context, IReadOnlyList<ValidationProblem> warnings)
    {
        if (context.Format != OutputFormat.Text)
        {
            return;
        }

        foreach (var warning in warnings)
        {
            context.Error.WriteLine($"warning: {warning.Path}: {warning.Message} Fix: {warning.Fix} (--strict makes this an error)");
        }
    }

    /// <summary>The warnings as a JSON array of <c>{path, message, fix}</c>.</summary>
    public static JsonArray Json(IReadOnlyList<ValidationProblem> warnings) =>
        new([.. warnings.Select(w => (JsonNode)new JsonObject { ["path"] = w.Path, ["message"] = w.Message, ["fix"] = w.Fix })]);
}
