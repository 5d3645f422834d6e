namespace Workmates.OttKit.Cli;

/// <summary>
/// The <c>ottkit</c> commands run in process: the same parser, commands and output contract as the tool, with the
/// caller's environment variables and clock instead of the process's. <c>Workmates.OttKit.Testing</c>'s rehearsal runs
/// the workflows' commands through it; the tool's own <c>rehearse</c> command is not part of this library.
/// </summary>
public static class OttKitCli
{
    /// <summary>Runs one <c>ottkit</c> command line and returns its exit code (docs/cli.md, Exit codes).</summary>
    /// <param name="arguments">The arguments after <c>ottkit</c>.</param>
    /// <param name="variables">The environment variables the command sees (AWS endpoints, credentials, <c>CI</c>…).</param>
    /// <param name="time">The clock every wait and poll of the command uses.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> InvokeAsync(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> variables,
        TimeProvider time,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(time);
        return OttKitCommandLine.InvokeAsync([.. arguments], output, error, new CliEnvironment(variables, time, OutputIsTerminal: false), cancellationToken);
    }
}
