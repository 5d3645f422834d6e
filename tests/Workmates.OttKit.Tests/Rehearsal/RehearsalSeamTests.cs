using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The rehearsal finds each seam issue 13 fixed when it is seeded back into the synthesized environment (issue 21): the
/// report fails, and its denial or finding names the principal, action and resource, or the endpoint and port, that
/// broke. One test per seam the package's rehearsal covers; the seams of <c>deploy service</c> (1) and the scheduled
/// backup task (4) run its task steps (<see cref="RehearsalOptions.TaskSteps"/>), the others leave them off for speed.
/// </summary>
public sealed class RehearsalSeamTests
{
    private static async Task<RehearsalReport> RehearseBlacksheepAsync(Action<StackSet> seed, bool workflows = true, bool tasks = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("ottkit-seam-").FullName;
        try
        {
            var path = Path.Combine(directory, "blacksheep.yaml");
            await File.WriteAllTextAsync(path, SampleSpecs.Yaml("blacksheep"), ct);
            return await Workmates.OttKit.Testing.Rehearsal.RunAsync(path, new RehearsalOptions { CommandLine = workflows ? InProcessCommandLine.RunAsync : null, Seed = seed, TaskSteps = tasks }, ct);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Removes <paramref name="action"/> from every statement of a role's inline policies in the ci stack (or <paramref name="stackPart"/>).</summary>
    private static void WithoutAction(StackSet set, string logicalId, string action, string stackPart = "ci")
    {
        var role = set[$"{set.Environment}-{stackPart}"].Template.Resources[logicalId];
        foreach (var policy in ((CfnList)role.Properties["Policies"]).Cast<CfnObject>())
        {
            var statements = (CfnList)((CfnObject)policy["PolicyDocument"])["Statement"];
            foreach (var statement in statements.Cast<CfnObject>().ToList())
            {
                switch (statement["Action"])
                {
                    case CfnList actions:
                        foreach (var item in actions.Where(a => a is CfnScalar { Text: { } text } && text == action).ToList())
                        {
                            actions.Remove(item);
                        }

                        if (actions.Count == 0)
                        {
                            statements.Remove(statement);
                        }

                        break;
                    case CfnScalar { Text: { } single } when single == action:
                        statements.Remove(statement);
                        break;
                }
            }
        }
    }

    private static void AssertDenied(RehearsalReport report, string principalPart, string action)
    {
        Assert.False(report.Succeeded);
        Assert.Contains(report.Denials, d => d.Action == action);
        var denial = report.Denials.First(d => d.Action == action);
        Assert.Contains(principalPart, denial.Principal, StringComparison.Ordinal);
        Assert.Contains($"is not authorized to perform: {action} on resource: {denial.Resource}", denial.Message, StringComparison.Ordinal);
        var thrown = Assert.Throws<RehearsalAssertionException>(() => report.ShouldHaveNoDenials());
        Assert.Contains(action, thrown.Message, StringComparison.Ordinal);
        Assert.Contains(report.Steps, s => s.Verdict == RehearsalVerdict.Failed && s.Detail.Contains(action, StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam1_a_deploy_role_that_may_not_register_task_definitions_is_denied_on_ecs_RegisterTaskDefinition_by_deploy_service()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "DeployRole", "ecs:RegisterTaskDefinition"), tasks: true);

        AssertDenied(report, "-ci-deploy/", "ecs:RegisterTaskDefinition");
        var denial = report.Denials.First(d => d.Action == "ecs:RegisterTaskDefinition");
        Assert.StartsWith("arn:aws:ecs:", denial.Resource, StringComparison.Ordinal);
        Assert.Contains(":task-definition/blacksheep-", denial.Resource, StringComparison.Ordinal);
        Assert.Contains(report.Steps, s => s.Verdict == RehearsalVerdict.Failed && s.Command.StartsWith("ottkit deploy service ", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam4_a_backup_task_role_that_may_not_write_the_backup_bucket_is_denied_on_s3_PutObject_by_the_backup_task()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "BackupTaskRole", "s3:PutObject", "database-backup"), tasks: true);

        AssertDenied(report, "-BackupTaskRole-", "s3:PutObject");
        var denial = report.Denials.First(d => d.Action == "s3:PutObject");
        Assert.StartsWith("arn:aws:s3:::", denial.Resource, StringComparison.Ordinal);
        var step = Assert.Single(report.Steps, s => s.Job.EndsWith("/BackupTaskDefinition", StringComparison.Ordinal));
        Assert.Equal(RehearsalVerdict.Failed, step.Verdict);
        Assert.Contains("s3:PutObject", step.Detail, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam2_a_plan_role_that_may_not_write_the_artifacts_bucket_is_denied_on_s3_PutObject()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "PlanRole", "s3:PutObject"));

        AssertDenied(report, "-ci-plan/", "s3:PutObject");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam2_a_plan_role_that_may_not_use_the_artifacts_key_is_denied_on_kms_GenerateDataKey()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "PlanRole", "kms:GenerateDataKey"));

        AssertDenied(report, "-ci-plan/", "kms:GenerateDataKey");
        // TaskSteps = false: no deploy service, rollback or scheduled task step.
        Assert.DoesNotContain(report.Steps, s => s.Workflow == "scheduled task (ECS)" || s.Command.StartsWith("ottkit deploy service ", StringComparison.Ordinal)
            || s.Command.StartsWith("ottkit rollback service ", StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam3_a_deploy_role_that_may_not_pass_the_cloudformation_service_role_is_denied_on_iam_PassRole()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "DeployRole", "iam:PassRole"));

        AssertDenied(report, "-ci-deploy/", "iam:PassRole");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task Seam9_a_service_role_that_may_not_create_the_private_hosted_zone_is_denied_on_route53_CreateHostedZone()
    {
        var report = await RehearseBlacksheepAsync(set => WithoutAction(set, "CloudFormationServiceRole", "route53:CreateHostedZone"));

        AssertDenied(report, "-cloudformation/", "route53:CreateHostedZone");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Seam5_a_task_definition_of_the_other_cpu_architecture_is_a_finding_naming_it()
    {
        string? seeded = null;
        var report = await RehearseBlacksheepAsync(
            set =>
            {
                var (stack, definition) = set.Stacks.SelectMany(s => s.Template.Resources.Values.Where(r => r.Type == "AWS::ECS::TaskDefinition").Select(r => (s.Name, r))).First();
                var platform = (CfnObject)definition.Properties["RuntimePlatform"];
                platform["CpuArchitecture"] = ((CfnScalar)platform["CpuArchitecture"]).Text == "ARM64" ? "X86_64" : "ARM64";
                seeded = $"{stack}/{definition.LogicalId}";
            },
            workflows: false);

        var finding = Assert.Single(report.ArchitectureFindings);
        Assert.Equal(seeded, finding.Subject);
        Assert.Contains("CPU architecture", finding.Message, StringComparison.Ordinal);
        var thrown = Assert.Throws<RehearsalAssertionException>(() => report.ShouldHaveNoFindings());
        Assert.Contains(seeded!, thrown.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Seam6_a_vpn_rule_on_the_standard_ssh_port_is_a_finding_naming_the_unreachable_hosts()
    {
        var report = await RehearseBlacksheepAsync(
            set =>
            {
                var rule = set.Stacks.SelectMany(s => s.Template.Resources.Values).Single(r => r.LogicalId == "HostSshFromVpn");
                rule.Properties["FromPort"] = 22;
                rule.Properties["ToPort"] = 22;
            },
            workflows: false);

        Assert.False(report.Succeeded);
        Assert.Contains(report.ReachabilityFindings, f => f.Subject.Contains("tcp/2222", StringComparison.Ordinal) && f.Message.Contains("cannot reach it on the admin SSH port", StringComparison.Ordinal));
        Assert.Contains(report.ReachabilityFindings, f => f.Subject.EndsWith("tcp/22", StringComparison.Ordinal));
        Assert.Contains(report.Steps, s => s.Job == "reachability" && s.Verdict == RehearsalVerdict.Failed);
    }
}
