using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Benchmarks.CloudFormation;

/// <summary>
/// Builds and serializes a 500-resource template. Baseline: System.Text.Json writing the same template's
/// <see cref="JsonNode"/> form. The class is partial so schema validation can be added in its own file
/// (e.g. <c>TemplateBenchmarks.Schema.cs</c>) with access to <see cref="Built"/> and <see cref="Node"/>.
/// </summary>
[MemoryDiagnoser]
public partial class TemplateBenchmarks
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    protected Template Built { get; private set; } = null!;

    protected JsonObject Node { get; private set; } = null!;

    protected string Yaml { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Built = BenchmarkTemplates.FiveHundredResources();
        Built.EnsureValid(); // a benchmark of a broken template would measure the wrong thing
        Node = Built.ToJsonNode();
        Yaml = Built.ToYaml();
        SetupExtensions();
    }

    // Hook for other files of this partial class (schema validation) to prepare their state.
    partial void SetupExtensions();

    [Benchmark(Baseline = true)]
    public string JsonNodeWithSystemTextJson() => Node.ToJsonString(Indented);

    [Benchmark]
    public Template Build() => BenchmarkTemplates.FiveHundredResources();

    [Benchmark]
    public string BuildAndWriteJson() => BenchmarkTemplates.FiveHundredResources().ToJson();

    [Benchmark]
    public string BuildAndWriteYaml() => BenchmarkTemplates.FiveHundredResources().ToYaml();

    [Benchmark]
    public string WriteJson() => Built.ToJson();

    [Benchmark]
    public string WriteYaml() => Built.ToYaml();

    [Benchmark]
    public Template ReadYaml() => Template.Parse(Yaml);

    [Benchmark]
    public TemplateCheckResult Check() => Built.Check();
}
