using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary><c>ottkit rehearse</c> (issue 21): passes on both samples as committed and on a fresh scaffold; refuses an invalid spec with its problems.</summary>
public sealed class RehearseCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-rehearse-cli-");

    public void Dispose() => _work.Delete(recursive: true);

    [Theory(Timeout = TestTimeouts.External)]
    [InlineData("Blacksheep/blacksheep.yaml", "blacksheep")]
    [InlineData("Owl270/owl270.yaml", "owl270")]
    public async Task Rehearse_passes_on_a_committed_sample_and_prints_every_step_with_its_verdict(string sample, string environment)
    {
        var run = await RunAsync("rehearse", "--spec", Path.Combine(RepositoryPaths.Root, "samples", sample));

        Assert.True(run.ExitCode == ExitCodes.Success, run.Output + run.Error);
        Assert.Empty(run.Error);
        Assert.Contains(" passed  rehearsal · reachability", run.Output, StringComparison.Ordinal);
        Assert.Contains($"· plan · ottkit plan --spec {Path.GetFileName(sample)} --strict --no-color (as arn:aws:sts::", run.Output, StringComparison.Ordinal);
        Assert.Contains(" skipped ", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{environment}: ", run.Output, StringComparison.Ordinal);
        Assert.Contains(" 0 denied, 0 findings", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAILED", run.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Rehearse_passes_on_a_fresh_scaffold_and_writes_one_json_document()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");
        Assert.Equal(ExitCodes.Success, (await RunAsync("new", "acme-tv", "--out", folder)).ExitCode);

        var run = await RunAsync("rehearse", "--spec", Path.Combine(folder, "acme-tv.yaml"), "-o", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Output + run.Error);
        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.True(document["ok"]!.GetValue<bool>());
        Assert.True(document["succeeded"]!.GetValue<bool>());
        Assert.Equal("acme-tv", document["environment"]!.GetValue<string>());
        Assert.Empty(document["denials"]!.AsArray());
        // The scaffold keeps its `ci` section commented out: the bootstrap stack is rehearsed, the workflows are
        // skipped with the reason (SampleSpecs.Scaffold, every section on, is rehearsed whole by InfrastructureRehearsalTests).
        Assert.Equal(1, document["stacksCreated"]!.GetValue<int>());
        Assert.True(document["callCount"]!.GetValue<int>() > 0);
        Assert.Contains(document["steps"]!.AsArray(), s => s!["verdict"]!.GetValue<string>() == "Skipped"
            && s["detail"]!.GetValue<string>().Contains("the spec has no `ci` section", StringComparison.Ordinal));
        Assert.All(document["steps"]!.AsArray(), s => Assert.NotEqual("Failed", s!["verdict"]!.GetValue<string>()));

        // Every step carries its wall time for profiling (a value, never compared with a duration).
        Assert.All(document["steps"]!.AsArray(), s => Assert.True(s!["elapsedMilliseconds"]!.GetValue<long>() >= 0));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Rehearse_refuses_an_invalid_spec_naming_each_problem_and_rehearses_nothing()
    {
        var spec = Path.Combine(_work.FullName, "broken.yaml");
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(spec, text.Replace("region: ap-south-1", "region: mars-north-1", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var run = await RunAsync("rehearse", "--spec", spec);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"error: {spec}: the spec is invalid, so there is nothing to rehearse: region: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ToolCommandLine.InvokeAsync(args, output, error, cancellationToken: TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
