namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// One line per rehearsed environment and path for <c>./test.sh</c> to print after the test run: written to
/// <c>$OTTKIT_REHEARSAL_SUMMARY_DIR/&lt;name&gt;.txt</c> when test.sh sets that variable, nowhere otherwise.
/// </summary>
internal static class RehearsalSummary
{
    public static void Write(string name, string line) => WriteTo("OTTKIT_REHEARSAL_SUMMARY_DIR", name, line);

    /// <summary>The same for another summary test.sh prints: the folder named by <paramref name="directoryVariable"/>.</summary>
    public static void WriteTo(string directoryVariable, string name, string line)
    {
        var directory = Environment.GetEnvironmentVariable(directoryVariable);
        if (string.IsNullOrWhiteSpace(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".txt"), line.ReplaceLineEndings(" ") + "\n");
    }
}
