using System.Diagnostics;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

/// <summary>
/// The command-line readers the compatibility tests hand archives to (python3, gzip, pigz): found on PATH, run as a
/// process with a time limit so a stuck reader fails the test instead of hanging it.
/// </summary>
internal static class GzipTools
{
    /// <summary>How long one external reader may run on the small archives of these tests.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The full path of <paramref name="tool"/>; a missing tool fails under CI=true (test.sh installs it) and skips elsewhere.</summary>
    public static string Require(string tool, string install)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var message = $"{tool} is not on PATH ({install}): the independent gzip/archive reader cannot run.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }

    /// <summary>Runs a tool to its end within <see cref="ProcessTimeout"/>; stdout is kept as bytes (a decompressor's output).</summary>
    public static async Task<(int ExitCode, byte[] Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ProcessTimeout);
        try
        {
            var output = new MemoryStream();
            var stdout = process.StandardOutput.BaseStream.CopyToAsync(output, limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            await stdout;
            return (process.ExitCode, output.ToArray(), await stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)} did not finish within {ProcessTimeout.TotalSeconds:0} s.");
        }
    }
}
