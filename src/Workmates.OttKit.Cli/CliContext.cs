using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Cli;

/// <summary>What every command needs: where to write, in which format, and how loud to be.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, OutputFormat format, bool verbose)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // The document is printed, not embedded in HTML: keep '&', '<' and non-ASCII readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public OutputFormat Format { get; } = format;

    public bool Verbose { get; } = verbose;

    /// <summary>Writes a line of human-readable progress; silent in JSON mode, where only the result document is printed.</summary>
    public void Line(string text)
    {
        if (Format == OutputFormat.Text)
        {
            Output.WriteLine(text);
        }
    }

    /// <summary>Writes the command's single JSON result document (JSON mode only).</summary>
    public void Result(JsonObject document)
    {
        if (Format == OutputFormat.Json)
        {
            Output.WriteLine(document.ToJsonString(JsonOptions));
        }
    }

    /// <summary>Reports a user mistake: one clear message with the fix, no stack trace.</summary>
    public int UserError(string message, string? kind = null)
    {
        if (Format == OutputFormat.Json)
        {
            Result(new JsonObject { ["ok"] = false, ["error"] = kind ?? "user-error", ["message"] = message });
        }
        else
        {
            Error.WriteLine($"error: {message}");
        }

        return ExitCodes.Failure;
    }

    /// <summary>Appends Markdown to the GitHub Actions step summary when the runner provides one.</summary>
    public static async Task AppendStepSummaryAsync(string markdown, CancellationToken cancellationToken)
    {
        var path = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (!string.IsNullOrEmpty(path))
        {
            await File.AppendAllTextAsync(path, markdown + Environment.NewLine, cancellationToken).ConfigureAwait(false);
        }
    }
}
