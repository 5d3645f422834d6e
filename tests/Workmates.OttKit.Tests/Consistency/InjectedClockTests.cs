using System.Text.RegularExpressions;

namespace Workmates.OttKit.Tests.Consistency;

/// <summary>
/// The library reads time and waits only through an injected <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/>
/// is allowed as the default when none is given), so that tests drive every wait with FakeTimeProvider/VirtualClock.
/// </summary>
public sealed partial class InjectedClockTests
{
    [Fact]
    public void TheLibraryAndTheCli_NeverReadTheSystemClockDirectly()
    {
        var files = SourceFiles().ToList();

        var offences = files.SelectMany(f => Offences(f.Path, f.Text)).ToList();

        Assert.True(files.Count > 300, $"only {files.Count} source files found under src/: is the repository root right?");
        Assert.True(offences.Count == 0, "Direct clock reads or waits without a TimeProvider:\n" + string.Join('\n', offences));
    }

    [Theory]
    [InlineData("var now = DateTimeOffset.UtcNow;")]
    [InlineData("var now = DateTime.Now;")]
    [InlineData("var watch = Stopwatch.StartNew();")]
    [InlineData("var ticks = Environment.TickCount64;")]
    [InlineData("await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);")]
    [InlineData("using var timeout = new CancellationTokenSource(options.Timeout);")]
    [InlineData("source.CancelAfter(grace);")]
    [InlineData("Thread.Sleep(10);")]
    public void TheScan_FindsEachKindOfDirectClockUse(string line)
    {
        Assert.Single(Offences("Example.cs", line));
    }

    [Theory]
    [InlineData("await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);")]
    [InlineData("await Task.Delay(TimeSpan.FromSeconds(DelaySeconds), time, cancellationToken);")]
    [InlineData("using var timeout = new CancellationTokenSource(_options.Timeout, _timeProvider);")]
    [InlineData("private readonly CancellationTokenSource _writes = new(Timeout.InfiniteTimeSpan, time);")]
    [InlineData("_time = timeProvider ?? TimeProvider.System;")]
    [InlineData("/// <param name=\"time\">The clock; DateTimeOffset.UtcNow is never read.</param>")]
    public void TheScan_AcceptsAnInjectedClock(string line)
    {
        Assert.Empty(Offences("Example.cs", line));
    }

    private static IEnumerable<(string Path, string Text)> SourceFiles()
    {
        // The library and the CLI. Not Workmates.OttKit.Testing: its simulators stand in for real services and its
        // VirtualClock measures real idleness by design.
        var src = Path.Combine(RepositoryPaths.Root, "src");
        return new[] { "Workmates.OttKit", "Workmates.OttKit.Cli" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(src, project), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(RepositoryPaths.Root, p), File.ReadAllText(p)));
    }

    private static IEnumerable<string> Offences(string path, string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var cancelAfterOnInjectedSource = line.Contains("CancelAfter(", StringComparison.Ordinal)
                && text.Contains("new(Timeout.InfiniteTimeSpan, time)", StringComparison.Ordinal);
            if (SystemClock().IsMatch(line)
                || (line.Contains("Task.Delay(", StringComparison.Ordinal) && !DelayWithClock().IsMatch(line))
                || (SourceWithDelay().Match(line) is { Success: true } cts && !cts.Groups[1].Value.Contains(',', StringComparison.Ordinal))
                || (line.Contains("CancelAfter(", StringComparison.Ordinal) && !cancelAfterOnInjectedSource))
            {
                yield return $"{path}:{i + 1}: {line}";
            }
        }
    }

    [GeneratedRegex(@"\b(DateTime|DateTimeOffset)\.(UtcNow|Now|Today)\b|\bStopwatch\b|\bEnvironment\.TickCount|\bThread\.Sleep\(")]
    private static partial Regex SystemClock();

    // Task.Delay(delay, <a TimeProvider: time, _time, owner._time, timeProvider>, token)
    [GeneratedRegex(@"Task\.Delay\((?:[^()]|\([^()]*\))*,\s*[\w.]*[tT]ime\w*\s*,")]
    private static partial Regex DelayWithClock();

    // new CancellationTokenSource(delay) runs on the system clock; (delay, timeProvider) does not.
    [GeneratedRegex(@"new CancellationTokenSource\(((?:[^()]|\([^()]*\))+)\)")]
    private static partial Regex SourceWithDelay();
}
