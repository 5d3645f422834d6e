using System.Collections.Concurrent;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// One whole rehearsal (<see cref="Workmates.OttKit.Testing.Rehearsal.RunAsync"/>, task steps on) per sample per test
/// run, shared by the tests that read its report (infrastructure, deploy service, backup and health tasks): the
/// rehearsal is the expensive part, its report is immutable.
/// </summary>
internal static class RehearsedSamples
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RehearsalReport>>> Reports = new(StringComparer.Ordinal);

    public static Task<RehearsalReport> ReportAsync(string sample) =>
        Reports.GetOrAdd(sample, s => new Lazy<Task<RehearsalReport>>(() => RunAsync(s))).Value;

    private static async Task<RehearsalReport> RunAsync(string sample)
    {
        var directory = Directory.CreateTempSubdirectory("ottkit-rehearsal-test-").FullName;
        try
        {
            var specPath = Path.Combine(directory, $"{sample}.yaml");
            await File.WriteAllTextAsync(specPath, SampleSpecs.Yaml(sample));
            // Not the first caller's token: the report is shared, and the rehearsal bounds itself (VirtualClock.StallLimit).
            return await Workmates.OttKit.Testing.Rehearsal.RunAsync(specPath, new RehearsalOptions { CommandLine = InProcessCommandLine.RunAsync });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
