using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

/// <summary>Intrinsic functions stand in for values: accepted where a value is expected, with Fn::If branches checked.</summary>
public sealed class IntrinsicFunctionTests
{
    private const string P = "Resources.Subject.Properties";

    [Fact]
    public void Ref_is_accepted_for_a_string_property() =>
        AssertValid("AWS::EC2::SecurityGroup", """{"GroupDescription":"web","VpcId":{"Ref":"Vpc"}}""");

    [Fact]
    public void Fn_Sub_is_accepted_for_a_string_with_a_pattern() =>
        AssertValid("AWS::Logs::LogGroup", """{"LogGroupName":{"Fn::Sub":"/ecs/${AWS::StackName} api"}}""");

    [Fact]
    public void Ref_is_accepted_for_an_integer_with_a_range() =>
        AssertValid("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":{"Ref":"ContainerPort"}}""");

    [Fact]
    public void A_required_property_holding_an_intrinsic_counts_as_present() =>
        AssertValid("AWS::EC2::SecurityGroup", """{"GroupDescription":{"Fn::Join":["-",["web",{"Ref":"Env"}]]}}""");

    [Fact]
    public void List_returning_intrinsics_are_accepted_where_an_array_is_expected()
    {
        AssertValid("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":{"Fn::Split":[",",{"Ref":"SubnetCsv"}]}}""");
        AssertValid("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":{"Ref":"SubnetIds"},"SecurityGroups":{"Fn::GetAtt":["Alb","SecurityGroups"]}}""");
        AssertValid("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":{"Fn::GetAZs":""}}""");
        AssertValid("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":{"Fn::Cidr":[{"Ref":"Cidr"},"2","8"]}}""");
    }

    [Fact]
    public void A_string_returning_function_where_an_array_is_expected_is_reported()
    {
        var violation = Assert.Single(RegistrySchemas.ValidateResource("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":{"Fn::Join":[",",["a","b"]]}}"""));

        Assert.Equal($"{P}.Subnets", violation.Path);
        Assert.Contains("Fn::Join returns a string, but an array is expected here", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_returning_function_where_a_string_is_expected_is_reported()
    {
        var violation = Assert.Single(RegistrySchemas.ValidateResource("AWS::EC2::SecurityGroup", """{"GroupDescription":"web","VpcId":{"Fn::GetAZs":""}}"""));

        Assert.Equal($"{P}.VpcId", violation.Path);
        Assert.Contains("Fn::GetAZs returns a list, but a string is expected here; pick one item with Fn::Select", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_returning_function_is_accepted_for_numbers_because_CloudFormation_converts_it() =>
        AssertValid("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":{"Fn::ImportValue":"api-port"},"HealthCheckEnabled":{"Fn::Sub":"${Enabled}"}}""");

    [Fact]
    public void Intrinsics_are_accepted_as_array_items() =>
        AssertValid("AWS::ElasticLoadBalancingV2::LoadBalancer", """{"Subnets":[{"Fn::Select":[0,{"Ref":"Subnets"}]},{"Fn::ImportValue":"net-b"}],"SecurityGroups":[{"Fn::GetAtt":["Sg","GroupId"]}]}""");

    [Fact]
    public void Fn_If_checks_each_branch_and_names_the_failing_one()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::S3::Bucket", """{"VersioningConfiguration":{"Status":{"Fn::If":["IsProd","Enabled","Enable"]}}}""");

        var violation = Assert.Single(violations);
        Assert.Equal($"{P}.VersioningConfiguration.Status.Fn::If[2]", violation.Path);
        Assert.Contains("value 'Enable' is not one of: Enabled, Suspended", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fn_If_with_both_branches_valid_passes() =>
        AssertValid("AWS::S3::Bucket", """{"VersioningConfiguration":{"Status":{"Fn::If":["IsProd","Enabled","Suspended"]}}}""");

    [Fact]
    public void Fn_If_branch_of_AWS_NoValue_means_the_property_is_absent() =>
        AssertValid("AWS::S3::Bucket", """{"VersioningConfiguration":{"Fn::If":["IsProd",{"Status":"Enabled"},{"Ref":"AWS::NoValue"}]}}""");

    [Fact]
    public void Fn_If_around_an_object_checks_the_object_in_each_branch()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::S3::Bucket", """{"VersioningConfiguration":{"Fn::If":["IsProd",{"Status":"Enabled"},{"State":"Off"}]}}""");

        Assert.Contains(violations, v => v.Path == $"{P}.VersioningConfiguration.Fn::If[2]" && v.Message.Contains("missing required property 'Status'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Path == $"{P}.VersioningConfiguration.Fn::If[2].State" && v.Message.Contains("unknown property 'State'", StringComparison.Ordinal));
    }

    [Fact]
    public void Fn_If_as_an_array_item_is_checked_per_branch()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::ECS::TaskDefinition", """{"RequiresCompatibilities":[{"Fn::If":["OnFargate","FARGATE","LAMBDA"]}]}""");

        var violation = Assert.Single(violations);
        Assert.Equal($"{P}.RequiresCompatibilities[0].Fn::If[2]", violation.Path);
    }

    [Fact]
    public void Dynamic_references_skip_pattern_checks() =>
        AssertValid("AWS::IAM::Role", """{"AssumeRolePolicyDocument":{},"RoleName":"{{resolve:ssm:/ott/role-name}}"}""");

    [Fact]
    public void Dynamic_references_skip_enum_checks() =>
        AssertValid("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Protocol":"{{resolve:ssm:/ott/protocol}}"}""");

    [Theory]
    [InlineData(ScalarTypePolicy.Lenient)]
    [InlineData(ScalarTypePolicy.Strict)]
    public void Dynamic_references_stand_for_any_scalar_type(ScalarTypePolicy scalars)
    {
        var violations = RegistrySchemas.ValidateResource("AWS::ElasticLoadBalancingV2::TargetGroup", """{"Port":"{{resolve:ssm:/ott/port}}"}""", scalars);

        Assert.True(violations.Count == 0, RegistrySchemas.Describe(violations));
    }

    [Fact]
    public void A_required_property_set_to_AWS_NoValue_is_missing()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::EC2::SecurityGroup", """{"GroupDescription":{"Ref":"AWS::NoValue"}}""");

        Assert.Equal($"{P}: missing required property 'GroupDescription'; add it", Assert.Single(violations).ToString());
    }

    [Fact]
    public void An_unknown_property_is_reported_even_when_its_value_is_an_intrinsic()
    {
        var violations = RegistrySchemas.ValidateResource("AWS::S3::Bucket", """{"Versioning":{"Ref":"Mode"}}""");

        Assert.Equal($"{P}.Versioning", Assert.Single(violations).Path);
    }

    [Fact]
    public void Intrinsic_values_inside_nested_definitions_are_accepted() =>
        AssertValid("AWS::ECS::TaskDefinition", """{"ContainerDefinitions":[{"Name":"api","Image":{"Ref":"Image"},"PortMappings":[{"ContainerPort":{"Ref":"Port"}}]}]}""");

    private static void AssertValid(string type, string properties)
    {
        var violations = RegistrySchemas.ValidateResource(type, properties);
        Assert.True(violations.Count == 0, RegistrySchemas.Describe(violations));
    }
}
