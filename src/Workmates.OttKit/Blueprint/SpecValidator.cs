using System.Globalization;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>Every rule of the environment spec. Rules never stop at the first problem: the user fixes them all in one pass.</summary>
internal static partial class SpecValidator
{
    private static readonly int[] LogRetentionValues = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    public static IReadOnlyList<ValidationProblem> Validate(EnvironmentSpec spec, ValidationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        context ??= ValidationContext.Timeless;
        var problems = new List<ValidationProblem>();
        void Add(string path, string message, string fix) => problems.Add(new ValidationProblem(path, message, fix));

        ValidateIdentity(spec, Add);
        ValidateNetwork(spec.Network, Add);
        var smallest = ValidateCluster(spec.Cluster, spec.Weakenings, Add);
        ValidateLoadBalancer(spec, Add);
        ValidateServices(spec, smallest, Add);
        ValidateLiveEvents(spec, context, Add);
        ValidateSchedules(spec, Add);
        ValidateCapacity(spec, smallest, Add);
        ValidateSecurity(spec.Security, Add);
        ValidateDataTier(spec, Add);
        ValidateAccess(spec, Add);
        ValidateEdgeMonitoringAndCi(spec, Add);
        return problems;
    }

    private static void ValidateIdentity(EnvironmentSpec spec, Action<string, string, string> add)
    {
        if (!EnvironmentName().IsMatch(spec.Name))
        {
            add("name", $"'{spec.Name}' is not a DNS-safe environment name of 2–24 characters.", "Use lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (for example 'blacksheep-prod').");
        }

        if (!RegionName().IsMatch(spec.Region))
        {
            add("region", $"'{spec.Region}' is not an AWS region name.", "Use a region code such as 'ap-south-1' or 'us-east-1'.");
        }

        if (spec.AccountId is not null && !AccountId().IsMatch(spec.AccountId))
        {
            add("accountId", $"'{spec.AccountId}' is not a 12-digit AWS account id.", "Write all 12 digits (quote it in YAML to keep leading zeros), or remove it.");
        }

        // 50 tags per resource, minus the ones the blueprint adds itself.
        if (spec.Tags.Count > 45)
        {
            add("tags", $"{spec.Tags.Count} tags is more than 45 (AWS allows 50 per resource and the blueprint adds its own).", "Remove tags or merge them.");
        }

        foreach (var (key, value) in spec.Tags)
        {
            if (key.Length is 0 or > 128 || !TagText().IsMatch(key))
            {
                add($"tags.{key}", $"tag key '{key}' is empty, longer than 128 characters or has characters AWS rejects.", "Use 1–128 letters, digits, spaces and _ . : / = + - @.");
            }
            else if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                add($"tags.{key}", $"tag key '{key}' uses the reserved 'aws:' prefix.", "Choose a key without the 'aws:' prefix.");
            }

            if (value.Length > 256 || !TagText().IsMatch(value))
            {
                add($"tags.{key}", $"tag value of '{key}' is longer than 256 characters or has characters AWS rejects.", "Use up to 256 letters, digits, spaces and _ . : / = + - @.");
            }
        }
    }

    private static void ValidateNetwork(NetworkSpec network, Action<string, string, string> add)
    {
        if (!Ipv4Cidr.TryParse(network.VpcCidr, out var vpc, out var error))
        {
            add("network.vpcCidr", error + ".", "Write the VPC range as a network address and prefix, for example 10.0.0.0/16.");
        }
        else
        {
            if (vpc.Prefix is < 16 or > 22)
            {
                add("network.vpcCidr", $"/{vpc.Prefix} is outside /16../22: a VPC can be at most /16, and below /22 the public and isolated subnets would be smaller than /28.", "Use a prefix between /16 and /22 (/16 recommended: app subnets get /19 each).");
            }

            if (!Ipv4Cidr.PrivateRanges.Any(r => r.Contains(vpc)))
            {
                add("network.vpcCidr", $"{vpc} is not in a private range.", "Use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10.");
            }

            for (var i = 0; i < network.ReservedCidrs.Count; i++)
            {
                if (!Ipv4Cidr.TryParse(network.ReservedCidrs[i], out var reserved, out var reservedError))
                {
                    add($"network.reservedCidrs[{i}]", reservedError + ".", "Write the range as a network address and prefix.");
                }
                else if (reserved.Overlaps(vpc))
                {
                    add("network.vpcCidr", $"{vpc} overlaps the reserved range {reserved} (network.reservedCidrs[{i}]); peering and VPN routes would be ambiguous.", $"Choose a VPC range that does not overlap {reserved}.");
                }
            }
        }

        if (network.AvailabilityZones is < 2 or > 6)
        {
            add("network.availabilityZones", $"{network.AvailabilityZones} availability zones is outside 2..6 (the load balancer needs 2; the subnet layout holds 6).", "Use 2 to 6; 3 is the default and survives an AZ failure with capacity to spare.");
        }

        if (!Enum.IsDefined(network.NatGateways))
        {
            add("network.natGateways", $"'{network.NatGateways}' is not a NAT gateway layout.", "Use perAz (default) or single.");
        }
    }

    private static InstanceTypeInfo? ValidateCluster(ClusterSpec cluster, Weakenings weakenings, Action<string, string, string> add)
    {
        var known = new List<InstanceTypeInfo>();
        if (cluster.InstanceTypes.Count == 0)
        {
            add("cluster.instanceTypes", "no instance type is given.", "List at least one instance type, for example [m6i.large].");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cluster.InstanceTypes.Count; i++)
        {
            var name = cluster.InstanceTypes[i];
            if (!seen.Add(name))
            {
                add($"cluster.instanceTypes[{i}]", $"'{name}' is listed twice.", "Remove the duplicate.");
            }
            else if (InstanceTypes.TryGet(name, out var info))
            {
                known.Add(info);
                if (!weakenings.AllowInstancesWithoutTransitEncryption && !TransitEncryption.Supports(name))
                {
                    add($"cluster.instanceTypes[{i}]", $"'{name}' does not encrypt traffic between instances (Nitro encryption in transit), so tasks' traffic to the database and each other would cross the VPC in the clear.", TransitEncryption.Fix(name));
                }
            }
            else
            {
                add($"cluster.instanceTypes[{i}]", $"'{name}' is not in the known instance-type table, so task sizes cannot be checked against it.", "Use a known type (m5/m6i/m7i/c6i/r6i, Graviton m6g/m7g/c7g…, t3/t4g medium and large); see docs/blueprint.md.");
            }
        }

        if (known.Select(k => k.Architecture).Distinct().Count() > 1)
        {
            add("cluster.instanceTypes", "the instance types mix x86_64 and arm64; one launch template has one AMI.", "Use types of one architecture (for example all Graviton: m7g.large, c7g.large).");
        }

        if (cluster.MinHosts < 0)
        {
            add("cluster.minHosts", $"{cluster.MinHosts} hosts is negative.", "Use 0 or more (2 recommended).");
        }

        if (cluster.MaxHosts < 1)
        {
            add("cluster.maxHosts", $"{cluster.MaxHosts} hosts leaves no capacity.", "Use at least 1.");
        }

        if (cluster.MinHosts > cluster.MaxHosts)
        {
            add("cluster.minHosts", $"minHosts {cluster.MinHosts} is greater than maxHosts {cluster.MaxHosts}.", "Make minHosts ≤ maxHosts.");
        }

        if (cluster.DesiredHosts < cluster.MinHosts || cluster.DesiredHosts > cluster.MaxHosts)
        {
            add("cluster.desiredHosts", $"desiredHosts {cluster.DesiredHosts} is not within minHosts..maxHosts ({cluster.MinHosts}..{cluster.MaxHosts}).", "Set desiredHosts between minHosts and maxHosts.");
        }

        if (cluster.TargetCapacityPercent is < 1 or > 100)
        {
            add("cluster.targetCapacityPercent", $"{cluster.TargetCapacityPercent} % is outside 1..100.", "Use 1 to 100 (90 leaves headroom for bursts).");
        }

        if (cluster.RootVolumeGiB is < 30 or > 16384)
        {
            add("cluster.rootVolumeGiB", $"{cluster.RootVolumeGiB} GiB is outside 30..16384 (the ECS-optimised AMI's snapshot is 30 GiB).", "Use at least 30 GiB.");
        }

        return known.Count == 0 ? null : known.OrderBy(k => k.CpuUnits).ThenBy(k => k.SchedulableMemoryMiB).First();
    }

    private static void ValidateLoadBalancer(EnvironmentSpec spec, Action<string, string, string> add)
    {
        var lb = spec.LoadBalancer;
        var hasDomain = lb.Domain is not null || lb.HostedZoneId is not null;
        if (lb.CertificateArn is null && !hasDomain)
        {
            add("loadBalancer.certificateArn", "no certificate source: HTTPS needs a certificate.", "Set loadBalancer.certificateArn to an ACM certificate in the environment's region, or set loadBalancer.domain and loadBalancer.hostedZoneId to create a DNS-validated one.");
        }
        else if (lb.CertificateArn is not null && hasDomain)
        {
            add("loadBalancer.certificateArn", "both a certificate ARN and a domain are set; only one certificate source can be used.", "Remove loadBalancer.certificateArn, or remove loadBalancer.domain and loadBalancer.hostedZoneId.");
        }

        if (lb.CertificateArn is not null)
        {
            var m = CertificateArn().Match(lb.CertificateArn);
            if (!m.Success)
            {
                add("loadBalancer.certificateArn", $"'{lb.CertificateArn}' is not an ACM certificate ARN.", "Copy the ARN from ACM: arn:aws:acm:<region>:<account>:certificate/<uuid>.");
            }
            else
            {
                if (!string.Equals(m.Groups["region"].Value, spec.Region, StringComparison.Ordinal))
                {
                    add("loadBalancer.certificateArn", $"the certificate is in {m.Groups["region"].Value}, but a load balancer can only use a certificate from its own region ({spec.Region}).", $"Request or import the certificate in {spec.Region} and use that ARN.");
                }

                if (spec.AccountId is not null && !string.Equals(m.Groups["account"].Value, spec.AccountId, StringComparison.Ordinal))
                {
                    add("loadBalancer.certificateArn", $"the certificate belongs to account {m.Groups["account"].Value}, not {spec.AccountId}.", "Use a certificate from the environment's account.");
                }
            }
        }

        if (hasDomain)
        {
            if (lb.Domain is null || !DomainName().IsMatch(lb.Domain) || lb.Domain.Length > 253)
            {
                add("loadBalancer.domain", $"'{lb.Domain}' is not a domain name.", "Set the domain the certificate covers, for example 'watch.example.com'.");
            }

            if (lb.HostedZoneId is null || !HostedZoneId().IsMatch(lb.HostedZoneId))
            {
                add("loadBalancer.hostedZoneId", $"'{lb.HostedZoneId}' is not a Route 53 hosted zone id.", "Copy the zone id from Route 53 (it starts with Z, for example Z0123456789ABCDEFGHIJ).");
            }
        }

        if (lb.AllowedClientCidrs.Count == 0)
        {
            add("loadBalancer.allowedClientCidrs", "no client range is allowed, so nobody can reach the load balancer.", "List the client ranges, or keep the default 0.0.0.0/0 for a public platform.");
        }

        var parsed = new List<(int Index, Ipv4Cidr Cidr)>();
        for (var i = 0; i < lb.AllowedClientCidrs.Count; i++)
        {
            if (!Ipv4Cidr.TryParse(lb.AllowedClientCidrs[i], out var cidr, out var error))
            {
                add($"loadBalancer.allowedClientCidrs[{i}]", error + ".", "Write the range as a network address and prefix, for example 203.0.113.0/24.");
                continue;
            }

            foreach (var (j, other) in parsed)
            {
                if (cidr.Overlaps(other))
                {
                    add($"loadBalancer.allowedClientCidrs[{i}]", $"{cidr} overlaps {other} (allowedClientCidrs[{j}]); the rules are redundant.", "Remove the narrower range or merge them.");
                }
            }

            parsed.Add((i, cidr));
        }
    }

    private static void ValidateServices(EnvironmentSpec spec, InstanceTypeInfo? smallest, Action<string, string, string> add)
    {
        if (spec.Services.Count == 0)
        {
            add("services", "no service is defined.", "Add at least one service.");
        }
        else if (spec.Services.Count > 99)
        {
            add("services", $"{spec.Services.Count} services exceed the 100 rules of one HTTPS listener (one is the default).", "Split the platform into several environments, or route several services through one.");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var logicalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var repositories = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var conditions = new Dictionary<string, (int Service, int Pattern)>(StringComparer.Ordinal);
        var priorities = new Dictionary<int, int>();
        for (var i = 0; i < spec.Services.Count; i++)
        {
            var s = spec.Services[i];
            var at = $"services[{i}]";
            if (!ServiceName().IsMatch(s.Name))
            {
                add($"{at}.name", $"'{s.Name}' is not a DNS-safe service name of 2–32 characters.", "Use lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (for example 'live-chat').");
            }
            else if (names.TryGetValue(s.Name, out var first))
            {
                add($"{at}.name", $"'{s.Name}' is already the name of services[{first}].", "Give every service a unique name.");
            }
            else if (logicalIds.TryGetValue(LogicalIds.Pascal(s.Name), out var twin))
            {
                // Logical IDs and export names drop the hyphens: 'web1' and 'web-1' would both be 'Web1'.
                add($"{at}.name", $"'{s.Name}' and services[{twin}] ('{spec.Services[twin].Name}') both become '{LogicalIds.Pascal(s.Name)}' in CloudFormation logical IDs and export names, so their resources would clash.", "Rename one of them so the names differ by more than hyphens (for example 'web-api' and 'web-admin').");
            }
            else
            {
                names[s.Name] = i;
                logicalIds[LogicalIds.Pascal(s.Name)] = i;
            }

            if (s.ContainerPort is < 1 or > 65535)
            {
                add($"{at}.containerPort", $"{s.ContainerPort} is not a TCP port.", "Use a port between 1024 and 65535 (8080 is the default).");
            }
            else if (s.ContainerPort < 1024 && !s.Weakenings.RunAsRoot)
            {
                add($"{at}.containerPort", $"port {s.ContainerPort} is privileged, but the container runs as a non-root user and cannot bind it.", $"Listen on a port ≥ 1024 (for example 8080), or set {at}.weakenings.runAsRoot (not recommended).");
            }

            if (s.HealthCheckPath is null || !s.HealthCheckPath.StartsWith('/') || s.HealthCheckPath.Length > 1024 || s.HealthCheckPath.Any(char.IsWhiteSpace))
            {
                add($"{at}.healthCheckPath", $"'{s.HealthCheckPath}' is not an absolute URL path.", "Start the path with '/', without spaces, at most 1024 characters (for example /health).");
            }

            if (s.ContainerHealthCheckCommand is { } command && (string.IsNullOrWhiteSpace(command) || command.Length > 1000))
            {
                add($"{at}.containerHealthCheckCommand", "the command is empty or longer than 1000 characters.", "Give a shell command that exits 0 when the container is healthy, or remove it to use the default probe.");
            }

            ValidateTaskSize(s, at, smallest, add);
            ValidateScaling(s.Scaling, at, add);
            ValidateRouting(spec, i, at, rules, conditions, priorities, add);
            ValidateVariables(spec, s, at, add);

            var repository = s.ImageRepository ?? $"{spec.Name}/{s.Name}";
            if (repository.Length is < 2 or > 256 || !RepositoryName().IsMatch(repository))
            {
                add($"{at}.imageRepository", $"'{repository}' is not a valid ECR repository name.", "Use 2–256 lowercase letters, digits and . _ - separated by '/' (for example blacksheep/web).");
            }
            else if (repositories.TryGetValue(repository, out var other))
            {
                add($"{at}.imageRepository", $"'{repository}' is already the repository of services[{other}].", "Give each service its own repository (least privilege: a task role reads only its own).");
            }
            else
            {
                repositories[repository] = i;
            }

            if (s.HealthCheckGraceSeconds is < 0 or > 7200)
            {
                add($"{at}.healthCheckGraceSeconds", $"{s.HealthCheckGraceSeconds} s is outside 0..7200.", "Use the time the service needs to start, for example 60.");
            }

            if (Array.IndexOf(LogRetentionValues, s.LogRetentionDays) < 0)
            {
                add($"{at}.logRetentionDays", $"{s.LogRetentionDays} days is not a CloudWatch Logs retention value.", $"Use one of {string.Join(", ", LogRetentionValues)}.");
            }
        }
    }

    private static void ValidateTaskSize(ServiceSpec s, string at, InstanceTypeInfo? smallest, Action<string, string, string> add)
    {
        if (s.Cpu < 128)
        {
            add($"{at}.cpu", $"{s.Cpu} CPU units is below the ECS minimum of 128.", "Use at least 128 (1024 = one vCPU).");
        }
        else if (smallest is not null && s.Cpu > smallest.CpuUnits)
        {
            add($"{at}.cpu", $"{s.Cpu} CPU units does not fit on {smallest.Name} ({smallest.CpuUnits} units), the smallest cluster instance type.", $"Use at most {smallest.CpuUnits}, or choose larger cluster.instanceTypes.");
        }

        if (s.Memory < 128)
        {
            add($"{at}.memory", $"{s.Memory} MiB is below 128 MiB.", "Use at least 128 MiB (512 is the default).");
        }
        else if (smallest is not null && s.Memory > smallest.SchedulableMemoryMiB)
        {
            add($"{at}.memory", $"{s.Memory} MiB does not fit on {smallest.Name} ({smallest.SchedulableMemoryMiB} MiB schedulable), the smallest cluster instance type.", $"Use at most {smallest.SchedulableMemoryMiB} MiB, or choose larger (or memory-optimised) cluster.instanceTypes.");
        }
    }

    private static void ValidateScaling(ScalingSpec scaling, string at, Action<string, string, string> add)
    {
        at += ".scaling";
        if (scaling.MinTasks < 0)
        {
            add($"{at}.minTasks", $"{scaling.MinTasks} tasks is negative.", "Use 0 or more (2 keeps the service up through a task or AZ loss).");
        }

        if (scaling.MaxTasks < 1)
        {
            add($"{at}.maxTasks", $"{scaling.MaxTasks} tasks leaves the service with no capacity.", "Use at least 1.");
        }
        else if (scaling.MaxTasks < scaling.MinTasks)
        {
            add($"{at}.maxTasks", $"maxTasks {scaling.MaxTasks} is less than minTasks {scaling.MinTasks}.", "Make maxTasks ≥ minTasks.");
        }

        if (scaling.DesiredTasks < scaling.MinTasks || scaling.DesiredTasks > scaling.MaxTasks)
        {
            add($"{at}.desiredTasks", $"desiredTasks {scaling.DesiredTasks} is not within minTasks..maxTasks ({scaling.MinTasks}..{scaling.MaxTasks}).", "Set desiredTasks between minTasks and maxTasks.");
        }

        if (scaling.RequestsPerTarget < 1)
        {
            add($"{at}.requestsPerTarget", $"{scaling.RequestsPerTarget} requests per target cannot be tracked.", "Use the requests per minute one task serves comfortably, for example 1000.");
        }

        if (scaling.CpuTargetPercent is < 10 or > 90)
        {
            add($"{at}.cpuTargetPercent", $"{scaling.CpuTargetPercent} % is outside 10..90.", "Use 10 to 90 (60–70 is typical), or remove it.");
        }
    }

    private static void ValidateRouting(EnvironmentSpec spec, int index, string at, Dictionary<string, int> rules, Dictionary<string, (int Service, int Pattern)> conditions, Dictionary<int, int> priorities, Action<string, string, string> add)
    {
        var routing = spec.Services[index].EffectiveRouting;
        at += ".routing";
        if (routing.PathPatterns.Count == 0 && routing.Hosts.Count == 0)
        {
            add(at, "the rule has no condition, so the load balancer cannot route to the service.", "Give at least one path pattern or host.");
        }

        // The listener rule holds at most five condition values in total.
        if (routing.PathPatterns.Count + routing.Hosts.Count > 5)
        {
            add(at, $"{routing.PathPatterns.Count + routing.Hosts.Count} condition values exceed the listener rule limit of 5.", "Use wildcards (for example /api/*) to cover several paths with one pattern.");
        }

        var hostKey = string.Join(",", routing.Hosts.Order(StringComparer.Ordinal));
        for (var p = 0; p < routing.PathPatterns.Count; p++)
        {
            var pattern = routing.PathPatterns[p];
            if (pattern.Length > 128 || !PathPattern().IsMatch(pattern))
            {
                add($"{at}.pathPatterns[{p}]", $"'{pattern}' is not a listener path pattern.", "Start with '/', at most 128 characters of A–Z a–z 0–9 _ - . $ / ~ \" ' @ : + & ( ) ! , ; = and the wildcards * ?.");
            }

            var key = $"{hostKey}|{pattern}";
            if (conditions.TryGetValue(key, out var owner) && owner.Service != index)
            {
                add($"{at}.pathPatterns[{p}]", $"'{pattern}' is already routed to services[{owner.Service}] ({spec.Services[owner.Service].Name}) for the same hosts.", "Route each path (per host) to one service only.");
            }
            else
            {
                conditions[key] = (index, p);
            }
        }

        for (var h = 0; h < routing.Hosts.Count; h++)
        {
            var host = routing.Hosts[h];
            if (host.Length > 128 || !HostPattern().IsMatch(host))
            {
                add($"{at}.hosts[{h}]", $"'{host}' is not a host-header pattern.", "Use a lowercase host name (wildcards * ? allowed), for example api.example.com.");
            }
        }

        var ruleKey = $"{hostKey}|{string.Join(",", routing.PathPatterns.Order(StringComparer.Ordinal))}";
        if (rules.TryGetValue(ruleKey, out var same))
        {
            add(at, $"the rule has the same conditions as services[{same}] ({spec.Services[same].Name}); one of them would never receive traffic.", "Give each service distinct path patterns or hosts.");
        }
        else
        {
            rules[ruleKey] = index;
        }

        var priority = routing.Priority ?? SpecDefaults.FirstRulePriority + (SpecDefaults.RulePriorityStep * index);
        if (priority is < 1 or > 50000)
        {
            add($"{at}.priority", $"priority {priority} is outside 1..50000.", "Use 1 to 50000; lower numbers are evaluated first.");
        }
        else if (priorities.TryGetValue(priority, out var taken))
        {
            add($"{at}.priority", $"priority {priority} is already used by services[{taken}] ({spec.Services[taken].Name}).", "Give every rule a unique priority (defaults are 100, 110, 120… in spec order).");
        }
        else
        {
            priorities[priority] = index;
        }
    }

    private static void ValidateVariables(EnvironmentSpec spec, ServiceSpec s, string at, Action<string, string, string> add)
    {
        foreach (var (name, _) in s.Environment)
        {
            if (!VariableName().IsMatch(name))
            {
                add($"{at}.environment.{name}", $"'{name}' is not an environment variable name.", "Use letters, digits and underscores, not starting with a digit.");
            }
            else if (!spec.Weakenings.AllowSecretLikeEnvironmentVariables && SecretLikeName().IsMatch(name))
            {
                add($"{at}.environment.{name}", $"'{name}' looks like a secret, and plain environment variables are visible in the task definition.", $"Move it to {at}.secrets as a Secrets Manager or SSM reference (or set weakenings.allowSecretLikeEnvironmentVariables).");
            }

            if (s.Secrets.ContainsKey(name))
            {
                add($"{at}.environment.{name}", $"'{name}' is both a plain variable and a secret.", "Keep it in secrets only.");
            }
        }

        foreach (var (name, reference) in s.Secrets)
        {
            if (!VariableName().IsMatch(name))
            {
                add($"{at}.secrets.{name}", $"'{name}' is not an environment variable name.", "Use letters, digits and underscores, not starting with a digit.");
            }

            if (!SecretReference.TryParse(reference, out var parsed))
            {
                add($"{at}.secrets.{name}", $"'{reference}' is not a secret reference.", "Use a Secrets Manager or SSM parameter ARN, or the short forms secretsmanager:NAME and ssm:/PATH.");
            }
            else if (parsed.Region is not null && !string.Equals(parsed.Region, spec.Region, StringComparison.Ordinal))
            {
                add($"{at}.secrets.{name}", $"the secret is in {parsed.Region}, not in the environment's region {spec.Region}.", $"Replicate the secret to {spec.Region} and reference the replica.");
            }
        }
    }

    private static void ValidateLiveEvents(EnvironmentSpec spec, ValidationContext context, Action<string, string, string> add)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var e = 0; e < spec.LiveEvents.Count; e++)
        {
            var ev = spec.LiveEvents[e];
            var at = $"liveEvents[{e}]";
            ValidateScheduleName(ev.Name, at, names, add);
            if (ev.StartUtc.Offset != TimeSpan.Zero)
            {
                add($"{at}.startUtc", $"{ev.StartUtc:O} is not UTC; local times are ambiguous.", $"Write it in UTC: {ev.StartUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
            }

            if (ev.EndUtc.Offset != TimeSpan.Zero)
            {
                add($"{at}.endUtc", $"{ev.EndUtc:O} is not UTC; local times are ambiguous.", $"Write it in UTC: {ev.EndUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
            }

            if (ev.EndUtc <= ev.StartUtc)
            {
                add($"{at}.endUtc", "the event ends before it starts.", "Set endUtc after startUtc.");
            }
            else if (context.Now is { } now && ev.EndUtc <= now)
            {
                // Auto Scaling refuses a scheduled action whose start time has passed, and the event is over anyway.
                add($"{at}.endUtc", $"'{ev.Name}' ended at {ev.EndUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, before now ({now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}).", "Move the event to its next date (startUtc and endUtc in the future), or remove it from liveEvents.");
            }

            if (ev.PreWarmMinutes is < 0 or > 1440)
            {
                add($"{at}.preWarmMinutes", $"{ev.PreWarmMinutes} minutes is outside 0..1440.", "Use the time hosts and tasks need to be ready, for example 60.");
            }

            if (ev.RestoreAfterMinutes is < 0 or > 1440)
            {
                add($"{at}.restoreAfterMinutes", $"{ev.RestoreAfterMinutes} minutes is outside 0..1440.", "Use the time late viewers need to drain, for example 15.");
            }

            if (ev.Slots < 1)
            {
                add($"{at}.slots", $"{ev.Slots} slots is not a programme.", "Use 1 or more.");
            }
            else if (ev.EndUtc > ev.StartUtc && ev.Duration.Ticks % (TimeSpan.TicksPerMinute * ev.Slots) != 0)
            {
                add($"{at}.slots", $"{ev.Duration.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes do not divide into {ev.Slots} slots of whole minutes.", "Adjust the slot count or the end time so each slot is a whole number of minutes.");
            }

            ValidateBounds(spec, ev.Services, at, raiseOnly: true, add);
        }

        // Overlaps per service: the first event's restore would cut the second event's raised capacity.
        foreach (var (f, e, shared) in LiveEventSchedule.FindOverlaps(spec.LiveEvents))
        {
            add($"liveEvents[{e}].startUtc", $"'{spec.LiveEvents[e].Name}' overlaps '{spec.LiveEvents[f].Name}' (liveEvents[{f}]) for service '{shared}', counting pre-warm and restore.", "Merge the two events, or move one so the windows (pre-warm start to restore) do not overlap.");
        }
    }

    private static void ValidateSchedules(EnvironmentSpec spec, Action<string, string, string> add)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ev in spec.LiveEvents)
        {
            names.TryAdd(ev.Name, "liveEvents");
        }

        for (var i = 0; i < spec.ScheduledScaling.Count; i++)
        {
            var schedule = spec.ScheduledScaling[i];
            var at = $"scheduledScaling[{i}]";
            ValidateScheduleName(schedule.Name, at, names, add);
            if (!IsCron(schedule.StartCron))
            {
                add($"{at}.startCron", $"'{schedule.StartCron}' is not an Application Auto Scaling cron expression.", "Write cron(minutes hours day-of-month month day-of-week year) with '?' in day-of-month or day-of-week, for example cron(0 8 ? * MON-SAT *).");
            }

            if (!IsCron(schedule.EndCron))
            {
                add($"{at}.endCron", $"'{schedule.EndCron}' is not an Application Auto Scaling cron expression.", "Write cron(minutes hours day-of-month month day-of-week year) with '?' in day-of-month or day-of-week, for example cron(0 17 ? * MON-SAT *).");
            }

            if (!IsTimeZone(schedule.TimeZone))
            {
                add($"{at}.timeZone", $"'{schedule.TimeZone}' is not an IANA time zone.", "Use a zone name such as Asia/Kolkata or UTC.");
            }

            ValidateBounds(spec, schedule.Services, at, raiseOnly: false, add);
        }
    }

    private static void ValidateScheduleName(string name, string at, Dictionary<string, string> names, Action<string, string, string> add)
    {
        if (!ServiceName().IsMatch(name))
        {
            add($"{at}.name", $"'{name}' is not a DNS-safe name of 2–32 characters.", "Use lowercase letters, digits and hyphens (it names the scheduled actions).");
        }
        else if (!names.TryAdd(name, at))
        {
            add($"{at}.name", $"'{name}' is already used by {names[name]}.", "Give every live event and schedule a unique name.");
        }
    }

    private static void ValidateBounds(EnvironmentSpec spec, IReadOnlyList<LiveEventServiceSpec> bounds, string at, bool raiseOnly, Action<string, string, string> add)
    {
        if (bounds.Count == 0)
        {
            add($"{at}.services", "no service is scaled.", "List the services to scale with their minTasks and maxTasks.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < bounds.Count; j++)
        {
            var b = bounds[j];
            var bt = $"{at}.services[{j}]";
            var service = spec.Services.FirstOrDefault(s => string.Equals(s.Name, b.Service, StringComparison.Ordinal));
            if (service is null)
            {
                add($"{bt}.service", $"'{b.Service}' is not a service of this environment.", $"Use one of: {string.Join(", ", spec.Services.Select(s => s.Name))}.");
            }
            else if (!seen.Add(b.Service))
            {
                add($"{bt}.service", $"'{b.Service}' is listed twice.", "List each service once.");
            }

            if (b.MinTasks < 0)
            {
                add($"{bt}.minTasks", $"{b.MinTasks} tasks is negative.", "Use 0 or more.");
            }

            if (b.MaxTasks < b.MinTasks || b.MaxTasks < 1)
            {
                add($"{bt}.maxTasks", $"maxTasks {b.MaxTasks} is less than minTasks {b.MinTasks} (or below 1).", "Make maxTasks ≥ minTasks and ≥ 1.");
            }

            if (raiseOnly && service is not null)
            {
                if (b.MinTasks < service.Scaling.MinTasks)
                {
                    add($"{bt}.minTasks", $"{b.MinTasks} lowers the floor of '{b.Service}' (normally {service.Scaling.MinTasks}); a live event only raises capacity.", $"Use at least {service.Scaling.MinTasks}.");
                }

                if (b.MaxTasks < service.Scaling.MaxTasks)
                {
                    add($"{bt}.maxTasks", $"{b.MaxTasks} lowers the ceiling of '{b.Service}' (normally {service.Scaling.MaxTasks}); a live event only raises capacity.", $"Use at least {service.Scaling.MaxTasks}.");
                }
            }
        }
    }

    private static void ValidateCapacity(EnvironmentSpec spec, InstanceTypeInfo? smallest, Action<string, string, string> add)
    {
        if (smallest is null || spec.Cluster.MaxHosts < 1)
        {
            return;
        }

        var cluster = spec.Cluster;
        var cpuCapacity = (long)cluster.MaxHosts * smallest.CpuUnits;
        var memoryCapacity = (long)cluster.MaxHosts * smallest.SchedulableMemoryMiB;
        var perHost = smallest.AwsvpcTasks(cluster.EniTrunking);
        var taskCapacity = (long)cluster.MaxHosts * perHost;
        var scenarios = new List<(string Name, IReadOnlyList<LiveEventServiceSpec> Raised)> { ("normal operation", []) };
        scenarios.AddRange(spec.LiveEvents.Select(e => ($"live event '{e.Name}'", e.Services)));
        scenarios.AddRange(spec.ScheduledScaling.Select(s => ($"schedule '{s.Name}'", s.Services)));
        // One problem for the most demanding scenario: raising maxHosts to cover it covers the others. Every task uses
        // awsvpc, so besides CPU and memory each one takes a network interface (or a trunk branch with ENI trunking).
        (string Name, IReadOnlyList<LiveEventServiceSpec> Raised, CapacityDemand Demand)? worst = null;
        foreach (var (name, raised) in scenarios)
        {
            var demand = ClusterCapacity.Demand(smallest, cluster.EniTrunking, ClusterCapacity.Tasks(spec, raised, floor: false));
            if (demand.Hosts > cluster.MaxHosts && (worst is null || demand.Hosts > worst.Value.Demand.Hosts))
            {
                worst = (name, raised, demand);
            }
        }

        if (worst is { } w)
        {
            var eniBound = w.Demand.HostsByEni > Math.Max(w.Demand.HostsByCpu, w.Demand.HostsByMemory);
            var perHostWhy = cluster.EniTrunking && smallest.TrunkedTaskLimit is not null
                ? $"{perHost} per host with ENI trunking"
                : $"{perHost} per host: {smallest.MaxNetworkInterfaces} network interfaces minus the primary, one per awsvpc task";
            var hosts = w.Demand.Hosts == long.MaxValue ? "a type with more network interfaces" : $"at least {w.Demand.Hosts}";
            var trunking = string.Empty;
            if (eniBound && !cluster.EniTrunking && smallest.TrunkedTaskLimit is { } trunked)
            {
                var withTrunking = ClusterCapacity.Demand(smallest, eniTrunking: true, ClusterCapacity.Tasks(spec, w.Raised, floor: false));
                trunking = $", or turn on ENI trunking ({trunked} tasks per {smallest.Name}, then {withTrunking.Hosts} hosts suffice): run 'aws ecs put-account-setting-default --name awsvpcTrunking --value enabled' in the account and region, then set cluster.eniTrunking: true";
            }

            add("cluster.maxHosts", $"{cluster.MaxHosts} × {smallest.Name} cannot hold every service at its maximum during {w.Name} ({w.Demand.Cpu} CPU units, {w.Demand.MemoryMiB} MiB and {w.Demand.Tasks} tasks needed; {cpuCapacity}, {memoryCapacity} and {taskCapacity} available, {perHostWhy}).", $"Raise cluster.maxHosts to {hosts}, choose larger instance types, or lower the maxTasks{trunking}.");
        }

        if (cluster.EniTrunking && smallest.TrunkedTaskLimit is null)
        {
            add("cluster.eniTrunking", $"{smallest.Name} does not support ENI trunking, so the account setting adds no task capacity on it.", "Use trunk-capable types (m5/m6i/m7i/c5/c6i/r5/r6i, Graviton m6g/m7g/c7g…, large and up; not t3/t4g), or set cluster.eniTrunking: false.");
        }
    }

    private static void ValidateSecurity(SecuritySpec security, Action<string, string, string> add)
    {
        if (!LogRetentionValues.Contains(security.LogRetentionDays))
        {
            add("security.logRetentionDays", $"{security.LogRetentionDays} is not a CloudWatch Logs retention value.", $"Use one of {string.Join(", ", LogRetentionValues)} (365 is the default; less is a weakening).");
        }

        if (security.AutoRemediateS3PublicAccess && !security.Config)
        {
            add("security.autoRemediateS3PublicAccess", "automatic remediation runs from an AWS Config rule, but security.config is false.", "Turn security.config back on, or set security.autoRemediateS3PublicAccess to false as well.");
        }

        var gate = security.ImageScanGate;
        if (gate.FailOn == FindingSeverity.Undefined)
        {
            add("security.imageScanGate.failOn", "UNDEFINED findings carry no rating, so the gate would fail on every finding it cannot rate.", "Use INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL.");
        }

        if (gate.TimeoutMinutes is < 1 or > 120)
        {
            add("security.imageScanGate.timeoutMinutes", $"{gate.TimeoutMinutes} is outside 1–120 minutes.", "ECR basic scans finish in minutes; use 20 (the default) unless scans are known to take longer.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < gate.Allow.Count; i++)
        {
            var allowance = gate.Allow[i];
            var path = $"security.imageScanGate.allow[{i}]";
            if (string.IsNullOrWhiteSpace(allowance.Id) || allowance.Id.Any(char.IsWhiteSpace))
            {
                add($"{path}.id", $"'{allowance.Id}' is not a finding id.", "Use the finding's id as the scan reports it, for example CVE-2024-3094.");
            }
            else if (!seen.Add(allowance.Id))
            {
                add($"{path}.id", $"'{allowance.Id}' is allowed twice.", "Keep one entry per finding id.");
            }

            if (allowance.Until == default)
            {
                add($"{path}.until", "the allowance has no end date.", "Set until to the last day the finding is accepted (YYYY-MM-DD); allowances always expire.");
            }

            if (string.IsNullOrWhiteSpace(allowance.Reason))
            {
                add($"{path}.reason", "the allowance does not say why the finding is accepted.", "Write the reason (no fix released yet, code path unreachable…) so that a reviewer can judge it.");
            }
        }
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;

    private static bool IsCron(string? text)
    {
        var m = CronExpression().Match(text ?? string.Empty);
        if (!m.Success)
        {
            return false;
        }

        var fields = m.Groups["fields"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 6 && (fields[2] == "?" ^ fields[4] == "?") && fields.All(f => CronField().IsMatch(f));
    }

    private static bool IsTimeZone(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone))
        {
            // Windows ids are resolved too; AWS needs the IANA name.
            return zone.HasIanaId || string.Equals(name, "UTC", StringComparison.Ordinal);
        }

        return false;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();

    [GeneratedRegex(@"^\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagText();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:acm:(?<region>[a-z0-9-]+):(?<account>\d{12}):certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex CertificateArn();

    [GeneratedRegex(@"^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainName();

    [GeneratedRegex("^Z[A-Z0-9]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostedZoneId();

    [GeneratedRegex(@"^/[A-Za-z0-9_\-.$/~""'@:+&()!,;=*?%]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[a-z0-9*?]([a-z0-9*?-]*[a-z0-9*?])?(\.[a-z0-9*?]([a-z0-9*?-]*[a-z0-9*?])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"^cron\((?<fields>[^()]+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CronExpression();

    [GeneratedRegex(@"^[0-9A-Z*?,/#LW-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CronField();
}
