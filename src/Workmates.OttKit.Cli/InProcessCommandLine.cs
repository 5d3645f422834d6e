using Workmates.OttKit.Testing;

namespace Workmates.OttKit.Cli;

// Public on purpose: a test project referencing the tool passes it to RehearsalOptions.CommandLine.
#pragma warning disable CA1515

/// <summary>
/// The <c>ottkit</c> command line run in process, for <see cref="RehearsalOptions.CommandLine"/>: a test project that
/// references the tool's assembly rehearses with exactly the commands the workflows run.
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
        return OttKitCommandLine.InvokeAsync([.. command.Arguments], command.Output, command.Error, new CliEnvironment(command.Variables, command.Time, OutputIsTerminal: false), cancellationToken);
    }
}
