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
    public int UserError(string message, string? kind = null) =>
        Fail(new CliFailure(FailureKind.UserMistake, kind ?? "user-error", message));

    /// <summary>
    /// Reports a failure the one way the contract allows: in JSON mode the single result document
    /// <c>{"ok": false, "error": code, "kind": …, "message": …}</c>; in text mode one <c>error:</c> line on stderr
    /// (for a bug, a second line points at --verbose or prints the stack trace).
    /// </summary>
    public int Fail(CliFailure failure, Exception? cause = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (Format == OutputFormat.Json)
        {
            var document = new JsonObject { ["ok"] = false, ["error"] = failure.Code, ["kind"] = failure.KindName, ["message"] = failure.Message };
            if (Verbose && cause is not null)
            {
                document["detail"] = cause.ToString();
            }

            Result(document);
        }
        else
        {
            Error.WriteLine($"error: {failure.Message}");
            if (failure.Kind == FailureKind.Bug)
            {
                Error.WriteLine(Verbose && cause is not null ? cause.ToString() : "Run again with --verbose for the stack trace.");
            }
            else if (Verbose && cause is not null)
            {
                Error.WriteLine($"  cause: {cause.GetType().FullName}: {cause.Message}");
            }
        }

        return failure.ExitCode;
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
