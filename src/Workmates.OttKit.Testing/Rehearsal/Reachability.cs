using System.Net;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Testing;

/// <summary>A place traffic starts or ends: an instance, the hosts of an Auto Scaling group, a service's or scheduled task's ENIs, a load balancer.</summary>
/// <param name="Name">What it is, e.g. <c>database/Member1</c>.</param>
/// <param name="Kind">The kind: <c>vpn</c>, <c>ecs-host</c>, <c>mongodb-member</c>, <c>service-task</c>, <c>scheduled-task</c>, <c>load-balancer</c>, <c>vpc-endpoint</c>.</param>
/// <param name="Groups">Its security groups (<c>stack/LogicalId</c>).</param>
/// <param name="Subnets">Its subnets (<c>stack/LogicalId</c>).</param>
internal sealed record NetworkEndpoint(string Name, string Kind, IReadOnlyList<string> Groups, IReadOnlyList<string> Subnets);

/// <summary>One security-group rule, resolved: protocol, port range, and a CIDR or a peer group.</summary>
internal sealed record GroupRule(string Group, bool Ingress, string Protocol, int FromPort, int ToPort, string? Cidr, string? PeerGroup, string Description);

/// <summary>The verdict on one path.</summary>
/// <param name="Allowed">Whether a TCP connection can be made.</param>
/// <param name="Reason">Which rule admits it at each hop, or which hop refuses it.</param>
internal sealed record PathVerdict(bool Allowed, string Reason);

/// <summary>
/// A small reachability evaluator over a synthesized stack set (test infrastructure): security groups with their
/// inline and stand-alone ingress/egress rules (CIDRs and source/destination group references, resolved across
/// stacks through the exports), network ACLs with their entries (the VPC's default ACL, which allows everything,
/// when a subnet has none), and route tables (every subnet of the VPC routes the VPC's CIDR locally). A TCP path
/// A → B on a port is allowed when A's egress, B's subnet ACLs and B's ingress all admit it (return traffic is
/// stateful for groups; ACLs are checked on the way in, both subnets' and both directions when they differ).
/// </summary>
internal sealed class Reachability
{
    private readonly Dictionary<string, JsonObject> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Stack, JsonNode Value)> _exports = new(StringComparer.Ordinal);
    private readonly List<GroupRule> _rules = [];

    public Reachability(StackSet set)
    {
        foreach (var stack in set.Stacks)
        {
            var template = JsonNode.Parse(stack.Template.ToJson())!.AsObject();
            _templates[stack.Name] = template;
            foreach (var (_, output) in template["Outputs"]?.AsObject() ?? [])
            {
                if (output?["Export"]?["Name"] is JsonValue name)
                {
                    _exports[name.GetValue<string>()] = (stack.Name, output["Value"]!);
                }
            }
        }

        foreach (var (stack, template) in _templates)
        {
            foreach (var (id, resource) in Resources(template))
            {
                var type = resource["Type"]!.GetValue<string>();
                var properties = resource["Properties"]?.AsObject() ?? [];
                switch (type)
                {
                    case "AWS::EC2::SecurityGroup":
                        var group = $"{stack}/{id}";
                        if (properties["SecurityGroupIngress"] is JsonArray ingress)
                        {
                            _rules.AddRange(ingress.Select(r => Rule(stack, group, true, r!.AsObject())));
                        }

                        // A group without SecurityGroupEgress keeps the default rule: all traffic out.
                        _rules.AddRange(properties["SecurityGroupEgress"] is JsonArray egress
                            ? egress.Select(r => Rule(stack, group, false, r!.AsObject()))
                            : [new GroupRule(group, false, "-1", 0, 65535, "0.0.0.0/0", null, "default egress")]);
                        break;
                    case "AWS::EC2::SecurityGroupIngress":
                        _rules.Add(Rule(stack, Single(stack, properties["GroupId"]!), true, properties));
                        break;
                    case "AWS::EC2::SecurityGroupEgress":
                        _rules.Add(Rule(stack, Single(stack, properties["GroupId"]!), false, properties));
                        break;
                }
            }
        }
    }

    /// <summary>Every rule of every group.</summary>
    public IReadOnlyList<GroupRule> Rules => _rules;

    /// <summary>Every endpoint the stack set places in the VPC.</summary>
    public IReadOnlyList<NetworkEndpoint> Endpoints()
    {
        var endpoints = new List<NetworkEndpoint>();
        foreach (var (stack, template) in _templates)
        {
            var resources = Resources(template).ToDictionary(r => r.Id, r => r.Resource, StringComparer.Ordinal);
            foreach (var (id, resource) in resources)
            {
                var properties = resource["Properties"]?.AsObject() ?? [];
                switch (resource["Type"]!.GetValue<string>())
                {
                    case "AWS::EC2::Instance":
                        endpoints.Add(new(
                            $"{stack}/{id}",
                            stack.EndsWith("-admin-access", StringComparison.Ordinal) ? "vpn" : stack.EndsWith("-database", StringComparison.Ordinal) ? "mongodb-member" : "instance",
                            Many(stack, (properties["NetworkInterfaces"]?[0] ?? properties)[properties.ContainsKey("NetworkInterfaces") ? "GroupSet" : "SecurityGroupIds"]!),
                            Many(stack, (properties["NetworkInterfaces"]?[0] ?? properties)["SubnetId"]!)));
                        break;
                    case "AWS::AutoScaling::AutoScalingGroup":
                        var reference = At(properties, "MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification")?["LaunchTemplateId"] ?? At(properties, "LaunchTemplate")?["LaunchTemplateId"];
                        var data = reference is null ? null : At(resources[Single(stack, reference).Split('/')[1]], "Properties", "LaunchTemplateData");
                        endpoints.Add(new($"{stack}/{id}", "ecs-host", data?["SecurityGroupIds"] is { } groups ? Many(stack, groups) : [], Many(stack, properties["VPCZoneIdentifier"]!)));
                        break;
                    case "AWS::ECS::Service" when At(properties, "NetworkConfiguration", "AwsvpcConfiguration") is { } vpc:
                        endpoints.Add(new($"{stack}/{id}", "service-task", Many(stack, vpc["SecurityGroups"]!), Many(stack, vpc["Subnets"]!)));
                        break;
                    case "AWS::Scheduler::Schedule" when At(properties, "Target", "EcsParameters", "NetworkConfiguration", "AwsvpcConfiguration") is { } vpc:
                        endpoints.Add(new($"{stack}/{id}", "scheduled-task", Many(stack, vpc["SecurityGroups"]!), Many(stack, vpc["Subnets"]!)));
                        break;
                    case "AWS::ElasticLoadBalancingV2::LoadBalancer":
                        endpoints.Add(new($"{stack}/{id}", "load-balancer", Many(stack, properties["SecurityGroups"]!), Many(stack, properties["Subnets"]!)));
                        break;
                    case "AWS::EC2::VPCEndpoint" when properties["SecurityGroupIds"] is { } endpointGroups:
                        endpoints.Add(new($"{stack}/{id}", "vpc-endpoint", Many(stack, endpointGroups), Many(stack, properties["SubnetIds"]!)));
                        break;
                }
            }
        }

        return endpoints;
    }

    /// <summary>Whether <paramref name="from"/> can open a TCP connection to <paramref name="to"/> on <paramref name="port"/>, and why.</summary>
    public PathVerdict Tcp(NetworkEndpoint from, NetworkEndpoint to, int port)
    {
        // Every subnet of each endpoint: a path must work from and to each (an ASG or a task may land in any).
        foreach (var source in from.Subnets)
        {
            foreach (var target in to.Subnets)
            {
                var sourceIp = AddressIn(source);
                var targetIp = AddressIn(target);
                if (!SameVpc(source, target))
                {
                    return new(false, $"{source} and {target} are not in one VPC (no route)");
                }

                var egress = _rules.FirstOrDefault(r => !r.Ingress && from.Groups.Contains(r.Group) && Admits(r, port, targetIp, to.Groups));
                if (egress is null)
                {
                    return new(false, $"no egress rule of {string.Join(", ", from.Groups)} admits tcp/{port} to {to.Name} ({targetIp})");
                }

                if (Acl(source, outbound: true, port, targetIp) is { } outbound)
                {
                    return new(false, outbound);
                }

                if (Acl(target, outbound: false, port, sourceIp) is { } inbound)
                {
                    return new(false, inbound);
                }

                var ingress = _rules.FirstOrDefault(r => r.Ingress && to.Groups.Contains(r.Group) && Admits(r, port, sourceIp, from.Groups));
                if (ingress is null)
                {
                    return new(false, $"no ingress rule of {string.Join(", ", to.Groups)} admits tcp/{port} from {from.Name} ({sourceIp})");
                }
            }
        }

        var first = _rules.First(r => !r.Ingress && from.Groups.Contains(r.Group) && Admits(r, port, AddressIn(to.Subnets[0]), to.Groups));
        var last = _rules.First(r => r.Ingress && to.Groups.Contains(r.Group) && Admits(r, port, AddressIn(from.Subnets[0]), from.Groups));
        return new(true, $"egress '{first.Description}', local route, {AclSummary(to.Subnets[0])}, ingress '{last.Description}'");
    }

    /// <summary>The network ACLs the stack set creates (the default ACL of the VPC otherwise).</summary>
    public int NetworkAclCount => _templates.Values.Sum(t => Resources(t).Count(r => r.Resource["Type"]!.GetValue<string>() == "AWS::EC2::NetworkAcl"));

    private static bool Admits(GroupRule rule, int port, IPAddress peer, IReadOnlyList<string> peerGroups) =>
        rule.Protocol is "-1" or "tcp" or "6"
        && (rule.Protocol == "-1" || (rule.FromPort <= port && port <= rule.ToPort))
        && (rule.PeerGroup is not null ? peerGroups.Contains(rule.PeerGroup) : rule.Cidr is not null && InCidr(peer, rule.Cidr));

    private string? Acl(string subnet, bool outbound, int port, IPAddress peer)
    {
        var acl = _templates.SelectMany(t => Resources(t.Value).Select(r => (Stack: t.Key, r.Resource)))
            .Where(r => r.Resource["Type"]!.GetValue<string>() == "AWS::EC2::SubnetNetworkAclAssociation" && Single(r.Stack, r.Resource["Properties"]!["SubnetId"]!) == subnet)
            .Select(r => Single(r.Stack, r.Resource["Properties"]!["NetworkAclId"]!)).FirstOrDefault();
        if (acl is null)
        {
            return null;
        }

        var entries = _templates.SelectMany(t => Resources(t.Value).Select(r => (Stack: t.Key, r.Resource)))
            .Where(r => r.Resource["Type"]!.GetValue<string>() == "AWS::EC2::NetworkAclEntry" && Single(r.Stack, r.Resource["Properties"]!["NetworkAclId"]!) == acl)
            .Select(r => r.Resource["Properties"]!.AsObject())
            .Where(e => (e["Egress"]?.GetValue<bool>() ?? false) == outbound)
            .OrderBy(e => e["RuleNumber"]!.GetValue<int>());
        foreach (var entry in entries)
        {
            var protocol = entry["Protocol"]!.ToString();
            var range = entry["PortRange"];
            var ports = protocol == "-1" || range is null || (range["From"]!.GetValue<int>() <= port && port <= range["To"]!.GetValue<int>());
            if ((protocol is "-1" or "6") && ports && InCidr(peer, entry["CidrBlock"]!.GetValue<string>()))
            {
                return entry["RuleAction"]!.GetValue<string>() == "allow" ? null : $"network ACL {acl} rule {entry["RuleNumber"]} denies tcp/{port} {(outbound ? "to" : "from")} {peer}";
            }
        }

        return $"network ACL {acl} has no rule for tcp/{port} {(outbound ? "to" : "from")} {peer} (the implicit deny)";
    }

    private string AclSummary(string subnet) => Acl(subnet, outbound: false, 0, IPAddress.Any) is null && NetworkAclCount == 0 ? "default network ACL" : "network ACLs allow";

    private bool SameVpc(string a, string b) => Subnet(a)["VpcId"]!.ToJsonString() == Subnet(b)["VpcId"]!.ToJsonString();

    private JsonObject Subnet(string id)
    {
        var (stack, logical) = (id.Split('/')[0], id.Split('/')[1]);
        return _templates[stack]["Resources"]![logical]!["Properties"]!.AsObject();
    }

    // A representative address of the subnet: its tenth host.
    private IPAddress AddressIn(string subnet)
    {
        var cidr = Scalar(subnet.Split('/')[0], Subnet(subnet)["CidrBlock"]!);
        var network = IPNetwork.Parse(cidr);
        var bytes = network.BaseAddress.GetAddressBytes();
        bytes[3] += 10;
        return new IPAddress(bytes);
    }

    private static bool InCidr(IPAddress address, string cidr) => IPNetwork.Parse(cidr).Contains(address);

    private GroupRule Rule(string stack, string group, bool ingress, JsonObject rule)
    {
        var protocol = rule["IpProtocol"]!.ToString();
        var from = rule["FromPort"] is { } f ? int.Parse(f.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var to = rule["ToPort"] is { } t ? int.Parse(t.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 65535;
        var cidr = rule["CidrIp"] is { } c ? Scalar(stack, c) : null;
        var peer = rule[ingress ? "SourceSecurityGroupId" : "DestinationSecurityGroupId"] is { } p ? Single(stack, p) : null;
        return new GroupRule(group, ingress, protocol, protocol == "-1" ? 0 : from, protocol == "-1" ? 65535 : to, cidr, peer, rule["Description"]?.GetValue<string>() ?? string.Empty);
    }

    // A resource reference (Ref, GetAtt …GroupId, ImportValue of one) as "stack/LogicalId".
    private string Single(string stack, JsonNode node) => Many(stack, node) is [var one] ? one : throw new InvalidOperationException($"{node.ToJsonString()} in {stack} is not one resource");

    private List<string> Many(string stack, JsonNode node)
    {
        switch (node)
        {
            case JsonArray list:
                return [.. list.SelectMany(n => Many(stack, n!))];
            case JsonObject obj when obj["Ref"] is { } reference:
                return [$"{stack}/{reference.GetValue<string>()}"];
            case JsonObject obj when obj["Fn::GetAtt"] is JsonArray attribute:
                return [$"{stack}/{attribute[0]!.GetValue<string>()}"];
            case JsonObject obj when obj["Fn::ImportValue"] is { } import:
                var (exporter, value) = _exports[import.GetValue<string>()];
                return Many(exporter, value);
            case JsonObject obj when obj["Fn::Join"] is JsonArray join:
                return Many(stack, join[1]!);
            case JsonObject obj when obj["Fn::Split"] is JsonArray split:
                return Many(stack, split[1]!);
            case JsonObject obj when obj["Fn::Select"] is JsonArray select:
                return [Many(stack, select[1]!)[select[0]!.GetValue<int>()]];
            default:
                throw new InvalidOperationException($"cannot resolve {node.ToJsonString()} in {stack}");
        }
    }

    // A literal, or an import / GetAtt of a literal property (the VPC's CidrBlock).
    private string Scalar(string stack, JsonNode node)
    {
        switch (node)
        {
            case JsonValue value:
                return value.ToString();
            case JsonObject obj when obj["Fn::ImportValue"] is { } import:
                var (exporter, exported) = _exports[import.GetValue<string>()];
                return Scalar(exporter, exported);
            case JsonObject obj when obj["Fn::GetAtt"] is JsonArray attribute:
                return Scalar(stack, _templates[stack]["Resources"]![attribute[0]!.GetValue<string>()]!["Properties"]![attribute[1]!.GetValue<string>()]!);
            default:
                throw new InvalidOperationException($"cannot resolve {node.ToJsonString()} in {stack} to a literal");
        }
    }

    private static JsonObject? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject obj ? obj[key] : null;
        }

        return node as JsonObject;
    }

    private static IEnumerable<(string Id, JsonObject Resource)> Resources(JsonObject template) =>
        (template["Resources"]?.AsObject() ?? []).Select(r => (r.Key, r.Value!.AsObject()));
}
