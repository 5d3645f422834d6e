using System.CommandLine;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>The <c>--spec</c> option shared by the commands that read an environment spec.</summary>
internal static class SpecOption
{
    /// <summary>Creates a fresh <c>--spec</c> option (an option instance belongs to one command).</summary>
    public static Option<string> Create() => new("--spec", "-s")
    {
        Description = "The environment spec file (YAML or JSON).",
        Required = true,
    };
}
