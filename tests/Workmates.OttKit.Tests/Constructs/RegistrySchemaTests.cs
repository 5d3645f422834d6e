using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Constructs;

public sealed class RegistrySchemaTests
{
    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void SampleTemplates_UseOnlyPropertiesTheRegistrySchemasDefine(string sample)
    {
        var check = new RegistrySchemaCheck(Conformance.Require("cloudformation-schemas/resources"));
        var set = SampleSpecs.ByName(sample).Synthesize();
        var problems = set.Stacks.SelectMany(s => check.Check(s.Template).Select(p => $"{s.Name}: {p}")).ToArray();
        var resources = set.Stacks.Sum(s => s.Template.Resources.Count);
        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {resources} resources in {set.Stacks.Count} stacks checked, {problems.Length} problems");
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Check_MisspeltNestedPropertyAndBadEnum_AreReported()
    {
        var check = new RegistrySchemaCheck(Conformance.Require("cloudformation-schemas/resources"));
        var template = new Template();
        template.AddResource("Service", "AWS::ECS::Service", new CfnObject
        {
            ["DesiredCnt"] = 1,
            ["AvailabilityZoneRebalancing"] = "SOMETIMES",
            ["DeploymentConfiguration"] = new CfnObject { ["DeploymentCircuitBreaker"] = new CfnObject { ["Enable"] = true } },
        });
        var problems = check.Check(template).ToArray();
        Assert.Contains(problems, p => p.Contains("unknown property DesiredCnt", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'SOMETIMES'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("required property Rollback", StringComparison.Ordinal));
    }
}
