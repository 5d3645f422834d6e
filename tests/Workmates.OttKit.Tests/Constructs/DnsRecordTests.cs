using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>Route 53 alias records for the load balancer's domain and the media aliases when a hosted zone is given.</summary>
public sealed class DnsRecordTests
{
    private static IEnumerable<(string Stack, string Id, Resource Resource)> RecordSets(OttKit.Blueprint.EnvironmentSpec spec) =>
        spec.Synthesize().Stacks.SelectMany(s => s.Template.Resources
            .Where(r => r.Value.Type == "AWS::Route53::RecordSet")
            .Select(r => (s.Name, r.Key, r.Value)));

    [Fact]
    public void Load_balancer_domain_gets_an_alias_record_to_the_load_balancer_in_its_zone()
    {
        var record = RecordSets(SampleSpecs.Owl270()).Single(r => r.Id == "DomainAliasRecord").Resource;

        Assert.Equal("learn.owl270.in", ((CfnScalar)record.Properties["Name"]).Text);
        Assert.Equal("Z04821633OWL270EXAMPLE", ((CfnScalar)record.Properties["HostedZoneId"]).Text);
        Assert.Equal("A", ((CfnScalar)record.Properties["Type"]).Text);
        var target = record.Properties["AliasTarget"].ToString();
        Assert.Contains("LoadBalancer", target, StringComparison.Ordinal);
        Assert.Contains("CanonicalHostedZoneID", target, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_media_alias_gets_ipv4_and_ipv6_alias_records_to_the_distribution()
    {
        var spec = SampleSpecs.Owl270();
        var media = RecordSets(spec).Where(r => r.Id.StartsWith("MediaAlias", StringComparison.Ordinal)).Select(r => r.Resource).ToList();

        Assert.Equal(spec.Media!.Aliases.Count * 2, media.Count);
        foreach (var alias in spec.Media.Aliases)
        {
            Assert.Equal(["A", "AAAA"], media.Where(r => ((CfnScalar)r.Properties["Name"]).Text == alias).Select(r => ((CfnScalar)r.Properties["Type"]).Text).Order(StringComparer.Ordinal));
        }

        Assert.All(media, r => Assert.Contains("Z2FDTNDATAQYW2", r.Properties["AliasTarget"].ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_hosted_zone_no_record_is_written()
    {
        Assert.Empty(RecordSets(TestSpecs.Valid()));
    }
}
