using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;
using static Workmates.OttKit.Tests.Constructs.TemplateAssertions;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// AWS Foundational Security Best Practices controls that apply to the resources the blueprint creates, checked on a
/// default synth of the Blacksheep sample. Each test is named by its Security Hub control id.
/// </summary>
public sealed partial class SecurityControlTests
{
    private static readonly StackSet Platform = SampleSpecs.Blacksheep().Synthesize();

    private static IEnumerable<(string Stack, Resource Resource)> All(string type) =>
        Platform.Stacks.SelectMany(s => s.Template.Resources.Values.Where(r => r.Type == type).Select(r => (s.Name, r)));

    private static IEnumerable<CfnObject> Containers() => All("AWS::ECS::TaskDefinition")
        .SelectMany(t => ((CfnList)t.Resource.Properties["ContainerDefinitions"]).Cast<CfnObject>());

    private static string? Attribute(Resource resource, string property, string key) =>
        ((CfnList)resource.Properties[property]).Cast<CfnObject>()
            .Where(a => Text(a["Key"]) == key).Select(a => Text(a["Value"]) ?? (a["Value"] is Intrinsic ? "<intrinsic>" : null)).SingleOrDefault();

    private static Resource LaunchTemplate => All("AWS::EC2::LaunchTemplate").Single(l => l.Stack.EndsWith("-cluster", StringComparison.Ordinal)).Resource;

    private static Resource LoadBalancer => All("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource;

    [Fact]
    public void EC2_8_launch_template_requires_IMDSv2_with_hop_limit_1()
    {
        var options = At(LaunchTemplate.Properties, "LaunchTemplateData", "MetadataOptions");
        Assert.Equal("required", Text(At(options!, "HttpTokens")));
        Assert.Equal("1", Text(At(options!, "HttpPutResponseHopLimit")));
    }

    [Fact]
    public void AutoScaling_3_launch_template_requires_IMDSv2() =>
        Assert.Equal("required", Text(At(LaunchTemplate.Properties, "LaunchTemplateData", "MetadataOptions", "HttpTokens")));

    [Fact]
    public void AutoScaling_9_groups_use_launch_templates_not_launch_configurations()
    {
        Assert.Empty(All("AWS::AutoScaling::LaunchConfiguration"));
        Assert.All(All("AWS::AutoScaling::AutoScalingGroup"), g => Assert.False(g.Resource.Properties.ContainsKey("LaunchConfigurationName")));
    }

    [Fact]
    public void AutoScaling_2_group_spans_every_private_subnet()
    {
        var group = All("AWS::AutoScaling::AutoScalingGroup").Single().Resource;
        Assert.Contains("PrivateSubnetIds", group.Properties["VPCZoneIdentifier"].ToString(), StringComparison.Ordinal);
        Assert.True(SampleSpecs.Blacksheep().Network.AvailabilityZones >= 2);
    }

    [Fact]
    public void AutoScaling_6_group_uses_multiple_instance_types()
    {
        var group = All("AWS::AutoScaling::AutoScalingGroup").Single().Resource;
        Assert.True(((CfnList)At(group.Properties, "MixedInstancesPolicy", "LaunchTemplate", "Overrides")!).Count >= 2);
    }

    [Fact]
    public void EC2_3_host_root_volumes_are_encrypted_gp3()
    {
        var ebs = At(((CfnList)At(LaunchTemplate.Properties, "LaunchTemplateData", "BlockDeviceMappings")!)[0], "Ebs")!;
        Assert.Equal("true", Text(At(ebs, "Encrypted")));
        Assert.Equal("gp3", Text(At(ebs, "VolumeType")));
    }

    [Fact]
    public void EC2_15_subnets_never_assign_public_ips() =>
        Assert.All(All("AWS::EC2::Subnet"), s => Assert.Equal("false", Text(s.Resource.Properties["MapPublicIpOnLaunch"])));

    [Fact]
    public void EC2_6_vpc_flow_logging_is_enabled_for_all_traffic()
    {
        var flowLog = All("AWS::EC2::FlowLog").Single().Resource;
        Assert.Equal(("VPC", "ALL"), (Text(flowLog.Properties["ResourceType"]), Text(flowLog.Properties["TrafficType"])));
    }

    [Fact]
    public void EC2_18_EC2_19_unrestricted_ingress_only_on_80_and_443_of_the_load_balancer()
    {
        var open = All("AWS::EC2::SecurityGroup")
            .SelectMany(g => At(g.Resource.Properties, "SecurityGroupIngress") is CfnList rules ? rules.Cast<CfnObject>().Select(r => (g.Resource.LogicalId, Rule: r)) : [])
            .Where(r => Text(At(r.Rule, "CidrIp")) == "0.0.0.0/0")
            .ToArray();
        Assert.All(open, r => Assert.Equal("LoadBalancerSecurityGroup", r.LogicalId));
        Assert.All(open, r => Assert.Contains(Text(r.Rule["FromPort"]), new[] { "80", "443" }));
    }

    [Fact]
    public void ECS_2_services_do_not_assign_public_ips() =>
        Assert.All(All("AWS::ECS::Service"), s => Assert.Equal("DISABLED", Text(At(s.Resource.Properties, "NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"))));

    [Fact]
    public void ECS_3_task_definitions_do_not_share_the_host_pid_namespace() =>
        Assert.All(All("AWS::ECS::TaskDefinition"), t => Assert.False(t.Resource.Properties.ContainsKey("PidMode")));

    [Fact]
    public void ECS_4_containers_are_not_privileged() =>
        Assert.All(Containers(), c => Assert.Equal("false", Text(c["Privileged"])));

    [Fact]
    public void ECS_5_containers_read_only_root_with_tmpfs_tmp()
    {
        Assert.All(Containers(), c => Assert.Equal("true", Text(c["ReadonlyRootFilesystem"])));
        // Fargate has no tmpfs: there (the database patch task) /tmp is a task-scoped volume, the root still read-only.
        Assert.All(Containers(), c => Assert.Equal("/tmp", Text(At(((CfnList)(At(c, "LinuxParameters", "Tmpfs") ?? At(c, "MountPoints"))!)[0], "ContainerPath"))));
    }

    [Fact]
    public void ECS_8_secrets_are_not_passed_as_plain_environment_variables()
    {
        // Names ending in _ARN or _KEY_ID carry identifiers of secrets and keys (the backup task's), never their values.
        var names = Containers().SelectMany(c => At(c, "Environment") is CfnList env ? env.Cast<CfnObject>().Select(e => Text(e["Name"])!) : [])
            .Where(n => !n.EndsWith("_ARN", StringComparison.Ordinal) && !n.EndsWith("_KEY_ID", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("KEY", StringComparison.Ordinal) || n.Contains("SECRET", StringComparison.Ordinal) || n.Contains("PASSWORD", StringComparison.Ordinal) || n.Contains("URI", StringComparison.Ordinal));
        Assert.Contains(Containers(), c => At(c, "Secrets") is CfnList { Count: > 0 });
    }

    [Fact]
    public void ECS_9_task_definitions_have_a_logging_configuration() =>
        Assert.All(Containers(), c => Assert.Equal("awslogs", Text(At(c, "LogConfiguration", "LogDriver"))));

    [Fact]
    public void ECS_12_clusters_use_container_insights()
    {
        var settings = (CfnList)All("AWS::ECS::Cluster").Single().Resource.Properties["ClusterSettings"];
        Assert.Contains(settings.Cast<CfnObject>(), s => Text(s["Name"]) == "containerInsights" && Text(s["Value"]) is "enabled" or "enhanced");
    }

    [Fact]
    public void ECS_20_containers_run_as_a_non_root_user() =>
        Assert.All(Containers(), c => Assert.Equal("1000:1000", Text(At(c, "User"))));

    [Fact]
    public void ECS_services_roll_back_on_circuit_breaker_and_alarms()
    {
        foreach (var (_, service) in All("AWS::ECS::Service"))
        {
            var deployment = service.Properties["DeploymentConfiguration"];
            Assert.Equal("true", Text(At(deployment, "DeploymentCircuitBreaker", "Rollback")));
            Assert.Equal("true", Text(At(deployment, "Alarms", "Rollback")));
            Assert.Equal(2, ((CfnList)At(deployment, "Alarms", "AlarmNames")!).Count);
            Assert.Equal(("100", "200"), (Text(At(deployment, "MinimumHealthyPercent")), Text(At(deployment, "MaximumPercent"))));
        }
    }

    [Fact]
    public void ECR_1_repositories_scan_images_on_push() =>
        Assert.All(All("AWS::ECR::Repository"), r => Assert.Equal("true", Text(At(r.Resource.Properties, "ImageScanningConfiguration", "ScanOnPush"))));

    [Fact]
    public void ECR_2_repositories_have_immutable_tags() =>
        Assert.All(All("AWS::ECR::Repository"), r => Assert.Equal("IMMUTABLE", Text(r.Resource.Properties["ImageTagMutability"])));

    [Fact]
    public void ECR_3_repositories_have_a_lifecycle_policy() =>
        Assert.All(All("AWS::ECR::Repository"), r => Assert.NotNull(Text(At(r.Resource.Properties, "LifecyclePolicy", "LifecyclePolicyText"))));

    [Fact]
    public void ECR_5_repositories_are_encrypted_with_a_customer_managed_key() =>
        Assert.All(All("AWS::ECR::Repository"), r =>
        {
            Assert.Equal("KMS", Text(At(r.Resource.Properties, "EncryptionConfiguration", "EncryptionType")));
            Assert.IsType<Intrinsic>(At(r.Resource.Properties, "EncryptionConfiguration", "KmsKey"));
        });

    [Fact]
    public void ELB_1_http_listener_only_redirects_to_https()
    {
        var http = All("AWS::ElasticLoadBalancingV2::Listener").Single(l => Text(l.Resource.Properties["Protocol"]) == "HTTP").Resource;
        var action = (CfnObject)((CfnList)http.Properties["DefaultActions"]).Single();
        Assert.Equal(("redirect", "HTTPS"), (Text(action["Type"]), Text(At(action, "RedirectConfig", "Protocol"))));
    }

    [Fact]
    public void ELB_4_load_balancer_drops_invalid_header_fields() =>
        Assert.Equal("true", Attribute(LoadBalancer, "LoadBalancerAttributes", "routing.http.drop_invalid_header_fields.enabled"));

    [Fact]
    public void ELB_5_load_balancer_logs_access_to_a_bucket() =>
        Assert.Equal("true", Attribute(LoadBalancer, "LoadBalancerAttributes", "access_logs.s3.enabled"));

    [Fact]
    public void ELB_6_load_balancer_has_deletion_protection() =>
        Assert.Equal("true", Attribute(LoadBalancer, "LoadBalancerAttributes", "deletion_protection.enabled"));

    [Fact]
    public void ELB_6_weakening_disables_deletion_protection_explicitly()
    {
        var spec = SampleSpecs.Blacksheep() with { Weakenings = new Weakenings { DisableLoadBalancerDeletionProtection = true } };
        var alb = spec.Synthesize()["blacksheep-load-balancer"].Template.Resources["LoadBalancer"];
        Assert.Equal("false", Attribute(alb, "LoadBalancerAttributes", "deletion_protection.enabled"));
        Assert.Single(spec.DescribeWeakenings());
    }

    [Fact]
    public void ELB_12_load_balancer_uses_defensive_desync_mitigation() =>
        Assert.Equal("defensive", Attribute(LoadBalancer, "LoadBalancerAttributes", "routing.http.desync_mitigation_mode"));

    [Fact]
    public void ELB_13_load_balancer_spans_the_public_subnets_of_every_zone() =>
        Assert.Contains("PublicSubnetIds", LoadBalancer.Properties["Subnets"].ToString(), StringComparison.Ordinal);

    [Fact]
    public void ELB_16_load_balancer_is_associated_with_a_waf_web_acl()
    {
        var acl = All("AWS::WAFv2::WebACL").Single(a => Text(a.Resource.Properties["Scope"]) == "REGIONAL").Resource;
        var rules = ((CfnList)acl.Properties["Rules"]).Cast<CfnObject>().Select(r => Text(r["Name"]) ?? string.Empty).ToArray();
        Assert.Equal(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "RateLimitPerIp"], rules);
        Assert.Single(All("AWS::WAFv2::WebACLAssociation"));
    }

    [Fact]
    public void WAF_11_web_acl_logs_to_an_encrypted_log_group()
    {
        var logging = All("AWS::WAFv2::LoggingConfiguration").Single(l => l.Stack == "blacksheep-load-balancer").Resource;
        Assert.Contains("log-group:aws-waf-logs-blacksheep", logging.Properties["LogDestinationConfigs"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ELB_17_https_listener_uses_a_tls13_policy()
    {
        var https = All("AWS::ElasticLoadBalancingV2::Listener").Single(l => Text(l.Resource.Properties["Protocol"]) == "HTTPS").Resource;
        Assert.StartsWith("ELBSecurityPolicy-TLS13-", Text(https.Properties["SslPolicy"]), StringComparison.Ordinal);
        Assert.Equal("404", Text(At(((CfnList)https.Properties["DefaultActions"])[0], "FixedResponseConfig", "StatusCode")));
    }

    [Fact]
    public void S3_5_access_log_bucket_denies_requests_without_tls()
    {
        var policy = All("AWS::S3::BucketPolicy").Single(b => b.Resource.LogicalId == "AccessLogBucketPolicy").Resource.Properties["PolicyDocument"];
        var deny = ((CfnList)At(policy, "Statement")!).Cast<CfnObject>().Single(s => Text(s["Effect"]) == "Deny");
        Assert.Equal("false", Text(At(deny, "Condition", "Bool", "aws:SecureTransport")));
    }

    [Fact]
    public void S3_8_access_log_bucket_blocks_public_access() =>
        All("AWS::S3::Bucket").Single(b => b.Resource.LogicalId == "AccessLogBucket").Resource.HasProperties(new CfnObject
        {
            ["PublicAccessBlockConfiguration"] = new CfnObject { ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true },
        });

    [Fact]
    public void S3_12_access_log_bucket_disables_acls() =>
        All("AWS::S3::Bucket").Single(b => b.Resource.LogicalId == "AccessLogBucket").Resource.HasProperties(new CfnObject
        {
            ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } },
        });

    [Fact]
    public void S3_13_S3_14_access_log_bucket_is_versioned_with_a_lifecycle()
    {
        var bucket = All("AWS::S3::Bucket").Single(b => b.Resource.LogicalId == "AccessLogBucket").Resource
            .HasProperties(new CfnObject { ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" } }).Properties;
        Assert.NotNull(At(bucket, "LifecycleConfiguration", "Rules"));
        Assert.NotNull(At(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration"));
    }

    [Fact]
    public void CloudWatch_Logs_log_groups_are_kms_encrypted_and_kept_a_year()
    {
        var groups = All("AWS::Logs::LogGroup").ToArray();
        // Trail, VPC flow logs, ALB WAF, edge WAF (us-east-1), the MongoDB backup and health tasks, the MongoDB members' agents,
        // the ECS hosts' agents, the Session Manager transcripts (the sample has an access section) and one per service.
        Assert.Equal(8 + Platform.Stacks.Count(s => s.Name.Contains("-service-", StringComparison.Ordinal)), groups.Length);
        Assert.All(groups, g => Assert.IsType<Intrinsic>(g.Resource.Properties["KmsKeyId"]));
        Assert.All(groups, g => Assert.True(((CfnScalar)g.Resource.Properties["RetentionInDays"]).IntegerValue >= 365));
    }

    [Fact]
    public void KMS_4_keys_rotate() =>
        Assert.All(All("AWS::KMS::Key"), k => Assert.Equal("true", Text(k.Resource.Properties["EnableKeyRotation"])));

    [Fact]
    public void IAM_21_role_policies_have_no_wildcard_actions()
    {
        foreach (var (stack, role) in All("AWS::IAM::Role"))
        {
            var policies = At(role.Properties, "Policies") as CfnList ?? [];
            foreach (var statement in policies.Cast<CfnObject>().SelectMany(p => ((CfnList)At(p, "PolicyDocument", "Statement")!).Cast<CfnObject>()))
            {
                var actions = statement["Action"] is CfnList list ? list.Select(a => Text(a)!) : [Text(statement["Action"])!];
                Assert.All(actions, a => Assert.False(a.Contains('*', StringComparison.Ordinal), $"{stack}/{role.LogicalId}: {a}"));
            }
        }
    }

    [Fact]
    public void IAM_host_role_has_only_the_ecs_and_ssm_managed_policies()
    {
        var role = All("AWS::IAM::Role").Single(r => r.Resource.LogicalId == "InstanceRole").Resource;
        Assert.Equal(2, ((CfnList)role.Properties["ManagedPolicyArns"]).Count);
        // The CloudWatch agent's narrowed grants and, with people's access, the session transcripts: the only inline policies.
        var policies = Assert.IsType<CfnList>(role.Properties["Policies"]);
        Assert.Equal(["cloudwatch-agent", "session-logging"], policies.Cast<CfnObject>().Select(p => Text(At(p, "PolicyName"))));
    }

    [Fact]
    public void IAM_task_roles_grant_nothing_by_default() =>
        Assert.All(All("AWS::IAM::Role").Where(r => r.Resource.LogicalId == "TaskRole"), r => Assert.False(r.Resource.Properties.ContainsKey("Policies")));
}
