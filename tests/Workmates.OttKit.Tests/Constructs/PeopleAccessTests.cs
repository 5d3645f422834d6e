using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Rehearsal;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// People's access (issue 18): the <c>access</c> section's validation and loading, the roles' trust (MFA), scoping and
/// explicit denies in the template, and the same policies evaluated as IAM would evaluate them after the deploy.
/// </summary>
public sealed class PeopleAccessTests
{
    private const string Account = "246813579024";
    private const string Trusted = "111122223333";

    private static AccessSpec Access => new()
    {
        Administrators = [$"arn:aws:iam::{Trusted}:role/platform-admins"],
        Developers = [$"arn:aws:iam::{Trusted}:role/developers", Trusted],
        ReadOnly = [$"arn:aws:iam::{Trusted}:user/auditor"],
    };

    private static EnvironmentSpec Spec(AccessSpec? access = null) => TestSpecs.Valid() with { Access = access ?? Access };

    private static StackSet Synthesized(AccessSpec? access = null) => Spec(access).Synthesize();

    private static Resource Role(StackSet set, string person) =>
        set["demo-access"].Template.Resources.Values.Single(r => r.Type == "AWS::IAM::Role" && r.Properties["RoleName"] is CfnScalar { Text: var name } && name == $"demo-{person}");

    private static IReadOnlyList<JsonNode> Policies(StackSet set, string person)
    {
        var policies = new SynthesizedPolicies(set, Account, new Dictionary<string, string>
        {
            ["demo:security:AuditBucketName"] = "demo-security-auditbucket-abc123",
            ["demo:security:DataKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/data",
            ["demo:security:LogsKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/logs",
        });
        return policies.Of("demo-access", policies.RoleNamed("demo-access", $"demo-{person}"));
    }

    private static IamDecision Decide(IReadOnlyList<JsonNode> policies, string action, string resource, Dictionary<string, string>? context = null) =>
        PolicyEvaluator.Evaluate(new IamRequest(action, resource, context), policies);

    // --- the spec section ---

    [Fact]
    public void Validate_ListedPrincipals_AreValidAndAddTheAccessStack()
    {
        Assert.Empty(Spec().Validate());
        Assert.Contains("demo-access", Synthesized().Stacks.Select(s => s.Name));
        Assert.DoesNotContain("demo-access", TestSpecs.Valid().Synthesize().Stacks.Select(s => s.Name));
    }

    [Fact]
    public void Validate_APrincipalThatIsNoArnOrAccount_ReportsItsIndex()
    {
        var problem = Spec(Access with { Developers = [$"arn:aws:iam::{Trusted}:role/developers", "alice"] }).SingleProblemAt("access.developers[1]");
        Assert.Contains("111122223333", problem.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::11112222333:user/alice")]
    [InlineData("arn:aws:iam::111122223333:group/admins")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/ops/alice")]
    [InlineData("*")]
    public void Validate_PrincipalsIamCannotTrust_ReportAccessAdministrators(string principal) =>
        Spec(Access with { Administrators = [principal] }).SingleProblemAt("access.administrators[0]");

    [Fact]
    public void Validate_ADuplicatePrincipal_ReportsTheSecond() =>
        Spec(Access with { ReadOnly = [Trusted, Trusted] }).SingleProblemAt("access.readOnly[1]");

    [Fact]
    public void Validate_NobodyListedAndNoIdentityCenter_ReportsAccess() =>
        Spec(new AccessSpec()).SingleProblemAt("access");

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void Validate_SessionLengthOutsideIamLimits_ReportsMaxSessionHours(int hours) =>
        Spec(Access with { MaxSessionHours = hours }).SingleProblemAt("access.maxSessionHours");

    [Fact]
    public void Validate_IdentityCenterWithANameTooLongForAPermissionSet_ReportsIdentityCenter() =>
        (Spec(new AccessSpec { IdentityCenter = true }) with { Name = "a-very-long-env-name" }).SingleProblemAt("access.identityCenter");

    [Fact]
    public void Load_TheScaffoldsAccessSection_BindsEveryField()
    {
        var access = SampleSpecs.Scaffold().Access;
        Assert.NotNull(access);
        Assert.Single(access.Administrators);
        Assert.Single(access.Developers);
        Assert.Single(access.ReadOnly);
        Assert.Equal(4, access.MaxSessionHours);
    }

    [Fact]
    public void Load_AMistypedPrincipal_NamesTheFieldPath()
    {
        var yaml = SampleSpecs.Yaml("scaffold").Replace("role/developers]", "role/developers, devs]", StringComparison.Ordinal);
        EnvironmentSpec.Parse(yaml, "acme-tv.yaml").SingleProblemAt("access.developers[1]");
    }

    // --- the template ---

    [Fact]
    public void Synthesize_EveryPersonsTrust_RequiresRecentMfa()
    {
        var set = Synthesized();
        foreach (var person in new[] { "administrator", "developer", "readonly" })
        {
            var role = Role(set, person);
            Assert.Equal("/ottkit/demo/people/", ((CfnScalar)role.Properties["Path"]).Text);
            var trust = JsonNode.Parse(role.Properties["AssumeRolePolicyDocument"].ToString()!)!["Statement"]!.AsArray().Single()!;
            Assert.Equal("true", trust["Condition"]!["Bool"]!["aws:MultiFactorAuthPresent"]!.GetValue<string>());
            Assert.Equal("43200", trust["Condition"]!["NumericLessThan"]!["aws:MultiFactorAuthAge"]!.GetValue<string>());
        }

        Assert.Equal("3600", ((CfnScalar)Role(set, "administrator").Properties["MaxSessionDuration"]).Text);
        Assert.Equal("14400", ((CfnScalar)Role(set, "developer").Properties["MaxSessionDuration"]).Text);
    }

    [Fact]
    public void Synthesize_AnAccountId_IsTrustedAsThatAccountsRoot()
    {
        var trust = Role(Synthesized(), "developer").Properties["AssumeRolePolicyDocument"].ToString()!;
        Assert.Contains($"iam::{Trusted}:root", trust, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:iam::{Trusted}:role/developers", trust, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_IdentityCenter_TrustsOnlyThePermissionSetsOwnRole()
    {
        var trust = Role(Synthesized(Access with { IdentityCenter = true }), "developer").Properties["AssumeRolePolicyDocument"].ToString()!;
        Assert.Contains("aws-reserved/sso.amazonaws.com/*AWSReservedSSO_demo-developer_*", trust, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_Auditors_GetTheViewOnlyAndSecurityAuditManagedPolicies()
    {
        var managed = Role(Synthesized(), "readonly").Properties["ManagedPolicyArns"].ToString()!;
        Assert.Contains("job-function/ViewOnlyAccess", managed, StringComparison.Ordinal);
        Assert.Contains("policy/SecurityAudit", managed, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadOnlyAccess\"", managed, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_TheSessionDocument_LogsEncryptedToTheLogGroupAndAuditBucket()
    {
        var template = Synthesized()["demo-access"].Template;
        var document = template.Resources["SessionPreferences"];
        Assert.Equal("AWS::SSM::Document", document.Type);
        Assert.Equal("Session", ((CfnScalar)document.Properties["DocumentType"]).Text);
        var inputs = JsonNode.Parse(document.Properties["Content"].ToString()!)!["inputs"]!;
        Assert.Equal("/ottkit/demo/sessions", inputs["cloudWatchLogGroupName"]!.GetValue<string>());
        Assert.True(inputs["cloudWatchEncryptionEnabled"]!.GetValue<bool>());
        Assert.True(inputs["s3EncryptionEnabled"]!.GetValue<bool>());
        Assert.Equal("demo:security:AuditBucketName", inputs["s3BucketName"]!["Fn::ImportValue"]!.GetValue<string>());
        Assert.Equal("demo:security:DataKeyArn", inputs["kmsKeyId"]!["Fn::ImportValue"]!.GetValue<string>());
        Assert.Contains("LogsKeyArn", template.Resources["SessionLogGroup"].Properties["KmsKeyId"].ToString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_EveryHostRole_MayCarryLoggedSessions()
    {
        var set = Synthesized();
        var hostRoles = set.Stacks.SelectMany(s => s.Template.Resources.Values.Select(r => (Stack: s.Name, Resource: r)))
            .Where(x => x.Resource.Type == "AWS::IAM::Role" && x.Resource.Properties["AssumeRolePolicyDocument"].ToString()!.Contains("ec2.amazonaws.com", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(hostRoles);
        var policies = new SynthesizedPolicies(set, Account, new Dictionary<string, string>
        {
            ["demo:security:AuditBucketName"] = "demo-security-auditbucket-abc123",
            ["demo:security:DataKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/data",
            ["demo:security:LogsKeyArn"] = $"arn:aws:kms:ap-south-1:{Account}:key/logs",
        });
        foreach (var (stack, resource) in hostRoles)
        {
            var granted = policies.Of(stack, resource.LogicalId);
            Assert.Equal(IamDecision.Allowed, Decide(granted, "kms:Decrypt", $"arn:aws:kms:ap-south-1:{Account}:key/data"));
            Assert.Equal(IamDecision.Allowed, Decide(granted, "logs:PutLogEvents", $"arn:aws:logs:ap-south-1:{Account}:log-group:/ottkit/demo/sessions:log-stream:alice-0abc"));
            Assert.Equal(IamDecision.Allowed, Decide(granted, "s3:PutObject", "arn:aws:s3:::demo-security-auditbucket-abc123/session-manager/alice-0abc.log"));
            Assert.Equal(IamDecision.Allowed, Decide(granted, "kms:GenerateDataKey", $"arn:aws:kms:ap-south-1:{Account}:key/logs", new() { ["kms:ViaService"] = "s3.ap-south-1.amazonaws.com" }));
        }
    }

    [Fact]
    public void Synthesize_WithoutAccess_HostRolesAreUnchanged()
    {
        // Without access the hosts carry no session-logging policy: only their CloudWatch agent's.
        var cluster = TestSpecs.Valid().Synthesize()["demo-cluster"].Template.Resources["InstanceRole"];
        var policies = Assert.IsType<CfnList>(cluster.Properties["Policies"]);
        Assert.Equal(["cloudwatch-agent"], policies.Cast<CfnObject>().Select(p => ((CfnScalar)p["PolicyName"]).Text));
    }

    [Fact]
    public void Synthesize_WithoutAnAuditBucket_SessionsAreLoggedToTheLogGroupOnly()
    {
        // No CloudTrail and no AWS Config: the security stack has no audit bucket, so neither the session document
        // nor any host role names one, while the log group transcripts stay granted.
        var set = (Spec() with { Security = new SecuritySpec { CloudTrail = false, Config = false, AutoRemediateS3PublicAccess = false } }).Synthesize();
        var document = set["demo-access"].Template.Resources["SessionPreferences"];
        var inputs = JsonNode.Parse(document.Properties["Content"].ToString()!)!["inputs"]!;
        Assert.Equal(string.Empty, inputs["s3BucketName"]!.GetValue<string>());
        Assert.False(inputs["s3EncryptionEnabled"]!.GetValue<bool>());

        var hostRole = set["demo-cluster"].Template.Resources["InstanceRole"].Properties["Policies"].ToString()!;
        Assert.Contains("WriteSessionTranscripts", hostRole, StringComparison.Ordinal);
        Assert.DoesNotContain("AuditBucket", hostRole, StringComparison.Ordinal);
        Assert.DoesNotContain("AuditBucket", set["demo-access"].Template.Resources["AdministratorRole"].Properties["Policies"].ToString()!, StringComparison.Ordinal);
    }

    // --- evaluated as IAM would ---

    [Fact]
    public void Evaluate_Developer_UpdatesItsOwnServicesButNotAnotherEnvironments()
    {
        var developer = Policies(Synthesized(), "developer");
        Assert.Equal(IamDecision.Allowed, Decide(developer, "ecs:UpdateService", $"arn:aws:ecs:ap-south-1:{Account}:service/demo/api"));
        Assert.Equal(IamDecision.ImplicitDeny, Decide(developer, "ecs:UpdateService", $"arn:aws:ecs:ap-south-1:{Account}:service/demo-prod/api"));
        Assert.Equal(IamDecision.ImplicitDeny, Decide(developer, "ecs:UpdateService", $"arn:aws:ecs:ap-south-1:{Account}:service/other/api"));
        Assert.Equal(IamDecision.Allowed, Decide(developer, "logs:FilterLogEvents", $"arn:aws:logs:ap-south-1:{Account}:log-group:/ottkit/demo/api"));
        Assert.Equal(IamDecision.ImplicitDeny, Decide(developer, "logs:FilterLogEvents", $"arn:aws:logs:ap-south-1:{Account}:log-group:/ottkit/other/api"));
    }

    [Theory]
    [InlineData("iam:CreateUser")]
    [InlineData("iam:AttachRolePolicy")]
    [InlineData("iam:PassRole")]
    [InlineData("iam:UpdateAssumeRolePolicy")]
    [InlineData("kms:PutKeyPolicy")]
    [InlineData("kms:CreateGrant")]
    [InlineData("s3:PutObject")]
    [InlineData("secretsmanager:GetSecretValue")]
    public void Evaluate_Developer_MayNotAdministerIamKmsOrWriteData(string action)
    {
        var developer = Policies(Synthesized(), "developer");
        foreach (var resource in new[] { $"arn:aws:iam::{Account}:role/ottkit/demo/people/demo-administrator", $"arn:aws:kms:ap-south-1:{Account}:key/data", "arn:aws:s3:::demo-media-bucket/a.mp4", $"arn:aws:secretsmanager:ap-south-1:{Account}:secret:demo/mongodb/admin-AbCdEf", "*" })
        {
            Assert.NotEqual(IamDecision.Allowed, Decide(developer, action, resource));
        }
    }

    [Fact]
    public void Evaluate_Developer_ReadsItsBucketsOnly()
    {
        var developer = Policies(Synthesized(), "developer");
        var own = new Dictionary<string, string> { ["aws:ResourceAccount"] = Account };
        Assert.Equal(IamDecision.Allowed, Decide(developer, "s3:GetObject", "arn:aws:s3:::demo-media-bucket-1x2y/a.mp4", own));
        Assert.Equal(IamDecision.ImplicitDeny, Decide(developer, "s3:GetObject", "arn:aws:s3:::other-media-bucket-1x2y/a.mp4", own));
        Assert.Equal(IamDecision.ImplicitDeny, Decide(developer, "s3:GetObject", "arn:aws:s3:::demo-media-bucket-1x2y/a.mp4", new() { ["aws:ResourceAccount"] = Trusted }));
    }

    [Theory]
    [InlineData("cloudtrail:StopLogging")]
    [InlineData("cloudtrail:DeleteTrail")]
    [InlineData("config:StopConfigurationRecorder")]
    [InlineData("config:DeleteDeliveryChannel")]
    [InlineData("kms:ScheduleKeyDeletion")]
    [InlineData("logs:DeleteLogGroup")]
    public void Evaluate_Administrator_IsExplicitlyDeniedSwitchingTheAuditOff(string action)
    {
        var administrator = Policies(Synthesized(), "administrator");
        Assert.Equal(IamDecision.ExplicitDeny, Decide(administrator, action, $"arn:aws:cloudtrail:ap-south-1:{Account}:trail/demo-trail"));
    }

    [Fact]
    public void Evaluate_Administrator_MayNotDeleteTheAuditBucketOrItsTranscripts()
    {
        var administrator = Policies(Synthesized(), "administrator");
        Assert.Equal(IamDecision.ExplicitDeny, Decide(administrator, "s3:DeleteBucket", "arn:aws:s3:::demo-security-auditbucket-abc123"));
        Assert.Equal(IamDecision.ExplicitDeny, Decide(administrator, "s3:DeleteObject", "arn:aws:s3:::demo-security-auditbucket-abc123/session-manager/alice.log"));
        // Its other buckets, it may write.
        Assert.Equal(IamDecision.Allowed, Decide(administrator, "s3:PutObject", "arn:aws:s3:::demo-media-bucket-1x2y/a.mp4", new() { ["aws:ResourceAccount"] = Account }));
    }

    [Fact]
    public void Evaluate_People_StartSessionsOnlyOnTheirHostsAndThroughTheLoggedDocument()
    {
        var set = Synthesized();
        foreach (var person in new[] { "administrator", "developer" })
        {
            var granted = Policies(set, person);
            var instance = $"arn:aws:ec2:ap-south-1:{Account}:instance/i-0123456789abcdef0";
            Assert.Equal(IamDecision.Allowed, Decide(granted, "ssm:StartSession", instance, new() { ["ssm:resourceTag/ottkit:environment"] = "demo" }));
            Assert.Equal(IamDecision.ImplicitDeny, Decide(granted, "ssm:StartSession", instance, new() { ["ssm:resourceTag/ottkit:environment"] = "other" }));
            Assert.Equal(IamDecision.ImplicitDeny, Decide(granted, "ssm:StartSession", instance));
            Assert.Equal(IamDecision.Allowed, Decide(granted, "ssm:StartSession", $"arn:aws:ssm:ap-south-1:{Account}:document/demo-SessionManagerRunShell", new() { ["ssm:SessionDocumentAccessCheck"] = "true" }));
            Assert.Equal(IamDecision.ImplicitDeny, Decide(granted, "ssm:StartSession", $"arn:aws:ssm:ap-south-1:{Account}:document/SSM-SessionManagerRunShell", new() { ["ssm:SessionDocumentAccessCheck"] = "true" }));
            Assert.Equal(IamDecision.ImplicitDeny, Decide(granted, "ssm:StartSession", $"arn:aws:ssm:ap-south-1:{Account}:document/demo-SessionManagerRunShell"));
        }

        Assert.Equal(IamDecision.ImplicitDeny, Decide(Policies(set, "readonly"), "ssm:StartSession", $"arn:aws:ec2:ap-south-1:{Account}:instance/i-0123456789abcdef0", new() { ["ssm:resourceTag/ottkit:environment"] = "demo" }));
    }

    [Theory]
    [InlineData("administrator")]
    [InlineData("developer")]
    [InlineData("readonly")]
    public void Evaluate_AssumingARole_NeedsMfaFromTheLastTwelveHours(string person)
    {
        var role = Role(Synthesized(), person);
        var trust = PolicyEvaluator.Statements(JsonNode.Parse(role.Properties["AssumeRolePolicyDocument"].ToString()!)!).ToList();
        var caller = new[] { JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""")! };
        var arn = $"arn:aws:iam::{Account}:role/ottkit/demo/people/demo-{person}";
        IamDecision Assume(Dictionary<string, string> context) =>
            PolicyEvaluator.Evaluate(new IamRequest("sts:AssumeRole", arn, context), caller, trust, resourcePolicyRequired: true);

        Assert.Equal(IamDecision.Allowed, Assume(new() { ["aws:MultiFactorAuthPresent"] = "true", ["aws:MultiFactorAuthAge"] = "600" }));
        Assert.Equal(IamDecision.ImplicitDeny, Assume([]));
        Assert.Equal(IamDecision.ImplicitDeny, Assume(new() { ["aws:MultiFactorAuthPresent"] = "false", ["aws:MultiFactorAuthAge"] = "600" }));
        Assert.Equal(IamDecision.ImplicitDeny, Assume(new() { ["aws:MultiFactorAuthPresent"] = "true", ["aws:MultiFactorAuthAge"] = "50000" }));
    }
}
