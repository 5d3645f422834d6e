using System.Collections;
using System.CommandLine;

namespace Workmates.OttKit.Cli;

/// <summary>
/// What the commands read from the process around them: environment variables, the clock and whether standard output
/// is a terminal. The tool uses <see cref="Process"/>; tests pass their own (simulator endpoints, a virtual clock).
/// </summary>
/// <param name="Variables">The environment variables.</param>
/// <param name="Time">The clock used for polling and deadlines.</param>
/// <param name="OutputIsTerminal">Whether standard output is an interactive terminal.</param>
internal sealed record CliEnvironment(IReadOnlyDictionary<string, string> Variables, TimeProvider Time, bool OutputIsTerminal)
{
    /// <summary>The real process: its environment, the system clock, and a terminal when stdout is not redirected.</summary>
    public static CliEnvironment Process { get; } = new(ReadProcessVariables(), TimeProvider.System, !Console.IsOutputRedirected);

    /// <summary>
    /// Commands added to the library's (the tool's <c>rehearse</c>), each created with this environment; inserted
    /// before <c>mongo</c> in the help listing.
    /// </summary>
    public IReadOnlyList<Func<CliEnvironment, Command>> Extensions { get; init; } = [];

    /// <summary>A variable's value, or null when unset or empty.</summary>
    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Whether plain, timestamped lines are wanted instead of live rendering (not a terminal, CI=true, NO_COLOR, --no-color).</summary>
    public bool WantsPlainOutput(bool noColor) =>
        noColor || !OutputIsTerminal || string.Equals(Variable("CI"), "true", StringComparison.OrdinalIgnoreCase) || Variable("NO_COLOR") is not null;

    private static Dictionary<string, string> ReadProcessVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }
}
