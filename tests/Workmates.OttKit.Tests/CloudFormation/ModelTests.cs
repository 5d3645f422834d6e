using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class ModelTests
{
    [Fact]
    public void Tags_AreWrittenSortedByKey_WhateverTheInsertionOrder()
    {
        var tags = new Tags { ["b"] = "2", ["B"] = "1", ["a"] = Fn.Ref("AWS::StackName") };

        var node = tags.ToNode();

        Assert.Equal(["B", "a", "b"], node.Select(static t => ((CfnScalar)((CfnObject)t)["Key"]).StringValue));
        Assert.Equal(Pseudo.StackName, ((CfnObject)node[1])["Value"]);
    }

    [Fact]
    public void Tags_AddingTheSameKeyTwice_Throws()
    {
        var tags = new Tags { { "team", "media" } };

        Assert.Throws<ArgumentException>(() => tags.Add("team", "other"));
    }

    [Fact]
    public void PolicyDocument_HasTheJsonShapeIamExpects()
    {
        CfnNode document = new PolicyDocument
        {
            new PolicyStatement
            {
                Sid = "Read",
                Actions = { "s3:GetObject" },
                Resources = { Fn.Sub("${Bucket.Arn}/*"), "arn:aws:s3:::other/*" },
                Principal = PolicyPrincipal.Aws(Pseudo.AccountId),
                Conditions = { ["Bool"] = new CfnObject { ["aws:SecureTransport"] = "true" } },
            },
            new PolicyStatement { Effect = PolicyEffect.Deny, NotActions = { "s3:*", "kms:*" }, NotResources = { "*" }, NotPrincipal = PolicyPrincipal.Anyone },
            new PolicyStatement { Actions = { "sts:AssumeRole" }, Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com", "ec2.amazonaws.com") },
            new PolicyStatement { Actions = { "sts:AssumeRoleWithWebIdentity" }, Principal = PolicyPrincipal.Federated("cognito-identity.amazonaws.com") },
        };

        var json = document.ToString();

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[""" +
            """{"Sid":"Read","Effect":"Allow","Principal":{"AWS":{"Ref":"AWS::AccountId"}},"Action":"s3:GetObject","Resource":[{"Fn::Sub":"${Bucket.Arn}/*"},"arn:aws:s3:::other/*"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}},""" +
            """{"Effect":"Deny","NotPrincipal":"*","NotAction":["s3:*","kms:*"],"NotResource":"*"},""" +
            """{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"},""" +
            """{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""",
            json);
    }

    [Fact]
    public void ValueOfT_AcceptsLiteralsAndIntrinsics()
    {
        Value<string> literal = "my-bucket";
        Value<string> computed = Fn.Sub("${AWS::StackName}-assets");
        Value<int> number = 3;
        Value<DeletionPolicy> policy = DeletionPolicy.Snapshot;

        Assert.False(literal.IsIntrinsic);
        Assert.Equal("my-bucket", literal.Literal);
        Assert.True(computed.IsIntrinsic);
        Assert.Equal(Fn.Sub("${AWS::StackName}-assets"), computed.ToNode());
        Assert.Equal(CfnScalar.Of(3), number.ToNode());
        Assert.Equal(CfnScalar.Of("Snapshot"), policy.ToNode());
    }

    [Fact]
    public void ValueOfT_ConvertsToAPropertyNode()
    {
        Value<string> name = Fn.Ref("Name");

        var properties = new CfnObject { ["Name"] = name, ["Count"] = (Value<int>)2 };

        Assert.Equal(Fn.Ref("Name"), properties["Name"]);
        Assert.Equal(CfnScalar.Of(2), properties["Count"]);
    }

    [Fact]
    public void ImplicitConversions_BuildTheExpectedNodes()
    {
        var node = new CfnObject
        {
            ["S"] = "text",
            ["I"] = 1,
            ["L"] = 2L,
            ["D"] = 1.5,
            ["B"] = true,
            ["Strings"] = new[] { "a", "b" },
            ["Nodes"] = new CfnNode[] { 1, "x" },
            ["List"] = new List<string> { "c" },
            ["Collection"] = new CfnList { "d", Fn.Ref("X") },
        };

        Assert.Equal("""{"S":"text","I":1,"L":2,"D":1.5,"B":true,"Strings":["a","b"],"Nodes":[1,"x"],"List":["c"],"Collection":["d",{"Ref":"X"}]}""", node.ToString());
    }

    [Fact]
    public void GetAtt_DottedForm_SplitsAtTheFirstDot()
    {
        Assert.Equal(Fn.GetAtt("Db", "Endpoint.Address"), Fn.GetAtt("Db.Endpoint.Address"));
        Assert.Throws<ArgumentException>(() => Fn.GetAtt("NoDot"));
    }

    [Fact]
    public void ResourceAndParameterReferences_AreRefAndGetAtt()
    {
        var bucket = new Resource("Assets", "AWS::S3::Bucket");
        var env = new Parameter("Env");

        Assert.Equal("""{"Ref":"Assets"}""", bucket.Ref().ToString());
        Assert.Equal("""{"Fn::GetAtt":["Assets","Arn"]}""", bucket.GetAtt("Arn").ToString());
        Assert.Equal("""{"Ref":"Env"}""", env.Ref().ToString());
    }

    [Fact]
    public void PseudoParameters_AreRefsToTheirAwsNames()
    {
        Assert.Equal(Fn.Ref("AWS::Region"), Pseudo.Region);
        Assert.Equal(Fn.Ref("AWS::URLSuffix"), Pseudo.URLSuffix);
        Assert.Equal(8, Pseudo.Names.Count);
        Assert.True(Pseudo.IsPseudoParameter("AWS::NoValue"));
    }

    [Fact]
    public void Intrinsic_RejectsNamesThatAreNotFunctions() =>
        Assert.Throws<ArgumentException>(() => new Intrinsic("Sub", "x"));

    [Fact]
    public void Sections_KeepInsertionOrder()
    {
        var template = new Template();
        foreach (var id in new[] { "Zeta", "Alpha", "Mid" })
        {
            template.AddResource(id, "AWS::SNS::Topic");
        }

        Assert.Equal(["Zeta", "Alpha", "Mid"], template.Resources.Keys);
        Assert.Equal(["Zeta", "Alpha", "Mid"], template.ToJsonNode()["Resources"]!.AsObject().Select(static p => p.Key));
    }

    [Fact]
    public void ToJsonNode_IsTheExactJsonForm()
    {
        var template = SampleTemplates.Everything();

        var node = template.ToJsonNode();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(template.ToJson()), node));
        Assert.Equal("AWS::S3::Bucket", (string?)node["Resources"]!["Assets"]!["Type"]);
        Assert.Equal("${AWS::StackName}-assets-${AWS::AccountId}", (string?)node["Resources"]!["Assets"]!["Properties"]!["BucketName"]!["Fn::Sub"]);
    }

    [Fact]
    public void Json_UsesTwoSpaceIndentationAndLfLineEndings()
    {
        var template = new Template();
        template.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["TopicName"] = "a+b<c>'d'" });

        Assert.Equal(
            "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"Topic\": {\n      \"Type\": \"AWS::SNS::Topic\",\n      \"Properties\": {\n        \"TopicName\": \"a+b<c>'d'\"\n      }\n    }\n  }\n}\n",
            template.ToJson());
    }

    [Fact]
    public void Yaml_PutsTopLevelAndResourceKeysInAwsOrder()
    {
        var template = new Template { Description = "d" };
        template.AddOutput("O", "x");
        template.AddResource("R", "AWS::SNS::Topic", new CfnObject { ["TopicName"] = "t" }).Metadata = new CfnObject { ["m"] = 1 };
        template.Resources["R"].DependsOn.Add("Q");
        template.Resources["R"].Condition = "C";
        template.AddCondition("C", Fn.Equals("a", "a"));
        template.AddMapping("M", new CfnObject { ["k"] = new CfnObject { ["v"] = "x" } });
        template.Add(new Parameter("P"));

        Assert.Equal(
            """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: d
            Parameters:
              P:
                Type: String
            Mappings:
              M:
                k:
                  v: x
            Conditions:
              C: !Equals [a, a]
            Resources:
              R:
                Type: AWS::SNS::Topic
                Condition: C
                DependsOn: Q
                Properties:
                  TopicName: t
                Metadata:
                  m: 1
            Outputs:
              O:
                Value: x

            """.ReplaceLineEndings("\n"),
            template.ToYaml());
    }

    [Fact]
    public void DeepClone_IsEqualButIndependent()
    {
        var original = new CfnObject { ["List"] = new CfnList { "a" } };

        var copy = (CfnObject)original.DeepClone();
        ((CfnList)copy["List"]).Add("b");

        Assert.NotEqual<CfnNode>(original, copy);
        Assert.Single((CfnList)original["List"]);
    }

    [Fact]
    public void Equality_IsStructuralAndOrderSensitive()
    {
        CfnNode a = new CfnObject { ["x"] = 1, ["y"] = 2 };
        CfnNode b = new CfnObject { ["x"] = 1, ["y"] = 2 };
        CfnNode c = new CfnObject { ["y"] = 2, ["x"] = 1 };

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(CfnScalar.Of(1), CfnScalar.Of(1.0));
        Assert.NotEqual(CfnScalar.Of("1"), CfnScalar.Of(1));
    }
}
