using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Outputs;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Outputs;

/// <summary>The library owns the output folder: one call writes it whole, cleans up after itself and after removed services.</summary>
public sealed class EnvironmentOutputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("ottkit-output-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Writing_lists_every_file_in_the_manifest_and_leaves_no_temporary_file()
    {
        var output = EnvironmentOutput.Synthesize(SampleSpecs.Blacksheep());

        var result = await output.WriteToAsync(_work.FullName, TestContext.Current.CancellationToken);

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_work.FullName, "manifest.json"), TestContext.Current.CancellationToken))!;
        var listed = manifest["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        var onDisk = Directory.GetFiles(_work.FullName, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_work.FullName, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(listed.Order(StringComparer.Ordinal), onDisk);
        Assert.Contains("architecture.svg", listed);
        Assert.Contains(listed, f => f.EndsWith("/.github/workflows/deploy-web.yml", StringComparison.Ordinal));
        Assert.Equal(listed.Count, result.Written.Count);
        Assert.Empty(result.Removed);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_service_removed_from_the_spec_loses_its_template_and_workflow_and_other_files_stay()
    {
        var spec = SampleSpecs.Blacksheep();
        await EnvironmentOutput.Synthesize(spec).WriteToAsync(_work.FullName, TestContext.Current.CancellationToken);
        var mine = Path.Combine(_work.FullName, "NOTES.md");
        await File.WriteAllTextAsync(mine, "kept", TestContext.Current.CancellationToken);
        var without = spec with
        {
            Services = [.. spec.Services.Where(s => s.Name != "payments")],
            Database = spec.Database! with { ClientServices = [.. spec.Database!.ClientServices!.Where(s => s != "payments")] },
        };

        var result = await EnvironmentOutput.Synthesize(without).WriteToAsync(_work.FullName, TestContext.Current.CancellationToken);

        Assert.Contains(result.Removed, f => f.EndsWith("blacksheep-service-payments.yaml", StringComparison.Ordinal) || f.EndsWith("payments.yaml", StringComparison.Ordinal));
        Assert.Contains(result.Removed, f => f.EndsWith("deploy-payments.yml", StringComparison.Ordinal));
        Assert.All(result.Removed, f => Assert.False(File.Exists(f), f));
        Assert.True(File.Exists(mine));
        Assert.Empty(Directory.GetFiles(_work.FullName, "*payments*", SearchOption.AllDirectories));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_write_that_fails_midway_leaves_the_previous_files_whole_and_no_temporary_file()
    {
        var output = EnvironmentOutput.Synthesize(SampleSpecs.Blacksheep());
        await output.WriteToAsync(_work.FullName, TestContext.Current.CancellationToken);
        var template = Directory.GetFiles(_work.FullName, "blacksheep-network.yaml").Single();
        var before = await File.ReadAllTextAsync(template, TestContext.Current.CancellationToken);

        // A file where a workflow folder must go: the write fails after the templates were staged.
        var owner = output.Workflows[0].Repository.Split('/')[0];
        Directory.Delete(Path.Combine(_work.FullName, owner), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(_work.FullName, owner), "in the way", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<OutputWriteException>(() => output.WriteToAsync(_work.FullName, TestContext.Current.CancellationToken));

        Assert.Equal(_work.FullName, error.Directory);
        Assert.Empty(Directory.GetFiles(_work.FullName, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(before, await File.ReadAllTextAsync(template, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Ottkit_synth_writes_exactly_what_the_library_call_writes()
    {
        var library = Path.Combine(_work.FullName, "library");
        var cli = Path.Combine(_work.FullName, "cli");
        var specPath = Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");
        await EnvironmentOutput.Synthesize(EnvironmentSpec.Load(specPath)).WriteToAsync(library, TestContext.Current.CancellationToken);

        var exit = await OttKitCommandLine.InvokeAsync(["synth", "--spec", specPath, "--out", cli], new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, exit);
        var files = Directory.GetFiles(library, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(library, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(cli, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(cli, f)).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(library, file), TestContext.Current.CancellationToken), await File.ReadAllTextAsync(Path.Combine(cli, file), TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void A_manifest_cannot_make_the_writer_delete_outside_its_folder()
    {
        File.WriteAllText(Path.Combine(_work.FullName, "manifest.json"), """{ "files": ["../outside.txt", "/etc/passwd", "a/../../b", "ok.yaml"] }""");

        Assert.Equal(["ok.yaml"], EnvironmentOutput.OwnedFiles(_work.FullName));
    }

    [Fact]
    public void Services_whose_names_differ_only_by_hyphens_fail_validation_with_the_path_and_a_fix()
    {
        var spec = SampleSpecs.Blacksheep();
        var web = spec.Services[0];
        var clashing = spec with { Services = [.. spec.Services, web with { Name = "web1", Routing = null, ImageRepository = null }, web with { Name = "web-1", Routing = null, ImageRepository = null }] };

        var problems = clashing.Validate();

        var problem = Assert.Single(problems, p => p.Message.Contains("Web1", StringComparison.Ordinal));
        Assert.Equal($"services[{spec.Services.Count + 1}].name", problem.Path);
        Assert.Contains("Rename", problem.Fix, StringComparison.Ordinal);
        var refused = Assert.Throws<OttKitValidationException>(() => EnvironmentOutput.Synthesize(clashing));
        Assert.Contains(refused.Problems, p => p.Path == problem.Path);
    }

    [Fact]
    public void The_scaffold_placeholders_are_warnings_with_their_path_and_errors_under_strict()
    {
        var spec = EnvironmentSpec.Parse(SpecScaffold.Spec("acme-tv", "ap-south-1"), "acme-tv.yaml");

        var warnings = EnvironmentOutput.Synthesize(spec).Warnings;

        Assert.Contains(warnings, w => w.Path == "loadBalancer.certificateArn" && w.Message.Contains("placeholder certificate", StringComparison.Ordinal));
        var strict = Assert.Throws<OttKitValidationException>(() => EnvironmentOutput.Synthesize(spec, new EnvironmentOutputOptions { Strict = true }));
        Assert.Contains(strict.Problems, p => p.Path == "loadBalancer.certificateArn" && p.Message.StartsWith("placeholder (--strict)", StringComparison.Ordinal));
    }

    [Fact]
    public void Example_addresses_accounts_and_hosted_zones_are_found()
    {
        var spec = SampleSpecs.Blacksheep() with { AccountId = "123456789012", Monitoring = new MonitoringSpec { AlarmEmails = ["ops@example.com", "oncall@acme.tv"] } };

        var warnings = SpecPlaceholders.Find(spec);

        Assert.Contains(warnings, w => w.Path == "accountId");
        Assert.Contains(warnings, w => w.Path == "monitoring.alarmEmails[0]");
        Assert.DoesNotContain(warnings, w => w.Path == "monitoring.alarmEmails[1]");
        Assert.Contains(SpecPlaceholders.Find(SampleSpecs.Owl270()), w => w.Path == "loadBalancer.hostedZoneId");
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Every_emitted_type_has_an_embedded_schema_and_the_samples_pass_them(string sample)
    {
        var catalog = ResourceSchemaCatalog.Embedded();
        var stackSet = EnvironmentOutput.SynthesizeStacks(SampleSpecs.ByName(sample), null, out _);

        var types = stackSet.Stacks.SelectMany(s => s.Template.Resources.Values).Select(r => r.Type).Where(t => !t.StartsWith("Custom::", StringComparison.Ordinal)).Distinct();

        Assert.All(types, t => Assert.True(catalog.Contains(t), $"no embedded schema for {t}: copy it into src/Workmates.OttKit/CloudFormation/Schema/Registry/"));
    }

    [Fact]
    public void The_embedded_schemas_are_the_registry_schemas_byte_for_byte()
    {
        var conformance = Conformance.Require("cloudformation-schemas/resources");
        var assembly = typeof(EnvironmentOutput).Assembly;

        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith("Workmates.OttKit.Schemas.", StringComparison.Ordinal)).ToList();

        Assert.True(names.Count >= 60, $"{names.Count} schemas embedded");
        Assert.All(names, name =>
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(File.ReadAllBytes(Path.Combine(conformance, name["Workmates.OttKit.Schemas.".Length..])), copy.ToArray());
        });
    }
}
