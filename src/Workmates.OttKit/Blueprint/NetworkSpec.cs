namespace Workmates.OttKit.Blueprint;

/// <summary>How many NAT gateways give the private subnets their egress.</summary>
public enum NatGatewayMode
{
    /// <summary>One NAT gateway in each AZ: an AZ failure only affects that AZ (the default).</summary>
    PerAvailabilityZone,

    /// <summary>One NAT gateway for all AZs: cheaper, but a single point of failure (a weakening).</summary>
    Shared,
}

/// <summary>The VPC: public, private (app) and isolated (data) subnets in each availability zone.</summary>
public sealed record NetworkSpec
{
    /// <summary>IPv4 CIDR of the VPC, a private range between /16 and /22 (the subnets are carved from it).</summary>
    /// <value>Default: <c>10.0.0.0/16</c>.</value>
    public string VpcCidr { get; init; } = SpecDefaults.VpcCidr;

    /// <summary>Number of availability zones (2–6; the load balancer needs at least 2).</summary>
    /// <value>Default: 3.</value>
    public int AvailabilityZones { get; init; } = SpecDefaults.AvailabilityZones;

    /// <summary>NAT gateway layout.</summary>
    /// <value>Default: <see cref="NatGatewayMode.PerAvailabilityZone"/>.</value>
    public NatGatewayMode NatGateways { get; init; } = SpecDefaults.NatGateways;

    /// <summary>Creates interface endpoints (ECR api/dkr, CloudWatch Logs, SSM) so hosts pull images without NAT.</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool InterfaceEndpoints { get; init; } = SpecDefaults.InterfaceEndpoints;

    /// <summary>CIDRs already in use elsewhere (peered VPCs, offices, VPNs) that the VPC must not overlap.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> ReservedCidrs { get; init; } = [];
}

/// <summary>The ECS cluster's EC2 capacity: a launch template, an Auto Scaling group and a capacity provider.</summary>
public sealed record ClusterSpec
{
    /// <summary>EC2 instance types (one architecture); the first is preferred. Must be in the known-types table.</summary>
    /// <value>Default: <c>[m6i.large, m5.large]</c> (two types of one size, so a shortage of one does not block scaling).</value>
    public IReadOnlyList<string> InstanceTypes { get; init; } = SpecDefaults.InstanceTypes;

    /// <summary>Minimum number of hosts.</summary>
    /// <value>Default: 2 (survives one host loss).</value>
    public int MinHosts { get; init; } = SpecDefaults.MinHosts;

    /// <summary>Initial number of hosts; managed scaling moves it afterwards.</summary>
    /// <value>Default: 2.</value>
    public int DesiredHosts { get; init; } = SpecDefaults.DesiredHosts;

    /// <summary>Maximum number of hosts; must hold every service's maximum tasks, live events included.</summary>
    /// <value>Default: 10.</value>
    public int MaxHosts { get; init; } = SpecDefaults.MaxHosts;

    /// <summary>Capacity-provider managed-scaling target utilisation, in percent (1–100).</summary>
    /// <value>Default: 90 (10 % headroom for task bursts).</value>
    public int TargetCapacityPercent { get; init; } = SpecDefaults.TargetCapacityPercent;

    /// <summary>Size of the encrypted gp3 root volume in GiB (at least the AMI's 30 GiB).</summary>
    /// <value>Default: 30.</value>
    public int RootVolumeGiB { get; init; } = SpecDefaults.RootVolumeGiB;

    /// <summary>
    /// States that the ECS account setting <c>awsvpcTrunking</c> is on in the environment's account and region
    /// (<c>aws ecs put-account-setting-default --name awsvpcTrunking --value enabled</c>; CloudFormation has no resource
    /// for it). Capacity checks then count the trunked task limit per host instead of the host's ENIs minus one.
    /// </summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool EniTrunking { get; init; }
}

/// <summary>The public Application Load Balancer and its TLS certificate.</summary>
public sealed record LoadBalancerSpec
{
    /// <summary>ARN of an existing ACM certificate in the environment's region. Set this, or <see cref="Domain"/> and <see cref="HostedZoneId"/>.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? CertificateArn { get; init; }

    /// <summary>Domain name for a new DNS-validated ACM certificate (with <see cref="HostedZoneId"/>).</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? Domain { get; init; }

    /// <summary>Route 53 hosted zone id that validates <see cref="Domain"/>.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? HostedZoneId { get; init; }

    /// <summary>Client CIDRs allowed to reach ports 80 and 443.</summary>
    /// <value>Default: <c>[0.0.0.0/0]</c> (a public platform; WAF filters abuse).</value>
    public IReadOnlyList<string> AllowedClientCidrs { get; init; } = [SpecDefaults.AllowedClientCidr];
}
