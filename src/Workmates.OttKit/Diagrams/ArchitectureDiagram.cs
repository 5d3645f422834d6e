using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;

namespace Workmates.OttKit.Diagrams;

/// <summary>
/// Draws the architecture of a synthesized environment as a self-contained SVG: the region and VPC, one column per
/// Availability Zone, the public, private and data subnets, the load balancer, the ECS cluster with one box per
/// service, EC2 hosts (MongoDB members, the VPN host) in their subnets, the edge (CloudFront, us-east-1 WAF) and the
/// regional services (buckets, repositories, keys, compliance, monitoring, backups). It is a projection of the
/// construct graph: the tiers, zones, hosts, services and links the constructs recorded as they built, and the
/// resource inventory taken when the graph became the stack set. It reads no template.
/// </summary>
/// <remarks>
/// The output is deterministic (the same stack set gives the same bytes), uses only inline shapes and the generic
/// <c>sans-serif</c> font family, and has no scripts, external references or timestamps.
/// </remarks>
public static class ArchitectureDiagram
{
    /// <summary>The file name <c>synth</c> writes the diagram to.</summary>
    public const string FileName = "architecture.svg";

    private const int Margin = 24;
    private const int ColumnWidth = 250;
    private const int ColumnGap = 14;
    private const int TierLabelWidth = 110;
    private const int VpcPadding = 16;
    private const int PanelWidth = 320;
    private const int PanelItemHeight = 34;
    private const int HostHeight = 46;
    private const int ServiceWidth = 168;
    private const int ServiceHeight = 44;
    private const string Ink = "#16191f";
    private const string Muted = "#545b64";

    /// <summary>Renders the stack set's architecture as an SVG document.</summary>
    /// <param name="stackSet">A stack set synthesized from a spec (<see cref="EnvironmentSpec.Synthesize"/>).</param>
    /// <returns>The SVG text (UTF-8, LF line endings, trailing newline).</returns>
    /// <exception cref="ArgumentException">The stack set was assembled by hand and carries no architecture description.</exception>
    public static string Render(StackSet stackSet)
    {
        ArgumentNullException.ThrowIfNull(stackSet);
        return Render(ArchitectureModel.From(stackSet));
    }

    internal static string Render(ArchitectureModel model)
    {
        var body = new SvgWriter();
        // Plain arrays and reference-type collections: generic instantiations over this assembly's value types would
        // be JIT-compiled at every start of the CLI (ReadyToRun cannot precompile them), which costs start-up time.
        var kinds = new KindSet();

        // Title.
        var y = Margin;
        body.Text(Margin, y + 18, $"{model.Environment}: platform architecture", size: 22, bold: true);
        body.Text(Margin, y + 40, Invariant($"region {model.Region} · {model.AzCount} Availability Zone{(model.AzCount == 1 ? string.Empty : "s")} · {model.StackCount} stacks · {model.ResourceCount} resources · drawn by ottkit from the synthesized stack set"), size: 12, fill: Muted);
        y += 60;

        var azCount = model.AzCount;
        var columnsWidth = (azCount * ColumnWidth) + ((azCount - 1) * ColumnGap);
        var regionX = Margin;
        var vpcX = regionX + 16;
        var columnsX = vpcX + VpcPadding + TierLabelWidth;
        var vpcWidth = model.HasVpc ? VpcPadding + TierLabelWidth + columnsWidth + VpcPadding : 0;

        // Edge row: viewers, then CloudFront and the resources of stacks outside the home region.
        var edgeItems = model.EdgePanels.SelectMany(p => p.Items.Select(i => (p.Kind, Item: i))).ToList();
        const int viewersWidth = 150;
        var arrowX = ArrowX(columnsX, azCount);
        var viewersX = arrowX - (viewersWidth / 2);
        body.Rect(viewersX, y, viewersWidth, 44, "#ffffff", Ink, radius: 22);
        body.Text(arrowX, y + 27, "Viewers (internet)", bold: true, anchor: "middle");
        var viewersBottom = y + 44;
        var edgeRight = viewersX + viewersWidth;
        if (edgeItems.Count > 0)
        {
            kinds.Add(DiagramKind.Edge);
            var edgeX = viewersX + viewersWidth + 40;
            var itemWidth = 230;
            var edgeWidth = 16 + (edgeItems.Count * (itemWidth + 12)) + 4;
            body.Rect(edgeX, y - 14, edgeWidth, 72, "#fbf9ff", Color(DiagramKind.Edge).Stroke, dashed: true);
            body.Text(edgeX + 10, y - 2, "Global edge (CloudFront, us-east-1)", size: 11, bold: true, fill: Color(DiagramKind.Edge).Stroke);
            var x = edgeX + 16;
            foreach (var (kind, item) in edgeItems)
            {
                kinds.Add(kind);
                Box(body, x, y + 4, itemWidth, 44, kind, item.Label, item.Detail);
                x += itemWidth + 12;
            }

            body.Line(viewersX + viewersWidth, y + 22, edgeX + 14, y + 22, Ink);
            edgeRight = edgeX + edgeWidth;
        }

        y += 80;

        // Region box: the VPC on the left, regional services on the right.
        var regionY = y;
        y += 34;
        var vpcY = y;
        var vpcBottom = vpcY;
        var anchors = new Anchors();
        if (model.HasVpc)
        {
            kinds.Add(DiagramKind.Network);
            vpcBottom = DrawVpc(body, model, vpcX, vpcY, vpcWidth, columnsX, kinds, anchors);
        }

        // Panels fill the column right of the VPC first, then columns under the VPC: each goes to the column
        // whose bottom is highest, so the region stays compact whatever the number of panels.
        var under = model.HasVpc ? Math.Max(1, (vpcWidth + 14) / (PanelWidth + 14)) : 0;
        var columnX = new int[1 + under];
        var columnBottom = new int[1 + under];
        columnX[0] = model.HasVpc ? vpcX + vpcWidth + 24 : vpcX;
        columnBottom[0] = vpcY;
        for (var c = 0; c < under; c++)
        {
            columnX[c + 1] = vpcX + (c * (PanelWidth + 14));
            columnBottom[c + 1] = vpcBottom + 16;
        }

        var panels = model.RegionalPanels.Append(new Panel($"Stacks of {model.Environment} (deploy order)", DiagramKind.Other, model.StackItems));
        foreach (var panel in panels)
        {
            kinds.Add(panel.Kind);
            var column = 0;
            for (var c = 1; c < columnX.Length; c++)
            {
                if (columnBottom[c] < columnBottom[column])
                {
                    column = c;
                }
            }

            columnBottom[column] = DrawPanel(body, columnX[column], columnBottom[column], panel.Title, panel.Kind, panel.Items) + 14;
        }

        var regionRight = columnX[0] + PanelWidth + 16;
        var regionBottom = Math.Max(vpcBottom, MaxOf(columnBottom) - 14) + 16;
        var regionMarkup = new SvgWriter();
        regionMarkup.Rect(regionX, regionY, regionRight - regionX, regionBottom - regionY, "#ffffff", "#00a4a6", radius: 4, dashed: true, strokeWidth: 2);
        regionMarkup.Text(regionX + 12, regionY + 22, $"Region {model.Region}", size: 14, bold: true, fill: "#007d80");

        // Arrow from the viewers into the load balancer (drawn over the boxes it crosses).
        var arrows = new SvgWriter();
        if (anchors.AlbTop is { } albTop)
        {
            arrows.Line(arrowX, viewersBottom, arrowX, albTop - 2, Ink);
        }

        if (anchors.AlbBottom is { } albBottom && anchors.ClusterTop is { } clusterTop)
        {
            arrows.Line(arrowX, albBottom + 8, arrowX, clusterTop - 2, Ink);
        }

        if (anchors.ClusterBottom is { } clusterBottom && anchors.DatabaseTop is { } databaseTop && model.DatabasePort is { } databasePort)
        {
            // The graph's own link (a service or the backup task to the replica set), with its port.
            arrows.Line(arrowX, clusterBottom, arrowX, databaseTop - 2, Color(DiagramKind.Database).Stroke);
            arrows.Text(arrowX + 6, clusterBottom + 13, databasePort.ToString(CultureInfo.InvariantCulture), size: 10, fill: Color(DiagramKind.Database).Stroke);
        }

        // Legend and footer.
        y = regionBottom + 24;
        var legend = new SvgWriter();
        legend.Text(Margin, y + 12, "Legend", bold: true);
        var lx = Margin + 60;
        foreach (var kind in kinds)
        {
            var name = LegendName(kind);
            var (fill, stroke) = Color(kind);
            var width = 22 + SvgWriter.TextWidth(name, 12) + 18;
            if (lx + width > regionRight)
            {
                lx = Margin + 60;
                y += 22;
            }

            legend.Rect(lx, y, 16, 16, fill, stroke, radius: 3, strokeWidth: 2);
            legend.Text(lx + 22, y + 13, name);
            lx += width;
        }

        y += 36;
        legend.Text(Margin, y, Invariant($"{model.ResourceCount} resources in {model.StackCount} stacks; {model.SupportingCount} supporting resources (route tables, security groups, policies, target groups, listeners, scaling policies…) are not drawn."), size: 11, fill: Muted);
        y += 16;
        legend.Text(Margin, y, "Arrows: request path. AZ columns are the region's Availability Zones in the order CloudFormation's Fn::GetAZs returns them.", size: 11, fill: Muted);

        var width2 = Math.Max(Math.Max(regionRight, edgeRight) + Margin, 960);
        var height = y + Margin;
        var svg = new System.Text.StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width2}\" height=\"{height}\" viewBox=\"0 0 {width2} {height}\" role=\"img\" aria-labelledby=\"diagram-title\">\n");
        svg.Append("<title id=\"diagram-title\">").Append(SvgWriter.Escape($"{model.Environment}: platform architecture in {model.Region}")).Append("</title>\n");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
            .Append(Ink).Append("\"/></marker></defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{width2}\" height=\"{height}\" fill=\"#fafafa\"/>\n");
        svg.Append(regionMarkup).Append(body).Append(arrows).Append(legend);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Draws the VPC with its AZ columns and tier bands; returns the bottom edge.</summary>
    private static int DrawVpc(SvgWriter svg, ArchitectureModel model, int vpcX, int vpcY, int vpcWidth, int columnsX, KindSet kinds, Anchors anchors)
    {
        var inner = new SvgWriter();
        var azCount = model.AzCount;
        var columnsWidth = (azCount * ColumnWidth) + ((azCount - 1) * ColumnGap);
        var y = vpcY + 30;
        for (var az = 0; az < azCount; az++)
        {
            inner.Text(ColumnX(columnsX, az) + (ColumnWidth / 2), y + 12, Invariant($"Availability Zone {az + 1}"), size: 12, bold: true, fill: Muted, anchor: "middle");
        }

        y += 24;
        for (var tier = SubnetTier.Public; tier <= SubnetTier.Data; tier++)
        {
            var subnets = model.Subnets.Where(s => s.Tier == tier).ToList();
            var hosts = model.Hosts.Where(h => h.Tier == tier).ToList();
            var nats = tier == SubnetTier.Public ? model.NatGatewayAzs : [];
            var hasAlb = tier == SubnetTier.Public && model.LoadBalancers.Count > 0;
            var hasCluster = tier == SubnetTier.Private && (model.Services.Count > 0 || model.ClusterLabel is not null);
            if (subnets.Count == 0 && hosts.Count == 0 && nats.Count == 0 && !hasAlb && !hasCluster)
            {
                continue;
            }

            var bandTop = y;
            var (fill, stroke) = TierColor(tier);
            y += 26;
            var content = new SvgWriter();
            if (hasAlb)
            {
                anchors.AlbTop = y;
                foreach (var lb in model.LoadBalancers)
                {
                    kinds.Add(DiagramKind.LoadBalancing);
                    Box(content, columnsX + 8, y, columnsWidth - 16, 40, DiagramKind.LoadBalancing, lb.Label, lb.Detail, centered: true);
                    y += 48;
                }

                anchors.AlbBottom = y - 8;
            }

            if (hasCluster)
            {
                kinds.Add(DiagramKind.Compute);
                var clusterWidth = columnsWidth - 16;
                var perRow = Math.Max(1, (clusterWidth - 16 + 10) / (ServiceWidth + 10));
                var rows = (model.Services.Count + perRow - 1) / perRow;
                var clusterHeight = 28 + (rows * (ServiceHeight + 10)) + (model.ClusterHosts is null ? 4 : 22);
                var (cf, cs) = Color(DiagramKind.Compute);
                anchors.ClusterTop = y;
                anchors.ClusterBottom = y + clusterHeight;
                content.Rect(columnsX + 8, y, clusterWidth, clusterHeight, cf, cs, strokeWidth: 2);
                content.Text(columnsX + 18, y + 18, model.ClusterLabel ?? "ECS cluster", bold: true, fill: cs, maxWidth: clusterWidth - 20);
                var rowWidth = Math.Min(model.Services.Count, perRow) * (ServiceWidth + 10) - 10;
                var startX = columnsX + 8 + ((clusterWidth - rowWidth) / 2);
                for (var i = 0; i < model.Services.Count; i++)
                {
                    var service = model.Services[i];
                    var sx = startX + ((i % perRow) * (ServiceWidth + 10));
                    var sy = y + 28 + ((i / perRow) * (ServiceHeight + 10));
                    content.Rect(sx, sy, ServiceWidth, ServiceHeight, "#ffffff", cs, tooltip: $"ECS service {service.Name}: {service.Detail}");
                    content.Text(sx + 10, sy + 19, service.Name, bold: true, maxWidth: ServiceWidth - 20);
                    content.Text(sx + 10, sy + 35, service.Detail, size: 11, fill: Muted, maxWidth: ServiceWidth - 20);
                }

                if (model.ClusterHosts is not null)
                {
                    content.Text(columnsX + 18, y + clusterHeight - 8, model.ClusterHosts, size: 11, fill: Muted, maxWidth: clusterWidth - 20);
                }

                y += clusterHeight + 8;
            }

            // Hosts and NAT gateways, each in its AZ column.
            var perColumn = new int[azCount];
            var rowTop = y;
            foreach (var az in nats)
            {
                kinds.Add(DiagramKind.Network);
                var slot = perColumn[Math.Clamp(az, 0, azCount - 1)]++;
                Box(content, ColumnX(columnsX, az) + 10, rowTop + (slot * (HostHeight + 8)), ColumnWidth - 20, HostHeight - 10, DiagramKind.Network, "NAT gateway", "egress for private subnets");
            }

            if (hosts.Any(h => h.Role == HostRole.MongoMember))
            {
                anchors.DatabaseTop = rowTop;
            }

            foreach (var host in hosts)
            {
                var kind = host.Role switch
                {
                    HostRole.MongoMember => DiagramKind.Database,
                    HostRole.Vpn => DiagramKind.AdminAccess,
                    _ => DiagramKind.Compute,
                };
                kinds.Add(kind);
                var slot = perColumn[Math.Clamp(host.Az, 0, azCount - 1)]++;
                var title = host.Role switch
                {
                    HostRole.MongoMember => "MongoDB " + host.Label,
                    HostRole.Vpn => "OpenVPN host",
                    _ => "EC2 " + host.Label,
                };
                var detail = host.Role == HostRole.Vpn && !host.Label.Contains("vpn", StringComparison.OrdinalIgnoreCase) ? $"{host.Label} · {host.Detail}" : host.Detail;
                Box(content, ColumnX(columnsX, host.Az) + 10, rowTop + (slot * (HostHeight + 8)), ColumnWidth - 20, HostHeight, kind, title, detail);
            }

            var slots = MaxOf(perColumn);
            y += slots * (HostHeight + 8);
            if (tier == SubnetTier.Data && hosts.Any(h => h.Role == HostRole.MongoMember))
            {
                var members = hosts.Count(h => h.Role == HostRole.MongoMember);
                content.Text(columnsX + 10, y + 12, Invariant($"MongoDB replica set: {members} member{(members == 1 ? string.Empty : "s")}, one per AZ, reached only from the services' security groups"), size: 11, fill: Muted, maxWidth: columnsWidth - 20);
                y += 18;
            }

            y = Math.Max(y + 6, bandTop + 46);

            // Tier band: the subnets as columns behind the content, and the tier's name on the left.
            inner.Rect(vpcX + VpcPadding, bandTop, TierLabelWidth + columnsWidth, y - bandTop, fill, stroke, radius: 4);
            inner.Text(vpcX + VpcPadding + 8, bandTop + 20, TierName(tier), bold: true, fill: stroke, maxWidth: TierLabelWidth - 10);
            inner.Text(vpcX + VpcPadding + 8, bandTop + 36, TierHint(tier), size: 10, fill: Muted, maxWidth: TierLabelWidth - 10);
            for (var az = 0; az < azCount; az++)
            {
                var inColumn = subnets.Where(s => s.Az == az).ToList();
                if (inColumn.Count == 0)
                {
                    continue;
                }

                var label = string.Join(", ", inColumn.Select(s => s.Cidr is null ? s.Label : $"{s.Label} {s.Cidr}"));
                inner.Rect(ColumnX(columnsX, az), bandTop + 4, ColumnWidth, y - bandTop - 8, "#ffffff", stroke, radius: 4, dashed: true, tooltip: "subnet " + label);
                inner.Text(ColumnX(columnsX, az) + 8, bandTop + 18, "subnet " + label, size: 11, fill: stroke, maxWidth: ColumnWidth - 16);
            }

            inner.Raw(content.ToString().TrimEnd('\n'));
            y += 10;
        }

        var bottom = y + 6;
        var (vf, vs) = Color(DiagramKind.Network);
        svg.Rect(vpcX, vpcY, vpcWidth, bottom - vpcY, vf, vs, radius: 4, strokeWidth: 2);
        var vpcTitle = "VPC " + (model.VpcLabel ?? string.Empty);
        svg.Text(vpcX + 12, vpcY + 20, vpcTitle.TrimEnd(), size: 13, bold: true, fill: vs, maxWidth: vpcWidth - 200);
        if (model.HasInternetGateway)
        {
            svg.Rect(vpcX + vpcWidth - 150, vpcY + 6, 136, 22, "#ffffff", vs, radius: 11);
            svg.Text(vpcX + vpcWidth - 82, vpcY + 21, "Internet gateway", size: 11, fill: vs, anchor: "middle");
        }

        svg.Raw(inner.ToString().TrimEnd('\n'));
        return bottom;
    }

    private static int DrawPanel(SvgWriter svg, int x, int y, string title, DiagramKind kind, IReadOnlyList<PanelItem> items)
    {
        var (fill, stroke) = Color(kind);
        var height = 30 + (items.Count * PanelItemHeight) + 6;
        svg.Rect(x, y, PanelWidth, height, fill, stroke, strokeWidth: 2);
        svg.Text(x + 12, y + 20, title, size: 13, bold: true, fill: stroke, maxWidth: PanelWidth - 24);
        var itemY = y + 30;
        foreach (var item in items)
        {
            svg.Rect(x + 8, itemY, PanelWidth - 16, PanelItemHeight - 4, "#ffffff", stroke, radius: 4, tooltip: string.IsNullOrEmpty(item.Detail) ? item.Label : $"{item.Label}: {item.Detail}");
            // The label gets the room it needs; the detail what is left, but never less than 40 % of the line.
            const int room = PanelWidth - 32 - 10;
            var detailWidth = string.IsNullOrEmpty(item.Detail) ? 0 : SvgWriter.TextWidth(item.Detail, 11);
            var labelRoom = Math.Max(room - detailWidth, room * 6 / 10);
            svg.Text(x + 16, itemY + 20, item.Label, maxWidth: detailWidth == 0 ? room + 10 : labelRoom);
            if (detailWidth > 0)
            {
                var labelUsed = Math.Min(SvgWriter.TextWidth(item.Label, 12), labelRoom);
                svg.Text(x + PanelWidth - 16, itemY + 20, item.Detail, size: 11, fill: Muted, anchor: "end", maxWidth: room - labelUsed);
            }

            itemY += PanelItemHeight;
        }

        return y + height;
    }

    private static void Box(SvgWriter svg, int x, int y, int width, int height, DiagramKind kind, string label, string detail, bool centered = false)
    {
        var (fill, stroke) = Color(kind);
        svg.Rect(x, y, width, height, fill, stroke, strokeWidth: 2, tooltip: string.IsNullOrEmpty(detail) ? label : $"{label}: {detail}");
        var twoLines = !string.IsNullOrEmpty(detail) && height >= 40 && !centered;
        var textX = centered ? x + (width / 2) : x + 10;
        var anchor = centered ? "middle" : "start";
        if (centered)
        {
            var line = string.IsNullOrEmpty(detail) ? label : $"{label} · {detail}";
            svg.Text(textX, y + (height / 2) + 5, line, bold: true, anchor: anchor, maxWidth: width - 20);
        }
        else if (twoLines)
        {
            svg.Text(textX, y + 18, label, bold: true, maxWidth: width - 20);
            svg.Text(textX, y + 34, detail, size: 11, fill: Muted, maxWidth: width - 20);
        }
        else
        {
            svg.Text(textX, y + (height / 2) + 5, label, bold: true, maxWidth: width - 20);
        }
    }

    private static int MaxOf(int[] values)
    {
        var max = 0;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>The colour families drawn so far, in legend order.</summary>
    private sealed class KindSet : IEnumerable<DiagramKind>
    {
        private readonly bool[] _present = new bool[(int)DiagramKind.Other + 1];

        public void Add(DiagramKind kind) => _present[(int)kind] = true;

        public IEnumerator<DiagramKind> GetEnumerator()
        {
            for (var i = 0; i < _present.Length; i++)
            {
                if (_present[i])
                {
                    yield return (DiagramKind)i;
                }
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Where the request-path arrows start and end; filled while the VPC is drawn.</summary>
    private sealed class Anchors
    {
        public int? AlbTop { get; set; }

        public int? AlbBottom { get; set; }

        public int? ClusterTop { get; set; }

        public int? ClusterBottom { get; set; }

        public int? DatabaseTop { get; set; }
    }

    /// <summary>The x of the arrows: the gap between the first two AZ columns, where no box stands.</summary>
    private static int ArrowX(int columnsX, int azCount) => azCount > 1 ? columnsX + ColumnWidth + (ColumnGap / 2) : columnsX + 5;

    private static int ColumnX(int columnsX, int az) => columnsX + (az * (ColumnWidth + ColumnGap));

    private static string TierName(SubnetTier tier) => tier switch
    {
        SubnetTier.Public => "Public",
        SubnetTier.Private => "Private",
        _ => "Data",
    };

    private static string TierHint(SubnetTier tier) => tier switch
    {
        SubnetTier.Public => "internet-facing",
        SubnetTier.Private => "apps, NAT egress",
        _ => "isolated",
    };

    private static (string Fill, string Stroke) TierColor(SubnetTier tier) => tier switch
    {
        SubnetTier.Public => ("#eef6ea", "#248814"),
        SubnetTier.Private => ("#e8f2f9", "#147eba"),
        _ => ("#f1ecfb", "#6b40c4"),
    };

    internal static (string Fill, string Stroke) Color(DiagramKind kind) => kind switch
    {
        DiagramKind.Network => ("#f6faef", "#5b7f0f"),
        DiagramKind.Edge => ("#f4edff", "#8c4fff"),
        DiagramKind.LoadBalancing => ("#efe8ff", "#6b3fd4"),
        DiagramKind.Compute => ("#fff3e6", "#c75c00"),
        DiagramKind.Database => ("#e9eafc", "#3b48cc"),
        DiagramKind.AdminAccess => ("#fdeef5", "#b0166a"),
        DiagramKind.Storage => ("#edf6e8", "#3f8624"),
        DiagramKind.Security => ("#fdecee", "#c7253e"),
        DiagramKind.Monitoring => ("#fde8f2", "#c4146b"),
        DiagramKind.Backup => ("#e6f6f4", "#01806c"),
        DiagramKind.Delivery => ("#fff7dc", "#9a6b00"),
        _ => ("#f2f3f3", "#5f6b7a"),
    };

    private static string LegendName(DiagramKind kind) => kind switch
    {
        DiagramKind.Network => "Network (VPC, NAT, endpoints)",
        DiagramKind.Edge => "Edge (CloudFront, global WAF)",
        DiagramKind.LoadBalancing => "Load balancing",
        DiagramKind.Compute => "Compute (ECS cluster and services)",
        DiagramKind.Database => "Database (MongoDB replica set)",
        DiagramKind.AdminAccess => "Admin access (VPN)",
        DiagramKind.Storage => "Storage (S3)",
        DiagramKind.Security => "Security and compliance",
        DiagramKind.Monitoring => "Monitoring",
        DiagramKind.Backup => "Backups",
        DiagramKind.Delivery => "Delivery (ECR, CI)",
        _ => "Other / stacks",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
