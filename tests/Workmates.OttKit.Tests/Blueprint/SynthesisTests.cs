using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class SynthesisTests
{
    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Synthesize_TwiceFromTheSameFile_IsByteEqual(string sample)
    {
        var first = SampleSpecs.ByName(sample).Synthesize();
        var second = SampleSpecs.ByName(sample).Synthesize();
        Assert.Equal(first.ToManifestJson(), second.ToManifestJson());
        Assert.Equal(first.Stacks.Select(s => s.Template.ToYaml()), second.Stacks.Select(s => s.Template.ToYaml()));
        Assert.Equal(first.Stacks.Select(s => s.Template.ToJson()), second.Stacks.Select(s => s.Template.ToJson()));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Synthesize_Samples_EveryTemplatePassesTheStructuralChecks(string sample)
    {
        var failures = new List<string>();
        foreach (var stack in SampleSpecs.ByName(sample).Synthesize().Stacks)
        {
            var result = stack.Template.Check();
            failures.AddRange(result.Errors.Select(e => $"{stack.Name}: {e}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void Synthesize_Samples_TemplatesRoundTripThroughTheReader(string sample)
    {
        foreach (var stack in SampleSpecs.ByName(sample).Synthesize().Stacks)
        {
            Assert.Equal(stack.Template.ToJson(), Template.Parse(stack.Template.ToYaml()).ToJson());
        }
    }

    [Fact]
    public void Synthesize_Blacksheep_HasOneStackPerLifecycleAndService()
    {
        var names = SampleSpecs.Blacksheep().Synthesize().Stacks.Select(s => s.Name).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "blacksheep-access", "blacksheep-admin-access", "blacksheep-backups", "blacksheep-bootstrap", "blacksheep-ci", "blacksheep-cluster", "blacksheep-database", "blacksheep-database-backup",
            "blacksheep-edge-waf", "blacksheep-load-balancer", "blacksheep-media", "blacksheep-monitoring", "blacksheep-network", "blacksheep-patching",
            "blacksheep-repositories", "blacksheep-security", "blacksheep-service-api", "blacksheep-service-auth", "blacksheep-service-catalog",
            "blacksheep-service-live-chat",
            "blacksheep-service-payments", "blacksheep-service-web",
        ], names);
    }

    [Fact]
    public void Synthesize_Blacksheep_DeploysEveryStackAfterTheStacksItImports()
    {
        var set = SampleSpecs.Blacksheep().Synthesize();
        var position = set.Stacks.Select((s, i) => (s.Name, i)).ToDictionary(p => p.Name, p => p.i);
        foreach (var stack in set.Stacks)
        {
            Assert.All(stack.DependsOn, d => Assert.True(position[d] < position[stack.Name], $"{d} must deploy before {stack.Name}"));
        }

        Assert.Equal(["blacksheep-bootstrap", "blacksheep-security", "blacksheep-repositories", "blacksheep-patching", "blacksheep-edge-waf"], set.Waves[0].Select(s => s.Name));
        Assert.Equal(["blacksheep-network", "blacksheep-backups", "blacksheep-access", "blacksheep-media", "blacksheep-ci"], set.Waves[1].Select(s => s.Name));
        // The CI roles write templates to the bootstrap stack's artifacts bucket, named exactly by its export, and
        // import nothing else: an administrator deploys the bootstrap and ci stacks before anything else.
        Assert.Equal(["blacksheep-bootstrap"], set["blacksheep-ci"].DependsOn);
        Assert.Equal(["blacksheep-cluster", "blacksheep-database", "blacksheep-load-balancer", "blacksheep-network", "blacksheep-repositories", "blacksheep-security"], set["blacksheep-service-api"].DependsOn);
        Assert.DoesNotContain("blacksheep-database", set["blacksheep-service-web"].DependsOn);
        Assert.Equal(["blacksheep-backups", "blacksheep-cluster", "blacksheep-database", "blacksheep-network", "blacksheep-repositories", "blacksheep-security"], set["blacksheep-database-backup"].DependsOn);
    }

    [Fact]
    public void Synthesize_ServiceStack_TakesTheImageTagAsARequiredParameter()
    {
        var stack = SampleSpecs.Blacksheep().Synthesize()["blacksheep-service-web"];
        var parameter = Assert.Single(stack.Parameters);
        Assert.Equal(("ImageTag", null), (parameter.Name, parameter.Default));
        Assert.Contains("\"required\": true", SampleSpecs.Blacksheep().Synthesize().ToManifestJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_AddingAServiceInFront_KeepsOtherStacksLogicalIds()
    {
        var spec = SampleSpecs.Blacksheep();
        var before = spec.Synthesize();
        var after = (spec with { Services = [new ServiceSpec { Name = "search", Routing = new RoutingSpec { PathPatterns = ["/search/*"], Priority = 50 } }, .. spec.Services] }).Synthesize();
        foreach (var stack in before.Stacks)
        {
            // Existing logical IDs and exports survive; the repositories stack only gains the new repository.
            Assert.Empty(stack.Template.Resources.Keys.Except(after[stack.Name].Template.Resources.Keys));
            Assert.Empty(stack.Exports.Except(after[stack.Name].Exports));
        }
    }

    [Fact]
    public void Synthesize_AddingAServiceInFront_LeavesStacksWithExplicitPrioritiesByteEqual()
    {
        var spec = SampleSpecs.Blacksheep();
        var before = spec.Synthesize()["blacksheep-service-web"].Template.ToYaml();
        var after = (spec with { Services = [new ServiceSpec { Name = "search", Routing = new RoutingSpec { PathPatterns = ["/search/*"], Priority = 50 } }, .. spec.Services] })
            .Synthesize()["blacksheep-service-web"].Template.ToYaml();
        Assert.Equal(before, after);
    }

    [Fact]
    public void Synthesize_InvalidSpec_ThrowsWithEveryProblem()
    {
        var spec = SampleSpecs.Blacksheep() with { Name = "B", Cluster = new ClusterSpec { MaxHosts = 0, MinHosts = 0, DesiredHosts = 0 } };
        var ex = Assert.Throws<OttKitValidationException>(() => spec.Synthesize());
        Assert.Contains(ex.Problems, p => p.Path == "name");
        Assert.Contains(ex.Problems, p => p.Path == "cluster.maxHosts");
    }

    [Fact]
    public void Synthesize_Marathon_RaisesBeforePreWarmAndRestoresAfterTheEnd()
    {
        var template = SampleSpecs.Blacksheep().Synthesize()["blacksheep-service-live-chat"].Template;
        var actions = (CfnList)template.Resources["ScalableTarget"].Properties["ScheduledActions"];
        var schedules = actions.Cast<CfnObject>().Select(a => (((CfnScalar)a["ScheduledActionName"]).StringValue, ((CfnScalar)a["Schedule"]).StringValue, ((CfnScalar)a["Timezone"]).StringValue)).ToArray();
        Assert.Equal([("marathon-prewarm", "at(2027-11-02T02:30:00)", "UTC"), ("marathon-restore", "at(2027-11-06T18:30:00)", "UTC")], schedules);
    }

    [Fact]
    public void Synthesize_Owl270_SchedulesSchoolHoursInIndianTime()
    {
        var template = SampleSpecs.Owl270().Synthesize()["owl270-service-lessons"].Template;
        var actions = ((CfnList)template.Resources["ScalableTarget"].Properties["ScheduledActions"]).Cast<CfnObject>().ToArray();
        Assert.All(actions, a => Assert.Equal("Asia/Kolkata", ((CfnScalar)a["Timezone"]).StringValue));
        Assert.Equal(6L, ((CfnScalar)((CfnObject)actions[0]["ScalableTargetAction"])["MinCapacity"]).IntegerValue);
        Assert.Equal(2L, ((CfnScalar)((CfnObject)actions[1]["ScalableTargetAction"])["MinCapacity"]).IntegerValue);
    }

    [Fact]
    public void Synthesize_SingleNatGateway_CreatesOneNatForAllZones()
    {
        var spec = SampleSpecs.Blacksheep() with { Network = new NetworkSpec { VpcCidr = "10.40.0.0/16", NatGateways = NatGatewayMode.Shared } };
        var network = spec.Synthesize()["blacksheep-network"].Template;
        Assert.Single(network.Resources.Values, r => r.Type == "AWS::EC2::NatGateway");
        Assert.Contains("network.natGateways", spec.DescribeWeakenings()[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_Network_CarvesNonOverlappingSubnetsInsideTheVpc()
    {
        var network = SampleSpecs.Blacksheep().Synthesize()["blacksheep-network"].Template;
        var cidrs = network.Resources.Values.Where(r => r.Type == "AWS::EC2::Subnet")
            .Select(r => ((CfnScalar)r.Properties["CidrBlock"]).StringValue!)
            .ToArray();
        Assert.Equal(9, cidrs.Length);
        Assert.True(OttKit.Blueprint.Ipv4Cidr.TryParse("10.40.0.0/16", out var vpc, out _));
        var parsed = cidrs.Select(c => { Assert.True(OttKit.Blueprint.Ipv4Cidr.TryParse(c, out var p, out _), c); return p; }).ToArray();
        Assert.All(parsed, p => Assert.True(vpc.Contains(p), p.ToString()));
        for (var i = 0; i < parsed.Length; i++)
        {
            for (var j = i + 1; j < parsed.Length; j++)
            {
                Assert.False(parsed[i].Overlaps(parsed[j]), $"{parsed[i]} overlaps {parsed[j]}");
            }
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task WriteToAsync_WritesEveryTemplateAndTheManifestAndNothingElse()
    {
        var dir = Directory.CreateTempSubdirectory("ottkit-synth-");
        try
        {
            var set = SampleSpecs.Owl270().Synthesize();
            await set.WriteToAsync(dir.FullName, TestContext.Current.CancellationToken);
            var expected = set.Stacks.Select(s => s.Name + ".yaml").Append("manifest.json").Order(StringComparer.Ordinal);
            Assert.Equal(expected, dir.EnumerateFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
