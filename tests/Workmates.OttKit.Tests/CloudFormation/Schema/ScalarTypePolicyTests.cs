using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class ScalarTypePolicyTests
{
    private const string P = "Resources.Subject.Properties";

    [Theory]
    [InlineData("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"80"}""")]
    [InlineData("AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":"true"}""")]
    [InlineData("AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":"False"}""")]
    [InlineData("AWS::Logs::LogGroup", """{"RetentionInDays":"30"}""")]
    [InlineData("AWS::ECS::TaskDefinition", """{"Cpu":256,"Memory":512}""")]
    public void Lenient_policy_accepts_scalars_CloudFormation_converts(string type, string properties)
    {
        var violations = RegistrySchemas.ValidateResource(type, properties, ScalarTypePolicy.Lenient);

        Assert.True(violations.Count == 0, RegistrySchemas.Describe(violations));
    }

    [Theory]
    [InlineData("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"80"}""", "Port", "expected integer but found string '80'")]
    [InlineData("AWS::EC2::VPC", """{"CidrBlock":"10.0.0.0/16","EnableDnsSupport":"true"}""", "EnableDnsSupport", "expected boolean but found string 'true'")]
    [InlineData("AWS::ECS::TaskDefinition", """{"Cpu":256}""", "Cpu", "expected string but found integer '256'")]
    public void Strict_policy_requires_exact_json_types(string type, string properties, string property, string message)
    {
        var violations = RegistrySchemas.ValidateResource(type, properties, ScalarTypePolicy.Strict);

        var violation = Assert.Single(violations);
        Assert.Equal($"{P}.{property}", violation.Path);
        Assert.Contains(message, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lenient_policy_still_rejects_text_that_is_not_a_number()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"80a"}""");

        Assert.Equal($"{P}.Port", Assert.Single(violations).Path);
    }

    [Fact]
    public void Lenient_policy_applies_ranges_to_numeric_text()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"70000"}""");

        var violation = Assert.Single(violations);
        Assert.Equal($"{P}.Port", violation.Path);
        Assert.Contains("above the maximum 65535", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lenient_policy_rejects_a_fraction_for_an_integer()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"80.5"}""");

        Assert.Equal($"{P}.Port", Assert.Single(violations).Path);
    }
}
