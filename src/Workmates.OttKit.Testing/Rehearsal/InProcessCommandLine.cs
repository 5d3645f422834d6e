using Workmates.OttKit.Cli;

namespace Workmates.OttKit.Testing;

/// <summary>
/// The <c>ottkit</c> command line run in process, the default of <see cref="RehearsalOptions.CommandLine"/>: the
/// commands of Workmates.OttKit.Cli.Core (the library the <c>ottkit</c> tool is built on), so a client's test project
/// rehearses with exactly the commands the workflows run, from package references alone.
/// </summary>
public static class InProcessCommandLine
{
    /// <summary>Runs one command with the rehearsal's variables and virtual clock; returns its exit code.</summary>
    /// <param name="command">The command line and its environment.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(RehearsalCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return OttKitCli.InvokeAsync(command.Arguments, command.Variables, command.Time, command.Output, command.Error, cancellationToken);
    }
}
