using System.Text.Json;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>Per-stack regions and parameters filled from another stack's output (<see cref="StackParameter.ValueFrom"/>).</summary>
public sealed class CrossRegionLinkTests
{
    private static Template Producer()
    {
        var t = new Template();
        t.AddResource("Acl", "AWS::WAFv2::WebACL");
        t.AddOutput("WebAclArn", Fn.GetAtt("Acl", "Arn"));
        return t;
    }

    private static Template Consumer(string parameter = "AclArn")
    {
        var t = new Template();
        t.Add(new Parameter(parameter));
        t.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = Fn.Ref(parameter) });
        return t;
    }

    private static Dictionary<string, StackOutputReference> From(string stack, string output, string parameter = "AclArn") =>
        new(StringComparer.Ordinal) { [parameter] = new StackOutputReference(stack, output) };

    private static StackSet Link(params StackDraft[] drafts) => OttKit.Blueprint.Blueprint.Link(TestSpecs.Valid(), drafts);

    [Fact]
    public void ValueFrom_makes_the_source_stack_a_dependency_that_deploys_first()
    {
        var set = Link(
            new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-edge", "WebAclArn")),
            new StackDraft("demo-edge", Producer(), "us-east-1"));

        Assert.Equal(["demo-edge", "demo-media"], set.Stacks.Select(s => s.Name));
        Assert.Equal([["demo-edge"], ["demo-media"]], set.Waves.Select(w => w.Select(s => s.Name).ToArray()));
        Assert.Equal(["demo-edge"], set["demo-media"].DependsOn);
    }

    [Fact]
    public void Stacks_keep_their_own_region_and_default_to_the_home_region()
    {
        var set = Link(new StackDraft("demo-edge", Producer(), "us-east-1"), new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-edge", "WebAclArn")));

        Assert.Equal("us-east-1", set["demo-edge"].Region);
        Assert.Equal("ap-south-1", set["demo-media"].Region);
    }

    [Fact]
    public void Parameter_carries_its_ValueFrom_and_the_manifest_shows_it_with_the_source_region()
    {
        var set = Link(new StackDraft("demo-edge", Producer(), "us-east-1"), new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-edge", "WebAclArn")));

        Assert.Equal(new StackOutputReference("demo-edge", "WebAclArn"), Assert.Single(set["demo-media"].Parameters).ValueFrom);
        using var manifest = JsonDocument.Parse(set.ToManifestJson());
        var media = manifest.RootElement.GetProperty("stacks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "demo-media");
        var edge = manifest.RootElement.GetProperty("stacks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "demo-edge");
        var valueFrom = media.GetProperty("parameters")[0].GetProperty("valueFrom");
        Assert.Equal(("demo-edge", "us-east-1", "WebAclArn"), (valueFrom.GetProperty("stack").GetString(), valueFrom.GetProperty("region").GetString(), valueFrom.GetProperty("output").GetString()));
        Assert.False(media.GetProperty("parameters")[0].TryGetProperty("required", out _));
        Assert.Equal("us-east-1", edge.GetProperty("region").GetString());
    }

    [Fact]
    public void ValueFrom_naming_a_stack_outside_the_set_throws()
    {
        var ex = Assert.Throws<StackOrderException>(() => Link(new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-ghost", "WebAclArn"))));
        Assert.Contains("demo-ghost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_naming_a_missing_output_throws()
    {
        var ex = Assert.Throws<StackOrderException>(() => Link(new StackDraft("demo-edge", Producer(), "us-east-1"), new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-edge", "Nope"))));
        Assert.Contains("Nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_for_a_parameter_the_template_lacks_throws()
    {
        var ex = Assert.Throws<StackOrderException>(() => Link(new StackDraft("demo-edge", Producer(), "us-east-1"), new StackDraft("demo-media", Consumer(), ValueFrom: From("demo-edge", "WebAclArn", "Other"))));
        Assert.Contains("Other", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_cycle_is_reported_as_a_cycle()
    {
        var a = Consumer();
        a.AddOutput("Out", Fn.Ref("Topic"));
        var b = Consumer();
        b.AddOutput("Out", Fn.Ref("Topic"));
        Assert.Throws<StackOrderException>(() => Link(new StackDraft("demo-a", a, ValueFrom: From("demo-b", "Out")), new StackDraft("demo-b", b, ValueFrom: From("demo-a", "Out"))));
    }

    [Fact]
    public void Import_across_regions_throws_and_points_to_ValueFrom()
    {
        var producer = Producer();
        producer.Outputs["WebAclArn"].ExportName = "demo:edge:WebAclArn";
        var consumer = new Template();
        consumer.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = Fn.ImportValue("demo:edge:WebAclArn") });

        var ex = Assert.Throws<StackOrderException>(() => Link(new StackDraft("demo-edge", producer, "us-east-1"), new StackDraft("demo-media", consumer)));
        Assert.Contains("ValueFrom", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blacksheep_media_stack_takes_the_edge_web_acl_from_us_east_1()
    {
        var set = SampleSpecs.Blacksheep().Synthesize();

        Assert.Equal("us-east-1", set["blacksheep-edge-waf"].Region);
        Assert.Contains("blacksheep-edge-waf", set["blacksheep-media"].DependsOn);
        Assert.Equal(new StackOutputReference("blacksheep-edge-waf", "WebAclArn"), set["blacksheep-media"].Parameters.Single(p => p.Name == "EdgeWebAclArn").ValueFrom);
        Assert.Empty(set["blacksheep-edge-waf"].Imports);
    }

    [Fact]
    public void Owl270_media_stack_also_takes_the_requested_certificate_from_us_east_1()
    {
        var media = SampleSpecs.Owl270().Synthesize()["owl270-media"];

        Assert.Equal(new StackOutputReference("owl270-edge-waf", "CertificateArn"), media.Parameters.Single(p => p.Name == "EdgeCertificateArn").ValueFrom);
    }
}
