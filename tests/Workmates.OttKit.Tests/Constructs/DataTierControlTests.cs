using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;
using static Workmates.OttKit.Tests.Constructs.TemplateAssertions;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// AWS Foundational Security Best Practices controls for the data tier, admin access, patching and backups, checked on
/// both samples (Blacksheep has every section, including the VPN). Each test is named by its Security Hub control id.
/// </summary>
public sealed class DataTierControlTests
{
    private static readonly StackSet Blacksheep = SampleSpecs.Blacksheep().Synthesize();
    private static readonly StackSet Owl270 = SampleSpecs.Owl270().Synthesize();

    private static IEnumerable<(string Stack, Resource Resource)> All(StackSet set, string type) =>
        set.Stacks.SelectMany(s => s.Template.Resources.Values.Where(r => r.Type == type).Select(r => (s.Name, r)));

    private static IEnumerable<(string Stack, Resource Resource)> Both(string type) => All(Blacksheep, type).Concat(All(Owl270, type));

    /// <summary>Every ingress rule of every template: inline rules of security groups and stand-alone ingress resources.</summary>
    private static IEnumerable<(string Where, CfnObject Rule)> IngressRules(StackSet set) =>
        All(set, "AWS::EC2::SecurityGroup")
            .SelectMany(g => At(g.Resource.Properties, "SecurityGroupIngress") is CfnList rules ? rules.Cast<CfnObject>().Select(r => ($"{g.Stack}/{g.Resource.LogicalId}", r)) : [])
            .Concat(All(set, "AWS::EC2::SecurityGroupIngress").Select(r => ($"{r.Stack}/{r.Resource.LogicalId}", r.Resource.Properties)));

    private static bool Covers(CfnObject rule, int port)
    {
        if (Text(rule["IpProtocol"]) == "-1")
        {
            return true;
        }

        var from = ((CfnScalar)rule["FromPort"]).IntegerValue;
        var to = ((CfnScalar)rule["ToPort"]).IntegerValue;
        return from <= port && port <= to;
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void EC2_13_EC2_14_EC2_19_no_template_accepts_22_or_3389_from_a_cidr_and_nothing_from_the_internet_but_80_443(string sample)
    {
        var set = SampleSpecs.ByName(sample).Synthesize();
        var rules = IngressRules(set).ToArray();
        var remoteAdmin = rules.Where(r => (Covers(r.Rule, 22) || Covers(r.Rule, 3389)) && (r.Rule.ContainsKey("CidrIp") || r.Rule.ContainsKey("CidrIpv6"))).ToArray();
        var openToAll = rules.Where(r => Text(At(r.Rule, "CidrIp")) == "0.0.0.0/0" || Text(At(r.Rule, "CidrIpv6")) == "::/0").ToArray();

        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {rules.Length} ingress rules scanned");
        Assert.True(rules.Length > 10);
        Assert.True(remoteAdmin.Length == 0, string.Join("\n", remoteAdmin.Select(r => r.Where)));
        Assert.All(openToAll, r => Assert.Contains(Text(r.Rule["FromPort"]), new[] { "80", "443" }));
    }

    [Fact]
    public void EC2_18_vpn_port_is_open_only_to_the_allowed_ranges_and_ssh_only_to_vpn_clients()
    {
        var group = All(Blacksheep, "AWS::EC2::SecurityGroup").Single(g => g.Resource.LogicalId == "VpnSecurityGroup").Resource;
        var rules = ((CfnList)group.Properties["SecurityGroupIngress"]).Cast<CfnObject>().ToArray();
        Assert.Equal(
            [("udp", "41194", "203.0.113.0/24"), ("udp", "41194", "198.51.100.32/28"), ("tcp", "2222", "172.31.240.0/24")],
            rules.Select(r => (Text(r["IpProtocol"]), Text(r["FromPort"]), Text(r["CidrIp"]))).ToArray());
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void MongoDB_port_is_admitted_from_security_groups_only_never_a_cidr(string sample)
    {
        var set = SampleSpecs.ByName(sample).Synthesize();
        var toDatabase = All(set, "AWS::EC2::SecurityGroupIngress").Where(r => Covers(r.Resource.Properties, 27017)).ToArray();
        var database = set.Stacks.Single(s => s.Name.EndsWith("-database", StringComparison.Ordinal)).Template.Resources["MongoSecurityGroup"];

        Assert.False(database.Properties.ContainsKey("SecurityGroupIngress"));
        Assert.NotEmpty(toDatabase);
        Assert.All(toDatabase, r => Assert.True(r.Resource.Properties.ContainsKey("SourceSecurityGroupId") && !r.Resource.Properties.ContainsKey("CidrIp"), r.Resource.LogicalId));
    }

    [Fact]
    public void MongoDB_clients_are_the_listed_services_the_backup_task_and_the_members()
    {
        var sources = All(Blacksheep, "AWS::EC2::SecurityGroupIngress")
            .Where(r => Text(r.Resource.Properties["FromPort"]) == "27017")
            .Select(r => r.Stack).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "blacksheep-database", "blacksheep-database-backup", "blacksheep-service-api", "blacksheep-service-auth",
            "blacksheep-service-catalog", "blacksheep-service-live-chat", "blacksheep-service-payments",
        ], sources);
        // Owl270 lists no clientServices: all five services, the backup task and the members' own rule; its VPN host adds
        // the SSH rules to the ECS hosts and the members.
        Assert.Equal(5 + 1 + 1 + 2, All(Owl270, "AWS::EC2::SecurityGroupIngress").Count());
    }

    [Fact]
    public void EC2_8_every_instance_uses_a_launch_template_that_requires_IMDSv2()
    {
        foreach (var set in new[] { Blacksheep, Owl270 })
        {
            var instances = All(set, "AWS::EC2::Instance").ToArray();
            Assert.NotEmpty(instances);
            foreach (var (stack, instance) in instances)
            {
                var id = Text(((Intrinsic)At(instance.Properties, "LaunchTemplate", "LaunchTemplateId")!).Argument);
                var template = set[stack].Template.Resources[id!];
                Assert.Equal("required", Text(At(template.Properties, "LaunchTemplateData", "MetadataOptions", "HttpTokens")));
                Assert.Equal("1", Text(At(template.Properties, "LaunchTemplateData", "MetadataOptions", "HttpPutResponseHopLimit")));
            }
        }
    }

    [Fact]
    public void EC2_3_EC2_7_data_volumes_and_root_volumes_are_encrypted_gp3_with_the_data_key()
    {
        var volumes = Both("AWS::EC2::Volume").ToArray();
        Assert.Equal(6, volumes.Length);
        Assert.All(volumes, v => Assert.Equal(("true", "gp3"), (Text(v.Resource.Properties["Encrypted"]), Text(v.Resource.Properties["VolumeType"]))));
        Assert.All(volumes, v => Assert.Contains("DataKeyArn", v.Resource.Properties["KmsKeyId"].ToString(), StringComparison.Ordinal));
        Assert.All(Both("AWS::EC2::LaunchTemplate"), l => Assert.Equal("true", Text(At(((CfnList)At(l.Resource.Properties, "LaunchTemplateData", "BlockDeviceMappings")!)[0], "Ebs", "Encrypted"))));
    }

    [Fact]
    public void Data_volumes_are_snapshotted_on_delete_and_replacement_and_tagged_for_AWS_Backup()
    {
        Assert.All(Both("AWS::EC2::Volume"), v =>
        {
            Assert.Equal(DeletionPolicy.Snapshot, v.Resource.DeletionPolicy!.Literal);
            Assert.Equal(UpdateReplacePolicy.Snapshot, v.Resource.UpdateReplacePolicy!.Literal);
            Assert.Contains("ottkit:backup", v.Resource.Properties["Tags"].ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EC2_9_only_the_vpn_host_has_a_public_address()
    {
        // One primary interface that never gets an auto-assigned public address (Control Tower CT.EC2.PR.8).
        Assert.All(Both("AWS::EC2::Instance"), i =>
        {
            Assert.False(i.Resource.Properties.ContainsKey("SubnetId"));
            var nic = Assert.IsType<CfnObject>(Assert.Single(Assert.IsType<CfnList>(i.Resource.Properties["NetworkInterfaces"])));
            Assert.Equal(CfnScalar.Of(false), nic["AssociatePublicIpAddress"]);
            Assert.Equal(CfnScalar.Of("0"), nic["DeviceIndex"]);
        });
        Assert.Equal(["VpnAddressAssociation", "VpnAddressAssociation"], Both("AWS::EC2::EIPAssociation").Select(a => a.Resource.LogicalId));
        Assert.All(Both("AWS::EC2::Instance").Where(i => i.Stack.EndsWith("-database", StringComparison.Ordinal)),
            i => Assert.Contains("IsolatedSubnetIds", i.Resource.Properties["NetworkInterfaces"].ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void SSM_1_every_instance_profile_role_has_the_ssm_core_policy_and_nothing_else_managed()
    {
        var roles = Both("AWS::IAM::Role").Where(r => r.Resource.Properties["AssumeRolePolicyDocument"].ToString().Contains("ec2.amazonaws.com", StringComparison.Ordinal)).ToArray();
        Assert.Equal(1 + 3 + 1 + 1 + 3 + 1, roles.Length); // two clusters, six members, the two VPN hosts
        Assert.All(roles, r => Assert.Contains("AmazonSSMManagedInstanceCore", r.Resource.Properties["ManagedPolicyArns"].ToString(), StringComparison.Ordinal));
        Assert.All(roles.Where(r => r.Resource.LogicalId != "InstanceRole"), r => Assert.Single((CfnList)r.Resource.Properties["ManagedPolicyArns"]));
    }

    [Fact]
    public void Mongo_members_read_only_their_own_secrets()
    {
        var database = Blacksheep["blacksheep-database"].Template.Resources;
        string Reads(string role) => At(((CfnList)database[role].Properties["Policies"])[0], "PolicyDocument")!.ToString();
        Assert.Contains("BackupSecret", Reads("Member1Role"), StringComparison.Ordinal);
        Assert.Contains("KeyFileSecret", Reads("Member2Role"), StringComparison.Ordinal);
        Assert.DoesNotContain("AdminSecret", Reads("Member2Role"), StringComparison.Ordinal);
        Assert.DoesNotContain("AppSecret", Reads("Member3Role"), StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsManager_secrets_are_generated_encrypted_with_the_data_key_and_tagged()
    {
        var secrets = Both("AWS::SecretsManager::Secret").ToArray();
        // Per sample: key file + 3 users (database), the ops secret, and with TLS the CA key, the CA and one per member (3);
        // each sample's VPN host has its PKI secret (Blacksheep's counted in the 1 + 4 before).
        Assert.Equal(4 + 1 + 4 + (2 * (2 + 3)) + 1, secrets.Length);
        Assert.All(secrets, s => Assert.Contains("DataKeyArn", s.Resource.Properties["KmsKeyId"].ToString(), StringComparison.Ordinal));
        Assert.All(secrets, s => Assert.True(s.Resource.Properties.ContainsKey("Tags")));
        Assert.All(secrets.Where(s => s.Stack.EndsWith("-database", StringComparison.Ordinal) && !s.Resource.LogicalId.Contains("Tls", StringComparison.Ordinal)), s => Assert.True(s.Resource.Properties.ContainsKey("GenerateSecretString")));
        // The TLS secrets start as a placeholder: member 1 issues the certificates at bootstrap (docs/mongo-tls.md).
        Assert.All(secrets.Where(s => s.Resource.LogicalId.Contains("Tls", StringComparison.Ordinal)), s => Assert.Equal("pending", Text(s.Resource.Properties["SecretString"])));
    }

    [Fact]
    public void SSM_2_SSM_3_patching_scans_daily_and_installs_weekly_with_mongo_one_at_a_time()
    {
        var patching = Blacksheep["blacksheep-patching"].Template.Resources;
        patching["PatchBaseline"].HasProperties(new CfnObject { ["OperatingSystem"] = "AMAZON_LINUX_2023" });
        Assert.Equal("7", Text(At(((CfnList)At(patching["PatchBaseline"].Properties, "ApprovalRules", "PatchRules")!)[0], "ApproveAfterDays")));
        // The members are not a Run Command target (no step-down there): the scheduled patch task patches them one at a
        // time in step-down order, at the window's schedule and time zone.
        Assert.DoesNotContain("MongoMembersPatchTask", patching.Keys);
        Assert.Contains("blacksheep-mongodb", patching["PatchBaseline"].Properties["PatchGroups"].ToString(), StringComparison.Ordinal);
        var patchSchedule = Blacksheep["blacksheep-database-backup"].Template.Resources["PatchSchedule"].Properties;
        Assert.Equal(Text(patching["MaintenanceWindow"].Properties["Schedule"]), Text(patchSchedule["ScheduleExpression"]));
        Assert.Equal("Asia/Kolkata", Text(patchSchedule["ScheduleExpressionTimezone"]));
        Assert.NotEqual("1", Text(patching["EcsHostsPatchTask"].Properties["MaxConcurrency"]));
        patching["PatchScanAssociation"].HasProperties(new CfnObject { ["Parameters"] = new CfnObject { ["Operation"] = new CfnList { "Scan" } } });
        patching["MaintenanceWindow"].HasProperties(new CfnObject { ["ScheduleTimezone"] = "Asia/Kolkata" });
        Assert.Contains("blacksheep-ecs-hosts", Blacksheep["blacksheep-cluster"].Template.Resources["AutoScalingGroup"].Properties["Tags"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void S3_backup_and_artifacts_buckets_are_kms_encrypted_versioned_private_logged_and_keep_the_retention()
    {
        // The artifacts bucket lives in the bootstrap stack, built by the same secure-bucket parts.
        foreach (var (stack, id) in new[] { ("blacksheep-backups", "BackupBucket"), ("blacksheep-bootstrap", "ArtifactsBucket") })
        {
            var backups = Blacksheep[stack].Template.Resources;
            var bucket = backups[id].Properties;
            Assert.Equal("aws:kms", Text(At(((CfnList)At(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration")!)[0], "ServerSideEncryptionByDefault", "SSEAlgorithm")));
            backups[id].HasProperties(new CfnObject
            {
                ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" },
                ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } },
                ["PublicAccessBlockConfiguration"] = new CfnObject { ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true },
            });
            Assert.NotNull(At(bucket, "LoggingConfiguration", "DestinationBucketName"));
            var rule = ((CfnList)At(bucket, "LifecycleConfiguration", "Rules")!)[0];

            // The backup bucket never expires current objects: prune applies the retention and keeps the newest good
            // backup (issue 16); the lifecycle removes what prune deleted after 7 days.
            var expected = id == "BackupBucket" ? ((string?)null, "1", "7") : ("15", "1", "1");
            Assert.Equal(expected, (Text(At(rule, "ExpirationInDays")), Text(At(rule, "AbortIncompleteMultipartUpload", "DaysAfterInitiation")), Text(At(rule, "NoncurrentVersionExpiration", "NoncurrentDays"))));
            var deny = ((CfnList)At(backups[$"{id}Policy"].Properties, "PolicyDocument", "Statement")!).Cast<CfnObject>().Single(s => Text(s["Effect"]) == "Deny");
            Assert.Equal("false", Text(At(deny, "Condition", "Bool", "aws:SecureTransport")));
        }
    }

    [Fact]
    public void S3_15_object_lock_is_on_when_the_spec_asks_and_off_by_default()
    {
        Blacksheep["blacksheep-backups"].Template.Resources["BackupBucket"].HasProperties(new CfnObject
        {
            ["ObjectLockConfiguration"] = new CfnObject { ["Rule"] = new CfnObject { ["DefaultRetention"] = new CfnObject { ["Mode"] = "COMPLIANCE" } } },
        });
        Assert.False(Owl270["owl270-backups"].Template.Resources["BackupBucket"].Properties.ContainsKey("ObjectLockConfiguration"));
    }

    [Fact]
    public void Backup_1_vault_encrypts_recovery_points_with_the_backup_key_and_keeps_them_the_retention()
    {
        var backups = Owl270["owl270-backups"].Template.Resources;
        Assert.Contains("BackupKeyArn", backups["BackupVault"].Properties["EncryptionKeyArn"].ToString(), StringComparison.Ordinal);
        var rule = ((CfnList)At(backups["BackupPlan"].Properties, "BackupPlan", "BackupPlanRule")!)[0];
        Assert.Equal(("15", "cron(30 17 * * ? *)"), (Text(At(rule, "Lifecycle", "DeleteAfterDays")), Text(At(rule, "ScheduleExpression"))));
    }

    [Fact]
    public void Backup_task_role_writes_only_below_its_prefix_and_the_execution_role_reads_only_the_backup_secret()
    {
        var stack = Blacksheep["blacksheep-database-backup"].Template.Resources;
        CfnObject[] Statements(string role) =>
            [.. ((CfnList)At(((CfnList)stack[role].Properties["Policies"])[0], "PolicyDocument", "Statement")!).Cast<CfnObject>()];
        var task = Statements("BackupTaskRole");
        var write = task.Single(s => Text(s["Sid"]) == "BackupObjects");
        Assert.Contains("mongodb/*", write["Resource"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(task, s => s["Resource"].ToString().Contains("SecretArn", StringComparison.Ordinal));
        var read = Statements("BackupExecutionRole").Single(s => Text(s["Sid"]) == "ReadOwnSecrets");
        Assert.Contains("BackupSecretArn", read["Resource"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Statements("BackupExecutionRole"), s => s["Resource"].ToString().Contains("AdminSecretArn", StringComparison.Ordinal));
    }

    [Fact]
    public void Backup_task_runs_daily_at_the_spec_time_with_the_documented_environment()
    {
        var stack = Blacksheep["blacksheep-database-backup"].Template.Resources;
        Assert.Equal("cron(30 20 * * ? *)", Text(stack["BackupSchedule"].Properties["ScheduleExpression"]));
        var container = (CfnObject)((CfnList)stack["BackupTaskDefinition"].Properties["ContainerDefinitions"])[0];
        var names = ((CfnList)container["Environment"]).Cast<CfnObject>().Select(e => Text(e["Name"])).ToArray();
        Assert.Subset(names.ToHashSet(), new HashSet<string?> { "OTTKIT_BACKUP_BUCKET", "OTTKIT_BACKUP_PREFIX", "OTTKIT_BACKUP_KMS_KEY_ID", "OTTKIT_MONGO_CONNECTION_STRING", "OTTKIT_BACKUP_RETENTION_DAYS", "OTTKIT_ENVIRONMENT" });
        Assert.Contains("ottkit-backup", Blacksheep["blacksheep-repositories"].Template.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Members_have_stable_names_in_a_private_zone_and_the_connection_string_names_them_all()
    {
        var stack = Blacksheep["blacksheep-database"];
        Assert.Equal(
            ["mongo-1.blacksheep.internal", "mongo-2.blacksheep.internal", "mongo-3.blacksheep.internal"],
            stack.Template.Resources.Values.Where(r => r.Type == "AWS::Route53::RecordSet").Select(r => Text(r.Properties["Name"])));
        Assert.Equal(
            "mongodb://mongo-1.blacksheep.internal:27017,mongo-2.blacksheep.internal:27017,mongo-3.blacksheep.internal:27017/blacksheep?replicaSet=rs0&authSource=admin&tls=true",
            Text(stack.Template.Outputs["ConnectionString"].Value));
    }

    [Fact]
    public void Member_user_data_installs_the_version_mounts_xfs_fetches_the_key_file_and_only_member_1_initiates()
    {
        var stack = Owl270["owl270-database"].Template.Resources;
        var first = stack["Member1"].Properties["UserData"].ToString();
        var second = stack["Member2"].Properties["UserData"].ToString();
        Assert.Contains("repo.mongodb.org/yum/amazon/2023/mongodb-org/8.0/aarch64", first, StringComparison.Ordinal);
        Assert.Contains("mkfs.xfs", second, StringComparison.Ordinal);
        Assert.Contains("cacheSizeGB: 7.5", second, StringComparison.Ordinal);
        Assert.Contains("KeyFileSecret", second, StringComparison.Ordinal);
        Assert.Contains("rs.initiate", first, StringComparison.Ordinal);
        Assert.DoesNotContain("rs.initiate", second, StringComparison.Ordinal);
        Assert.Contains("mongo-3.owl270.internal:27017", first, StringComparison.Ordinal);
    }
}
