using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// Admin access and MongoDB's exposure proven over paths, not over the presence of rules (issue 13): the synthesized
/// security groups (inline and stand-alone rules, group references across stacks), network ACLs and routes walked by
/// <see cref="Reachability"/> from every endpoint the stack set places in the VPC.
/// </summary>
public sealed class ReachabilityTests
{
    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_VPN_host_reaches_every_ECS_host_and_MongoDB_member_on_the_admin_SSH_port(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var network = new Reachability(spec.Synthesize());
        var endpoints = network.Endpoints();
        if (spec.AdminAccess is null)
        {
            // No adminAccess section (OWL270): no VPN host, and nothing admits the SSH port from anywhere.
            Assert.DoesNotContain(endpoints, e => e.Kind == "vpn");
            TestContext.Current.TestOutputHelper?.WriteLine($"reachability {sample}: no adminAccess section, no VPN host");
            return;
        }

        var vpn = Assert.Single(endpoints, e => e.Kind == "vpn");
        var targets = endpoints.Where(e => e.Kind is "ecs-host" or "mongodb-member").ToList();
        var port = spec.AdminAccess!.SshPort;

        var verdicts = targets.Select(t => (Target: t, Verdict: network.Tcp(vpn, t, port))).ToList();

        foreach (var (target, verdict) in verdicts)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"reachability {sample}: {vpn.Name} → {target.Name} tcp/{port}: {(verdict.Allowed ? "allowed" : "REFUSED")} ({verdict.Reason})");
        }

        Assert.Contains(targets, t => t.Kind == "ecs-host");
        Assert.Equal(spec.Database?.Members ?? 0, targets.Count(t => t.Kind == "mongodb-member"));
        Assert.All(verdicts, v => Assert.True(v.Verdict.Allowed, $"{v.Target.Name}: {v.Verdict.Reason}"));
        // SSH on the standard port stays closed from the VPN host (sshd moved to the admin port).
        Assert.All(targets, t => Assert.False(network.Tcp(vpn, t, 22).Allowed, $"{t.Name} admits tcp/22 from the VPN host"));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void MongoDB_is_reachable_from_nothing_but_its_declared_clients(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var database = spec.Database!;
        var network = new Reachability(spec.Synthesize());
        var endpoints = network.Endpoints();
        var members = endpoints.Where(e => e.Kind == "mongodb-member").ToList();
        var clientServices = (database.ClientServices ?? [.. spec.Services.Select(s => s.Name)]).ToHashSet(StringComparer.Ordinal);
        bool Declared(NetworkEndpoint e) => e.Kind switch
        {
            "mongodb-member" => true,
            "service-task" => clientServices.Any(s => e.Name.StartsWith($"{spec.Name}-{PlatformNaming.ServicePart(s)}/", StringComparison.Ordinal)),
            "scheduled-task" => e.Name.StartsWith($"{spec.Name}-{PlatformNaming.DatabaseBackupPart}/", StringComparison.Ordinal),
            _ => false,
        };

        var reaching = endpoints.Where(e => members.All(m => network.Tcp(e, m, SpecDefaults.MongoPort).Allowed)).Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        var partly = endpoints.Where(e => members.Any(m => network.Tcp(e, m, SpecDefaults.MongoPort).Allowed)).Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        var declared = endpoints.Where(Declared).Select(e => e.Name).Order(StringComparer.Ordinal).ToList();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"reachability {sample}: {endpoints.Count} endpoints, {network.Rules.Count} group rules, {network.NetworkAclCount} network ACLs; "
            + $"tcp/{SpecDefaults.MongoPort} on the members from: {string.Join(", ", reaching)}");
        Assert.Equal(declared, reaching);
        Assert.Equal(reaching, partly);
        RehearsalSummary.Write($"reachability-{sample}",
            $"{sample}: reachability, {endpoints.Count} endpoints, {network.Rules.Count} group rules, {network.NetworkAclCount} network ACLs; "
            + $"tcp/{SpecDefaults.MongoPort} reached from exactly the {declared.Count} declared clients and members, 0 findings");
        Assert.Contains(reaching, n => n.StartsWith($"{spec.Name}-{PlatformNaming.DatabaseBackupPart}/", StringComparison.Ordinal));
        // No address range is admitted to the port: only group references (a CIDR would admit whatever lands in it).
        var mongoGroups = members.SelectMany(m => m.Groups).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(network.Rules, r => r.Ingress && mongoGroups.Contains(r.Group) && r.Cidr is not null
            && (r.Protocol == "-1" || (r.FromPort <= SpecDefaults.MongoPort && SpecDefaults.MongoPort <= r.ToPort)));
    }

    [Fact]
    public void A_rule_that_admits_a_range_to_MongoDB_is_found_as_a_path_from_every_endpoint_in_it()
    {
        var spec = SampleSpecs.Blacksheep();
        var set = spec.Synthesize();
        var database = set[$"{spec.Name}-{PlatformNaming.DatabasePart}"].Template;
        database.Resources["MongoSecurityGroup"].Properties["SecurityGroupIngress"] = new Workmates.OttKit.CloudFormation.CfnList
        {
            new Workmates.OttKit.CloudFormation.CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 27017, ["ToPort"] = 27017, ["CidrIp"] = spec.Network.VpcCidr, ["Description"] = "the whole VPC" },
        };
        var unchanged = new Reachability(spec.Synthesize());
        var network = new Reachability(set);
        var member = network.Endpoints().First(e => e.Kind == "mongodb-member");
        var vpn = network.Endpoints().First(e => e.Kind == "vpn");

        Assert.False(unchanged.Tcp(unchanged.Endpoints().First(e => e.Kind == "vpn"), unchanged.Endpoints().First(e => e.Kind == "mongodb-member"), 27017).Allowed);
        Assert.True(network.Tcp(vpn, member, 27017).Allowed); // the VPN host may go anywhere in the VPC: the range admits it
    }
}
