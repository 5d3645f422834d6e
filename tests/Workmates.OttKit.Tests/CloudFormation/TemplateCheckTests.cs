using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class TemplateCheckTests
{
    private static Template WithTopic(out Resource topic)
    {
        var template = new Template();
        topic = template.AddResource("Topic", "AWS::SNS::Topic");
        return template;
    }

    private static List<string> Messages(Template template, string code) =>
        [.. template.Check().Problems.Where(p => p.Code == code).Select(static p => p.Message)];

    private static void AssertSingle(Template template, string code, string expectedMessage)
    {
        var all = template.Check().Problems;
        var matching = all.Where(p => p.Code == code).ToList();
        Assert.True(matching.Count == 1, $"Expected one {code}, found:\n{string.Join("\n", all)}");
        Assert.Equal(expectedMessage, matching[0].Message);
    }

    [Fact]
    public void SoundTemplate_HasNoProblems()
    {
        var result = SampleTemplates.Everything().Check();

        Assert.True(result.Problems.Count == 0, result.ToString());
        Assert.True(result.IsValid);
    }

    [Fact]
    public void RefToUndefinedResource_IsReportedAtThePropertyPath()
    {
        var template = new Template();
        template.AddResource("Api", "AWS::ECS::Service", new CfnObject { ["TaskDefinition"] = Fn.Ref("ApiTaskDef") });

        AssertSingle(template, TemplateProblemCodes.UndefinedReference,
            "Resources.Api.Properties.TaskDefinition: Ref to undefined resource or parameter 'ApiTaskDef'.");
    }

    [Fact]
    public void RefNestedInsideFunctions_IsReportedWithTheArgumentPath()
    {
        var template = WithTopic(out _);
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject
        {
            ["QueueName"] = Fn.Join("-", "q", Fn.Ref("Missing")),
            ["Tags"] = new CfnList { new CfnObject { ["Key"] = "k", ["Value"] = Fn.Ref("AlsoMissing") } },
        });

        var messages = Messages(template, TemplateProblemCodes.UndefinedReference);

        Assert.Equal(
            [
                "Resources.Queue.Properties.QueueName.Fn::Join[1][1]: Ref to undefined resource or parameter 'Missing'.",
                "Resources.Queue.Properties.Tags[0].Value: Ref to undefined resource or parameter 'AlsoMissing'.",
            ],
            messages);
    }

    [Fact]
    public void RefToParameterOrPseudoParameter_IsFine()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Env"));
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject { ["A"] = Fn.Ref("Env"), ["B"] = Pseudo.AccountId, ["C"] = Pseudo.NoValue });

        Assert.Empty(template.Check().Problems);
    }

    [Fact]
    public void RefToUnknownPseudoParameter_IsReported()
    {
        var template = WithTopic(out var topic);
        topic["DisplayName"] = Fn.Ref("AWS::Regoin");

        AssertSingle(template, TemplateProblemCodes.UndefinedReference, "Resources.Topic.Properties.DisplayName: Ref to undefined resource or parameter 'AWS::Regoin'.");
    }

    [Fact]
    public void SubAttributeVariable_OnParameter_IsReported()
    {
        var template = WithTopic(out var topic);
        template.Add(new Parameter("Env"));
        topic["DisplayName"] = Fn.Sub("${Env.Name}");

        AssertSingle(template, TemplateProblemCodes.UndefinedGetAttResource,
            "Resources.Topic.Properties.DisplayName: Fn::Sub variable '${Env.Name}' refers to parameter 'Env'; attributes exist on resources only.");
    }

    [Fact]
    public void RefInOutput_ToUndefinedResource_IsReported()
    {
        var template = WithTopic(out _);
        template.AddOutput("Arn", Fn.Ref("Nope"));

        AssertSingle(template, TemplateProblemCodes.UndefinedReference, "Outputs.Arn.Value: Ref to undefined resource or parameter 'Nope'.");
    }

    [Fact]
    public void SubVariable_ToUndefinedName_IsReported()
    {
        var template = WithTopic(out _);
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject { ["QueueName"] = Fn.Sub("${AWS::StackName}-${Stage}") });

        AssertSingle(template, TemplateProblemCodes.UndefinedReference,
            "Resources.Queue.Properties.QueueName: Fn::Sub variable '${Stage}' refers to undefined resource or parameter 'Stage'.");
    }

    [Fact]
    public void SubAttributeVariable_ToUndefinedResource_IsReported()
    {
        var template = WithTopic(out _);
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject { ["QueueName"] = Fn.Sub("${Db.Endpoint.Address}") });

        AssertSingle(template, TemplateProblemCodes.UndefinedGetAttResource,
            "Resources.Queue.Properties.QueueName: Fn::Sub variable '${Db.Endpoint.Address}' refers to undefined resource 'Db'.");
    }

    [Fact]
    public void SubMapKeys_EscapedLiterals_AndDefinedNames_AreNotReported()
    {
        var template = WithTopic(out _);
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject
        {
            ["QueueName"] = Fn.Sub("${Local}-${!NotAVariable}-${Topic}-${Topic.TopicName}-${AWS::Region}-${Local.Sub}", new CfnObject { ["Local"] = "x" }),
        });

        Assert.Empty(template.Check().Problems);
    }

    [Fact]
    public void SubMapValues_AreChecked()
    {
        var template = WithTopic(out _);
        template.AddResource("Queue", "AWS::SQS::Queue", new CfnObject
        {
            ["QueueName"] = Fn.Sub("${Local}", new CfnObject { ["Local"] = Fn.Ref("Ghost") }),
        });

        AssertSingle(template, TemplateProblemCodes.UndefinedReference,
            "Resources.Queue.Properties.QueueName.Fn::Sub[1].Local: Ref to undefined resource or parameter 'Ghost'.");
    }

    [Fact]
    public void GetAtt_OnMissingResource_IsReported()
    {
        var template = WithTopic(out _);
        template.AddOutput("Arn", Fn.GetAtt("Role", "Arn"));

        AssertSingle(template, TemplateProblemCodes.UndefinedGetAttResource, "Outputs.Arn.Value: GetAtt on undefined resource 'Role'.");
    }

    [Fact]
    public void GetAtt_OnParameter_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Env"));
        template.AddOutput("Arn", Fn.GetAtt("Env", "Arn"));

        AssertSingle(template, TemplateProblemCodes.UndefinedGetAttResource, "Outputs.Arn.Value: GetAtt on parameter 'Env'; attributes exist on resources only.");
    }

    [Fact]
    public void ResourceCondition_Undefined_IsReported()
    {
        var template = WithTopic(out var topic);
        topic.Condition = "IsProd";

        AssertSingle(template, TemplateProblemCodes.UndefinedCondition, "Resources.Topic.Condition: Condition 'IsProd' is not defined in Conditions.");
    }

    [Fact]
    public void IfCondition_Undefined_IsReported()
    {
        var template = WithTopic(out var topic);
        topic["TopicName"] = Fn.If("IsProd", "a", "b");

        AssertSingle(template, TemplateProblemCodes.UndefinedCondition, "Resources.Topic.Properties.TopicName: Fn::If names undefined condition 'IsProd'.");
    }

    [Fact]
    public void ConditionFunction_Undefined_IsReported()
    {
        var template = WithTopic(out _);
        template.AddCondition("Both", Fn.And(Fn.Condition("IsProd"), Fn.Equals("a", "a")));

        AssertSingle(template, TemplateProblemCodes.UndefinedCondition, "Conditions.Both.Fn::And[0]: Condition function names undefined condition 'IsProd'.");
    }

    [Fact]
    public void OutputCondition_Undefined_IsReported()
    {
        var template = WithTopic(out var topic);
        template.Add(new Output("Arn", topic.Ref()) { Condition = "IsProd" });

        AssertSingle(template, TemplateProblemCodes.UndefinedCondition, "Outputs.Arn.Condition: Condition 'IsProd' is not defined in Conditions.");
    }

    [Fact]
    public void Condition_ReferringToResource_IsReported()
    {
        var template = WithTopic(out var topic);
        template.AddCondition("HasTopic", Fn.Equals(topic.Ref(), "x"));

        AssertSingle(template, TemplateProblemCodes.ConditionReferencesResource,
            "Conditions.HasTopic.Fn::Equals[0]: conditions are evaluated before resources exist, so they cannot refer to resource 'Topic'; use a parameter.");
    }

    [Fact]
    public void FindInMap_UndefinedMapping_IsReported()
    {
        var template = WithTopic(out var topic);
        topic["TopicName"] = Fn.FindInMap("Names", Pseudo.Region, "Topic");

        AssertSingle(template, TemplateProblemCodes.UndefinedMapping, "Resources.Topic.Properties.TopicName: Fn::FindInMap names undefined mapping 'Names'.");
    }

    [Fact]
    public void DependsOn_MissingResource_IsReported()
    {
        var template = WithTopic(out var topic);
        topic.DependsOn.Add("Queue");

        AssertSingle(template, TemplateProblemCodes.UndefinedDependency, "Resources.Topic.DependsOn: DependsOn names undefined resource 'Queue'.");
    }

    [Fact]
    public void DependsOn_Parameter_IsReportedWithItsIndex()
    {
        var template = WithTopic(out var topic);
        template.AddResource("Queue", "AWS::SQS::Queue");
        template.Add(new Parameter("Env"));
        topic.DependsOn.Add("Queue");
        topic.DependsOn.Add("Env");

        AssertSingle(template, TemplateProblemCodes.UndefinedDependency, "Resources.Topic.DependsOn[1]: DependsOn names parameter 'Env'; DependsOn takes resources only.");
    }

    [Fact]
    public void DependsOnCycle_IsReportedWithItsPath()
    {
        var template = new Template();
        var a = template.AddResource("A", "AWS::SNS::Topic");
        var b = template.AddResource("B", "AWS::SNS::Topic");
        var c = template.AddResource("C", "AWS::SNS::Topic");
        a.DependOn(b);
        b.DependOn(c);
        c.DependOn(a);

        AssertSingle(template, TemplateProblemCodes.DependencyCycle,
            "Resources.A: circular dependency A -> B -> C -> A (through DependsOn, Ref, GetAtt or Sub); remove one of these dependencies.");
    }

    [Fact]
    public void ImplicitCycle_ThroughRefGetAttAndSub_IsReported()
    {
        var template = new Template();
        template.AddResource("Role", "AWS::IAM::Role", new CfnObject { ["Path"] = Fn.Sub("/${Bucket}/") });
        template.AddResource("Bucket", "AWS::S3::Bucket", new CfnObject { ["Owner"] = Fn.GetAtt("Policy", "Id") });
        template.AddResource("Policy", "AWS::IAM::Policy", new CfnObject { ["Roles"] = new CfnList { Fn.Ref("Role") } });

        AssertSingle(template, TemplateProblemCodes.DependencyCycle,
            "Resources.Role: circular dependency Role -> Bucket -> Policy -> Role (through DependsOn, Ref, GetAtt or Sub); remove one of these dependencies.");
    }

    [Fact]
    public void SelfReference_IsACycle()
    {
        var template = WithTopic(out var topic);
        topic["DisplayName"] = topic.GetAtt("TopicName");

        AssertSingle(template, TemplateProblemCodes.DependencyCycle,
            "Resources.Topic: circular dependency Topic -> Topic (through DependsOn, Ref, GetAtt or Sub); remove one of these dependencies.");
    }

    [Fact]
    public void ConditionCycle_IsReportedWithItsPath()
    {
        var template = WithTopic(out _);
        template.AddCondition("A", Fn.Not(Fn.Condition("B")));
        template.AddCondition("B", Fn.Or(Fn.Condition("A"), Fn.Equals("x", "y")));

        AssertSingle(template, TemplateProblemCodes.DependencyCycle, "Conditions.A: circular condition A -> B -> A; a condition cannot depend on itself.");
    }

    [Fact]
    public void Chain_WithoutCycle_IsFine()
    {
        var template = new Template();
        var a = template.AddResource("A", "AWS::SNS::Topic");
        var b = template.AddResource("B", "AWS::SNS::Topic", new CfnObject { ["X"] = a.Ref() });
        template.AddResource("C", "AWS::SNS::Topic", new CfnObject { ["X"] = b.Ref(), ["Y"] = a.GetAtt("TopicName") }).DependOn(a);

        Assert.Empty(template.Check().Problems);
    }

    [Theory]
    [InlineData("Resources", "my-bucket")]
    [InlineData("Resources", "Bad_Name")]
    [InlineData("Parameters", "stage.name")]
    [InlineData("Outputs", "Bucket Arn")]
    [InlineData("Mappings", "Region-Map")]
    [InlineData("Conditions", "Is:Prod")]
    public void NonAlphanumericLogicalId_IsReported(string section, string id)
    {
        var template = WithTopic(out _);
        switch (section)
        {
            case "Resources": template.AddResource(id, "AWS::SNS::Topic"); break;
            case "Parameters": template.Add(new Parameter(id)); break;
            case "Outputs": template.AddOutput(id, "x"); break;
            case "Mappings": template.AddMapping(id, new CfnObject { ["k"] = new CfnObject { ["v"] = "x" } }); break;
            default: template.AddCondition(id, Fn.Equals("a", "b")); break;
        }

        AssertSingle(template, TemplateProblemCodes.InvalidLogicalId,
            $"{section}.{id}: '{id}' is not a valid name: use only A-Z, a-z and 0-9, at most 255 characters.");
    }

    [Fact]
    public void LogicalIdLongerThan255_IsReported()
    {
        var template = WithTopic(out _);
        var id = new string('A', 256);
        template.AddOutput(id, "x");

        Assert.Single(Messages(template, TemplateProblemCodes.InvalidLogicalId), m => m.StartsWith($"Outputs.{id}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void LogicalIdOf255_IsFine()
    {
        var template = WithTopic(out _);
        template.AddOutput(new string('A', 255), "x");

        Assert.Empty(template.Check().Problems);
    }

    [Fact]
    public void SameIdForParameterAndResource_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Topic"));

        AssertSingle(template, TemplateProblemCodes.DuplicateLogicalId, "Resources.Topic: the logical ID 'Topic' is used by both a parameter and a resource; rename one.");
    }

    [Fact]
    public void AddingTheSameIdTwice_ThrowsNamingTheId()
    {
        var template = WithTopic(out _);

        var error = Assert.Throws<DuplicateLogicalIdException>(() => template.AddResource("Topic", "AWS::SNS::Topic"));

        Assert.Equal("Topic", error.LogicalId);
        Assert.Equal("Resources", error.Section);
        Assert.Contains("'Topic'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingAResourceUnderAnotherId_Throws()
    {
        var template = new Template();

        var error = Assert.Throws<ArgumentException>(() => template.Resources.Add("Other", new Resource("Topic", "AWS::SNS::Topic")));

        Assert.Contains("'Topic'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidResourceType_IsReported()
    {
        var template = new Template();
        template.AddResource("Bucket", "S3Bucket");

        AssertSingle(template, TemplateProblemCodes.InvalidResourceType,
            "Resources.Bucket.Type: 'S3Bucket' is not a resource type; use Service::Category::Type (e.g. AWS::S3::Bucket) or Custom::Name.");
    }

    [Fact]
    public void NoResources_IsReported() =>
        AssertSingle(new Template(), TemplateProblemCodes.NoResources, "Resources: the template has no resources; CloudFormation requires at least one.");

    [Fact]
    public void MoreThan500Resources_IsReported()
    {
        var template = new Template();
        for (var i = 0; i < 501; i++)
        {
            template.AddResource($"Topic{i}", "AWS::SNS::Topic");
        }

        AssertSingle(template, TemplateProblemCodes.TooManyResources, "Resources: 501 resources exceed CloudFormation's limit of 500; split the stack into nested stacks.");
    }

    [Fact]
    public void Exactly500Resources_IsFine()
    {
        var template = new Template();
        for (var i = 0; i < 500; i++)
        {
            template.AddResource($"Topic{i}", "AWS::SNS::Topic");
        }

        Assert.Empty(Messages(template, TemplateProblemCodes.TooManyResources));
    }

    [Fact]
    public void MoreThan200Parameters_IsReported()
    {
        var template = WithTopic(out _);
        for (var i = 0; i < 201; i++)
        {
            template.Add(new Parameter($"P{i}"));
        }

        AssertSingle(template, TemplateProblemCodes.TooManyParameters, "Parameters: 201 parameters exceed CloudFormation's limit of 200; use mappings or SSM parameters instead.");
    }

    [Fact]
    public void MoreThan200Outputs_IsReported()
    {
        var template = WithTopic(out _);
        for (var i = 0; i < 201; i++)
        {
            template.AddOutput($"O{i}", "x");
        }

        AssertSingle(template, TemplateProblemCodes.TooManyOutputs, "Outputs: 201 outputs exceed CloudFormation's limit of 200; combine values or split the stack.");
    }

    [Fact]
    public void MoreThan200Mappings_IsReported()
    {
        var template = WithTopic(out _);
        for (var i = 0; i < 201; i++)
        {
            template.AddMapping($"M{i}", new CfnObject { ["k"] = new CfnObject { ["v"] = "x" } });
        }

        AssertSingle(template, TemplateProblemCodes.TooManyMappings, "Mappings: 201 mappings exceed CloudFormation's limit of 200; merge related mappings.");
    }

    [Fact]
    public void MoreThan200AttributesInAMapping_IsReported()
    {
        var template = WithTopic(out _);
        var mapping = new CfnObject();
        for (var i = 0; i < 201; i++)
        {
            mapping.Add($"k{i}", new CfnObject { ["v"] = "x" });
        }

        template.AddMapping("Big", mapping);

        AssertSingle(template, TemplateProblemCodes.TooManyMappings, "Mappings.Big: 201 attributes exceed CloudFormation's limit of 200; split the mapping.");
    }

    [Fact]
    public void DescriptionOver1024Bytes_IsReportedEvenWhenUnder1024Characters()
    {
        var template = WithTopic(out _);
        template.Description = new string('é', 513);

        AssertSingle(template, TemplateProblemCodes.DescriptionTooLong, "Description: the description is 1026 bytes; the limit is 1024. Shorten it.");
    }

    [Fact]
    public void OutputDescriptionOver1024Bytes_IsReported()
    {
        var template = WithTopic(out _);
        template.AddOutput("Arn", "x", description: new string('x', 1025));

        AssertSingle(template, TemplateProblemCodes.DescriptionTooLong, "Outputs.Arn.Description: the description is 1025 bytes; the limit is 1024. Shorten it.");
    }

    [Fact]
    public void BodyOver51200Bytes_RequiresS3_AsInformation()
    {
        var template = WithTopic(out var topic);
        topic["DisplayName"] = new string('x', 60_000);

        var result = template.Check(TemplateFormat.Json);
        var problem = Assert.Single(result.Problems);

        Assert.Equal(TemplateProblemCodes.TemplateRequiresS3, problem.Code);
        Assert.Equal(TemplateProblemSeverity.Information, problem.Severity);
        Assert.StartsWith("the Json body is 60,", problem.Message, StringComparison.Ordinal);
        Assert.Contains("upload it to S3 and pass TemplateURL", problem.Message, StringComparison.Ordinal);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void BodyOver1000000Bytes_IsAnError()
    {
        var template = WithTopic(out var topic);
        topic["DisplayName"] = new string('x', 1_000_001);

        var problem = Assert.Single(template.Check().Problems);

        Assert.Equal(TemplateProblemCodes.TemplateTooLarge, problem.Code);
        Assert.Equal(TemplateProblemSeverity.Error, problem.Severity);
        Assert.Contains("over the 1,000,000-byte limit even through S3", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateExportNames_AreReported()
    {
        var template = WithTopic(out var topic);
        template.AddOutput("A", topic.Ref(), exportName: "shared-topic");
        template.AddOutput("B", topic.GetAtt("TopicName"), exportName: "shared-topic");

        AssertSingle(template, TemplateProblemCodes.DuplicateExportName,
            "Outputs.B.Export.Name: the export name 'shared-topic' is already exported by Outputs.A.Export.Name; export names must be unique per account and region.");
    }

    [Fact]
    public void DuplicateComputedExportNames_AreReported()
    {
        var template = WithTopic(out var topic);
        template.AddOutput("A", topic.Ref(), exportName: Fn.Sub("${AWS::StackName}-Topic"));
        template.AddOutput("B", topic.Ref(), exportName: Fn.Sub("${AWS::StackName}-Topic"));

        Assert.Single(Messages(template, TemplateProblemCodes.DuplicateExportName), m => m.StartsWith("Outputs.B.Export.Name: ", StringComparison.Ordinal));
    }

    [Fact]
    public void ExportNameWithInvalidCharacters_IsReported()
    {
        var template = WithTopic(out var topic);
        template.AddOutput("A", topic.Ref(), exportName: "Global.Topic_Arn");

        AssertSingle(template, TemplateProblemCodes.InvalidExportName,
            "Outputs.A.Export.Name: the export name 'Global.Topic_Arn' must be 1–255 characters of A-Z, a-z, 0-9, ':' and '-'.");
    }

    [Fact]
    public void ExportNameDependingOnResource_IsReported()
    {
        var template = WithTopic(out var topic);
        template.AddOutput("A", topic.Ref(), exportName: Fn.Sub("${AWS::StackName}-${Topic}"));

        AssertSingle(template, TemplateProblemCodes.InvalidExportName,
            "Outputs.A.Export.Name: the export name depends on resource 'Topic'; an export name may use only parameters, pseudo parameters and mappings.");
    }

    [Fact]
    public void ParameterWithUnknownType_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Size", "Integer"));

        Assert.Single(Messages(template, TemplateProblemCodes.InvalidParameter), m => m.StartsWith("Parameters.Size.Type: 'Integer' is not a parameter type", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AWS::EC2::VPC::Id")]
    [InlineData("List<AWS::EC2::Subnet::Id>")]
    [InlineData("AWS::SSM::Parameter::Value<String>")]
    [InlineData("CommaDelimitedList")]
    [InlineData("List<Number>")]
    public void ParameterWithAwsType_IsFine(string type)
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("P", type));

        Assert.Empty(template.Check().Problems);
    }

    [Fact]
    public void ParameterDefault_OutsideAllowedValues_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Env") { AllowedValues = { "dev", "prod" }, Default = "test" });

        AssertSingle(template, TemplateProblemCodes.InvalidParameter, "Parameters.Env.Default: the default 'test' is not one of the AllowedValues (dev, prod).");
    }

    [Fact]
    public void ParameterDefault_NotMatchingPattern_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Name") { AllowedPattern = "[a-z]+", Default = "abc1" });

        AssertSingle(template, TemplateProblemCodes.InvalidParameter, "Parameters.Name.Default: the default 'abc1' does not match AllowedPattern [a-z]+.");
    }

    [Fact]
    public void ParameterMinLengthAboveMaxLength_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Name") { MinLength = 5, MaxLength = 2 });

        AssertSingle(template, TemplateProblemCodes.InvalidParameter, "Parameters.Name.MinLength: MinLength 5 is greater than MaxLength 2.");
    }

    [Fact]
    public void NumberParameter_WithNonNumericDefault_IsReported()
    {
        var template = WithTopic(out _);
        template.Add(new Parameter("Count", "Number") { Default = "many" });

        AssertSingle(template, TemplateProblemCodes.InvalidParameter, "Parameters.Count.Default: the default 'many' is not a number, but the parameter type is Number.");
    }

    [Fact]
    public void IfWithWrongArity_IsReported()
    {
        var template = WithTopic(out var topic);
        topic["TopicName"] = new Intrinsic("Fn::If", new CfnList { "IsProd", "a" });

        AssertSingle(template, TemplateProblemCodes.InvalidIntrinsic, "Resources.Topic.Properties.TopicName: Fn::If takes [ConditionName, ValueIfTrue, ValueIfFalse].");
    }

    [Fact]
    public void EnsureValid_ThrowsWithEveryError()
    {
        var template = new Template();
        template.AddResource("Api", "AWS::ECS::Service", new CfnObject { ["TaskDefinition"] = Fn.Ref("ApiTaskDef"), ["Role"] = Fn.GetAtt("Role", "Arn") });

        var error = Assert.Throws<TemplateValidationException>(() => template.EnsureValid());

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("Resources.Api.Properties.TaskDefinition: Ref to undefined resource or parameter 'ApiTaskDef'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Resources.Api.Properties.Role: GetAtt on undefined resource 'Role'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_ListErrorsBeforeInformation()
    {
        var template = new Template();
        template.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = new string('x', 60_000) });
        template.AddOutput("Arn", Fn.Ref("Missing"));

        var severities = template.Check().Problems.Select(static p => p.Severity).ToList();

        Assert.Equal([TemplateProblemSeverity.Error, TemplateProblemSeverity.Information], severities);
    }
}
