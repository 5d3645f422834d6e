using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>Every template both samples synthesize passes the registry-schema validator with zero violations.</summary>
public sealed class SampleSchemaValidationTests
{
    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Every_synthesized_template_passes_the_registry_schemas(string sample)
    {
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require("cloudformation-schemas/resources")));
        var stackSet = SampleSpecs.ByName(sample).Synthesize();

        var violations = stackSet.Stacks
            .SelectMany(stack => validator.Validate(stack.Template.ToJsonNode()).Select(v => $"{stack.Name}: {v}"))
            .ToList();

        var resources = stackSet.Stacks.Sum(s => s.Template.Resources.Count);
        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {stackSet.Stacks.Count} stacks, {resources} resources, {violations.Count} violations");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.True(resources > 100, $"expected the whole platform, got {resources} resources");
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Written_yaml_reads_back_and_passes_the_registry_schemas(string sample)
    {
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require("cloudformation-schemas/resources")));
        var stackSet = SampleSpecs.ByName(sample).Synthesize();

        var violations = stackSet.Stacks
            .SelectMany(stack => validator.ValidateText(stack.Template.ToYaml()).Select(v => $"{stack.Name}: {v}"))
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Validator_catches_a_broken_property_in_a_synthesized_template()
    {
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require("cloudformation-schemas/resources")));
        var stack = SampleSpecs.Blacksheep().Synthesize().Stacks.First(s => s.Template.Resources.Values.Any(r => r.Type == "AWS::EC2::VPC"));
        var node = stack.Template.ToJsonNode();
        var vpcId = stack.Template.Resources.Values.First(r => r.Type == "AWS::EC2::VPC").LogicalId;
        node["Resources"]![vpcId]!["Properties"]!["EnableDnsHostname"] = true;

        var violations = validator.Validate(node);

        Assert.Contains(violations, v => v.Path == $"Resources.{vpcId}.Properties.EnableDnsHostname");
    }
}
