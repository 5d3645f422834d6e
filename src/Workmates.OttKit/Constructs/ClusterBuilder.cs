using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The cluster stack: ECS cluster with Container Insights; a launch template (ECS-optimised Amazon Linux 2023 AMI
/// from the public SSM parameter, IMDSv2 with hop limit 1, encrypted gp3 root volume, an instance role with only the
/// ECS and SSM managed policies); an Auto Scaling group over the private subnets; a capacity provider with managed
/// scaling and termination protection, set as the cluster's default strategy. No launch configurations.
/// </summary>
internal static partial class ClusterBuilder
{
    /// <summary>
    /// The task definitions' <c>RuntimePlatform</c> for this cluster's hosts (the validator keeps them to one CPU
    /// architecture): ECS then places the tasks only where the image runs, and the workflows build for the same platform.
    /// </summary>
    /// <param name="instanceTypes">The cluster's instance types (<c>cluster.instanceTypes</c>); the first decides.</param>
    public static CfnObject RuntimePlatform(IReadOnlyList<string> instanceTypes) => RuntimePlatform(HostArchitecture(instanceTypes));

    /// <summary>The task definitions' <c>RuntimePlatform</c> for hosts of <paramref name="architecture"/>.</summary>
    /// <param name="architecture">The hosts' CPU architecture (<see cref="HostArchitecture"/>).</param>
    public static CfnObject RuntimePlatform(CpuArchitecture architecture) => new()
    {
        ["CpuArchitecture"] = architecture == CpuArchitecture.Arm64 ? "ARM64" : "X86_64",
        ["OperatingSystemFamily"] = "LINUX",
    };

    /// <summary>The CPU architecture of the cluster's hosts: the first instance type's (the validator keeps them to one).</summary>
    /// <param name="instanceTypes">The cluster's instance types (<c>cluster.instanceTypes</c>).</param>
    public static CpuArchitecture HostArchitecture(IReadOnlyList<string> instanceTypes) =>
        InstanceTypes.TryGet(instanceTypes[0], out var first) && first.Architecture == CpuArchitecture.Arm64 ? CpuArchitecture.Arm64 : CpuArchitecture.X64;

    /// <summary>Builds the cluster stack.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The cluster stack.</param>
    /// <param name="cluster">The cluster's props.</param>
    /// <param name="security">The logs key of the hosts' log group.</param>
    /// <param name="network">The VPC and private subnets of the hosts.</param>
    /// <param name="sessions">The Session Manager logging the hosts' role is granted, when people's access is on.</param>
    /// <returns>The cluster's handles.</returns>
    public static Cluster Build(PlatformNaming naming, StackScope scope, ClusterProps cluster, SecurityBaseline security, Network network, SessionLogging? sessions)
    {
        var types = cluster.InstanceTypes;
        var arm = HostArchitecture(types) == CpuArchitecture.Arm64;
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: ECS cluster on EC2 (launch template, Auto Scaling group, capacity provider)";

        var ami = t.Add(new Parameter("EcsAmiId", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        {
            Default = arm
                ? "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
                : "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
            Description = "ECS-optimised Amazon Linux 2023 AMI, resolved from AWS's public SSM parameter at deploy time",
        });

        var ecs = t.AddResource("Cluster", "AWS::ECS::Cluster", new CfnObject
        {
            ["ClusterName"] = naming.Env,
            ["ClusterSettings"] = new CfnList { new CfnObject { ["Name"] = "containerInsights", ["Value"] = "enhanced" } },
            ["Tags"] = naming.Tags("cluster"),
        });
        // Control Tower's rule predates "enhanced" (Container Insights with per-container metrics) and accepts only "enabled".
        GuardSuppressions.Suppress(ecs, GuardSuppressions.ContainerInsights);

        var hosts = t.AddResource("HostSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}: ECS hosts (no inbound; HTTPS out for the ECS agent, SSM and image pulls)",
            ["VpcId"] = network.VpcId.In(scope),
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to AWS APIs and registries" },
            },
            ["Tags"] = naming.Tags("hosts"),
        });

        var role = t.AddResource("InstanceRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("ec2.amazonaws.com"),
            ["ManagedPolicyArns"] = new CfnList
            {
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
                Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"),
            },
            ["Tags"] = naming.Tags("host-role"),
        });
        var sessionLogging = new PolicyDocument();
        foreach (var statement in sessions?.GrantWriteTranscripts(scope) ?? [])
        {
            sessionLogging.Add(statement);
        }

        // The hosts' CloudWatch agent (EcsHostAgent): its own KMS log group and metric namespace only.
        var hostLogs = EcsHostAgent.LogGroup(t, naming, security.LogsKey.Arn.In(scope));
        var policies = new CfnList { new CfnObject { ["PolicyName"] = "cloudwatch-agent", ["PolicyDocument"] = EcsHostAgent.Policy(hostLogs).ToNode() } };
        if (sessionLogging.Any())
        {
            policies.Add(new CfnObject { ["PolicyName"] = "session-logging", ["PolicyDocument"] = sessionLogging.ToNode() });
        }

        role.Properties["Policies"] = policies;

        var profile = t.AddResource("InstanceProfile", "AWS::IAM::InstanceProfile", new CfnObject { ["Roles"] = new CfnList { role.Ref() } });

        // ECS_AWSVPC_BLOCK_IMDS keeps awsvpc tasks away from the host's credentials; hop limit 1 does the same for bridge mode.
        var userData = Fn.Base64(Fn.Sub(string.Join('\n', (string[])[
            "#!/bin/bash",
            "cat >> /etc/ecs/ecs.config <<'EOF'",
            "ECS_CLUSTER=${Cluster}",
            "ECS_AWSVPC_BLOCK_IMDS=true",
            "ECS_ENABLE_TASK_IAM_ROLE=true",
            "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true",
            "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance",
            "EOF",
            .. EcsHostAgent.UserDataLines(),
            string.Empty])));
        var launchTemplate = t.AddResource("LaunchTemplate", "AWS::EC2::LaunchTemplate", new CfnObject
        {
            ["LaunchTemplateData"] = new CfnObject
            {
                ["ImageId"] = ami.Ref(),
                ["InstanceType"] = types[0],
                ["IamInstanceProfile"] = new CfnObject { ["Arn"] = profile.GetAtt("Arn") },
                ["SecurityGroupIds"] = new CfnList { hosts.GetAtt("GroupId") },
                ["MetadataOptions"] = HostParts.ImdsV2Only(),
                ["BlockDeviceMappings"] = HostParts.RootVolume(cluster.RootVolumeGiB, key: null),
                ["Monitoring"] = new CfnObject { ["Enabled"] = true },
                ["UserData"] = userData,
                ["TagSpecifications"] = new CfnList
                {
                    new CfnObject { ["ResourceType"] = "instance", ["Tags"] = naming.Tags("host") },
                    new CfnObject { ["ResourceType"] = "volume", ["Tags"] = naming.Tags("host") },
                },
            },
            ["TagSpecifications"] = new CfnList { new CfnObject { ["ResourceType"] = "launch-template", ["Tags"] = naming.Tags("hosts") } },
        });

        var templateReference = new CfnObject
        {
            ["LaunchTemplateId"] = launchTemplate.Ref(),
            ["Version"] = launchTemplate.GetAtt("LatestVersionNumber"),
        };
        var group = t.AddResource("AutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup", new CfnObject
        {
            ["MinSize"] = cluster.MinHosts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MaxSize"] = cluster.MaxHosts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DesiredCapacity"] = cluster.DesiredHosts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VPCZoneIdentifier"] = Fn.Split(",", network.PrivateSubnetIds.In(scope)),
            // The zones of those subnets, named too (Control Tower CT.AUTOSCALING.PR.1), chosen as the network stack chose them.
            ["AvailabilityZones"] = new CfnList([.. Enumerable.Range(0, cluster.AvailabilityZones).Select(static i => (CfnNode)Fn.Select(i, Fn.GetAZs()))]),
            ["MixedInstancesPolicy"] = new CfnObject
            {
                ["LaunchTemplate"] = new CfnObject
                {
                    ["LaunchTemplateSpecification"] = templateReference,
                    ["Overrides"] = new CfnList([.. types.Select(type => (CfnNode)new CfnObject { ["InstanceType"] = type })]),
                },
                ["InstancesDistribution"] = new CfnObject
                {
                    ["OnDemandBaseCapacity"] = 0,
                    ["OnDemandPercentageAboveBaseCapacity"] = 100,
                    ["OnDemandAllocationStrategy"] = "prioritized",
                },
            },
            ["NewInstancesProtectedFromScaleIn"] = true,
            ["CapacityRebalance"] = true,
            ["HealthCheckType"] = "EC2",
            ["HealthCheckGracePeriod"] = 120,
            ["MetricsCollection"] = new CfnList { new CfnObject { ["Granularity"] = "1Minute" } },
            ["Tags"] = new CfnList([.. naming.AutoScalingTags("host"), new CfnObject { ["Key"] = PlatformNaming.PatchGroupTag, ["Value"] = naming.EcsPatchGroup, ["PropagateAtLaunch"] = true }]),
        });

        HostFloorBuilder.Add(t, cluster.HostFloor, group);
        scope.Graph.Architecture.Cluster = new(scope.Name, naming.Env, [.. types.Distinct(StringComparer.Ordinal)], cluster.MinHosts, cluster.MaxHosts); // architecture fact

        var provider = t.AddResource("CapacityProvider", "AWS::ECS::CapacityProvider", new CfnObject
        {
            ["AutoScalingGroupProvider"] = new CfnObject
            {
                ["AutoScalingGroupArn"] = group.Ref(),
                ["ManagedScaling"] = new CfnObject
                {
                    ["Status"] = "ENABLED",
                    ["TargetCapacity"] = cluster.TargetCapacityPercent,
                    ["MinimumScalingStepSize"] = 1,
                    ["MaximumScalingStepSize"] = Math.Max(1, Math.Min(10, cluster.MaxHosts)),
                    ["InstanceWarmupPeriod"] = 180,
                },
                ["ManagedTerminationProtection"] = "ENABLED",
                ["ManagedDraining"] = "ENABLED",
            },
            ["Tags"] = naming.Tags("capacity"),
        });

        t.AddResource("ClusterCapacityProviders", "AWS::ECS::ClusterCapacityProviderAssociations", new CfnObject
        {
            ["Cluster"] = ecs.Ref(),
            ["CapacityProviders"] = new CfnList { provider.Ref() },
            ["DefaultCapacityProviderStrategy"] = new CfnList
            {
                new CfnObject { ["CapacityProvider"] = provider.Ref(), ["Weight"] = 1, ["Base"] = 0 },
            },
        });

        return new Cluster(
            scope,
            scope.Export("ClusterName", ecs.Ref(), "ECS cluster name"),
            scope.Export("ClusterArn", ecs.GetAtt("Arn"), "ECS cluster ARN"),
            scope.Export("CapacityProviderName", provider.Ref(), "EC2 capacity provider of the cluster"),
            scope.Export("AutoScalingGroupName", group.Ref(), "Auto Scaling group of the hosts"),
            scope.Export("HostSecurityGroupId", hosts.GetAtt("GroupId"), "Security group of the hosts; admin access adds its SSH rule from the VPN host"));
    }
}

/// <summary>The cluster construct's props (<c>cluster.*</c>, the zone count and the host floor; see
/// <see cref="ConstructProps.Cluster"/>).</summary>
/// <param name="InstanceTypes">Instance types in priority order; the first sets the AMI's and tasks' architecture.</param>
/// <param name="RootVolumeGiB">Size of each host's root volume.</param>
/// <param name="MinHosts">The group's minimum size.</param>
/// <param name="MaxHosts">The group's maximum size.</param>
/// <param name="DesiredHosts">The group's initial desired size.</param>
/// <param name="TargetCapacityPercent">The capacity provider's managed-scaling target.</param>
/// <param name="AvailabilityZones">How many zones the network spans (the group names the same ones).</param>
/// <param name="HostFloor">The live events' host floors.</param>
internal sealed record ClusterProps(
    IReadOnlyList<string> InstanceTypes,
    int RootVolumeGiB,
    int MinHosts,
    int MaxHosts,
    int DesiredHosts,
    int TargetCapacityPercent,
    int AvailabilityZones,
    HostFloorProps HostFloor);
