using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class HandWrittenJsonTests
{
    private const string HandWritten = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Conditions": {
            "IsProd": { "Fn::Equals": [{ "Ref": "Env" }, "prod"] },
            "Both": { "Fn::And": [{ "Condition": "IsProd" }, { "Fn::Not": [{ "Condition": "IsProd" }] }] }
          },
          "Parameters": { "Env": { "Type": "String", "MinLength": "2", "NoEcho": "true" } },
          "Resources": {
            "Topic": {
              "Type": "AWS::SNS::Topic",
              "DependsOn": ["Other"],
              "Properties": {
                "DisplayName": { "Fn::GetAtt": "Other.TopicName" },
                "Condition": "not a function: a plain property named Condition",
                "Ratio": 1.0,
                "Count": 2,
                "Large": 1e3
              }
            },
            "Other": { "Type": "AWS::SNS::Topic" }
          }
        }
        """;

    private static readonly Template Parsed = Template.Parse(HandWritten);

    [Fact]
    public void StringFormGetAtt_IsNormalizedToTheListForm() =>
        Assert.Equal(Fn.GetAtt("Other", "TopicName"), Parsed.Resources["Topic"].Properties["DisplayName"]);

    [Fact]
    public void ConditionFunction_IsRead() =>
        Assert.Equal(Fn.And(Fn.Condition("IsProd"), Fn.Not(Fn.Condition("IsProd"))), Parsed.Conditions["Both"]);

    [Fact]
    public void PropertyNamedCondition_InALargerObject_IsData() =>
        Assert.IsType<CfnScalar>(Parsed.Resources["Topic"].Properties["Condition"]);

    [Fact]
    public void JsonNumbers_KeepIntegerAndNumberApart()
    {
        var properties = Parsed.Resources["Topic"].Properties;

        Assert.Equal(CfnScalar.Of(1.0), properties["Ratio"]);
        Assert.Equal(CfnScalar.Of(2), properties["Count"]);
        Assert.Equal(CfnScalar.Of(1000.0), properties["Large"]);
    }

    [Fact]
    public void ParameterConstraintsWrittenAsStrings_AreAccepted()
    {
        Assert.Equal(2, Parsed.Parameters["Env"].MinLength);
        Assert.True(Parsed.Parameters["Env"].NoEcho);
    }

    [Fact]
    public void SectionsInAnyOrder_AreWrittenInAwsOrder()
    {
        var yaml = Parsed.ToYaml();

        Assert.True(yaml.IndexOf("Parameters:", StringComparison.Ordinal) < yaml.IndexOf("Conditions:", StringComparison.Ordinal));
        Assert.Equal(Parsed, Template.Parse(yaml));
    }
}
