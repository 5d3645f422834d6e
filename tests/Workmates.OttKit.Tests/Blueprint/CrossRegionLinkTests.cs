using System.Text.Json;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>Per-stack regions and parameters filled from another stack's output (<see cref="StackParameter.ValueFrom"/>).</summary>
public sealed class CrossRegionLinkTests
{
    private static readonly string[] EdgeFirst = ["demo-edge", "demo-media"];

    /// <summary>An edge stack in us-east-1 with a plain WebAclArn output, and a home-region media stack taking it as a parameter.</summary>
    private static (StackGraph Graph, StackScope Edge, StackScope Media, StackOutput Acl) Graph(bool mediaFirst = true, string parameter = "AclArn")
    {
        var graph = new StackGraph("demo", "ap-south-1");
        StackScope media = null!;
        if (mediaFirst)
        {
            media = graph.AddStack("media");
        }

        var edge = graph.AddStack("edge", "us-east-1");
        edge.Template.AddResource("Acl", "AWS::WAFv2::WebACL");
        var acl = edge.Output("WebAclArn", Fn.GetAtt("Acl", "Arn"), "the web ACL");
        media ??= graph.AddStack("media");
        media.Template.Add(new Parameter(parameter));
        media.Template.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = Fn.Ref(parameter) });
        return (graph, edge, media, acl);
    }

    [Fact]
    public void ValueFrom_makes_the_source_stack_a_dependency_that_deploys_first()
    {
        var (graph, _, media, acl) = Graph();
        media.FillParameter("AclArn", acl);
        var set = graph.ToStackSet();

        Assert.Equal(EdgeFirst, set.Stacks.Select(s => s.Name));
        Assert.Equal([["demo-edge"], ["demo-media"]], set.Waves.Select(w => w.Select(s => s.Name).ToArray()));
        Assert.Equal(["demo-edge"], set["demo-media"].DependsOn);
    }

    [Fact]
    public void Stacks_keep_their_own_region_and_default_to_the_home_region()
    {
        var (graph, _, media, acl) = Graph(mediaFirst: false);
        media.FillParameter("AclArn", acl);
        var set = graph.ToStackSet();

        Assert.Equal("us-east-1", set["demo-edge"].Region);
        Assert.Equal("ap-south-1", set["demo-media"].Region);
    }

    [Fact]
    public void Parameter_carries_its_ValueFrom_and_the_manifest_shows_it_with_the_source_region()
    {
        var (graph, _, media, acl) = Graph(mediaFirst: false);
        media.FillParameter("AclArn", acl);
        var set = graph.ToStackSet();

        Assert.Equal(new StackOutputReference("demo-edge", "WebAclArn"), Assert.Single(set["demo-media"].Parameters).ValueFrom);
        using var manifest = JsonDocument.Parse(set.ToManifestJson());
        var mediaJson = manifest.RootElement.GetProperty("stacks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "demo-media");
        var edgeJson = manifest.RootElement.GetProperty("stacks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "demo-edge");
        var valueFrom = mediaJson.GetProperty("parameters")[0].GetProperty("valueFrom");
        Assert.Equal(("demo-edge", "us-east-1", "WebAclArn"), (valueFrom.GetProperty("stack").GetString(), valueFrom.GetProperty("region").GetString(), valueFrom.GetProperty("output").GetString()));
        Assert.False(mediaJson.GetProperty("parameters")[0].TryGetProperty("required", out _));
        Assert.Equal("us-east-1", edgeJson.GetProperty("region").GetString());
    }

    [Fact]
    public void ValueFrom_naming_a_stack_outside_the_set_throws()
    {
        var (graph, _, media, _) = Graph();
        var ghost = new StackGraph("demo", "us-east-1").AddStack("ghost");
        media.FillParameter("AclArn", ghost.Output("WebAclArn", Fn.Ref("AWS::StackName"), "elsewhere"));

        var ex = Assert.Throws<StackOrderException>(graph.ToStackSet);
        Assert.Contains("demo-ghost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_for_a_parameter_the_template_lacks_throws()
    {
        var (graph, _, media, acl) = Graph();
        media.FillParameter("Other", acl);

        var ex = Assert.Throws<StackOrderException>(graph.ToStackSet);
        Assert.Contains("Other", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_from_the_stack_itself_throws()
    {
        var (_, edge, _, acl) = Graph();
        edge.Template.Add(new Parameter("Self"));

        var ex = Assert.Throws<StackOrderException>(() => edge.FillParameter("Self", acl));
        Assert.Contains("its own output", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueFrom_cycle_is_reported_as_a_cycle()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var a = graph.AddStack("a");
        var b = graph.AddStack("b");
        foreach (var stack in new[] { a, b })
        {
            stack.Template.Add(new Parameter("In"));
            stack.Template.AddResource("Topic", "AWS::SNS::Topic", new CfnObject { ["DisplayName"] = Fn.Ref("In") });
        }

        a.FillParameter("In", b.Output("Out", Fn.Ref("Topic"), "b's topic"));
        b.FillParameter("In", a.Output("Out", Fn.Ref("Topic"), "a's topic"));
        Assert.Throws<StackOrderException>(graph.ToStackSet);
    }

    [Fact]
    public void Import_across_regions_throws_at_the_moment_of_use_and_points_to_ValueFrom()
    {
        var graph = new StackGraph("demo", "ap-south-1");
        var edge = graph.AddStack("edge", "us-east-1");
        edge.Template.AddResource("Acl", "AWS::WAFv2::WebACL");
        var acl = edge.Export("WebAclArn", Fn.GetAtt("Acl", "Arn"), "the web ACL");
        var media = graph.AddStack("media");

        var ex = Assert.Throws<StackOrderException>(() => acl.In(media));
        Assert.Contains("ValueFrom", ex.Message, StringComparison.Ordinal);
        Assert.Contains("demo:edge:WebAclArn", ex.Message, StringComparison.Ordinal);
        Assert.Empty(media.Imports);
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
