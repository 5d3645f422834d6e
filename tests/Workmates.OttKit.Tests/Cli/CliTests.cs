using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-cli-");

    private static string BlacksheepSpec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_valid_sample_exits_zero_and_says_so()
    {
        var run = await RunAsync("validate", "--spec", BlacksheepSpec);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("environment 'blacksheep' is valid.", run.Output, StringComparison.Ordinal);

        // The sample's certificates and people's principals name AWS's documentation account: warnings with the spec path, not errors.
        Assert.Equal(
            ["warning: loadBalancer.certificateArn: ", "warning: access.administrators[0]: ", "warning: access.developers[0]: ", "warning: access.readOnly[0]: ", "warning: media.certificateArn: "],
            run.Error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l[..(l.IndexOf(": '", StringComparison.Ordinal) + 2)]));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_live_event_already_over_is_refused_with_its_path_and_fix()
    {
        // The CLI passes the system clock; November 2020 is before any time this test runs.
        var spec = await WriteSpecAsync(File.ReadAllText(BlacksheepSpec).Replace("2027-11-0", "2020-11-0", StringComparison.Ordinal));

        var run = await RunAsync("validate", "--spec", spec);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("  liveEvents[0].endUtc: 'marathon' ended at 2020-11-06T18:00:00Z, before now", run.Error, StringComparison.Ordinal);
        Assert.Contains("    fix: Move the event to its next date", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_missing_file_prints_one_message_with_the_fix()
    {
        var run = await RunAsync("validate", "--spec", "missing.yaml");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "error: spec file 'missing.yaml' not found. Pass the path of your environment's spec (YAML or JSON) with --spec, or create one with 'ottkit new <name>'." + Environment.NewLine,
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_without_spec_is_a_usage_error_pointing_at_help()
    {
        var run = await RunAsync("validate");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(
            "error: Option '--spec' is required. Run 'ottkit validate --help' for usage and examples." + Environment.NewLine,
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_invalid_spec_lists_every_problem_with_path_and_fix_and_no_stack_trace()
    {
        var spec = await WriteSpecAsync(File.ReadAllText(BlacksheepSpec).Replace("ap-south-1", "mars-east-1", StringComparison.Ordinal));

        var run = await RunAsync("validate", "--spec", spec);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("region", run.Error, StringComparison.Ordinal);
        Assert.Contains("fix:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_unknown_key_names_file_line_and_column()
    {
        var spec = await WriteSpecAsync(File.ReadAllText(BlacksheepSpec) + "\nregoin: ap-south-1\n");

        var run = await RunAsync("validate", "--spec", spec);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("regoin", run.Error, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(spec), run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Validate_json_output_is_one_document_with_problems()
    {
        var spec = await WriteSpecAsync(File.ReadAllText(BlacksheepSpec).Replace("ap-south-1", "mars-east-1", StringComparison.Ordinal));

        var run = await RunAsync("validate", "--spec", spec, "--output", "json");

        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.False(document["ok"]!.GetValue<bool>());
        Assert.NotEmpty(document["problems"]!.AsArray());
        Assert.All(document["problems"]!.AsArray(), p => Assert.False(string.IsNullOrEmpty(p!["path"]!.GetValue<string>())));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Synth_writes_every_stack_template_the_manifest_the_diagram_and_the_workflows()
    {
        var outDir = Path.Combine(_work.FullName, "out");

        var run = await RunAsync("synth", "--spec", BlacksheepSpec, "--out", outDir, "--output", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var document = JsonNode.Parse(run.Output)!.AsObject();
        var files = document["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        var workflows = document["workflows"]!.AsArray();
        Assert.Contains(files, f => Path.GetFileName(f) == "manifest.json");
        Assert.Contains(files, f => Path.GetFileName(f) == "architecture.svg");
        Assert.Equal(document["stacks"]!.AsArray().Count + 2 + workflows.Count, files.Count);
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(files.Count, Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Length);
        Assert.Contains(files, f => f.EndsWith("/.github/workflows/deploy-live-chat.yml", StringComparison.Ordinal));
        Assert.Contains(workflows, w => w!["kind"]!.GetValue<string>() == "Infrastructure");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Synth_of_an_invalid_spec_writes_nothing()
    {
        var spec = await WriteSpecAsync(File.ReadAllText(BlacksheepSpec).Replace("ap-south-1", "mars-east-1", StringComparison.Ordinal));
        var outDir = Path.Combine(_work.FullName, "out");

        var run = await RunAsync("synth", "--spec", spec, "--out", outDir);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Nested_command_usage_error_points_at_the_full_command_help()
    {
        var run = await RunAsync("mongo", "health");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(
            "error: Option '--uri' is required. Run 'ottkit mongo health --help' for usage and examples." + Environment.NewLine,
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Unknown_command_is_a_usage_error()
    {
        var run = await RunAsync("deploy-everything");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("deploy-everything", run.Error, StringComparison.Ordinal);
    }

    private async Task<string> WriteSpecAsync(string text)
    {
        var path = Path.Combine(_work.FullName, "spec.yaml");
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OttKitCommandLine.InvokeAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
