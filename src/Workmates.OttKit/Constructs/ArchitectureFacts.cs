namespace Workmates.OttKit.Constructs;

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
    /// <summary>Internet-facing: the load balancer, NAT gateways, the VPN host.</summary>
    Public,

    /// <summary>Applications, egress through NAT.</summary>
    Private,

    /// <summary>Isolated (data): the database members.</summary>
    Data,
}

/// <summary>What an EC2 instance is for.</summary>
internal enum HostRole
{
    MongoMember,
    Vpn,
    Other,
}

/// <summary>A subnet the network construct made: its tier, AZ index (0-based) and CIDR.</summary>
internal sealed record SubnetFact(string Stack, string Label, SubnetTier Tier, int Az, string Cidr);

/// <summary>A NAT gateway and the AZ of its public subnet.</summary>
internal sealed record NatGatewayFact(string Stack, int Az);

/// <summary>A load balancer: kind, scheme, listener ports (in declaration order), whether a web ACL guards it.</summary>
internal sealed record LoadBalancerFact(string Stack, bool Network, string Scheme, IReadOnlyList<int> ListenerPorts, bool WebAcl);

/// <summary>The ECS cluster and its Auto Scaling hosts.</summary>
internal sealed record ClusterFact(string Stack, string Name, IReadOnlyList<string> InstanceTypes, int MinHosts, int MaxHosts);

/// <summary>An ECS service and its desired task count.</summary>
internal sealed record ServiceFact(string Stack, string Name, int DesiredTasks);

/// <summary>An EC2 instance: its role, the tier and AZ of the subnet it was placed in, type and data volume.</summary>
internal sealed record HostFact(string Stack, string Label, HostRole Role, SubnetTier Tier, int Az, string InstanceType, int? VolumeGiB = null, string? VolumeType = null);

/// <summary>A link the constructs made between two parts (<c>alb → service web</c>, <c>service web → database :27017</c>).</summary>
internal sealed record LinkFact(string From, string To, string What, int? Port = null);

/// <summary>One stack of the set: its name without the environment prefix, region and resource count.</summary>
internal sealed record StackFact(string Label, string Region, int ResourceCount);

/// <summary>
/// One resource of the regional or edge inventory (a bucket, a key, an alarm…), classified by its resource type when
/// the graph became a stack set: the panel it belongs to, its label and detail, and whether it is counted (drawn once
/// as "label ×n") or supporting (counted in the footer only).
/// </summary>
internal sealed record ResourceFact(string Stack, bool AtEdge, string Panel, DiagramKind Kind, string Label, string Detail, bool Counted = false, bool Supporting = false);

/// <summary>
/// The typed architecture of an environment, recorded by the constructs as they build (the network's tiers and zones,
/// the cluster, services, load balancer, hosts and the links between them) plus the resource inventory taken when the
/// graph becomes a <see cref="Blueprint.StackSet"/>. The diagram is drawn from this alone: it reads no template.
/// </summary>
internal sealed class ArchitectureFacts
{
    /// <summary>Creates an empty description.</summary>
    /// <param name="environment">The environment's name.</param>
    /// <param name="region">Its home region.</param>
    public ArchitectureFacts(string environment, string region)
    {
        Environment = environment;
        Region = region;
    }

    public string Environment { get; }

    public string Region { get; }

    /// <summary>The VPC's CIDR, when a network construct was built.</summary>
    public string? VpcCidr { get; set; }

    public bool InternetGateway { get; set; }

    public int VpcEndpoints { get; set; }

    public List<SubnetFact> Subnets { get; } = [];

    public List<NatGatewayFact> NatGateways { get; } = [];

    public List<LoadBalancerFact> LoadBalancers { get; } = [];

    public ClusterFact? Cluster { get; set; }

    public List<ServiceFact> Services { get; } = [];

    public List<HostFact> Hosts { get; } = [];

    public List<LinkFact> Links { get; } = [];

    /// <summary>The stacks in deployment order (filled when the graph becomes a stack set).</summary>
    public IReadOnlyList<StackFact> Stacks { get; set; } = [];

    /// <summary>The stack names in deployment order, with the environment prefix (orders the facts above).</summary>
    public IReadOnlyList<string> StackOrder { get; set; } = [];

    /// <summary>The resource inventory, in deployment order (filled when the graph becomes a stack set).</summary>
    public IReadOnlyList<ResourceFact> Inventory { get; set; } = [];
}
