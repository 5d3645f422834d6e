using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.CloudFormation;

/// <summary>Keeps the example in docs/template-model.md honest: the YAML shown there is what the C# shown there writes.</summary>
public sealed class DocumentationExampleTests
{
    internal static Template BuildExample()
    {
        // Same code as docs/template-model.md, "Building a template".
        var template = new Template { Description = "Media assets bucket and the role that reads it" };
        var stage = template.Add(new Parameter("Stage") { AllowedValues = { "dev", "prod" }, Default = "dev" });
        var isProd = template.AddCondition("IsProd", Fn.Equals(stage.Ref(), "prod"));

        var bucket = template.AddResource("Assets", "AWS::S3::Bucket", new CfnObject
        {
            ["BucketName"] = Fn.Sub("${AWS::StackName}-assets-${AWS::AccountId}"),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = Fn.If(isProd, "Enabled", "Suspended") },
            ["Tags"] = new Tags { ["Stage"] = stage.Ref(), ["Owner"] = "media" },
        });
        bucket.DeletionPolicy = DeletionPolicy.Retain;

        template.AddResource("ReaderRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement { Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"), Actions = { "sts:AssumeRole" } },
            },
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "read-assets",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement { Actions = { "s3:GetObject" }, Resources = { Fn.Sub("${Assets.Arn}/*") } },
                    },
                },
            },
        });

        template.AddOutput("AssetsBucketArn", bucket.GetAtt("Arn"), "Assets bucket ARN",
            exportName: Fn.Sub("${AWS::StackName}-AssetsBucketArn"));
        return template;
    }

    [Fact]
    public void DocumentedYaml_IsWhatTheDocumentedCodeWrites()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "template-model.md")).ReplaceLineEndings("\n");
        const string Marker = "<!-- example-output -->\n```yaml\n";
        var start = page.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/template-model.md lost its example-output marker.");
        start += Marker.Length;
        var documented = page[start..page.IndexOf("```\n", start, StringComparison.Ordinal)];

        var template = BuildExample();

        Assert.Empty(template.Check().Problems);
        Assert.Equal(documented, template.ToYaml());
    }
}
