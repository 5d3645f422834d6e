using BenchmarkDotNet.Attributes;
using Workmates.OttKit.Benchmarks.CloudFormation.Schema;
using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Benchmarks.CloudFormation;

/// <summary>The whole pre-flight of issue 2: build, serialize, check and schema-validate the 500-resource template.</summary>
public partial class TemplateBenchmarks
{
    private TemplateSchemaValidator _validator = null!;

    partial void SetupExtensions()
    {
        _validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(SchemaDirectory.Find()));
        var violations = _validator.Validate(Node);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException($"benchmark template is not schema-valid: {violations[0]}");
        }
    }

    [Benchmark]
    public int SchemaValidate() => _validator.Validate(Node).Count;

    [Benchmark]
    public int BuildWriteYamlCheckAndSchemaValidate()
    {
        var template = BenchmarkTemplates.FiveHundredResources();
        _ = template.ToYaml();
        var problems = template.Check().Problems.Count;
        return problems + _validator.Validate(template.ToJsonNode()).Count;
    }
}
