using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class RoundTripTests
{
    private static readonly Dictionary<string, Func<CfnNode>> Intrinsics = new()
    {
        ["Ref"] = () => Fn.Ref("Bucket"),
        ["GetAtt"] = () => Fn.GetAtt("Bucket", "Arn"),
        ["GetAttDotted"] = () => Fn.GetAtt("Db.Endpoint.Address"),
        ["GetAttComputed"] = () => Fn.GetAtt("Bucket", Fn.Ref("AttributeName")),
        ["Sub"] = () => Fn.Sub("arn:${AWS::Partition}:s3:::${Bucket}/*"),
        ["SubMultiLine"] = () => Fn.Sub("#!/bin/bash\necho ${AWS::Region}\n"),
        ["SubWithMap"] = () => Fn.Sub("${Host}:${Port}", new CfnObject { ["Host"] = Fn.GetAtt("Bucket", "DomainName"), ["Port"] = 443 }),
        ["Join"] = () => Fn.Join(",", "a", Fn.Ref("Bucket"), "c"),
        ["JoinOverList"] = () => Fn.Join(",", Fn.GetAZs()),
        ["Select"] = () => Fn.Select(1, Fn.GetAZs(Pseudo.Region)),
        ["Split"] = () => Fn.Split(",", Fn.ImportValue("subnets")),
        ["GetAZs"] = () => Fn.GetAZs(),
        ["GetAZsRegion"] = () => Fn.GetAZs("eu-west-1"),
        ["Cidr"] = () => Fn.Cidr(Fn.GetAtt("Vpc", "CidrBlock"), 6, 5),
        ["ImportValue"] = () => Fn.ImportValue(Fn.Sub("${AWS::StackName}-VpcId")),
        ["If"] = () => Fn.If("IsProd", Fn.Ref("Bucket"), Pseudo.NoValue),
        ["IfWithObjects"] = () => Fn.If("IsProd", new CfnObject { ["Status"] = "Enabled" }, new CfnObject { ["Status"] = "Suspended" }),
        ["Equals"] = () => Fn.Equals(Fn.Ref("Env"), "prod"),
        ["And"] = () => Fn.And(Fn.Condition("IsProd"), Fn.Equals(Pseudo.Region, "us-east-1")),
        ["Or"] = () => Fn.Or(Fn.Condition("IsProd"), Fn.Condition("IsDev")),
        ["Not"] = () => Fn.Not(Fn.Condition("IsProd")),
        ["Condition"] = () => Fn.Condition("IsProd"),
        ["FindInMap"] = () => Fn.FindInMap("RegionMap", Pseudo.Region, "Ami"),
        ["Base64"] = () => Fn.Base64("hello"),
        ["Base64OfSub"] = () => Fn.Base64(Fn.Sub("#!/bin/bash\necho ${AWS::StackName}\n")),
        ["NestedShortForms"] = () => Fn.Join("", Fn.Sub("${AWS::StackName}-"), Fn.Select(0, Fn.Split("/", Fn.Ref("AWS::StackId")))),
        ["PseudoRegion"] = () => Pseudo.Region,
        ["PseudoAccountId"] = () => Pseudo.AccountId,
        ["PseudoStackName"] = () => Pseudo.StackName,
        ["PseudoStackId"] = () => Pseudo.StackId,
        ["PseudoPartition"] = () => Pseudo.Partition,
        ["PseudoUrlSuffix"] = () => Pseudo.URLSuffix,
        ["PseudoNoValue"] = () => Pseudo.NoValue,
        ["PseudoNotificationArns"] = () => Pseudo.NotificationARNs,
        ["UnknownFunction"] = () => new Intrinsic("Fn::Length", new CfnList { "a", "b" }),
        ["ListOfIntrinsics"] = () => new CfnList { Fn.Ref("A"), Fn.GetAtt("B", "Arn"), Fn.Sub("x") },
        ["ObjectWithIntrinsicInIntrinsic"] = () => Fn.Select(0, new CfnList { Fn.If("C", Fn.Ref("A"), Fn.Ref("B")) }),
    };

    public static TheoryData<string, TemplateFormat> IntrinsicCases()
    {
        var data = new TheoryData<string, TemplateFormat>();
        foreach (var name in Intrinsics.Keys)
        {
            data.Add(name, TemplateFormat.Yaml);
            data.Add(name, TemplateFormat.Json);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IntrinsicCases))]
    public void Intrinsic_WrittenAndReadBack_IsEqual(string name, TemplateFormat format)
    {
        var template = new Template();
        template.AddResource("Thing", "AWS::CloudFormation::WaitConditionHandle", new CfnObject { ["Value"] = Intrinsics[name]() });

        var text = template.Serialize(format);
        var back = Template.Parse(text);

        Assert.True(template.Equals(back), $"Round trip changed the template:\n{text}\nread back as\n{back.Serialize(format)}");
    }

    [Theory]
    [InlineData(TemplateFormat.Yaml)]
    [InlineData(TemplateFormat.Json)]
    public void TemplateWithEverySection_WrittenAndReadBack_IsEqual(TemplateFormat format)
    {
        var template = SampleTemplates.Everything();

        var back = Template.Parse(template.Serialize(format));

        Assert.Equal(template, back);
    }

    [Theory]
    [InlineData(TemplateFormat.Yaml)]
    [InlineData(TemplateFormat.Json)]
    public void TemplateReadBack_SerializesToTheSameBytes(TemplateFormat format)
    {
        var text = SampleTemplates.Everything().Serialize(format);

        var again = Template.Parse(text).Serialize(format);

        Assert.Equal(text, again);
    }

    [Fact]
    public void YamlAndJson_ReadToTheSameTemplate()
    {
        var template = SampleTemplates.Everything();

        var fromYaml = Template.Parse(template.ToYaml());
        var fromJson = Template.Parse(template.ToJson());

        Assert.Equal(fromYaml, fromJson);
    }

    [Theory]
    [InlineData(TemplateFormat.Yaml)]
    [InlineData(TemplateFormat.Json)]
    public void TwoBuildsOfTheSameTemplate_SerializeByteEqual(TemplateFormat format)
    {
        var first = SampleTemplates.Everything().Serialize(format);
        var second = SampleTemplates.Everything().Serialize(format);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Serializing_Twice_IsByteEqual()
    {
        var template = SampleTemplates.Everything();

        Assert.Equal(template.ToYaml(), template.ToYaml());
        Assert.Equal(template.ToJson(), template.ToJson());
    }

    [Fact]
    public void ResourceAttributes_RoundTripThroughYaml()
    {
        var template = new Template();
        template.AddCondition("IsProd", Fn.Equals("a", "a"));
        template.AddResource("A", "AWS::SNS::Topic");
        template.Add(new Resource("B", "AWS::SNS::Topic")
        {
            DependsOn = { "A" },
            Condition = "IsProd",
            DeletionPolicy = Fn.If("IsProd", "Retain", "Delete"),
            UpdateReplacePolicy = UpdateReplacePolicy.Snapshot,
            Metadata = new CfnObject { ["cfn-lint"] = new CfnObject { ["config"] = new CfnObject { ["ignore_checks"] = new CfnList { "W1" } } } },
        });
        template.Add(new Resource("C", "AWS::SNS::Topic") { DependsOn = { "A", "B" }, DeletionPolicy = DeletionPolicy.RetainExceptOnCreate });

        Assert.Equal(template, Template.Parse(template.ToYaml()));
        Assert.Equal(template, Template.Parse(template.ToJson()));
    }

    [Fact]
    public void Numbers_KeepTheirKind()
    {
        var template = new Template();
        template.AddResource("A", "AWS::CloudFormation::WaitConditionHandle", new CfnObject
        {
            ["Int"] = 3,
            ["Long"] = 12345678901234L,
            ["Negative"] = -7,
            ["Double"] = 0.5,
            ["WholeDouble"] = 2.0,
            ["Big"] = 1e300,
            ["True"] = true,
            ["Null"] = CfnScalar.Null,
        });

        foreach (var format in new[] { TemplateFormat.Yaml, TemplateFormat.Json })
        {
            var back = Template.Parse(template.Serialize(format)).Resources["A"].Properties;
            Assert.Equal(CfnScalarKind.Integer, ((CfnScalar)back["Int"]).Kind);
            Assert.Equal(12345678901234L, ((CfnScalar)back["Long"]).IntegerValue);
            Assert.Equal(CfnScalarKind.Number, ((CfnScalar)back["WholeDouble"]).Kind);
            Assert.Equal(1e300, ((CfnScalar)back["Big"]).NumberValue);
            Assert.Equal(template.Resources["A"].Properties, back);
        }
    }

    [Fact]
    public void EmptyCollections_RoundTrip()
    {
        var template = new Template();
        template.AddResource("A", "AWS::CloudFormation::WaitConditionHandle", new CfnObject
        {
            ["EmptyList"] = new CfnList(),
            ["EmptyObject"] = new CfnObject(),
            ["EmptyString"] = string.Empty,
        });

        Assert.Equal(template, Template.Parse(template.ToYaml()));
        Assert.Equal(template, Template.Parse(template.ToJson()));
    }

    [Fact]
    public void TransformList_RoundTrips()
    {
        var template = new Template { FormatVersion = null, Transforms = { "AWS::LanguageExtensions", "AWS::Serverless-2016-10-31" } };
        template.AddResource("A", "AWS::SNS::Topic");

        Assert.Equal(template, Template.Parse(template.ToYaml()));
        Assert.Equal(template, Template.Parse(template.ToJson()));
    }
}
