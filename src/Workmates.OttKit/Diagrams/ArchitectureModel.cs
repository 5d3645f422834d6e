using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Diagrams;

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
/// What the diagram shows: a projection of the <see cref="ArchitectureFacts"/> the constructs recorded while the graph
/// was built (the network's own tiers and zones, the cluster, services, load balancer, hosts and links) and of the
/// resource inventory taken with the stack set. It reads no template. Everything the renderer draws comes from here;
/// the model knows nothing about coordinates.
/// </summary>
internal sealed class ArchitectureModel
{
    private ArchitectureModel(ArchitectureFacts facts)
    {
        Environment = facts.Environment;
        Region = facts.Region;
        StackCount = facts.Stacks.Count;
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

    /// <summary>The port services reach the database on, when a service or task links to it.</summary>
    public int? DatabasePort { get; private set; }

    /// <summary>Panels drawn above the region: CloudFront and everything in stacks of another region (us-east-1 WAF).</summary>
    public List<Panel> EdgePanels { get; } = [];

    /// <summary>Panels drawn beside the VPC: regional services.</summary>
    public List<Panel> RegionalPanels { get; } = [];

    /// <summary>The stacks, in deploy order, with their region and resource count.</summary>
    public List<PanelItem> StackItems { get; } = [];

    public bool HasVpc => VpcLabel is not null || Subnets.Count > 0 || Hosts.Count > 0 || Services.Count > 0 || LoadBalancers.Count > 0;

    /// <summary>The model of a stack set synthesized from a spec (it carries the graph's architecture facts).</summary>
    /// <param name="stackSet">The stack set.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The stack set was built by hand and carries no architecture facts.</exception>
    public static ArchitectureModel From(StackSet stackSet)
    {
        ArgumentNullException.ThrowIfNull(stackSet);
        return From(stackSet.Architecture ?? throw new ArgumentException(
            "The stack set carries no architecture description: draw the diagram of a stack set synthesized from a spec (EnvironmentSpec.Synthesize), not of one assembled by hand.",
            nameof(stackSet)));
    }

    /// <summary>The model of the recorded facts.</summary>
    /// <param name="facts">What the constructs recorded, with the stack set's inventory.</param>
    /// <returns>The model.</returns>
    public static ArchitectureModel From(ArchitectureFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var model = new ArchitectureModel(facts);

        // Facts are recorded in build order; the picture lists them in deploy order (stable within a stack).
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < facts.StackOrder.Count; i++)
        {
            order[facts.StackOrder[i]] = i;
        }

        int Position(string stack) => order.TryGetValue(stack, out var i) ? i : int.MaxValue;

        foreach (var stack in facts.Stacks)
        {
            model.ResourceCount += stack.ResourceCount;
            var resources = Invariant($"{stack.ResourceCount} resource{(stack.ResourceCount == 1 ? string.Empty : "s")}");
            model.StackItems.Add(new PanelItem(stack.Label, string.Equals(stack.Region, facts.Region, StringComparison.Ordinal) ? resources : $"{stack.Region} · {resources}"));
        }

        model.VpcLabel = facts.VpcCidr;
        model.HasInternetGateway = facts.InternetGateway;
        model.VpcEndpointCount = facts.VpcEndpoints;
        model.Subnets.AddRange(facts.Subnets.OrderBy(s => Position(s.Stack)).Select(s => new SubnetNode(s.Label, s.Tier, s.Az, s.Cidr)));
        model.NatGatewayAzs.AddRange(facts.NatGateways.OrderBy(n => Position(n.Stack)).Select(n => n.Az));
        foreach (var lb in facts.LoadBalancers.OrderBy(l => Position(l.Stack)))
        {
            var listeners = lb.ListenerPorts.Count == 0 ? null : "listeners " + string.Join(", ", lb.ListenerPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            model.LoadBalancers.Add(new PanelItem(lb.Network ? "Network Load Balancer" : "Application Load Balancer", JoinNonEmpty(lb.Scheme, listeners, lb.WebAcl ? "WAF" : null)));
        }

        if (facts.Cluster is { } cluster)
        {
            model.ClusterLabel = JoinNonEmpty("ECS cluster", cluster.Name);
            model.ClusterHosts = JoinNonEmpty(
                "EC2 hosts (Auto Scaling)",
                cluster.InstanceTypes.Count == 0 ? null : string.Join("/", cluster.InstanceTypes),
                Invariant($"{cluster.MinHosts}–{cluster.MaxHosts}"));
        }

        model.Services.AddRange(facts.Services.OrderBy(s => Position(s.Stack)).Select(s => new ServiceNode(s.Name, Invariant($"{s.DesiredTasks} tasks"))));
        model.Hosts.AddRange(facts.Hosts.OrderBy(h => Position(h.Stack)).Select(h => new HostNode(
            h.Label,
            JoinNonEmpty(h.InstanceType, JoinNonEmpty(h.VolumeGiB is { } size ? Invariant($"{size} GiB") : null, h.VolumeType)),
            h.Role,
            h.Tier,
            h.Az)));
        var databaseStacks = facts.Hosts.Where(h => h.Role == HostRole.MongoMember).Select(h => h.Stack).ToHashSet(StringComparer.Ordinal);
        model.DatabasePort = facts.Links.FirstOrDefault(l => l.Port is not null && databaseStacks.Contains(l.To))?.Port;

        model.AzCount = 1 + Math.Max(0, model.Subnets.Select(s => s.Az).Concat(model.NatGatewayAzs).Concat(model.Hosts.Select(h => h.Az)).DefaultIfEmpty(0).Max());

        var regional = new PanelCollector();
        var edge = new PanelCollector();
        foreach (var resource in facts.Inventory)
        {
            if (resource.Supporting)
            {
                model.SupportingCount++;
            }
            else if (resource.Counted)
            {
                (resource.AtEdge ? edge : regional).Count(resource.Panel, resource.Kind, resource.Label);
            }
            else
            {
                (resource.AtEdge ? edge : regional).Add(resource.Panel, resource.Kind, resource.Label, resource.Detail);
            }
        }

        if (model.VpcEndpointCount > 0)
        {
            regional.Add("Network", DiagramKind.Network, "VPC endpoints (private AWS APIs)", Invariant($"×{model.VpcEndpointCount}"));
        }

        model.EdgePanels.AddRange(edge.Panels());
        model.RegionalPanels.AddRange(regional.Panels());
        return model;
    }

    /// <summary>Collects the inventory's resources into titled panels, in a fixed panel order.</summary>
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

    private static string JoinNonEmpty(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrEmpty(p)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
