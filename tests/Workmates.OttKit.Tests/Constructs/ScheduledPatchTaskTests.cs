using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Patching;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Testing;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// The scheduled database patching (issue 18): the patch task the database-backup stack schedules at the patching
/// window runs the backup image's <c>patch</c> mode (what <c>ottkit patch install --target database</c> runs), its task
/// role evaluated as IAM would allow exactly what <see cref="PatchRunner.RequiredPermissions.Install"/> declares on the
/// members, and the administrator role granted every action <c>ottkit patch</c> and the drainer declare.
/// </summary>
public sealed class ScheduledPatchTaskTests
{
    private const string Account = "246813579024";

    private static string Stack(EnvironmentSpec spec) => $"{spec.Name}-{PlatformNaming.DatabaseBackupPart}";

    // One resource of the environment for each scope patching declares, with the request context IAM would add.
    private static IamRequest Request(EnvironmentSpec spec, RequiredAction permission, string patchGroup) => permission.Scope switch
    {
        PermissionScope.NoResource => new(permission.Action, "*"),
        PermissionScope.PatchBaselineDocument => new(permission.Action, $"arn:aws:ssm:{spec.Region}::document/AWS-RunPatchBaseline"),
        PermissionScope.PatchGroupInstances => new(permission.Action, $"arn:aws:ec2:{spec.Region}:{Account}:instance/i-0123456789abcdef0", new Dictionary<string, string> { ["ssm:resourceTag/Patch Group"] = patchGroup }),
        PermissionScope.EcsClusterArn => new(permission.Action, $"arn:aws:ecs:{spec.Region}:{Account}:cluster/{spec.Name}"),
        PermissionScope.EcsContainerInstance => new(permission.Action, $"arn:aws:ecs:{spec.Region}:{Account}:container-instance/{spec.Name}/0123abcd"),
        PermissionScope.EcsCluster => new(permission.Action, "*", new Dictionary<string, string> { ["ecs:cluster"] = $"arn:aws:ecs:{spec.Region}:{Account}:cluster/{spec.Name}" }),
        PermissionScope.EcsTask => new(permission.Action, $"arn:aws:ecs:{spec.Region}:{Account}:task/{spec.Name}/0123abcd"),
        PermissionScope.EcsService => new(permission.Action, $"arn:aws:ecs:{spec.Region}:{Account}:service/{spec.Name}/web"),
        var other => throw new InvalidOperationException($"no test resource for {other}"),
    };

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_patch_task_role_allows_what_the_database_install_declares_on_the_members_only(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        if (spec.Database is null)
        {
            Assert.DoesNotContain(spec.Synthesize().Stacks, s => s.Name == Stack(spec));
            return;
        }

        var set = spec.Synthesize();
        var policies = new SynthesizedPolicies(set, Account, new Dictionary<string, string>(StringComparer.Ordinal)).Of(Stack(spec), "PatchTaskRole");

        foreach (var permission in PatchRunner.RequiredPermissions.Install)
        {
            var request = Request(spec, permission, $"{spec.Name}-mongodb");
            Assert.True(PolicyEvaluator.Evaluate(request, policies) == IamDecision.Allowed, $"{permission.Action} on {request.Resource} is not allowed to the patch task");
        }

        // Nothing else: not the ECS hosts, not another document, not a drain.
        var hosts = Request(spec, new RequiredAction("ssm:SendCommand", PermissionScope.PatchGroupInstances), $"{spec.Name}-ecs-hosts");
        Assert.NotEqual(IamDecision.Allowed, PolicyEvaluator.Evaluate(hosts, policies));
        Assert.NotEqual(IamDecision.Allowed, PolicyEvaluator.Evaluate(new IamRequest("ssm:SendCommand", $"arn:aws:ssm:{spec.Region}::document/AWS-RunShellScript"), policies));
        foreach (var drain in EcsHostDrainer.RequiredPermissions.Drain)
        {
            Assert.NotEqual(IamDecision.Allowed, PolicyEvaluator.Evaluate(Request(spec, drain, $"{spec.Name}-mongodb"), policies));
        }
    }

    [Fact]
    public void The_patch_task_runs_the_patch_mode_on_fargate_at_the_patching_window_as_the_admin_user()
    {
        var spec = SampleSpecs.Blacksheep();
        var template = spec.Synthesize()[Stack(spec)].Template;
        var definition = template.Resources["PatchTaskDefinition"].Properties;
        var container = (CfnObject)((CfnList)definition["ContainerDefinitions"]).Single();

        Assert.Equal(["patch"], ((CfnList)container["Command"]).Select(c => ((CfnScalar)c).Text));
        Assert.Equal("FARGATE", ((CfnScalar)((CfnList)definition["RequiresCompatibilities"]).Single()).Text);
        // The admin user (replSetStepDown needs clusterManager), not the backup user.
        var secrets = ((CfnList)container["Secrets"]).Cast<CfnObject>().ToDictionary(s => ((CfnScalar)s["Name"]).Text!, s => s["ValueFrom"].ToString());
        Assert.Contains("AdminSecretArn", secrets[BackupTaskEnvironment.UsernameVariable], StringComparison.Ordinal);
        Assert.Contains("AdminSecretArn", secrets[BackupTaskEnvironment.PasswordVariable], StringComparison.Ordinal);
        Assert.DoesNotContain(container.Keys, k => k == "Tmpfs");
        Assert.Contains("/tmp", container["MountPoints"].ToString(), StringComparison.Ordinal);

        var schedule = template.Resources["PatchSchedule"].Properties;
        Assert.Equal(spec.Patching.MaintenanceWindow, ((CfnScalar)schedule["ScheduleExpression"]).Text);
        Assert.Equal(spec.Patching.TimeZone, ((CfnScalar)schedule["ScheduleExpressionTimezone"]).Text);
        var ecs = (CfnObject)((CfnObject)schedule["Target"])["EcsParameters"];
        Assert.Equal("FARGATE", ((CfnScalar)ecs["LaunchType"]).Text);
        Assert.False(ecs.ContainsKey("CapacityProviderStrategy"));
        Assert.Equal("0", ((CfnScalar)((CfnObject)((CfnObject)schedule["Target"])["RetryPolicy"])["MaximumRetryAttempts"]).Text);
    }

    [Fact]
    public void The_administrator_is_granted_every_action_ottkit_patch_and_the_drainer_declare()
    {
        var spec = TestSpecs.Valid() with
        {
            Access = new AccessSpec { Administrators = ["arn:aws:iam::111122223333:role/platform-admins"] },
        };
        var set = spec.Synthesize();
        var stack = $"{spec.Name}-access";
        var resolved = new SynthesizedPolicies(set, Account, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{spec.Name}:security:AuditBucketName"] = $"{spec.Name}-security-auditbucket-abc123",
            [$"{spec.Name}:security:DataKeyArn"] = $"arn:aws:kms:{spec.Region}:{Account}:key/data",
            [$"{spec.Name}:security:LogsKeyArn"] = $"arn:aws:kms:{spec.Region}:{Account}:key/logs",
        });
        var administrator = resolved.Of(stack, resolved.RoleNamed(stack, $"{spec.Name}-administrator"));
        var developer = resolved.Of(stack, resolved.RoleNamed(stack, $"{spec.Name}-developer"));

        // Iterates the declarations themselves: an action a patch operation declares tomorrow is checked here too.
        var declared = RequiredAction.Union(PatchRunner.RequiredPermissions.Scan, PatchRunner.RequiredPermissions.Install, EcsHostDrainer.RequiredPermissions.Drain);
        foreach (var permission in declared)
        {
            var request = Request(spec, permission, $"{spec.Name}-ecs-hosts");
            Assert.True(PolicyEvaluator.Evaluate(request, administrator) == IamDecision.Allowed, $"{permission.Action} on {request.Resource} ({permission.Scope}) is not allowed to the administrator");
        }

        var patchDocument = Request(spec, new RequiredAction("ssm:SendCommand", PermissionScope.PatchBaselineDocument), $"{spec.Name}-ecs-hosts");
        Assert.NotEqual(IamDecision.Allowed, PolicyEvaluator.Evaluate(patchDocument, developer));
        var otherEnvironment = Request(spec, new RequiredAction("ssm:SendCommand", PermissionScope.PatchGroupInstances), "other-ecs-hosts");
        Assert.NotEqual(IamDecision.Allowed, PolicyEvaluator.Evaluate(otherEnvironment with { Context = new Dictionary<string, string> { ["ssm:resourceTag/Patch Group"] = "other-ecs-hosts", ["aws:ResourceTag/ottkit:environment"] = "other" } }, administrator));
    }
}
