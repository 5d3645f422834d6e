using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class CfnTemplateTests
{
    private static readonly Dictionary<string, string> Pseudo = new() { ["AWS::Region"] = "eu-west-1", ["AWS::StackName"] = "s" };

    [Fact]
    public void Yaml_ShortForms_BecomeLongForms()
    {
        var template = CfnTemplate.Parse("""
            Resources:
              A:
                Type: AWS::SNS::Topic
                Properties:
                  One: !GetAtt [B, Arn]
                  Two: !Join [",", [!Ref B, !Sub "${AWS::Region}"]]
                  Three: !If [IsProd, yes, no]
              B: { Type: AWS::SQS::Queue }
            """);

        var properties = template.Resources["A"]["Properties"]!;

        Assert.Equal("""{"Fn::GetAtt":["B","Arn"]}""", properties["One"]!.ToJsonString());
        Assert.Equal("""{"Fn::Join":[",",[{"Ref":"B"},{"Fn::Sub":"${AWS::Region}"}]]}""", properties["Two"]!.ToJsonString());
        Assert.Equal("""{"Fn::If":["IsProd","yes","no"]}""", properties["Three"]!.ToJsonString());
    }

    [Fact]
    public void Conditions_ExcludeResourcesAndPickIfBranches()
    {
        var template = CfnTemplate.Parse("""
            {"Parameters": {"Env": {"Type": "String"}},
             "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}},
             "Resources": {
               "Always": {"Type": "AWS::SNS::Topic", "Properties": {"Size": {"Fn::If": ["IsProd", "large", "small"]}}},
               "ProdOnly": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"},
               "StagingOnly": {"Type": "AWS::SNS::Topic", "Condition": "NotProd"}}}
            """);
        var staging = new Dictionary<string, string> { ["Env"] = "staging" };

        var active = template.ActiveResources(staging);
        var size = template.Resolve(template.Resources["Always"]["Properties"], staging, null, Pseudo)!["Size"]!.GetValue<string>();

        Assert.Equal(["Always", "StagingOnly"], active.Keys);
        Assert.Equal("small", size);
    }

    [Fact]
    public void Sub_WithVariableMapAndResourceAttributes_Resolves()
    {
        var template = CfnTemplate.Parse("""{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}""");
        var node = JsonNode.Parse("""{"Fn::Sub": ["${Name}-${B.Arn}-${AWS::Region}-${!Literal}", {"Name": {"Ref": "AWS::StackName"}}]}""");

        var resolved = template.Resolve(node, new Dictionary<string, string>(), (name, attribute) => $"{name}:{attribute}", Pseudo);

        Assert.Equal("s-B:Arn-eu-west-1-${Literal}", resolved!.GetValue<string>());
    }

    [Fact]
    public void CircularDependency_IsValidationError()
    {
        var error = Assert.Throws<AwsSimulatorException>(() => CfnTemplate.Parse("""
            {"Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {"X": {"Ref": "B"}}}, "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A"}}}
            """));

        Assert.Equal("ValidationError", error.Code);
        Assert.StartsWith("Circular dependency between resources", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreationOrder_PutsDependenciesFirst()
    {
        var template = CfnTemplate.Parse("""
            {"Resources": {"Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}}},
                           "Task": {"Type": "AWS::ECS::TaskDefinition", "DependsOn": ["Role"]},
                           "Role": {"Type": "AWS::IAM::Role"}}}
            """);

        Assert.Equal(["Role", "Task", "Service"], CfnTemplate.CreationOrder(template.Resources));
    }
}
