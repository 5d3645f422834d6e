using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;
using static Workmates.OttKit.Tests.Constructs.TemplateAssertions;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// The security stack (KMS keys, CloudTrail, AWS Config rules and remediation), checked on a default synth of the
/// Blacksheep sample. Tests of FSBP controls are named by their Security Hub control id.
/// </summary>
public sealed class SecurityBaselineTests
{
    private static readonly StackSet Platform = SampleSpecs.Blacksheep().Synthesize();

    private static Stack Security => Platform["blacksheep-security"];

    private static IEnumerable<Resource> Of(string type, Stack? stack = null) =>
        (stack ?? Security).Template.Resources.Values.Where(r => r.Type == type);

    private static Resource Trail => Of("AWS::CloudTrail::Trail").Single();

    private static Resource AuditBucket => Security.Template.Resources["AuditBucket"];

    private static IEnumerable<CfnObject> Statements(Resource resource, string property) =>
        ((CfnList)At(resource.Properties, property, "Statement")!).Cast<CfnObject>();

    private static CfnObject Statement(Resource resource, string property, string sid) =>
        Statements(resource, property).Single(s => Text(s["Sid"]) == sid);

    [Fact]
    public void SecurityStack_DeploysFirstAndDependsOnNothing()
    {
        // Only the bootstrap stack (the artifacts bucket, imports nothing) comes before it.
        Assert.Equal(["blacksheep-bootstrap", "blacksheep-security"], Platform.Stacks.Take(2).Select(s => s.Name));
        Assert.Empty(Security.DependsOn);
        Assert.Contains("blacksheep-security", Platform["blacksheep-network"].DependsOn);
    }

    [Fact]
    public void SecurityStack_ExportsTheThreeKeyArns() =>
        Assert.Superset(
            new HashSet<string>(["blacksheep:security:DataKeyArn", "blacksheep:security:LogsKeyArn", "blacksheep:security:BackupKeyArn"]),
            new HashSet<string>(Security.Exports));

    [Fact]
    public void KMS_4_security_keys_rotate_and_are_retained()
    {
        var keys = Of("AWS::KMS::Key").ToArray();
        Assert.Equal(["BackupKey", "DataKey", "LogsKey"], keys.Select(k => k.LogicalId).Order(StringComparer.Ordinal).ToArray());
        Assert.All(keys, k => Assert.Equal("true", Text(k.Properties["EnableKeyRotation"])));
        Assert.All(keys, k => Assert.Equal(DeletionPolicy.Retain, k.DeletionPolicy));
    }

    [Fact]
    public void LogsKey_lets_CloudWatch_Logs_use_it_only_for_this_accounts_log_groups()
    {
        var statement = Statement(Security.Template.Resources["LogsKey"], "KeyPolicy", "CloudWatchLogsEncryptsThisAccountsLogGroups");
        Assert.Equal("logs.ap-south-1.amazonaws.com", Text(At(statement, "Principal", "Service")));
        Assert.Contains("log-group:*", At(statement, "Condition", "ArnLike", "kms:EncryptionContext:aws:logs:arn")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LogsKey_lets_CloudTrail_encrypt_only_this_accounts_trails()
    {
        var statement = Statement(Security.Template.Resources["LogsKey"], "KeyPolicy", "CloudTrailEncryptsThisAccountsTrails");
        Assert.Equal("cloudtrail.amazonaws.com", Text(At(statement, "Principal", "Service")));
        Assert.NotNull(At(statement, "Condition", "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"));
        Assert.NotNull(At(statement, "Condition", "StringEquals", "aws:SourceAccount"));
    }

    [Fact]
    public void KMS_key_policies_grant_services_no_wildcard_actions()
    {
        foreach (var key in Of("AWS::KMS::Key"))
        {
            var services = Statements(key, "KeyPolicy").Where(s => Text(s["Sid"]) != "AccountAdministers");
            foreach (var statement in services)
            {
                var actions = statement["Action"] is CfnList list ? list.Select(a => Text(a)!) : [Text(statement["Action"])!];
                Assert.All(actions, a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));
                Assert.True(statement.ContainsKey("Condition"), $"{key.LogicalId}/{Text(statement["Sid"])} has no condition");
            }
        }
    }

    [Fact]
    public void CloudTrail_1_trail_is_multi_region_logging_with_global_events() =>
        Trail.HasProperties(new CfnObject { ["IsMultiRegionTrail"] = true, ["IsLogging"] = true, ["IncludeGlobalServiceEvents"] = true });

    [Fact]
    public void CloudTrail_2_trail_is_encrypted_with_the_logs_key() =>
        Trail.HasProperties(new CfnObject { ["KMSKeyId"] = Fn.GetAtt("LogsKey", "Arn") });

    [Fact]
    public void CloudTrail_4_trail_validates_log_files() =>
        Trail.HasProperties(new CfnObject { ["EnableLogFileValidation"] = true });

    [Fact]
    public void CloudTrail_5_trail_delivers_to_an_encrypted_log_group_through_its_role()
    {
        Assert.Equal(Fn.GetAtt("TrailLogGroup", "Arn").ToString(), Trail.Properties["CloudWatchLogsLogGroupArn"].ToString());
        Assert.Equal(Fn.GetAtt("TrailLogsRole", "Arn").ToString(), Trail.Properties["CloudWatchLogsRoleArn"].ToString());
        var group = Security.Template.Resources["TrailLogGroup"];
        Assert.Equal(Fn.GetAtt("LogsKey", "Arn").ToString(), group.Properties["KmsKeyId"].ToString());
        Assert.Equal(365, ((CfnScalar)group.Properties["RetentionInDays"]).IntegerValue);
        var role = Security.Template.Resources["TrailLogsRole"];
        Assert.Contains("cloudtrail.amazonaws.com", role.Properties["AssumeRolePolicyDocument"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CloudTrail_trail_waits_for_its_bucket_policy() =>
        Assert.Contains("AuditBucketPolicy", Trail.DependsOn);

    [Fact]
    public void S3_5_audit_bucket_denies_requests_without_tls()
    {
        // The audit bucket and its server-access-log bucket.
        Assert.Equal(["AuditAccessLogBucketPolicy", "AuditBucketPolicy"], Of("AWS::S3::BucketPolicy").Select(p => p.LogicalId).Order(StringComparer.Ordinal));
        Assert.All(Of("AWS::S3::BucketPolicy"), policy =>
        {
            var deny = Statement(policy, "PolicyDocument", "DenyInsecureTransport");
            Assert.Equal("Deny", Text(deny["Effect"]));
            Assert.Equal("false", Text(At(deny, "Condition", "Bool", "aws:SecureTransport")));
        });
    }

    [Fact]
    public void CloudTrail_7_S3_9_audit_bucket_logs_access_to_its_own_log_bucket_that_only_s3_logging_writes()
    {
        Assert.Contains("AuditAccessLogBucket", At(AuditBucket.Properties, "LoggingConfiguration", "DestinationBucketName")!.ToString(), StringComparison.Ordinal);
        var logs = Security.Template.Resources["AuditAccessLogBucket"];
        var sse = Assert.IsType<CfnObject>(((CfnList)At(logs.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration")!)[0]);
        Assert.Equal("AES256", Text(At(sse, "ServerSideEncryptionByDefault", "SSEAlgorithm")));   // the only encryption S3 log delivery supports
        Assert.Contains("s3_bucket_default_encryption_kms_check", logs.Metadata!.ToString(), StringComparison.Ordinal);
        var write = Statement(Security.Template.Resources["AuditAccessLogBucketPolicy"], "PolicyDocument", "S3ServerAccessLogsFromTheseBuckets");
        Assert.Contains("logging.s3.amazonaws.com", write["Principal"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("AuditBucket", At(write, "Condition", "ArnLike", "aws:SourceArn")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CloudTrail_bucket_policy_lets_only_this_trail_write()
    {
        var policy = Security.Template.Resources["AuditBucketPolicy"];
        var write = Statement(policy, "PolicyDocument", "CloudTrailWritesLogs");
        Assert.Equal("s3:PutObject", Text(write["Action"]));
        Assert.Contains("trail/blacksheep-trail", At(write, "Condition", "StringEquals", "aws:SourceArn")!.ToString(), StringComparison.Ordinal);
        Assert.Equal("s3:GetBucketAcl", Text(Statement(policy, "PolicyDocument", "CloudTrailChecksBucketAcl")["Action"]));
    }

    [Fact]
    public void S3_8_audit_bucket_blocks_public_access() =>
        AuditBucket.HasProperties(new CfnObject
        {
            ["PublicAccessBlockConfiguration"] = new CfnObject { ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true },
        });

    [Fact]
    public void S3_12_audit_bucket_disables_acls() =>
        AuditBucket.HasProperties(new CfnObject { ["OwnershipControls"] = new CfnObject { ["Rules"] = new CfnList { new CfnObject { ["ObjectOwnership"] = "BucketOwnerEnforced" } } } });

    [Fact]
    public void S3_14_audit_bucket_is_versioned() =>
        AuditBucket.HasProperties(new CfnObject { ["VersioningConfiguration"] = new CfnObject { ["Status"] = "Enabled" } });

    [Fact]
    public void S3_17_audit_bucket_is_encrypted_with_the_logs_key()
    {
        var rule = ((CfnList)At(AuditBucket.Properties, "BucketEncryption", "ServerSideEncryptionConfiguration")!)[0];
        Assert.Equal("aws:kms", Text(At(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")));
        Assert.Equal(Fn.GetAtt("LogsKey", "Arn").ToString(), At(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID")!.ToString());
    }

    [Fact]
    public void Config_1_recorder_records_all_resources_with_the_service_linked_role()
    {
        Security.Template.ResourceCountIs("AWS::Config::ConfigurationRecorder", 1);
        var recorder = Security.Template.HasResourceProperties("AWS::Config::ConfigurationRecorder", new CfnObject
        {
            ["RecordingGroup"] = new CfnObject { ["AllSupported"] = true, ["IncludeGlobalResourceTypes"] = true },
        });
        Assert.Contains(":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", recorder.Properties["RoleARN"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Config_1_delivery_channel_writes_encrypted_to_the_audit_bucket_after_the_recorder()
    {
        var channel = Of("AWS::Config::DeliveryChannel").Single();
        Assert.Equal(Fn.Ref("AuditBucket").ToString(), channel.Properties["S3BucketName"].ToString());
        Assert.Equal(Fn.GetAtt("LogsKey", "Arn").ToString(), channel.Properties["S3KmsKeyArn"].ToString());
        Assert.Contains("ConfigRecorder", channel.DependsOn);
    }

    [Fact]
    public void Config_managed_rules_cover_the_promised_controls()
    {
        var identifiers = Of("AWS::Config::ConfigRule").Select(r => Text(At(r.Properties, "Source", "SourceIdentifier"))).ToHashSet(StringComparer.Ordinal);
        string[] promised =
        [
            "INCOMING_SSH_DISABLED", "ENCRYPTED_VOLUMES", "EC2_IMDSV2_CHECK", "S3_BUCKET_PUBLIC_READ_PROHIBITED",
            "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "CLOUD_TRAIL_ENABLED", "MULTI_REGION_CLOUD_TRAIL_ENABLED",
            "CLOUD_TRAIL_ENCRYPTION_ENABLED", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "CMK_BACKING_KEY_ROTATION_ENABLED",
        ];
        Assert.All(promised, p => Assert.Contains(p, identifiers));
        Assert.All(Of("AWS::Config::ConfigRule"), r => Assert.Equal("AWS", Text(At(r.Properties, "Source", "Owner"))));
        Assert.All(Of("AWS::Config::ConfigRule"), r => Assert.Contains("ConfigRecorder", r.DependsOn));
    }

    [Fact]
    public void Config_S3_public_access_is_remediated_automatically_through_SSM_Automation()
    {
        var remediation = Of("AWS::Config::RemediationConfiguration").Single();
        Assert.Equal("true", Text(remediation.Properties["Automatic"]));
        Assert.Equal("SSM_DOCUMENT", Text(remediation.Properties["TargetType"]));
        Assert.Equal("AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock", Text(remediation.Properties["TargetId"]));
        var rule = Security.Template.Resources[((CfnScalar)((Intrinsic)remediation.Properties["ConfigRuleName"]).Argument).Text!];
        Assert.Equal("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", Text(At(rule.Properties, "Source", "SourceIdentifier")));
        Assert.Equal("RESOURCE_ID", Text(At(remediation.Properties, "Parameters", "BucketName", "ResourceValue", "Value")));
        Assert.Equal(Fn.GetAtt("S3RemediationRole", "Arn").ToString(), ((CfnList)At(remediation.Properties, "Parameters", "AutomationAssumeRole", "StaticValue", "Values")!)[0].ToString());
    }

    [Fact]
    public void Config_remediation_role_is_assumed_by_SSM_and_may_only_set_public_access_blocks()
    {
        var role = Security.Template.Resources["S3RemediationRole"];
        Assert.Contains("ssm.amazonaws.com", role.Properties["AssumeRolePolicyDocument"].ToString(), StringComparison.Ordinal);
        var statement = ((CfnList)At(((CfnList)role.Properties["Policies"])[0], "PolicyDocument", "Statement")!)[0];
        Assert.Equal(["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"], ((CfnList)At(statement, "Action")!).Select(a => Text(a) ?? string.Empty).ToArray());
    }

    [Fact]
    public void Every_log_group_of_the_platform_uses_the_security_stacks_logs_key()
    {
        var groups = Platform.Stacks.SelectMany(s => s.Template.Resources.Values.Where(r => r.Type == "AWS::Logs::LogGroup").Select(r => (s.Name, r))).ToArray();
        Assert.True(groups.Length >= 4);
        Assert.All(groups, g => Assert.True(
            g.Name == Security.Name
                ? g.r.Properties["KmsKeyId"].ToString() == Fn.GetAtt("LogsKey", "Arn").ToString()
                : g.Name == "blacksheep-edge-waf"
                    // us-east-1: the home region's key cannot encrypt a log group there, so the edge stack has its own.
                    ? g.r.Properties["KmsKeyId"].ToString() == Fn.GetAtt("EdgeLogsKey", "Arn").ToString()
                    : g.r.Properties["KmsKeyId"].ToString() == Fn.ImportValue("blacksheep:security:LogsKeyArn").ToString(),
            $"{g.Name}/{g.r.LogicalId}: {g.r.Properties["KmsKeyId"]}"));
    }

    [Fact]
    public void Weakening_cloudTrail_off_drops_the_trail_but_keeps_config()
    {
        var set = (SampleSpecs.Blacksheep() with { Security = new SecuritySpec { CloudTrail = false } }).Synthesize();
        var template = set["blacksheep-security"].Template;
        Assert.DoesNotContain(template.Resources.Values, r => r.Type == "AWS::CloudTrail::Trail");
        Assert.Contains(template.Resources.Values, r => r.Type == "AWS::Config::ConfigurationRecorder");
        Assert.DoesNotContain("cloudtrail.amazonaws.com", template.Resources["AuditBucketPolicy"].Properties.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Weakening_config_off_drops_the_recorder_rules_and_remediation()
    {
        var set = (SampleSpecs.Blacksheep() with { Security = new SecuritySpec { Config = false, AutoRemediateS3PublicAccess = false } }).Synthesize();
        var types = set["blacksheep-security"].Template.Resources.Values.Select(r => r.Type).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("AWS::Config::ConfigurationRecorder", types);
        Assert.DoesNotContain("AWS::Config::ConfigRule", types);
        Assert.DoesNotContain("AWS::Config::RemediationConfiguration", types);
        Assert.Contains("AWS::CloudTrail::Trail", types);
    }

    [Fact]
    public void Weakening_both_off_keeps_the_keys_and_no_audit_bucket()
    {
        var set = (SampleSpecs.Blacksheep() with { Security = new SecuritySpec { CloudTrail = false, Config = false, AutoRemediateS3PublicAccess = false } }).Synthesize();
        var resources = set["blacksheep-security"].Template.Resources;
        Assert.Equal(3, resources.Values.Count(r => r.Type == "AWS::KMS::Key"));
        Assert.False(resources.ContainsKey("AuditBucket"));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public void SecurityStack_PassesTheSchemaValidatorWithZeroViolations(string sample)
    {
        var validator = new TemplateSchemaValidator(new ResourceSchemaCatalog(Conformance.Require("cloudformation-schemas/resources")));
        var set = SampleSpecs.ByName(sample).Synthesize();
        var security = set.Stacks.Single(s => s.Name.EndsWith("-security", StringComparison.Ordinal));
        var violations = validator.Validate(security.Template.ToJsonNode());
        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {security.Template.Resources.Count} resources in {security.Name}, {violations.Count} violations");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
