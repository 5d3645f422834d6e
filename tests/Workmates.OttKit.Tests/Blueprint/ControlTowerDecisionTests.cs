using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>
/// The three Control Tower gaps closed by decision (docs/security-controls.md): host types must encrypt in transit,
/// every bucket has Object Lock on, and the media distribution fails over to a replica bucket. Each default has a named
/// weakening, and each weakening shows in <see cref="EnvironmentSpec.DescribeWeakenings"/>.
/// </summary>
public sealed partial class ControlTowerDecisionTests
{
    [Theory]
    [InlineData("m5.large")]
    [InlineData("m6g.large")]
    [InlineData("t3.medium")]
    public void A_cluster_type_without_transit_encryption_is_refused_with_an_encrypting_equivalent(string type)
    {
        var spec = TestSpecs.Valid() with { Cluster = TestSpecs.Valid().Cluster with { InstanceTypes = ["m6i.large", type] } };
        var problem = spec.SingleProblemAt("cluster.instanceTypes[1]");

        Assert.Contains("encrypt", problem.Message, StringComparison.Ordinal);
        Assert.Contains("weakenings.allowInstancesWithoutTransitEncryption", problem.Fix, StringComparison.Ordinal);
        Assert.Contains(InstanceTypes.TryGet(type, out var info) && info.Architecture == CpuArchitecture.Arm64 ? "m7g" : "m6a", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_and_vpn_host_types_are_checked_too()
    {
        var owl = SampleSpecs.Owl270();
        var spec = owl with
        {
            Database = owl.Database! with { InstanceType = "r5.large" },
            AdminAccess = owl.AdminAccess! with { InstanceType = "t4g.medium" },
        };

        spec.SingleProblemAt("database.instanceType");
        spec.SingleProblemAt("adminAccess.instanceType");
    }

    [Fact]
    public void The_weakening_accepts_such_types_and_is_listed()
    {
        var valid = TestSpecs.Valid();
        var spec = valid with
        {
            Cluster = valid.Cluster with { InstanceTypes = ["m5.large"] },
            Weakenings = valid.Weakenings with { AllowInstancesWithoutTransitEncryption = true },
        };

        Assert.DoesNotContain(spec.Validate(), p => p.Path.StartsWith("cluster.instanceTypes", StringComparison.Ordinal));
        Assert.Contains(spec.DescribeWeakenings(), line => line.StartsWith("weakenings.allowInstancesWithoutTransitEncryption", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_encrypt_in_transit()
    {
        Assert.All(new ClusterSpec().InstanceTypes, type => Assert.True(TransitEncryption.Supports(type), type));
        Assert.True(TransitEncryption.Supports(new AdminAccessSpec().InstanceType));
        Assert.True(TransitEncryption.Supports(new DatabaseSpec().InstanceType));
    }

    /// <summary>
    /// The list the validator uses agrees, for every type the instance-type table knows, with the list in Control
    /// Tower's own rule file (CT.EC2.PR.19), read from the pinned npm package.
    /// </summary>
    [Fact]
    public void The_transit_encryption_list_agrees_with_control_towers_rule_for_every_known_type()
    {
        var rule = Path.Combine(RepositoryPaths.NodeTools, "@cdklabs", "cdk-validator-cfnguard", "rules", "control-tower", "cfn-guard", "ec2", "ct-ec2-pr-19.guard");
        if (!File.Exists(rule))
        {
            var message = $"'{rule}' is missing. Run 'cd tests/tools && npm ci'.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var text = File.ReadAllText(rule);
        var list = text[text.IndexOf("NITRO_ENCRYPTION_IN_TRANSIT_INSTANCE_TYPES", StringComparison.Ordinal)..];
        list = list[..(list.IndexOf(']', StringComparison.Ordinal) + 1)];
        var patterns = GuardRegex().Matches(list).Select(m => new Regex(m.Groups[1].Value, RegexOptions.CultureInvariant)).ToArray();
        Assert.True(patterns.Length > 50, $"only {patterns.Length} patterns read from {rule}");

        var disagreements = InstanceTypes.All
            .Where(t => patterns.Any(p => p.IsMatch(t.Name)) != TransitEncryption.Supports(t.Name))
            .Select(t => t.Name)
            .ToArray();
        Assert.True(disagreements.Length == 0, $"the validator and CT.EC2.PR.19 disagree on: {string.Join(", ", disagreements)}");
        Assert.Contains(InstanceTypes.All, t => !TransitEncryption.Supports(t.Name));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void Every_bucket_has_object_lock_on_and_only_the_backup_bucket_a_default_retention(string environment)
    {
        var spec = SampleSpecs.ByName(environment);
        var buckets = spec.Synthesize().Stacks
            .SelectMany(s => s.Template.Resources.Where(r => r.Value.Type == "AWS::S3::Bucket").Select(r => (Id: $"{s.Name}/{r.Key}", r.Value)))
            .ToList();

        Assert.True(buckets.Count >= 9, $"{buckets.Count} buckets");
        Assert.All(buckets, b => Assert.Equal("true", b.Value.Properties["ObjectLockEnabled"].ToString()));
        var retained = buckets.Where(b => b.Value.Properties.ContainsKey("ObjectLockConfiguration")).Select(b => b.Id).ToArray();
        Assert.Equal(spec.Backups.ObjectLock ? [$"{spec.Name}-backups/BackupBucket"] : [], retained);
    }

    [Fact]
    public void The_media_distribution_fails_over_to_a_replica_that_s3_replication_fills()
    {
        var media = SampleSpecs.Blacksheep().Synthesize().Stacks.Single(s => s.Name == "blacksheep-media").Template;
        var config = (CfnObject)media.Resources["Distribution"].Properties["DistributionConfig"];

        var group = ((CfnList)((CfnObject)config["OriginGroups"])["Items"]).Cast<CfnObject>().Single();
        Assert.Equal(S(group["Id"]), S(((CfnObject)config["DefaultCacheBehavior"])["TargetOriginId"]));
        var members = ((CfnList)((CfnObject)group["Members"])["Items"]).Cast<CfnObject>().Select(m => S(m["OriginId"])).ToArray();
        Assert.Equal(["media-bucket", "media-replica"], members);
        var origins = ((CfnList)config["Origins"]).Cast<CfnObject>().ToDictionary(o => S(o["Id"]), o => o["DomainName"].ToString());
        Assert.Contains("MediaReplicaBucket", origins["media-replica"], StringComparison.Ordinal);

        var replication = (CfnObject)media.Resources["MediaBucket"].Properties["ReplicationConfiguration"];
        var rule = ((CfnList)replication["Rules"]).Cast<CfnObject>().Single();
        Assert.Contains("MediaReplicaBucket", ((CfnObject)rule["Destination"])["Bucket"].ToString(), StringComparison.Ordinal);
        Assert.Equal("Disabled", S(((CfnObject)rule["DeleteMarkerReplication"])["Status"]));
        Assert.Contains("MediaReplicationRole", replication["Role"].ToString(), StringComparison.Ordinal);

        // The replica answers CloudFront for this distribution only, and only over TLS.
        var policy = media.Resources["MediaReplicaBucketPolicy"].Properties["PolicyDocument"].ToString();
        Assert.Contains("distribution/${Distribution}", policy, StringComparison.Ordinal);
        Assert.Contains("aws:SecureTransport", policy, StringComparison.Ordinal);

        // The role replicates from the media bucket into the replica, decrypting and encrypting only through S3.
        var role = media.Resources["MediaReplicationPolicy"].Properties["PolicyDocument"].ToString();
        Assert.Contains("s3:GetObjectVersionForReplication", role, StringComparison.Ordinal);
        Assert.Contains("s3:ReplicateObject", role, StringComparison.Ordinal);
        Assert.DoesNotContain("s3:ReplicateDelete", role, StringComparison.Ordinal);
        Assert.Contains("kms:ViaService", role, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_origin_is_a_listed_weakening_without_replica_or_origin_group()
    {
        var blacksheep = SampleSpecs.Blacksheep();
        var spec = blacksheep with { Weakenings = blacksheep.Weakenings with { SingleOriginMedia = true } };
        var media = spec.Synthesize().Stacks.Single(s => s.Name == "blacksheep-media").Template;

        Assert.DoesNotContain(media.Resources.Keys, id => id.Contains("Replica", StringComparison.Ordinal) || id.Contains("Replication", StringComparison.Ordinal));
        var config = (CfnObject)media.Resources["Distribution"].Properties["DistributionConfig"];
        Assert.False(config.ContainsKey("OriginGroups"));
        Assert.Equal("media-bucket", S(((CfnObject)config["DefaultCacheBehavior"])["TargetOriginId"]));
        Assert.Contains(spec.DescribeWeakenings(), line => line.StartsWith("weakenings.singleOriginMedia", StringComparison.Ordinal));
    }

    private static string S(CfnNode node) => ((CfnScalar)node).Text!;

    [GeneratedRegex(@"/(\^[^/]+\$)/")]
    private static partial Regex GuardRegex();
}
