using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

public sealed class NewCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-new-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_scaffold_loads_validates_and_synthesizes_without_edits()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");

        var run = await RunAsync("new", "acme-tv", "--out", folder);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        var spec = EnvironmentSpec.Load(Path.Combine(folder, "acme-tv.yaml"));
        Assert.Empty(spec.Validate());
        Assert.Equal(("acme-tv", SpecScaffold.DefaultRegion), (spec.Name, spec.Region));
        var stackSet = spec.Synthesize();
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require("cloudformation-schemas/resources")));
        var violations = stackSet.Stacks.SelectMany(s => validator.Validate(s.Template.ToJsonNode()).Select(v => $"{s.Name}: {v}")).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"scaffold: {stackSet.Stacks.Count} stacks, {stackSet.Stacks.Sum(s => s.Template.Resources.Count)} resources, {violations.Count} schema violations");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.Contains(">api<", ArchitectureDiagram.Render(stackSet), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_scaffold_then_synth_writes_every_file()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");
        await RunAsync("new", "acme-tv", "--out", folder);

        var synth = await RunAsync("synth", "--spec", Path.Combine(folder, "acme-tv.yaml"), "--out", Path.Combine(_work.FullName, "out"));

        Assert.Equal(ExitCodes.Success, synth.ExitCode);
        Assert.True(File.Exists(Path.Combine(_work.FullName, "out", "architecture.svg")));
        Assert.True(File.Exists(Path.Combine(_work.FullName, "out", "manifest.json")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_scaffold_holds_the_readme_and_the_generated_workflows()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");

        await RunAsync("new", "acme-tv", "--out", folder);

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            [
                ".github/workflows/backup-image-acme-tv.yml",
                ".github/workflows/infrastructure-acme-tv.yml",
                "README.md",
                "acme-tv.yaml",
                "app-workflows/acme-tv/api/.github/workflows/deploy-api.yml",
                "app-workflows/acme-tv/web/.github/workflows/deploy-web.yml",
            ],
            files);
        var readme = await File.ReadAllTextAsync(Path.Combine(folder, "README.md"), TestContext.Current.CancellationToken);
        Assert.Contains("ottkit synth --spec acme-tv.yaml --out out", readme, StringComparison.Ordinal);
        Assert.Contains(".github/workflows/infrastructure-acme-tv.yml", readme, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_region_option_sets_the_region_and_the_example_certificate_follows_it()
    {
        var folder = Path.Combine(_work.FullName, "x");

        await RunAsync("new", "acme-tv", "--out", folder, "--region", "eu-west-1");

        var spec = EnvironmentSpec.Load(Path.Combine(folder, "acme-tv.yaml"));
        Assert.Equal("eu-west-1", spec.Region);
        Assert.Equal("arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000", spec.LoadBalancer.CertificateArn);
        Assert.Empty(spec.Validate());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Default_folder_is_the_name_in_the_current_folder()
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _work.FullName;
        try
        {
            var run = await RunAsync("new", "acme-tv");

            Assert.Equal(ExitCodes.Success, run.ExitCode);
            Assert.True(File.Exists(Path.Combine(_work.FullName, "acme-tv", "acme-tv.yaml")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Every_section_of_the_spec_is_explained_by_a_comment()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");
        await RunAsync("new", "acme-tv", "--out", folder);

        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "acme-tv.yaml"), TestContext.Current.CancellationToken);

        // Every top-level key (and every commented-out optional section) has a comment line right above it.
        var sections = lines.Select((line, i) => (line, i)).Where(x => x.line.Length > 0 && char.IsAsciiLetterLower(x.line.TrimStart('#', ' ')[0]) && !x.line.StartsWith(' ') && x.line.TrimStart('#', ' ').Contains(':', StringComparison.Ordinal) && !x.line.StartsWith("# ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sections);
        Assert.All(sections, x => Assert.StartsWith("#", lines[x.i - 1], StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_bad_name_prints_the_rule_and_an_example()
    {
        var run = await RunAsync("new", "Acme_TV", "--out", Path.Combine(_work.FullName, "x"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "error: 'Acme_TV' is not a DNS-safe environment name of 2–24 characters. Use lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (for example 'blacksheep-prod')." + Environment.NewLine,
            run.Error);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "x")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_bad_region_prints_the_rule_and_an_example()
    {
        var run = await RunAsync("new", "acme-tv", "--region", "mumbai", "--out", Path.Combine(_work.FullName, "x"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "error: 'mumbai' is not an AWS region name. Use a region code such as 'ap-south-1' or 'us-east-1'." + Environment.NewLine,
            run.Error);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_folder_that_is_not_empty_is_refused_without_force()
    {
        var folder = Path.Combine(_work.FullName, "existing");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "keep me", TestContext.Current.CancellationToken);

        var run = await RunAsync("new", "acme-tv", "--out", folder);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            $"error: folder '{folder}' is not empty. Choose a new or empty folder with --out, or pass --force to write into it (files of the same names are replaced)." + Environment.NewLine,
            run.Error);
        Assert.False(File.Exists(Path.Combine(folder, "acme-tv.yaml")));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Force_writes_into_a_folder_that_is_not_empty_and_keeps_other_files()
    {
        var folder = Path.Combine(_work.FullName, "existing");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "keep me", TestContext.Current.CancellationToken);

        var run = await RunAsync("new", "acme-tv", "--out", folder, "--force");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(folder, "acme-tv.yaml")));
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(folder, "notes.txt"), TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Json_output_is_one_document_naming_the_spec()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");

        var run = await RunAsync("new", "acme-tv", "--out", folder, "--output", "json");

        var document = JsonNode.Parse(run.Output)!.AsObject();
        Assert.True(document["ok"]!.GetValue<bool>());
        Assert.Equal(Path.Combine(folder, "acme-tv.yaml"), document["spec"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Diagram_command_writes_the_svg()
    {
        var folder = Path.Combine(_work.FullName, "acme-tv");
        await RunAsync("new", "acme-tv", "--out", folder);
        var file = Path.Combine(_work.FullName, "docs", "acme.svg");

        var run = await RunAsync("diagram", "--spec", Path.Combine(folder, "acme-tv.yaml"), "--out", file);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(ArchitectureDiagram.Render(EnvironmentSpec.Load(Path.Combine(folder, "acme-tv.yaml")).Synthesize()), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OttKitCommandLine.InvokeAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
