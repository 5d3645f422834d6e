namespace Workmates.OttKit.Cli;

/// <summary>How a command reports its result.</summary>
internal enum OutputFormat
{
    /// <summary>Human-readable lines (plain when not a terminal or under CI).</summary>
    Text,

    /// <summary>One machine-readable JSON document on standard output.</summary>
    Json,
}
