using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class TemplateSchemaValidatorTests
{
    private static IReadOnlyList<SchemaViolation> Validate(string template) =>
        RegistrySchemas.Validator().Validate(JsonNode.Parse(template)!);

    [Fact]
    public void A_valid_template_has_no_violations()
    {
        var violations = Validate("""
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Description": "media",
              "Parameters": { "Env": { "Type": "String" } },
              "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "Env" }, "prod"] } },
              "Resources": {
                "MediaBucket": { "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": { "VersioningConfiguration": { "Status": "Enabled" } } },
                "Logs": { "Type": "AWS::Logs::LogGroup" },
                "Hook": { "Type": "Custom::Seeder", "Properties": { "ServiceToken": "arn", "Anything": { "Goes": [1, 2] } } }
              },
              "Outputs": { "BucketArn": { "Value": { "Fn::GetAtt": ["MediaBucket", "Arn"] }, "Export": { "Name": "media-arn" } } }
            }
            """);

        Assert.True(violations.Count == 0, RegistrySchemas.Describe(violations));
    }

    [Fact]
    public void Violations_name_the_logical_id_and_full_path()
    {
        var violations = Validate("""{"Resources":{"MediaBucket":{"Type":"AWS::S3::Bucket","Properties":{"VersioningConfiguration":{"Status":"Enable"}}}}}""");

        Assert.Equal(
            "Resources.MediaBucket.Properties.VersioningConfiguration.Status: value 'Enable' is not one of: Enabled, Suspended (did you mean 'Enabled'?)",
            Assert.Single(violations).ToString());
    }

    [Fact]
    public void Every_violation_of_every_resource_is_returned()
    {
        var violations = Validate("""
            {"Resources":{
              "A":{"Type":"AWS::S3::Bucket","Properties":{"Versioning":{}}},
              "B":{"Type":"AWS::Logs::LogGroup","Properties":{"RetentionInDays":2}},
              "C":{"Type":"AWS::EC2::SecurityGroup","Properties":{}}
            }}
            """);

        Assert.Equal(
            ["Resources.A.Properties.Versioning", "Resources.B.Properties.RetentionInDays", "Resources.C.Properties"],
            violations.Select(v => v.Path));
    }

    [Fact]
    public void An_unknown_resource_type_is_named_with_its_closest_match()
    {
        var violation = Assert.Single(Validate("""{"Resources":{"Media":{"Type":"AWS::S3::Buckett"}}}"""));

        Assert.Equal("Resources.Media.Type", violation.Path);
        Assert.Contains("unknown resource type 'AWS::S3::Buckett' (closest match AWS::S3::Bucket)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_types_are_case_sensitive()
    {
        var violation = Assert.Single(Validate("""{"Resources":{"Media":{"Type":"AWS::S3::bucket"}}}"""));

        Assert.Contains("unknown resource type 'AWS::S3::bucket' (closest match AWS::S3::Bucket)", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Custom::MediaSeeder")]
    [InlineData("AWS::CloudFormation::CustomResource")]
    public void Custom_resources_accept_any_properties(string type) =>
        Assert.Empty(Validate("""{"Resources":{"Seed":{"Type":"TYPE","Properties":{"ServiceToken":"arn","Nested":{"Any":["thing"]},"Count":3}}}}""".Replace("TYPE", type, StringComparison.Ordinal)));

    [Fact]
    public void Missing_properties_are_checked_as_empty_properties()
    {
        var violation = Assert.Single(Validate("""{"Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup"}}}"""));

        Assert.Equal("Resources.Sg.Properties: missing required property 'GroupDescription'; add it", violation.ToString());
    }

    [Fact]
    public void A_resource_without_Type_is_reported()
    {
        var violation = Assert.Single(Validate("""{"Resources":{"Sg":{"Properties":{}}}}"""));

        Assert.Equal("Resources.Sg", violation.Path);
        Assert.Contains("missing required property 'Type'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_without_Resources_is_reported() =>
        Assert.Contains(Validate("""{"Description":"x"}"""), v => v.Message.Contains("missing required section 'Resources'", StringComparison.Ordinal));

    [Fact]
    public void Unknown_sections_and_resource_attributes_are_reported_with_closest_match()
    {
        var violations = Validate("""{"Output":{},"Resources":{"B":{"Type":"AWS::S3::Bucket","DependOn":"X","DeletionPolicy":"Keep"}}}""");

        Assert.Contains(violations, v => v.Path == "Output" && v.Message.Contains("closest match Outputs", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Path == "Resources.B.DependOn" && v.Message.Contains("closest match DependsOn", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Path == "Resources.B.DeletionPolicy" && v.Message.Contains("value 'Keep' is not one of: Delete, Retain", StringComparison.Ordinal));
    }

    [Fact]
    public void Logical_ids_must_be_alphanumeric() =>
        Assert.Equal("Resources.media-bucket", Assert.Single(Validate("""{"Resources":{"media-bucket":{"Type":"AWS::S3::Bucket"}}}""")).Path);

    [Fact]
    public void Outputs_need_a_value_and_exports_need_a_name()
    {
        var violations = Validate("""{"Resources":{"B":{"Type":"AWS::S3::Bucket"}},"Outputs":{"Arn":{"Description":"x"},"Name":{"Value":"v","Export":{}}}}""");

        Assert.Contains(violations, v => v.Path == "Outputs.Arn" && v.Message.Contains("missing required property 'Value'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Path == "Outputs.Name.Export" && v.Message.Contains("missing required property 'Name'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parameters_need_a_type() =>
        Assert.Equal("Parameters.Env", Assert.Single(Validate("""{"Parameters":{"Env":{"Default":"dev"}},"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}""")).Path);

    [Fact]
    public void More_than_500_resources_is_reported()
    {
        var resources = new JsonObject();
        for (var i = 0; i < 501; i++)
        {
            resources[$"Bucket{i}"] = new JsonObject { ["Type"] = "AWS::S3::Bucket" };
        }

        var violations = RegistrySchemas.Validator().Validate(new JsonObject { ["Resources"] = resources });

        Assert.Equal("Resources", Assert.Single(violations).Path);
    }

    [Fact]
    public void Serverless_resources_are_left_to_the_transform() =>
        Assert.Empty(Validate("""{"Transform":"AWS::Serverless-2016-10-31","Resources":{"Fn":{"Type":"AWS::Serverless::Function","Properties":{"Runtime":"dotnet8"}}}}"""));

    [Fact]
    public void EnsureValid_throws_with_every_violation()
    {
        var template = JsonNode.Parse("""{"Resources":{"A":{"Type":"AWS::S3::Bucket","Properties":{"Versioning":{}}},"B":{"Type":"AWS::Nope::Thing"}}}""")!;

        var exception = Assert.Throws<TemplateSchemaException>(() => RegistrySchemas.Validator().EnsureValid(template));

        Assert.Equal(2, exception.Violations.Count);
        Assert.Contains("Resources.A.Properties.Versioning", exception.Message, StringComparison.Ordinal);
    }
}

public sealed class TemplateSchemaValidatorConcurrencyTests
{
    [Fact]
    public void One_validator_gives_the_same_answers_when_used_from_many_threads()
    {
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require(RegistrySchemas.Folder)));
        const string body = """{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"VersioningConfiguration":{"Status":"Enable"}}},"T":{"Type":"AWS::ElasticLoadBalancingV2::TargetGroup","Properties":{"Port":70000}}}}""";

        var results = Enumerable.Range(0, 32).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => string.Join("|", validator.Validate(JsonNode.Parse(body)!)))
            .ToList();

        Assert.Equal(2, results[0].Split('|').Length);
        Assert.All(results, r => Assert.Equal(results[0], r));
    }
}
