using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Tests.Diagrams;

/// <summary>
/// Hand-built stack sets with the resources the later blueprint stacks add (database members with volumes, media with
/// CloudFront, a us-east-1 WAF, monitoring, VPN, backups), so the diagram is tested on them before they land. The
/// diagram reads only the architecture facts: the topology is stated here as the constructs would record it, and the
/// inventory is taken from the hand-built templates as the graph takes it from its own.
/// </summary>
internal static class DiagramStackSets
{
    public const string Environment = "demo";

    public static readonly string[] MemberNames = ["mongo-1", "mongo-2", "mongo-3"];

    public static StackSet Complete(string serviceName = "api")
    {
        var stacks = new List<Stack>
        {
            Network(),
            Cluster(),
            new("demo-service-web", "ap-south-1", ServiceTemplate("web", 3), [], [], [], []),
            new("demo-service-" + serviceName.Length, "ap-south-1", ServiceTemplate(serviceName, 2), [], [], [], []),
            Database(),
            Media(),
            Waf(),
            Monitoring(),
            Admin(),
        };
        var set = new StackSet(Environment, "ap-south-1", stacks);
        var facts = new ArchitectureFacts(Environment, "ap-south-1") { VpcCidr = "10.9.0.0/16", InternetGateway = true };
        for (var az = 0; az < 3; az++)
        {
            facts.Subnets.Add(new("demo-network", $"public-{az + 1}", SubnetTier.Public, az, $"10.9.{az}.0/24"));
            facts.Subnets.Add(new("demo-network", $"private-{az + 1}", SubnetTier.Private, az, $"10.9.{64 + az}.0/24"));
            facts.Subnets.Add(new("demo-network", $"isolated-{az + 1}", SubnetTier.Data, az, $"10.9.{128 + az}.0/24"));
            facts.NatGateways.Add(new("demo-network", az));
        }

        facts.LoadBalancers.Add(new("demo-cluster", Network: false, "internet-facing", [443], WebAcl: false));
        facts.Cluster = new("demo-cluster", Environment, ["m6i.large"], 1, 3);
        facts.Services.Add(new("demo-service-web", "web", 3));
        facts.Services.Add(new("demo-service-" + serviceName.Length, serviceName, 2));
        for (var i = 0; i < MemberNames.Length; i++)
        {
            facts.Hosts.Add(new("demo-database", MemberNames[i], HostRole.MongoMember, SubnetTier.Data, i, "r6i.large", 200, "gp3"));
        }

        facts.Hosts.Add(new("demo-admin", "openvpn", HostRole.Vpn, SubnetTier.Public, 1, "t3.small"));
        facts.Links.Add(new("demo-service-web", "demo-database", "MongoDB", 27017));
        ArchitectureInventory.Take(facts, set);
        set.Architecture = facts;
        return set;
    }

    public static Stack Network()
    {
        var t = new Template { Description = "network" };
        t.AddResource("Vpc", "AWS::EC2::VPC", new CfnObject { ["CidrBlock"] = "10.9.0.0/16", ["Tags"] = Named("vpc") });
        t.AddResource("InternetGateway", "AWS::EC2::InternetGateway");
        var tiers = new[] { ("Public", "public"), ("Private", "private"), ("Isolated", "isolated") };
        for (var az = 0; az < 3; az++)
        {
            for (var tier = 0; tier < tiers.Length; tier++)
            {
                var (id, name) = tiers[tier];
                t.AddResource($"{id}Subnet{az + 1}", "AWS::EC2::Subnet", new CfnObject
                {
                    ["VpcId"] = Fn.Ref("Vpc"),
                    ["AvailabilityZone"] = Fn.Select(az, Fn.GetAZs()),
                    ["CidrBlock"] = $"10.9.{(tier * 64) + az}.0/24",
                    ["Tags"] = Named($"{name}-{az + 1}"),
                });
            }

            t.AddResource($"NatGateway{az + 1}", "AWS::EC2::NatGateway", new CfnObject { ["SubnetId"] = Fn.Ref($"PublicSubnet{az + 1}") });
        }

        t.AddResource("PublicRouteTable", "AWS::EC2::RouteTable", new CfnObject { ["VpcId"] = Fn.Ref("Vpc") });
        return new Stack("demo-network", "ap-south-1", t, [], [], [], []);
    }

    public static Stack Cluster()
    {
        var t = new Template { Description = "cluster" };
        t.AddResource("Cluster", "AWS::ECS::Cluster", new CfnObject { ["ClusterName"] = Environment });
        t.AddResource("LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer", new CfnObject { ["Scheme"] = "internet-facing", ["Type"] = "application" });
        t.AddResource("HttpsListener", "AWS::ElasticLoadBalancingV2::Listener", new CfnObject { ["Port"] = 443 });
        t.AddResource("Repository", "AWS::ECR::Repository", new CfnObject { ["RepositoryName"] = "demo/web" });
        return new Stack("demo-cluster", "ap-south-1", t, [], [], [], []);
    }

    public static Template ServiceTemplate(string name, int desired)
    {
        var t = new Template { Description = "service" };
        t.AddResource("TaskDefinition", "AWS::ECS::TaskDefinition");
        t.AddResource("Service", "AWS::ECS::Service", new CfnObject { ["ServiceName"] = name, ["DesiredCount"] = desired, ["TaskDefinition"] = Fn.Ref("TaskDefinition") });
        return t;
    }

    public static Stack Database()
    {
        var t = new Template { Description = "database" };
        for (var i = 0; i < MemberNames.Length; i++)
        {
            var member = t.AddResource($"Member{i + 1}", "AWS::EC2::Instance", new CfnObject
            {
                ["InstanceType"] = "r6i.large",
                ["SubnetId"] = Fn.Select(i, Fn.Split(",", Fn.ImportValue("demo:network:IsolatedSubnetIds"))),
                ["Tags"] = new Tags { ["Name"] = $"{Environment}-{MemberNames[i]}", ["ottkit:role"] = "mongodb-member" },
            });
            var volume = t.AddResource($"Member{i + 1}DataVolume", "AWS::EC2::Volume", new CfnObject { ["Size"] = 200, ["VolumeType"] = "gp3" });
            t.AddResource($"Member{i + 1}DataVolumeAttachment", "AWS::EC2::VolumeAttachment", new CfnObject { ["InstanceId"] = member.Ref(), ["VolumeId"] = volume.Ref(), ["Device"] = "/dev/xvdf" });
        }

        t.AddResource("MemberNamespace", "AWS::ServiceDiscovery::PrivateDnsNamespace", new CfnObject { ["Name"] = "demo.internal", ["Vpc"] = "vpc-1" });
        t.AddResource("AdminSecret", "AWS::SecretsManager::Secret");
        return new Stack("demo-database", "ap-south-1", t, [], [], [], []);
    }

    public static Stack Media()
    {
        var t = new Template { Description = "media" };
        t.AddResource("MediaBucket", "AWS::S3::Bucket", new CfnObject { ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" } });
        t.AddResource("Distribution", "AWS::CloudFront::Distribution", new CfnObject
        {
            ["DistributionConfig"] = new CfnObject { ["Aliases"] = new CfnList { "media.demo.example" } },
        });
        return new Stack("demo-media", "ap-south-1", t, [], [], [], []);
    }

    public static Stack Waf()
    {
        var t = new Template { Description = "edge waf" };
        t.AddResource("EdgeWebAcl", "AWS::WAFv2::WebACL", new CfnObject { ["Name"] = "demo-edge", ["Scope"] = "CLOUDFRONT" });
        return new Stack("demo-edge-waf", "us-east-1", t, [], [], [], []);
    }

    public static Stack Monitoring()
    {
        var t = new Template { Description = "monitoring" };
        t.AddResource("AlarmTopic", "AWS::SNS::Topic", new CfnObject { ["TopicName"] = "demo-alarms" });
        for (var i = 0; i < 4; i++)
        {
            t.AddResource($"Alarm{i}", "AWS::CloudWatch::Alarm");
        }

        t.AddResource("Dashboard", "AWS::CloudWatch::Dashboard", new CfnObject { ["DashboardName"] = "demo-live" });
        t.AddResource("Gadget", "AWS::Custom::Gadget");
        return new Stack("demo-monitoring", "ap-south-1", t, [], [], [], []);
    }

    public static Stack Admin()
    {
        var t = new Template { Description = "admin access and backups" };
        t.AddResource("VpnInstance", "AWS::EC2::Instance", new CfnObject
        {
            ["InstanceType"] = "t3.small",
            ["SubnetId"] = Fn.Select(1, Fn.Split(",", Fn.ImportValue("demo:network:PublicSubnetIds"))),
            ["Tags"] = Named("openvpn"),
        });
        t.AddResource("VpnAddress", "AWS::EC2::EIP");
        t.AddResource("BackupBucket", "AWS::S3::Bucket", new CfnObject { ["ObjectLockEnabled"] = true });
        t.AddResource("BackupPlan", "AWS::Backup::BackupPlan");
        return new Stack("demo-admin", "ap-south-1", t, [], [], [], []);
    }

    private static Tags Named(string name) => new() { ["Name"] = $"{Environment}-{name}", ["customer"] = Environment };
}
