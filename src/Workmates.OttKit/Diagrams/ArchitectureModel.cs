using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Diagrams;

/// <summary>The colour family a box is drawn in; the legend lists the families present.</summary>
internal enum DiagramKind
{
    Network,
    Edge,
    LoadBalancing,
    Compute,
    Database,
    AdminAccess,
    Storage,
    Security,
    Monitoring,
    Backup,
    Delivery,
    Other,
}

/// <summary>The subnet tier a subnet or host belongs to (the diagram's horizontal bands).</summary>
internal enum SubnetTier
{
    Public,
    Private,
    Data,
}

/// <summary>What an EC2 instance is for.</summary>
internal enum HostRole
{
    MongoMember,
    Vpn,
    Other,
}

/// <summary>A subnet: tier, AZ column (0-based) and CIDR.</summary>
internal sealed record SubnetNode(string Label, SubnetTier Tier, int Az, string? Cidr);

/// <summary>An EC2 instance drawn in its tier band and AZ column.</summary>
internal sealed record HostNode(string Label, string Detail, HostRole Role, SubnetTier Tier, int Az);

/// <summary>An ECS service inside the cluster box.</summary>
internal sealed record ServiceNode(string Name, string Detail);

/// <summary>One line of a side panel: a named resource, or a count of resources of one kind.</summary>
internal sealed record PanelItem(string Label, string Detail);

/// <summary>A titled group of items drawn beside the VPC (regional services) or above it (edge).</summary>
internal sealed record Panel(string Title, DiagramKind Kind, IReadOnlyList<PanelItem> Items);

/// <summary>
/// What the diagram shows, read from the stack set's templates by resource type, names and tags. Everything the
/// renderer draws comes from here; the model knows nothing about coordinates.
/// </summary>
internal sealed class ArchitectureModel
{
    /// <summary>Types drawn inside the VPC picture or folded into another box's detail.</summary>
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

    private ArchitectureModel(StackSet stackSet)
    {
        Environment = stackSet.Environment;
        Region = stackSet.Region;
        StackCount = stackSet.Stacks.Count;
    }

    public string Environment { get; }

    public string Region { get; }

    public int StackCount { get; }

    public int ResourceCount { get; private set; }

    public int SupportingCount { get; private set; }

    public string? VpcLabel { get; private set; }

    public int AzCount { get; private set; }

    public List<SubnetNode> Subnets { get; } = [];

    public List<int> NatGatewayAzs { get; } = [];

    public bool HasInternetGateway { get; private set; }

    public int VpcEndpointCount { get; private set; }

    public List<PanelItem> LoadBalancers { get; } = [];

    public string? ClusterLabel { get; private set; }

    public string? ClusterHosts { get; private set; }

    public List<ServiceNode> Services { get; } = [];

    public List<HostNode> Hosts { get; } = [];

    /// <summary>Panels drawn above the region: CloudFront and everything in stacks of another region (us-east-1 WAF).</summary>
    public List<Panel> EdgePanels { get; } = [];

    /// <summary>Panels drawn beside the VPC: regional services.</summary>
    public List<Panel> RegionalPanels { get; } = [];

    /// <summary>The stacks, in deploy order, with their region and resource count.</summary>
    public List<PanelItem> StackItems { get; } = [];

    public bool HasVpc => VpcLabel is not null || Subnets.Count > 0 || Hosts.Count > 0 || Services.Count > 0 || LoadBalancers.Count > 0;

    /// <summary>Reads the stack set.</summary>
    public static ArchitectureModel From(StackSet stackSet)
    {
        ArgumentNullException.ThrowIfNull(stackSet);
        var model = new ArchitectureModel(stackSet);
        var regional = new PanelCollector();
        var edge = new PanelCollector();
        var pendingInstances = new List<KeyValuePair<Stack, Resource>>();
        var volumesByInstance = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
        var literalAzs = new List<string>();
        foreach (var stack in stackSet.Stacks)
        {
            var otherRegion = !string.Equals(stack.Region, stackSet.Region, StringComparison.Ordinal);
            var stackLabel = stack.Name.StartsWith(stackSet.Environment + "-", StringComparison.Ordinal) ? stack.Name[(stackSet.Environment.Length + 1)..] : stack.Name;
            var count = stack.Template.Resources.Count;
            var resources = Invariant($"{count} resource{(count == 1 ? string.Empty : "s")}");
            model.StackItems.Add(new PanelItem(stackLabel, otherRegion ? $"{stack.Region} · {resources}" : resources));
            foreach (var resource in stack.Template.Resources.Values)
            {
                model.ResourceCount++;
                var collector = otherRegion ? edge : regional;
                if (otherRegion && !DrawnInVpc.Contains(resource.Type))
                {
                    collector.AddClassified(stack, resource, model);
                    continue;
                }

                switch (resource.Type)
                {
                    case "AWS::EC2::VPC":
                        model.VpcLabel = JoinNonEmpty(NameOf(resource, stackSet.Environment, null) is { } vpcName and not "vpc" ? vpcName : null, Literal(resource, "CidrBlock"));
                        break;
                    case "AWS::EC2::Subnet":
                        model.Subnets.Add(ReadSubnet(resource, stackSet.Environment, literalAzs));
                        break;
                    case "AWS::EC2::NatGateway":
                        model.NatGatewayAzs.Add(AzIndexOf(resource.Properties.TryGetValue("SubnetId", out var natSubnet) ? natSubnet : null, resource, model.NatGatewayAzs.Count));
                        break;
                    case "AWS::EC2::InternetGateway":
                        model.HasInternetGateway = true;
                        break;
                    case "AWS::EC2::VPCEndpoint":
                        model.VpcEndpointCount++;
                        break;
                    case "AWS::EC2::FlowLog":
                        collector.Add("Monitoring", DiagramKind.Monitoring, "VPC flow logs", string.Empty);
                        break;
                    case "AWS::ElasticLoadBalancingV2::LoadBalancer":
                        model.LoadBalancers.Add(ReadLoadBalancer(stack, resource, stackSet.Environment));
                        break;
                    case "AWS::ECS::Cluster":
                        model.ClusterLabel = JoinNonEmpty("ECS cluster", Literal(resource, "ClusterName") ?? NameOf(resource, stackSet.Environment, null));
                        break;
                    case "AWS::AutoScaling::AutoScalingGroup":
                        model.ClusterHosts = ReadHosts(stack, resource);
                        break;
                    case "AWS::ECS::Service":
                        model.Services.Add(ReadService(resource, stackSet.Environment));
                        break;
                    case "AWS::EC2::Instance":
                        pendingInstances.Add(KeyValuePair.Create(stack, resource));
                        break;
                    case "AWS::EC2::VolumeAttachment":
                        if (RefTarget(resource, "InstanceId") is { } instanceId && RefTarget(resource, "VolumeId") is { } volumeId
                            && stack.Template.Resources.TryGetValue(volumeId, out var volume))
                        {
                            if (!volumesByInstance.TryGetValue(stack.Name + "/" + instanceId, out var list))
                            {
                                volumesByInstance[stack.Name + "/" + instanceId] = list = [];
                            }

                            list.Add(volume);
                        }

                        break;
                    case "AWS::EC2::Volume":
                        break;
                    case "AWS::CloudFront::Distribution":
                        edge.Add("Edge", DiagramKind.Edge, "CloudFront distribution", CloudFrontDetail(resource));
                        break;
                    default:
                        collector.AddClassified(stack, resource, model);
                        break;
                }
            }
        }

        model.AzCount = 1;
        foreach (var subnet in model.Subnets)
        {
            model.AzCount = Math.Max(model.AzCount, subnet.Az + 1);
        }

        foreach (var az in model.NatGatewayAzs)
        {
            model.AzCount = Math.Max(model.AzCount, az + 1);
        }

        var ordinal = 0;
        foreach (var (stack, instance) in pendingInstances)
        {
            volumesByInstance.TryGetValue(stack.Name + "/" + instance.LogicalId, out var volumes);
            model.Hosts.Add(ReadHost(stack, instance, volumes, stackSet.Environment, ordinal++, model.AzCount));
        }

        foreach (var host in model.Hosts)
        {
            model.AzCount = Math.Max(model.AzCount, host.Az + 1);
        }

        if (model.VpcEndpointCount > 0)
        {
            regional.Add("Network", DiagramKind.Network, "VPC endpoints (private AWS APIs)", Invariant($"×{model.VpcEndpointCount}"));
        }

        model.EdgePanels.AddRange(edge.Panels());
        model.RegionalPanels.AddRange(regional.Panels());
        return model;
    }

    /// <summary>Adds one resource to the right panel, or counts it as supporting.</summary>
    private sealed class PanelCollector
    {
        private static readonly string[] Order = ["Edge", "Network", "Delivery", "Storage", "Database", "Security & compliance", "Backups", "Monitoring", "Admin access", "Other"];
        private readonly Dictionary<string, (DiagramKind Kind, List<PanelItem> Items)> _panels = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _counted = new(StringComparer.Ordinal);

        public void Add(string panel, DiagramKind kind, string label, string detail)
        {
            if (!_panels.TryGetValue(panel, out var entry))
            {
                _panels[panel] = entry = (kind, []);
            }

            entry.Items.Add(new PanelItem(label, detail));
        }

        /// <summary>Counted kinds appear once, as "label ×n", at the place the first one was met.</summary>
        public void Count(string panel, DiagramKind kind, string label)
        {
            var key = panel + "\n" + label;
            if (_counted.TryGetValue(key, out var n))
            {
                _counted[key] = n + 1;
                return;
            }

            _counted[key] = 1;
            Add(panel, kind, label, string.Empty);
        }

        public void AddClassified(Stack stack, Resource resource, ArchitectureModel model)
        {
            var env = model.Environment;
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
                    Add(stack.Region == model.Region ? "Security & compliance" : "Edge", DiagramKind.Security, "WAF web ACL " + (Literal(resource, "Name") ?? Words(resource.LogicalId)), JoinNonEmpty(Literal(resource, "Scope"), stack.Region == model.Region ? null : stack.Region));
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
                model.SupportingCount++;
                return;
            }

            Count("Other", DiagramKind.Other, TypeWords(resource.Type));
        }

        public IEnumerable<Panel> Panels()
        {
            foreach (var title in Order)
            {
                if (_panels.TryGetValue(title, out var entry))
                {
                    yield return new Panel(title, entry.Kind, [.. entry.Items.Select(i =>
                        _counted.TryGetValue(title + "\n" + i.Label, out var n) ? i with { Detail = Invariant($"×{n}") } : i)]);
                }
            }
        }
    }

    private static SubnetNode ReadSubnet(Resource subnet, string env, List<string> literalAzs)
    {
        var name = NameOf(subnet, env, null) ?? subnet.LogicalId;
        var text = (name + " " + subnet.LogicalId).ToLowerInvariant();
        var tier = text.Contains("public", StringComparison.Ordinal) ? SubnetTier.Public
            : text.Contains("isolated", StringComparison.Ordinal) || text.Contains("data", StringComparison.Ordinal) || text.Contains("mongo", StringComparison.Ordinal) ? SubnetTier.Data
            : SubnetTier.Private;
        int az;
        if (subnet.Properties.TryGetValue("AvailabilityZone", out var zone) && zone is CfnScalar { StringValue: { } literal })
        {
            az = literalAzs.IndexOf(literal);
            if (az < 0)
            {
                literalAzs.Add(literal);
                az = literalAzs.Count - 1;
            }
        }
        else
        {
            az = AzIndexOf(zone, subnet, 0);
        }

        return new SubnetNode(name, tier, az, Literal(subnet, "CidrBlock"));
    }

    private static PanelItem ReadLoadBalancer(Stack stack, Resource lb, string env)
    {
        var scheme = Literal(lb, "Scheme") ?? "internet-facing";
        var kind = Literal(lb, "Type") is "network" ? "Network Load Balancer" : "Application Load Balancer";
        var listeners = stack.Template.Resources.Values
            .Where(r => r.Type == "AWS::ElasticLoadBalancingV2::Listener")
            .Select(r => Literal(r, "Port"))
            .Where(p => p is not null)
            .ToArray();
        var waf = stack.Template.Resources.Values.Any(r => r.Type == "AWS::WAFv2::WebACLAssociation");
        var detail = JoinNonEmpty(scheme, listeners.Length == 0 ? null : "listeners " + string.Join(", ", listeners), waf ? "WAF" : null);
        return new PanelItem(JoinNonEmpty(kind, NameOf(lb, env, null) is { } n && n != "alb" && n != "load-balancer" ? n : null), detail);
    }

    private static string? ReadHosts(Stack stack, Resource asg)
    {
        var min = Literal(asg, "MinSize");
        var max = Literal(asg, "MaxSize");
        var types = stack.Template.Resources.Values
            .Where(r => r.Type == "AWS::EC2::LaunchTemplate")
            .SelectMany(r => FindAll(r.Properties, "InstanceType"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (asg.Properties.TryGetValue("MixedInstancesPolicy", out var mixed))
        {
            types.AddRange(FindAll(mixed, "InstanceType").Where(t => !types.Contains(t)));
        }

        return JoinNonEmpty("EC2 hosts (Auto Scaling)", types.Count == 0 ? null : string.Join("/", types), min is null || max is null ? null : $"{min}–{max}");
    }

    private static ServiceNode ReadService(Resource service, string env)
    {
        var name = Literal(service, "ServiceName") ?? NameOf(service, env, null) ?? Words(service.LogicalId);
        var desired = Literal(service, "DesiredCount");
        return new ServiceNode(name, desired is null ? "ECS service" : $"{desired} tasks");
    }

    private static HostNode ReadHost(Stack stack, Resource instance, List<Resource>? volumes, string env, int ordinal, int azCount)
    {
        var name = NameOf(instance, env, null) ?? Words(instance.LogicalId);
        var tagText = string.Join(' ', TagsOf(instance).Select(t => t.Key + "=" + t.Value));
        var text = (name + " " + instance.LogicalId + " " + tagText + " " + stack.Name).ToLowerInvariant();
        var role = text.Contains("mongo", StringComparison.Ordinal) || stack.Name.EndsWith("-database", StringComparison.Ordinal) ? HostRole.MongoMember
            : text.Contains("vpn", StringComparison.Ordinal) ? HostRole.Vpn
            : HostRole.Other;
        CfnNode? subnet = instance.Properties.TryGetValue("SubnetId", out var s) ? s : null;
        if (subnet is null && instance.Properties.TryGetValue("NetworkInterfaces", out var nics) && nics is CfnList { Count: > 0 } list
            && list[0] is CfnObject nic && nic.TryGetValue("SubnetId", out var nicSubnet))
        {
            subnet = nicSubnet;
        }

        var subnetText = subnet is null ? string.Empty : subnet.ToString().ToLowerInvariant();
        var tier = role switch
        {
            HostRole.MongoMember => SubnetTier.Data,
            HostRole.Vpn => SubnetTier.Public,
            _ when subnetText.Contains("public", StringComparison.Ordinal) => SubnetTier.Public,
            _ when subnetText.Contains("isolated", StringComparison.Ordinal) || subnetText.Contains("data", StringComparison.Ordinal) => SubnetTier.Data,
            _ => SubnetTier.Private,
        };
        var az = AzIndexOf(subnet, instance, -1);
        if (az < 0 && instance.Properties.TryGetValue("AvailabilityZone", out var zone))
        {
            az = AzIndexOf(zone, instance, -1);
        }

        if (az < 0)
        {
            az = ordinal % Math.Max(1, azCount);
        }

        var volume = volumes?.Select(v => JoinNonEmpty(Literal(v, "Size") is { } size ? size + " GiB" : null, Literal(v, "VolumeType")))
            .FirstOrDefault(v => v.Length > 0);
        var detail = JoinNonEmpty(Literal(instance, "InstanceType"), volume);
        return new HostNode(name, detail, role, tier, az);
    }

    /// <summary>
    /// The 0-based AZ index of a subnet or an instance: <c>!Select [i, …]</c>, else a trailing number in the referenced
    /// name (<c>IsolatedSubnet2</c>, <c>…:PublicSubnet3Id</c>), else a trailing number in the Name tag
    /// (<c>env-mongo-2</c>), else <paramref name="fallback"/>.
    /// </summary>
    private static int AzIndexOf(CfnNode? node, Resource resource, int fallback)
    {
        if (node is Intrinsic { Name: "Fn::Select", Argument: CfnList { Count: 2 } args })
        {
            if (args[0] is CfnScalar { IntegerValue: { } i })
            {
                return (int)i;
            }

            if (args[0] is CfnScalar { StringValue: { } text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }

        if (node is not null && TrailingNumber(node.ToString()) is { } fromReference)
        {
            return fromReference - 1;
        }

        foreach (var tag in TagsOf(resource))
        {
            if (tag.Key == "Name" && TrailingNumber(tag.Value) is { } fromName)
            {
                return fromName - 1;
            }
        }

        return fallback;
    }

    /// <summary>The last run of digits in a reference's text (<c>PublicSubnet3Id</c> → 3), when there is one.</summary>
    private static int? TrailingNumber(string text)
    {
        var end = -1;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return null;
        }

        var start = end;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }

        // A digit glued to a word is an index (Subnet2, mongo-2); "10.40.0.0/16" or "2012-10-17" are not.
        if (start > 0 && text[start - 1] is '.' or '/' or ':' && end - start > 1)
        {
            return null;
        }

        return int.TryParse(text.AsSpan(start, end - start + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 64 ? n : null;
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

    /// <summary>The logical ID a <c>Ref</c> property points to.</summary>
    private static string? RefTarget(Resource resource, string property) =>
        resource.Properties.TryGetValue(property, out var node) && node is Intrinsic { Name: "Ref", Argument: CfnScalar { StringValue: { } target } } ? target : null;

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
