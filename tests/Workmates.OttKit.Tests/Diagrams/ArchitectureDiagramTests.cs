using System.Text.RegularExpressions;
using System.Xml.Linq;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Diagrams;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Diagrams;

public sealed class ArchitectureDiagramTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Every_service_of_a_sample_has_its_own_box_with_its_name(string sample)
    {
        var spec = SampleSpecs.ByName(sample);

        var svg = XDocument.Parse(ArchitectureDiagram.Render(spec.Synthesize()));

        var texts = Texts(svg);
        foreach (var service in spec.Services)
        {
            Assert.Contains(service.Name, texts);
            Assert.Contains(svg.Descendants(Svg + "title"), t => t.Value.StartsWith($"ECS service {service.Name}:", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Every_subnet_of_a_sample_is_drawn_with_its_cidr(string sample)
    {
        var stackSet = SampleSpecs.ByName(sample).Synthesize();
        var subnets = stackSet.Stacks.SelectMany(s => s.Template.Resources.Values).Where(r => r.Type == "AWS::EC2::Subnet").ToList();

        var texts = Texts(XDocument.Parse(ArchitectureDiagram.Render(stackSet)));

        Assert.NotEmpty(subnets);
        foreach (var subnet in subnets)
        {
            var cidr = ((Workmates.OttKit.CloudFormation.CfnScalar)subnet["CidrBlock"]).StringValue!;
            Assert.Contains(texts, t => t.StartsWith("subnet ", StringComparison.Ordinal) && t.EndsWith(" " + cidr, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Samples_draw_one_column_per_availability_zone()
    {
        var spec = SampleSpecs.Owl270();
        var texts = Texts(XDocument.Parse(ArchitectureDiagram.Render(spec.Synthesize())));

        Assert.Equal(
            Enumerable.Range(1, spec.Network.AvailabilityZones).Select(n => $"Availability Zone {n}"),
            texts.Where(t => t.StartsWith("Availability Zone", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void The_diagram_is_self_contained_svg(string sample)
    {
        var text = ArchitectureDiagram.Render(SampleSpecs.ByName(sample).Synthesize());

        AssertSelfContained(text);
    }

    [Fact]
    public void The_same_spec_gives_the_same_bytes()
    {
        var first = ArchitectureDiagram.Render(SampleSpecs.Blacksheep().Synthesize());
        var second = ArchitectureDiagram.Render(SampleSpecs.Blacksheep().Synthesize());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Hand_built_set_draws_each_mongodb_member_in_its_own_availability_zone_with_its_volume()
    {
        var model = ArchitectureModel.From(DiagramStackSets.Complete());

        var members = model.Hosts.Where(h => h.Role == HostRole.MongoMember).ToList();

        Assert.Equal(DiagramStackSets.MemberNames, members.Select(m => m.Label));
        Assert.Equal([0, 1, 2], members.Select(m => m.Az));
        Assert.All(members, m => Assert.Equal(SubnetTier.Data, m.Tier));
        Assert.All(members, m => Assert.Equal("r6i.large · 200 GiB · gp3", m.Detail));
    }

    [Fact]
    public void Hand_built_set_draws_members_vpn_edge_and_regional_services()
    {
        var svg = XDocument.Parse(ArchitectureDiagram.Render(DiagramStackSets.Complete()));

        var texts = Texts(svg);
        foreach (var expected in (string[])
        [
            "MongoDB mongo-1", "MongoDB mongo-2", "MongoDB mongo-3", "OpenVPN host", "CloudFront distribution",
            "WAF web ACL demo-edge", "S3 media", "S3 backup", "SNS demo-alarms", "CloudWatch alarms", "Dashboard demo-live",
            "ECR demo/web", "AWS Backup plan", "Custom Gadget", "Private DNS demo.internal",
        ])
        {
            Assert.Contains(expected, texts);
        }

        Assert.Contains("×4", texts);
        AssertSelfContained(svg.ToString());
    }

    [Fact]
    public void The_vpn_host_sits_in_the_public_band_of_its_availability_zone()
    {
        var vpn = Assert.Single(ArchitectureModel.From(DiagramStackSets.Complete()).Hosts, h => h.Role == HostRole.Vpn);

        Assert.Equal(SubnetTier.Public, vpn.Tier);
        Assert.Equal(1, vpn.Az);
    }

    [Fact]
    public void Resources_of_another_region_are_drawn_at_the_edge()
    {
        var model = ArchitectureModel.From(DiagramStackSets.Complete());

        var edge = model.EdgePanels.SelectMany(p => p.Items).Select(i => i.Label).ToList();

        Assert.Contains("WAF web ACL demo-edge", edge);
        Assert.Contains("CloudFront distribution", edge);
        Assert.DoesNotContain(model.RegionalPanels.SelectMany(p => p.Items), i => i.Label.StartsWith("WAF", StringComparison.Ordinal));
    }

    [Fact]
    public void Names_with_markup_characters_are_escaped()
    {
        const string hostile = "a<b>&\"c'</text><script>x</script>";

        var text = ArchitectureDiagram.Render(DiagramStackSets.Complete(hostile));

        var svg = XDocument.Parse(text);
        Assert.Contains(svg.Descendants(Svg + "title"), t => t.Value.StartsWith("ECS service " + hostile, StringComparison.Ordinal));
        Assert.Empty(svg.Descendants(Svg + "script"));
    }

    [Fact]
    public void Long_names_are_cut_to_fit_their_box()
    {
        var name = new string('x', 120);

        var texts = Texts(XDocument.Parse(ArchitectureDiagram.Render(DiagramStackSets.Complete(name))));

        Assert.DoesNotContain(name, texts);
        Assert.Contains(texts, t => t.StartsWith("xxxx", StringComparison.Ordinal) && t.EndsWith('…'));
    }

    [Fact]
    public void The_diagram_module_reads_no_template()
    {
        var folder = Path.Combine(SampleSpecs.RepositoryRoot, "src", "Workmates.OttKit", "Diagrams");
        var files = Directory.GetFiles(folder, "*.cs");
        var forbidden = new Regex(@"\b(Template|Resources|Resource|CfnObject|CfnNode|CfnScalar|CfnList|Intrinsic|Workmates\.OttKit\.CloudFormation)\b", RegexOptions.CultureInvariant);

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var code = string.Join('\n', File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal) && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            var hit = forbidden.Match(code);
            Assert.False(hit.Success, $"{Path.GetFileName(file)} refers to '{hit.Value}': the diagram is drawn from the architecture facts alone.");
        }
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_drawn_tiers_and_zones_are_the_specs(string sample)
    {
        var spec = SampleSpecs.ByName(sample);

        var model = ArchitectureModel.From(spec.Synthesize());

        var zones = Enumerable.Range(0, spec.Network.AvailabilityZones).ToArray();
        Assert.Equal(spec.Network.AvailabilityZones, model.AzCount);
        foreach (var tier in (SubnetTier[])[SubnetTier.Public, SubnetTier.Private, SubnetTier.Data])
        {
            Assert.Equal(zones, model.Subnets.Where(s => s.Tier == tier).Select(s => s.Az));
        }

        Assert.Equal(spec.Network.VpcCidr, model.VpcLabel);
        Assert.Equal(spec.Network.NatGateways == NatGatewayMode.PerAvailabilityZone ? zones : [0], model.NatGatewayAzs);
        Assert.Equal(spec.Services.Select(s => s.Name), model.Services.Select(s => s.Name));
        Assert.Equal(spec.Services.Select(s => $"{s.Scaling.DesiredTasks} tasks"), model.Services.Select(s => s.Detail));
        var members = model.Hosts.Where(h => h.Role == HostRole.MongoMember).ToList();
        Assert.Equal(spec.Database is null ? [] : Enumerable.Range(0, spec.Database.Members), members.Select(m => m.Az));
        Assert.All(members, m => Assert.Equal(SubnetTier.Data, m.Tier));
        Assert.Equal(spec.AdminAccess is null ? 0 : 1, model.Hosts.Count(h => h.Role == HostRole.Vpn && h.Tier == SubnetTier.Public));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_graph_records_the_links_between_its_parts(string sample)
    {
        var spec = SampleSpecs.ByName(sample);

        var facts = spec.Synthesize().Architecture!;

        foreach (var service in spec.Services)
        {
            Assert.Contains(facts.Links, l => l.From == $"{spec.Name}-load-balancer" && l.To == $"{spec.Name}-service-{service.Name}" && l.Port == service.ContainerPort);
        }

        if (spec.Database is not null)
        {
            Assert.Contains(facts.Links, l => l.To == $"{spec.Name}-database" && l.Port == SpecDefaults.MongoPort);
            Assert.Contains(facts.Links, l => l.From == $"{spec.Name}-database-backup" && l.To == $"{spec.Name}-backups");
        }
    }

    [Fact]
    public void A_stack_set_assembled_by_hand_without_facts_is_refused_with_the_fix()
    {
        var set = new StackSet("demo", "ap-south-1", [DiagramStackSets.Network()]);

        var error = Assert.Throws<ArgumentException>(() => ArchitectureDiagram.Render(set));

        Assert.Contains("EnvironmentSpec.Synthesize", error.Message, StringComparison.Ordinal);
    }

    private static List<string> Texts(XDocument svg) => [.. svg.Descendants(Svg + "text").Select(t => t.Value)];

    private static void AssertSelfContained(string text)
    {
        var svg = XDocument.Parse(text);
        Assert.Equal(Svg + "svg", svg.Root!.Name);
        var elements = svg.Descendants().Select(e => e.Name.LocalName).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("script", elements);
        Assert.DoesNotContain("image", elements);
        Assert.DoesNotContain("foreignObject", elements);
        Assert.DoesNotContain("style", elements);
        Assert.DoesNotContain(svg.Descendants().Attributes(), a => a.Name.LocalName == "href" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.All(svg.Descendants().Attributes(), a => Assert.False(
            a.Value.Contains("url(", StringComparison.Ordinal) && !a.Value.StartsWith("url(#", StringComparison.Ordinal),
            $"{a.Name} refers outside the document: {a.Value}"));
        Assert.All(svg.Descendants().Attributes("font-family"), a => Assert.Equal("sans-serif", a.Value));
        Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
    }
}
