using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Workmates.OttKit.Benchmarks.CloudFormation.Schema;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Benchmarks.Blueprint;

/// <summary>
/// Issue 3's figure: synthesize + serialize + schema-validate the Blacksheep stack set in-process.
/// Baseline: System.Text.Json writing the same stack set's templates from their JSON nodes, measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class BlacksheepSynthesisBenchmarks
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private EnvironmentSpec _spec = null!;
    private StackSet _stackSet = null!;
    private TemplateSchemaValidator _validator = null!;

    /// <summary>Resources in the Blacksheep stack set (for the per-resource figure).</summary>
    public int ResourceCount { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _spec = EnvironmentSpec.Load(FindSample());
        _stackSet = _spec.Synthesize();
        ResourceCount = _stackSet.Stacks.Sum(s => s.Template.Resources.Count);
        _validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(SchemaDirectory.Find()));
        var violations = _stackSet.Stacks.Sum(s => _validator.Validate(s.Template.ToJsonNode()).Count);
        if (violations > 0)
        {
            throw new InvalidOperationException($"Blacksheep has {violations} schema violations; the benchmark would measure the wrong thing.");
        }

        Console.WriteLine($"// Blacksheep: {_stackSet.Stacks.Count} stacks, {ResourceCount} resources");
    }

    [Benchmark(Baseline = true)]
    public int WriteJsonNodesWithSystemTextJson() => _stackSet.Stacks.Sum(s => s.Template.ToJsonNode().ToJsonString(Indented).Length);

    [Benchmark]
    public int Synthesize() => _spec.Synthesize().Stacks.Count;

    [Benchmark]
    public int SynthesizeAndWriteYaml() => _spec.Synthesize().Stacks.Sum(s => s.Template.ToYaml().Length);

    /// <summary>What <c>ottkit synth</c> does in-process, plus schema validation: the headline figure.</summary>
    [Benchmark]
    public int SynthesizeWriteYamlAndSchemaValidate()
    {
        var total = 0;
        foreach (var stack in _spec.Synthesize().Stacks)
        {
            total += stack.Template.ToYaml().Length;
            total += _validator.Validate(stack.Template.ToJsonNode()).Count;
        }

        return total;
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "Blacksheep", "blacksheep.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/Blacksheep/blacksheep.yaml not found above " + AppContext.BaseDirectory);
    }
}
