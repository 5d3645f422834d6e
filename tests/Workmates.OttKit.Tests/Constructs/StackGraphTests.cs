using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// Typed cross-stack handles: a use records the export, the import and the deploy order at that moment, and the
/// recorded graph is exactly what the synthesized templates contain (the template scan lives only here, as a check).
/// </summary>
public sealed class StackGraphTests
{
    public static TheoryData<string> Specs => ["blacksheep", "owl270", "scaffold", "test", "full"];

    private static EnvironmentSpec ByName(string name) => name switch
    {
        "test" => TestSpecs.Valid(),
        "full" => TestSpecs.Valid() with
        {
            Database = new DatabaseSpec { Members = 3 },
            Monitoring = new MonitoringSpec { AlarmEmails = ["oncall@example.com"] },
        },
        _ => SampleSpecs.ByName(name),
    };

    [Fact]
    public void Use_in_the_producing_stack_is_the_value_itself_and_records_nothing()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var network = graph.AddStack("network");
        network.Template.AddResource("Vpc", "AWS::EC2::VPC");
        var vpcId = network.Export("VpcId", Fn.Ref("Vpc"), "VPC id");

        var value = network.Use(vpcId);

        Assert.Equal(Fn.Ref("Vpc").ToString(), value.ToString());
        Assert.Empty(network.Imports);
        Assert.Empty(network.DependsOn);
    }

    [Fact]
    public void Use_from_another_stack_is_an_import_of_the_stable_export_name_and_a_dependency()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var network = graph.AddStack("network");
        network.Template.AddResource("Vpc", "AWS::EC2::VPC");
        var vpcId = network.Export("VpcId", Fn.Ref("Vpc"), "VPC id");
        var cluster = graph.AddStack("cluster");

        var value = vpcId.In(cluster);

        Assert.Equal(Fn.ImportValue("demo:network:VpcId").ToString(), value.ToString());
        Assert.Equal(["demo:network:VpcId"], cluster.Imports);
        Assert.Same(network, Assert.Single(cluster.DependsOn));
        Assert.Equal("demo:network:VpcId", network.Template.Outputs["VpcId"].ExportName!.Literal);
    }

    [Fact]
    public void A_plain_output_cannot_be_imported_and_the_error_names_both_fixes()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var edge = graph.AddStack("edge");
        edge.Template.AddResource("Acl", "AWS::WAFv2::WebACL");
        var acl = edge.Output("WebAclArn", Fn.GetAtt("Acl", "Arn"), "web ACL");
        var media = graph.AddStack("media");

        var ex = Assert.Throws<StackOrderException>(() => acl.In(media));
        Assert.Contains("StackScope.Export", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FillParameter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_declared_twice_is_refused()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        graph.AddStack("network");
        Assert.Throws<StackOrderException>(() => graph.AddStack("network"));
    }

    [Fact]
    public void Constructs_take_other_stacks_values_through_their_handles_with_the_stable_export_names()
    {
        var set = TestSpecs.Valid().Synthesize();
        var cluster = set["demo-cluster"].Template;

        cluster.ResourceCountIs("AWS::ECS::Cluster", 1);
        cluster.HasResourceProperties("AWS::AutoScaling::AutoScalingGroup", new CfnObject
        {
            ["VPCZoneIdentifier"] = Fn.Split(",", Fn.ImportValue("demo:network:PrivateSubnetIds")),
        });
        set["demo-service-web"].Template.HasResourceProperties("AWS::ECS::Service", new CfnObject
        {
            ["Cluster"] = Fn.ImportValue("demo:cluster:ClusterName"),
        });
        Assert.Equal(["demo-cluster", "demo-load-balancer", "demo-network", "demo-repositories", "demo-security"], set["demo-service-web"].DependsOn);
    }

    [Fact]
    public void Key_and_bucket_grants_resolve_to_the_imported_resources_of_the_consumer()
    {
        var graph = PlatformGraph.Compose(TestSpecs.Valid() with { Database = new DatabaseSpec() });
        var backupTask = graph.Stacks.Single(s => s.Part == PlatformNaming.DatabaseBackupPart);
        var role = backupTask.Template.HasResourceProperties("AWS::IAM::Role", new CfnObject { ["Description"] = "demo: the backup writes below mongodb/ and reads the backup user's secret, nothing else" });
        var text = role.Properties["Policies"].ToString();

        Assert.Contains(Fn.ImportValue("demo:security:BackupKeyArn").ToString(), text, StringComparison.Ordinal);
        Assert.Contains("s3.${AWS::Region}.amazonaws.com", text, StringComparison.Ordinal);
        Assert.Contains(Fn.Sub("${Bucket}/mongodb/*", new CfnObject { ["Bucket"] = Fn.ImportValue("demo:backups:BackupBucketArn") }).ToString(), text, StringComparison.Ordinal);
        Assert.Contains("demo:backups:BackupBucketArn", backupTask.Imports);
        Assert.Contains(backupTask.DependsOn, s => s.Part == PlatformNaming.BackupsPart);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_recorded_links_are_exactly_the_imports_and_exports_in_the_templates(string name)
    {
        var set = ByName(name).Synthesize();
        var exporter = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in set.Stacks)
        {
            var exports = stack.Template.Outputs.Values
                .Select(o => o.ExportName is { IsIntrinsic: false } e ? e.Literal : null)
                .OfType<string>()
                .ToArray();
            Assert.Equal(exports, stack.Exports);
            foreach (var export in exports)
            {
                exporter.Add(export, stack.Name);
            }
        }

        foreach (var stack in set.Stacks)
        {
            var imports = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var resource in stack.Template.Resources.Values)
            {
                CollectImports(resource.Properties, imports);
            }

            foreach (var output in stack.Template.Outputs.Values)
            {
                CollectImports(output.Value, imports);
            }

            Assert.Equal(imports, stack.Imports);
            var expected = new SortedSet<string>(imports.Select(i => exporter[i]), StringComparer.Ordinal);
            expected.UnionWith(stack.Parameters.Select(p => p.ValueFrom?.StackName).OfType<string>());
            Assert.Equal(expected, stack.DependsOn);
        }
    }

    private static void CollectImports(CfnNode node, SortedSet<string> imports)
    {
        switch (node)
        {
            case Intrinsic { Name: "Fn::ImportValue", Argument: CfnScalar { StringValue: { } export } }:
                imports.Add(export);
                break;
            case Intrinsic intrinsic:
                CollectImports(intrinsic.Argument, imports);
                break;
            case CfnObject obj:
                foreach (var (_, value) in obj)
                {
                    CollectImports(value, imports);
                }

                break;
            case CfnList list:
                foreach (var item in list)
                {
                    CollectImports(item, imports);
                }

                break;
        }
    }
}
