using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The resource inventory of a stack set, taken once when the graph becomes a stack set: every resource that no
/// construct describes as topology (buckets, keys, compliance, monitoring, backups…) is classified by its resource type
/// into the panel the diagram lists it in. The topology (tiers, zones, hosts, services, load balancer, links) is not
/// taken here: the constructs record it in <see cref="ArchitectureFacts"/> as they build.
/// </summary>
internal sealed class ArchitectureInventory
{
    /// <summary>Types the constructs describe in <see cref="ArchitectureFacts"/> (or folded into a described box), except flow logs and CloudFront, listed here.</summary>
    private static readonly HashSet<string> DrawnInVpc = new(StringComparer.Ordinal)
    {
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::NatGateway", "AWS::EC2::Instance", "AWS::EC2::Volume",
        "AWS::EC2::VolumeAttachment", "AWS::ECS::Cluster", "AWS::ECS::Service",
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::InternetGateway",
        "AWS::EC2::VPCEndpoint", "AWS::EC2::FlowLog", "AWS::CloudFront::Distribution",
    };

    /// <summary>Supporting resources that would only clutter the picture; they are counted in the footer.</summary>
    private static readonly HashSet<string> Supporting = new(StringComparer.Ordinal)
    {
        "AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::VPCGatewayAttachment",
        "AWS::EC2::EIP", "AWS::EC2::EIPAssociation", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress", "AWS::EC2::LaunchTemplate", "AWS::IAM::InstanceProfile", "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy", "AWS::KMS::Alias", "AWS::S3::BucketPolicy", "AWS::ECS::TaskDefinition",
        "AWS::ECS::CapacityProvider", "AWS::ECS::ClusterCapacityProviderAssociations",
        "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::LoggingConfiguration", "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription", "AWS::CloudFront::OriginAccessControl", "AWS::Lambda::Permission",
        "AWS::Config::RemediationConfiguration", "AWS::Config::DeliveryChannel", "AWS::SSM::PatchGroup",
        "AWS::SSM::MaintenanceWindowTarget", "AWS::SSM::MaintenanceWindowTask", "AWS::Route53::RecordSet",
        "AWS::ServiceDiscovery::Service", "AWS::SecretsManager::SecretTargetAttachment",
    };

    private readonly List<ResourceFact> _facts = [];
    private readonly string _environment;
    private readonly string _region;
    private bool _atEdge;
    private string _stack = string.Empty;

    private ArchitectureInventory(string environment, string region)
    {
        _environment = environment;
        _region = region;
    }

    /// <summary>Fills <paramref name="facts"/>' stacks and inventory from <paramref name="stackSet"/>, in deployment order.</summary>
    /// <param name="facts">The facts the constructs recorded.</param>
    /// <param name="stackSet">The ordered stack set of the same graph.</param>
    public static void Take(ArchitectureFacts facts, StackSet stackSet)
    {
        var inventory = new ArchitectureInventory(stackSet.Environment, stackSet.Region);
        var stacks = new List<StackFact>(stackSet.Stacks.Count);
        foreach (var stack in stackSet.Stacks)
        {
            var otherRegion = !string.Equals(stack.Region, stackSet.Region, StringComparison.Ordinal);
            var label = stack.Name.StartsWith(stackSet.Environment + "-", StringComparison.Ordinal) ? stack.Name[(stackSet.Environment.Length + 1)..] : stack.Name;
            stacks.Add(new StackFact(label, stack.Region, stack.Template.Resources.Count));
            foreach (var resource in stack.Template.Resources.Values)
            {
                inventory._atEdge = otherRegion;
                inventory._stack = stack.Name;
                if (otherRegion && !DrawnInVpc.Contains(resource.Type))
                {
                    inventory.AddClassified(stack, resource);
                    continue;
                }

                switch (resource.Type)
                {
                    case "AWS::EC2::FlowLog":
                        inventory.Add("Monitoring", DiagramKind.Monitoring, "VPC flow logs", string.Empty);
                        break;
                    case "AWS::CloudFront::Distribution":
                        inventory._atEdge = true;
                        inventory.Add("Edge", DiagramKind.Edge, "CloudFront distribution", CloudFrontDetail(resource));
                        break;
                    default:
                        if (!DrawnInVpc.Contains(resource.Type))
                        {
                            inventory.AddClassified(stack, resource);
                        }

                        break;
                }
            }
        }

        facts.Stacks = stacks;
        facts.StackOrder = [.. stackSet.Stacks.Select(s => s.Name)];
        facts.Inventory = inventory._facts;
    }

    private void Add(string panel, DiagramKind kind, string label, string detail) =>
        _facts.Add(new ResourceFact(_stack, _atEdge, panel, kind, label, detail));

    private void Count(string panel, DiagramKind kind, string label) =>
        _facts.Add(new ResourceFact(_stack, _atEdge, panel, kind, label, string.Empty, Counted: true));

    private void AddClassified(Stack stack, Resource resource)
    {
        var env = _environment;
        switch (resource.Type)
        {
            case "AWS::S3::Bucket":
                Add("Storage", DiagramKind.Storage, "S3 " + (Literal(resource, "BucketName") ?? NameOf(resource, env, null) ?? Words(resource.LogicalId)), BucketDetail(resource));
                return;
            case "AWS::ECR::Repository":
                Add("Delivery", DiagramKind.Delivery, "ECR " + (Literal(resource, "RepositoryName") ?? Words(resource.LogicalId)), string.Empty);
                return;
            case "AWS::IAM::OIDCProvider":
                Add("Delivery", DiagramKind.Delivery, "GitHub OIDC provider", Literal(resource, "Url") ?? string.Empty);
                return;
            case "AWS::KMS::Key":
                Add("Security & compliance", DiagramKind.Security, "KMS key " + Words(resource.LogicalId), RotationDetail(resource));
                return;
            case "AWS::CloudTrail::Trail":
                Add("Security & compliance", DiagramKind.Security, "CloudTrail " + (Literal(resource, "TrailName") ?? NameOf(resource, env, null) ?? Words(resource.LogicalId)), Flag(resource, "IsMultiRegionTrail") == true ? "multi-region" : string.Empty);
                return;
            case "AWS::Config::ConfigurationRecorder":
                Add("Security & compliance", DiagramKind.Security, "AWS Config recorder", string.Empty);
                return;
            case "AWS::Config::ConfigRule":
                Count("Security & compliance", DiagramKind.Security, "Config rules");
                return;
            case "AWS::WAFv2::WebACL":
                Add(stack.Region == _region ? "Security & compliance" : "Edge", DiagramKind.Security, "WAF web ACL " + (Literal(resource, "Name") ?? Words(resource.LogicalId)), JoinNonEmpty(Literal(resource, "Scope"), stack.Region == _region ? null : stack.Region));
                return;
            case "AWS::SecretsManager::Secret":
                Count("Security & compliance", DiagramKind.Security, "Secrets Manager secrets");
                return;
            case "AWS::IAM::Role":
                Count("Security & compliance", DiagramKind.Security, "IAM roles");
                return;
            case "AWS::SSM::PatchBaseline":
                Add("Security & compliance", DiagramKind.Security, "SSM patch baseline", Literal(resource, "OperatingSystem") ?? string.Empty);
                return;
            case "AWS::SSM::MaintenanceWindow":
                Add("Security & compliance", DiagramKind.Security, "SSM maintenance window", Literal(resource, "Schedule") ?? string.Empty);
                return;
            case "AWS::SSM::Association":
                Count("Security & compliance", DiagramKind.Security, "SSM associations");
                return;
            case "AWS::SNS::Topic":
                Add("Monitoring", DiagramKind.Monitoring, "SNS " + (Literal(resource, "TopicName") ?? Words(resource.LogicalId)), resource.Properties.TryGetValue("Subscription", out var subs) && subs is CfnList l ? Invariant($"{l.Count} subscriptions") : string.Empty);
                return;
            case "AWS::CloudWatch::Alarm":
                Count("Monitoring", DiagramKind.Monitoring, "CloudWatch alarms");
                return;
            case "AWS::CloudWatch::Dashboard":
                Add("Monitoring", DiagramKind.Monitoring, "Dashboard " + (Literal(resource, "DashboardName") ?? Words(resource.LogicalId)), string.Empty);
                return;
            case "AWS::Logs::LogGroup":
                Count("Monitoring", DiagramKind.Monitoring, "Log groups");
                return;
            case "AWS::Backup::BackupPlan":
                Add("Backups", DiagramKind.Backup, "AWS Backup plan", string.Empty);
                return;
            case "AWS::Backup::BackupVault":
                Add("Backups", DiagramKind.Backup, "AWS Backup vault", string.Empty);
                return;
            case "AWS::Backup::BackupSelection":
                Add("Backups", DiagramKind.Backup, "AWS Backup selection", string.Empty);
                return;
            case "AWS::DLM::LifecyclePolicy":
                Add("Backups", DiagramKind.Backup, "EBS snapshot policy (DLM)", string.Empty);
                return;
            case "AWS::Scheduler::Schedule":
            case "AWS::Events::Rule":
                Add("Backups", DiagramKind.Backup, "Schedule " + (Literal(resource, "Name") ?? Words(resource.LogicalId)), Literal(resource, "ScheduleExpression") ?? string.Empty);
                return;
            case "AWS::ServiceDiscovery::PrivateDnsNamespace":
            case "AWS::Route53::HostedZone":
                Add("Database", DiagramKind.Database, "Private DNS " + (Literal(resource, "Name") ?? Words(resource.LogicalId)), "member DNS names");
                return;
            default:
                break;
        }

        if (Supporting.Contains(resource.Type))
        {
            _facts.Add(new ResourceFact(stack.Name, _atEdge, string.Empty, DiagramKind.Other, resource.Type, string.Empty, Supporting: true));
            return;
        }

        Count("Other", DiagramKind.Other, TypeWords(resource.Type));
    }

    private static string CloudFrontDetail(Resource distribution)
    {
        if (distribution.Properties.TryGetValue("DistributionConfig", out var config) && config is CfnObject c)
        {
            var aliases = c.TryGetValue("Aliases", out var a) && a is CfnList list ? string.Join(", ", list.OfType<CfnScalar>().Select(s => s.Text)) : null;
            return JoinNonEmpty("HTTPS only", string.IsNullOrEmpty(aliases) ? null : aliases);
        }

        return string.Empty;
    }

    private static string BucketDetail(Resource bucket)
    {
        var versioned = bucket.Properties.TryGetValue("VersioningConfiguration", out var v) && v is CfnObject vo
            && vo.TryGetValue("Status", out var status) && status is CfnScalar { StringValue: "Enabled" };
        var encryption = FindAll(bucket.Properties, "SSEAlgorithm").FirstOrDefault();
        var objectLock = Flag(bucket, "ObjectLockEnabled") == true;
        return JoinNonEmpty(encryption is null ? null : "SSE " + encryption, versioned ? "versioned" : null, objectLock ? "object lock" : null);
    }

    private static string RotationDetail(Resource key) => Flag(key, "EnableKeyRotation") == true ? "rotation on" : string.Empty;

    private static bool? Flag(Resource resource, string property) =>
        resource.Properties.TryGetValue(property, out var node) && node is CfnScalar scalar
            ? scalar.BooleanValue ?? (scalar.StringValue is { } s ? string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) : null)
            : null;

    /// <summary>A literal scalar property as text; null when absent or computed by an intrinsic.</summary>
    private static string? Literal(Resource resource, string property) =>
        resource.Properties.TryGetValue(property, out var node) && node is CfnScalar { Kind: not CfnScalarKind.Null } scalar ? scalar.Text : null;

    private static IEnumerable<string> FindAll(CfnNode node, string key)
    {
        switch (node)
        {
            case CfnObject o:
                foreach (var (k, v) in o)
                {
                    if (k == key && v is CfnScalar { StringValue: { } s })
                    {
                        yield return s;
                    }
                    else
                    {
                        foreach (var found in FindAll(v, key))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case CfnList l:
                foreach (var item in l)
                {
                    foreach (var found in FindAll(item, key))
                    {
                        yield return found;
                    }
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Literal tags of a resource (the <c>[{Key, Value}]</c> list).</summary>
    private static IEnumerable<(string Key, string Value)> TagsOf(Resource resource)
    {
        if (!resource.Properties.TryGetValue("Tags", out var tags) || tags is not CfnList list)
        {
            yield break;
        }

        foreach (var item in list)
        {
            if (item is CfnObject tag && tag.TryGetValue("Key", out var k) && k is CfnScalar { StringValue: { } key }
                && tag.TryGetValue("Value", out var v) && v is CfnScalar { StringValue: { } value })
            {
                yield return (key, value);
            }
        }
    }

    /// <summary>The Name tag without the environment prefix (<c>blacksheep-public-1</c> → <c>public-1</c>).</summary>
    private static string? NameOf(Resource resource, string env, string? fallback)
    {
        foreach (var (key, value) in TagsOf(resource))
        {
            if (key == "Name")
            {
                return value.StartsWith(env + "-", StringComparison.Ordinal) && value.Length > env.Length + 1 ? value[(env.Length + 1)..] : value;
            }
        }

        return fallback;
    }

    /// <summary><c>AWS::Backup::BackupPlan</c> → <c>Backup BackupPlan</c>.</summary>
    private static string TypeWords(string type)
    {
        var parts = type.Split("::");
        return parts.Length >= 3 ? parts[1] + " " + string.Join(' ', parts.Skip(2)) : type;
    }

    /// <summary><c>DataKey</c> → <c>data</c>: the logical ID without a trailing type word, lower case.</summary>
    private static string Words(string logicalId)
    {
        var trimmed = logicalId;
        foreach (var suffix in (string[])["Key", "Bucket", "Topic", "Trail", "Instance", "Service", "Dashboard", "WebAcl", "WebACL", "Schedule"])
        {
            if (trimmed.Length > suffix.Length && trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length];
                break;
            }
        }

        var words = new System.Text.StringBuilder();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (i > 0 && char.IsUpper(trimmed[i]) && !char.IsUpper(trimmed[i - 1]))
            {
                words.Append('-');
            }

            words.Append(char.ToLowerInvariant(trimmed[i]));
        }

        return words.ToString();
    }

    private static string JoinNonEmpty(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrEmpty(p)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
