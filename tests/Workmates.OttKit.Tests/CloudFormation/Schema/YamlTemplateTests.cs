using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation.Schema;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class YamlTemplateTests
{
    [Fact]
    public void Short_form_functions_become_long_form_objects()
    {
        var template = CloudFormationTemplateText.Parse("""
            A: !Ref Vpc
            B: !GetAtt Bucket.Arn
            C: !Sub "${AWS::StackName}-media"
            D: !If [IsProd, Enabled, !Ref AWS::NoValue]
            E: !Join [",", !GetAZs ""]
            """)!;

        Assert.Equal(
            """{"A":{"Ref":"Vpc"},"B":{"Fn::GetAtt":["Bucket","Arn"]},"C":{"Fn::Sub":"${AWS::StackName}-media"},"D":{"Fn::If":["IsProd","Enabled",{"Ref":"AWS::NoValue"}]},"E":{"Fn::Join":[",",{"Fn::GetAZs":""}]}}""",
            template.ToJsonString());
    }

    [Fact]
    public void A_yaml_template_is_validated_with_paths_into_its_branches()
    {
        var violations = RegistrySchemas.Validator().ValidateText("""
            AWSTemplateFormatVersion: "2010-09-09"
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
            Parameters:
              Env: { Type: String }
            Resources:
              MediaBucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Sub "ott-${Env}-media"
                  VersioningConfiguration:
                    Status: !If [IsProd, Enabled, Enable]
            """);

        Assert.Equal(
            "Resources.MediaBucket.Properties.VersioningConfiguration.Status.Fn::If[2]: value 'Enable' is not one of: Enabled, Suspended (did you mean 'Enabled'?)",
            Assert.Single(violations).ToString());
    }

    [Fact]
    public void A_json_body_is_read_as_json() =>
        Assert.Empty(RegistrySchemas.Validator().ValidateText("""{"Resources":{"Logs":{"Type":"AWS::Logs::LogGroup"}}}"""));

    [Fact]
    public void A_malformed_body_is_one_syntax_violation()
    {
        var violation = Assert.Single(RegistrySchemas.Validator().ValidateText("Resources: [unclosed"));

        Assert.Equal("syntax", violation.Rule);
    }

    [Fact]
    public void Quoted_values_stay_strings_under_a_short_form_tag() =>
        Assert.Equal("""{"A":{"Ref":"80"}}""", CloudFormationTemplateText.Parse("A: !Ref '80'")!.ToJsonString());

    [Fact]
    public void Plain_yaml_without_tags_is_unchanged() =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":[1,true,"x"]}"""), CloudFormationTemplateText.Parse("a: [1, true, x]")));
}
