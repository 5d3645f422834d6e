using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The network stack: VPC; public, private (app) and isolated (data) subnets per AZ; internet gateway; NAT gateways;
/// route tables; VPC flow logs to a KMS-encrypted log group; an S3 gateway endpoint and optional interface endpoints.
/// Its flow-log group uses the security stack's logs KMS key.
/// </summary>
internal static class NetworkBuilder
{
    /// <summary>Interface endpoints that let private hosts pull images, ship logs and reach SSM without NAT.</summary>
    private static readonly (string Id, string Service)[] InterfaceEndpoints =
    [
        ("EcrApi", "ecr.api"), ("EcrDocker", "ecr.dkr"), ("Logs", "logs"), ("Ssm", "ssm"),
        ("SsmMessages", "ssmmessages"), ("Ec2Messages", "ec2messages"), ("Ecs", "ecs"), ("EcsAgent", "ecs-agent"), ("EcsTelemetry", "ecs-telemetry"),
    ];

    public static Network Build(PlatformNaming naming, StackScope scope, NetworkProps network, SecurityBaseline security)
    {
        if (!Ipv4Cidr.TryParse(network.VpcCidr, out var vpcCidr, out var error))
        {
            throw new InvalidOperationException($"network.vpcCidr: {error} (validation should have refused the spec).");
        }

        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: network (VPC, subnets, NAT, flow logs, endpoints)";

        // The logs key lives in the security stack; the export stays here for stacks that import it from the network.
        var logsKey = security.LogsKey.Arn.In(scope);

        var vpc = t.AddResource("Vpc", "AWS::EC2::VPC", new CfnObject
        {
            ["CidrBlock"] = vpcCidr.ToString(),
            ["EnableDnsHostnames"] = true,
            ["EnableDnsSupport"] = true,
            ["Tags"] = naming.Tags("vpc"),
        });
        var igw = t.AddResource("InternetGateway", "AWS::EC2::InternetGateway", new CfnObject { ["Tags"] = naming.Tags("igw") });
        var attachment = t.AddResource("InternetGatewayAttachment", "AWS::EC2::VPCGatewayAttachment", new CfnObject
        {
            ["VpcId"] = vpc.Ref(),
            ["InternetGatewayId"] = igw.Ref(),
        });

        // Layout: app subnets take /prefix+3 blocks 0..5; public and isolated share blocks 6 and 7, split 8 ways.
        var appPrefix = vpcCidr.Prefix + 3;
        var smallPrefix = vpcCidr.Prefix + 6;
        var publicBlock = vpcCidr.Subnet(appPrefix, 6);
        var isolatedBlock = vpcCidr.Subnet(appPrefix, 7);

        var publicRoutes = t.AddResource("PublicRouteTable", "AWS::EC2::RouteTable", new CfnObject { ["VpcId"] = vpc.Ref(), ["Tags"] = naming.Tags("public") });
        t.AddResource("PublicDefaultRoute", "AWS::EC2::Route", new CfnObject
        {
            ["RouteTableId"] = publicRoutes.Ref(),
            ["DestinationCidrBlock"] = "0.0.0.0/0",
            ["GatewayId"] = igw.Ref(),
        }).DependOn(attachment);
        var dataEgress = network.DataEgress;
        var isolatedRoutes = t.AddResource("IsolatedRouteTable", "AWS::EC2::RouteTable", new CfnObject { ["VpcId"] = vpc.Ref(), ["Tags"] = naming.Tags("isolated") });

        var publicSubnets = new List<CfnNode>();
        var privateSubnets = new List<CfnNode>();
        var isolatedSubnets = new List<CfnNode>();
        var privateRouteTables = new List<CfnNode>();
        Resource? sharedNat = null;
        for (var i = 0; i < network.AvailabilityZones; i++)
        {
            var n = i + 1;
            var az = Fn.Select(i, Fn.GetAZs());
            var pub = Subnet(t, naming, $"PublicSubnet{n}", vpc, az, publicBlock.Subnet(smallPrefix, i), $"public-{n}");
            var app = Subnet(t, naming, $"PrivateSubnet{n}", vpc, az, vpcCidr.Subnet(appPrefix, i), $"private-{n}");
            var iso = Subnet(t, naming, $"IsolatedSubnet{n}", vpc, az, isolatedBlock.Subnet(smallPrefix, i), $"isolated-{n}");
            // Architecture facts (the diagram's tiers and zones): what this construct made, where.
            scope.Graph.Architecture.Subnets.AddRange([
                new(scope.Name, $"public-{n}", SubnetTier.Public, i, publicBlock.Subnet(smallPrefix, i).ToString()),
                new(scope.Name, $"private-{n}", SubnetTier.Private, i, vpcCidr.Subnet(appPrefix, i).ToString()),
                new(scope.Name, $"isolated-{n}", SubnetTier.Data, i, isolatedBlock.Subnet(smallPrefix, i).ToString())]);
            publicSubnets.Add(pub.Ref());
            privateSubnets.Add(app.Ref());
            isolatedSubnets.Add(iso.Ref());
            Associate(t, $"PublicSubnet{n}RouteTableAssociation", pub, publicRoutes);

            Resource nat;
            if (network.NatGateways == NatGatewayMode.PerAvailabilityZone || sharedNat is null)
            {
                var eip = t.AddResource($"NatAddress{n}", "AWS::EC2::EIP", new CfnObject { ["Domain"] = "vpc", ["Tags"] = naming.Tags($"nat-{n}") });
                eip.DependOn(attachment);
                nat = t.AddResource($"NatGateway{n}", "AWS::EC2::NatGateway", new CfnObject
                {
                    ["AllocationId"] = eip.GetAtt("AllocationId"),
                    ["SubnetId"] = pub.Ref(),
                    ["Tags"] = naming.Tags($"nat-{n}"),
                });
                sharedNat ??= nat;
                scope.Graph.Architecture.NatGateways.Add(new(scope.Name, i)); // architecture fact
            }
            else
            {
                nat = sharedNat;
            }

            var routes = t.AddResource($"PrivateRouteTable{n}", "AWS::EC2::RouteTable", new CfnObject { ["VpcId"] = vpc.Ref(), ["Tags"] = naming.Tags($"private-{n}") });
            t.AddResource($"PrivateDefaultRoute{n}", "AWS::EC2::Route", new CfnObject
            {
                ["RouteTableId"] = routes.Ref(),
                ["DestinationCidrBlock"] = "0.0.0.0/0",
                ["NatGatewayId"] = nat.Ref(),
            });
            Associate(t, $"PrivateSubnet{n}RouteTableAssociation", app, routes);

            // Data subnets have no inbound path from the internet either way; with a database they leave through the
            // AZ's NAT gateway (outbound only) so members reach the MongoDB repository and Secrets Manager.
            Associate(t, $"IsolatedSubnet{n}RouteTableAssociation", iso, dataEgress ? routes : isolatedRoutes);
            privateRouteTables.Add(routes.Ref());
        }

        AddFlowLogs(t, naming, vpc, logsKey);

        t.AddResource("S3GatewayEndpoint", "AWS::EC2::VPCEndpoint", new CfnObject
        {
            ["VpcId"] = vpc.Ref(),
            ["ServiceName"] = Fn.Sub("com.amazonaws.${AWS::Region}.s3"),
            ["VpcEndpointType"] = "Gateway",
            ["RouteTableIds"] = new CfnList([.. privateRouteTables, isolatedRoutes.Ref()]),
        });

        if (network.InterfaceEndpoints)
        {
            var endpointGroup = t.AddResource("EndpointSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
            {
                ["GroupDescription"] = $"{naming.Env}: HTTPS from the VPC to the interface endpoints",
                ["VpcId"] = vpc.Ref(),
                ["SecurityGroupIngress"] = new CfnList
                {
                    new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = vpcCidr.ToString(), ["Description"] = "HTTPS from the VPC" },
                },
                ["SecurityGroupEgress"] = new CfnList { PlatformNaming.NoEgress() },
                ["Tags"] = naming.Tags("endpoints"),
            });
            foreach (var (id, service) in InterfaceEndpoints)
            {
                t.AddResource($"{id}Endpoint", "AWS::EC2::VPCEndpoint", new CfnObject
                {
                    ["VpcId"] = vpc.Ref(),
                    ["ServiceName"] = Fn.Sub($"com.amazonaws.${{AWS::Region}}.{service}"),
                    ["VpcEndpointType"] = "Interface",
                    ["PrivateDnsEnabled"] = true,
                    ["SubnetIds"] = new CfnList(privateSubnets),
                    ["SecurityGroupIds"] = new CfnList { endpointGroup.Ref() },
                });
            }
        }

        // Architecture facts: the VPC, its internet gateway and its endpoints.
        scope.Graph.Architecture.VpcCidr = vpcCidr.ToString();
        scope.Graph.Architecture.InternetGateway = true;
        scope.Graph.Architecture.VpcEndpoints = 1 + (network.InterfaceEndpoints ? InterfaceEndpoints.Length : 0);

        return new Network(
            scope,
            scope.Export("VpcId", vpc.Ref(), "VPC id"),
            scope.Export("VpcCidr", vpc.GetAtt("CidrBlock"), "VPC IPv4 CIDR"),
            scope.Export("PublicSubnetIds", Fn.Join(",", [.. publicSubnets]), "Public subnet ids, comma-separated, in AZ order"),
            scope.Export("PrivateSubnetIds", Fn.Join(",", [.. privateSubnets]), "Private (app) subnet ids, comma-separated, in AZ order"),
            scope.Export("IsolatedSubnetIds", Fn.Join(",", [.. isolatedSubnets]), "Isolated (data) subnet ids, comma-separated, in AZ order"),
            scope.Export("LogsKeyArn", security.LogsKey.Arn.In(scope), "KMS key for the environment's log groups (the security stack's logs key)"));
    }

    private static Resource Subnet(Template t, PlatformNaming naming, string id, Resource vpc, CfnNode az, Ipv4Cidr cidr, string name) =>
        t.AddResource(id, "AWS::EC2::Subnet", new CfnObject
        {
            ["VpcId"] = vpc.Ref(),
            ["AvailabilityZone"] = az,
            ["CidrBlock"] = cidr.ToString(),
            ["MapPublicIpOnLaunch"] = false,
            ["Tags"] = naming.Tags(name),
        });

    private static void Associate(Template t, string id, Resource subnet, Resource routes) =>
        t.AddResource(id, "AWS::EC2::SubnetRouteTableAssociation", new CfnObject
        {
            ["SubnetId"] = subnet.Ref(),
            ["RouteTableId"] = routes.Ref(),
        });

    private static void AddFlowLogs(Template t, PlatformNaming naming, Resource vpc, Intrinsic logsKey)
    {
        var group = t.AddResource("FlowLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = $"/ottkit/{naming.Env}/vpc-flow-logs",
            ["RetentionInDays"] = SpecDefaults.FlowLogRetentionDays,
            ["KmsKeyId"] = logsKey,
            ["Tags"] = naming.Tags("flow-logs"),
        });
        group.DeletionPolicy = DeletionPolicy.Retain;
        group.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        var role = t.AddResource("FlowLogRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("vpc-flow-logs.amazonaws.com"),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "deliver-flow-logs",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Actions = { "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams" },
                            Resources = { group.GetAtt("Arn") },
                        },
                    }.ToNode(),
                },
            },
            ["Tags"] = naming.Tags("flow-logs"),
        });
        t.AddResource("FlowLog", "AWS::EC2::FlowLog", new CfnObject
        {
            ["ResourceType"] = "VPC",
            ["ResourceId"] = vpc.Ref(),
            ["TrafficType"] = "ALL",
            ["LogDestinationType"] = "cloud-watch-logs",
            ["LogGroupName"] = group.Ref(),
            ["DeliverLogsPermissionArn"] = role.GetAtt("Arn"),
            ["MaxAggregationInterval"] = 60,
            ["Tags"] = naming.Tags("flow-log"),
        });
    }
}

/// <summary>The network construct's props (from <c>network.*</c>; see <see cref="ConstructProps.Network"/>).</summary>
/// <param name="VpcCidr">The VPC's IPv4 CIDR (validated).</param>
/// <param name="AvailabilityZones">How many AZs get a public, private and isolated subnet.</param>
/// <param name="NatGateways">One NAT gateway per AZ, or one shared.</param>
/// <param name="InterfaceEndpoints">Whether private hosts reach ECR, logs, SSM and ECS through interface endpoints.</param>
/// <param name="DataEgress">Whether the isolated (data) subnets leave through the NAT gateways (there is a database).</param>
internal sealed record NetworkProps(string VpcCidr, int AvailabilityZones, NatGatewayMode NatGateways, bool InterfaceEndpoints, bool DataEgress);
