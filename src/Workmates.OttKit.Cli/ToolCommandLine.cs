using Workmates.OttKit.Cli.Commands;

namespace Workmates.OttKit.Cli;

/// <summary>
/// The tool's command line: the library's commands (Workmates.OttKit.Cli.Core) plus <c>ottkit rehearse</c>, which runs
/// the Workmates.OttKit.Testing rehearsal and so cannot live in the library the Testing package references.
/// </summary>
internal static class ToolCommandLine
{
    /// <summary>Parses and runs a command line in <paramref name="environment"/> (the process when null), returning the exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment = null, CancellationToken cancellationToken = default) =>
        OttKitCommandLine.InvokeAsync(args, output, error, WithToolCommands(environment ?? CliEnvironment.Process), cancellationToken);

    /// <summary>The environment with the tool's own commands added.</summary>
    public static CliEnvironment WithToolCommands(CliEnvironment environment) =>
        environment with { Extensions = [.. environment.Extensions, RehearseCommand.Create] };
}
