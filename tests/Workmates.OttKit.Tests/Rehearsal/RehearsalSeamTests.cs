using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The rehearsal finds each seam issue 13 fixed when it is seeded back into the synthesized environment (issue 21): the
/// report fails, and its denial or finding names the principal, action and resource, or the endpoint and port, that
/// broke. One test per seam the package's rehearsal covers; the seams of <c>deploy service</c> (1) and the scheduled
/// backup task (4) run its task steps (<see cref="RehearsalOptions.TaskSteps"/>), the others leave them off for speed.
/// The workflow seams (7: <c>ci.owner</c> ignored; 8: <c>ottkit</c> or OttKit's source from somewhere the spec does not
/// name) are seeded into the generated workflows (<see cref="RehearsalOptions.SeedWorkflows"/>) and found by the
/// <c>workflow sources</c> step.
/// </summary>
public sealed class RehearsalSeamTests
{
    private static async Task<RehearsalReport> RehearseBlacksheepAsync(
        Action<StackSet>? seed,
        bool workflows = true,
        bool tasks = false,
        Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>>? seedWorkflows = null,
        Func<string, string>? spec = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("ottkit-seam-").FullName;
        try
        {
            var path = Path.Combine(directory, "blacksheep.yaml");
            var yaml = SampleSpecs.Yaml("blacksheep");
            await File.WriteAllTextAsync(path, spec?.Invoke(yaml) ?? yaml, ct);
            return await Workmates.OttKit.Testing.Rehearsal.RunAsync(
                path,
                new RehearsalOptions { CommandLine = workflows ? InProcessCommandLine.RunAsync : null, Seed = seed, SeedWorkflows = seedWorkflows, TaskSteps = tasks },
                ct);
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

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/> in the workflow at <paramref name="path"/> (it must occur).</summary>
    private static Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>> InWorkflow(string path, string from, string to, string? repository = null) => workflows =>
    [
        .. workflows.Select(w => w.Path != path ? w : w with
        {
            Content = w.Content.Contains(from, StringComparison.Ordinal) ? w.Content.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"'{from}' is not in {path}."),
            Repository = repository ?? w.Repository,
        }),
    ];

    private static Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>> Then(
        Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>> first, Func<IReadOnlyList<WorkflowFile>, IReadOnlyList<WorkflowFile>> second) => w => second(first(w));

    private static void AssertWorkflowFinding(RehearsalReport report, string subjectPart, params string[] messageParts)
    {
        Assert.False(report.Succeeded);
        var finding = Assert.Single(report.WorkflowFindings, f => f.Subject.Contains(subjectPart, StringComparison.Ordinal) && messageParts.All(m => f.Message.Contains(m, StringComparison.Ordinal)));
        Assert.Equal("workflow", finding.Kind);
        Assert.Contains("Fix: ", finding.Message, StringComparison.Ordinal);
        var step = Assert.Single(report.Steps, s => s.Job == "workflow sources");
        Assert.Equal(RehearsalVerdict.Failed, step.Verdict);
        Assert.Contains(finding.Subject, step.Detail, StringComparison.Ordinal);
        var thrown = Assert.Throws<RehearsalAssertionException>(() => report.ShouldHaveNoFindings());
        Assert.Contains(finding.Subject, thrown.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Seam7_a_workflow_that_ignores_ci_owner_checks_out_and_lives_in_repositories_the_spec_does_not_declare()
    {
        // ci.owner differs from the environment name; the seeded workflows use the environment name as the owner, as
        // the generator did when it ignored ci.owner: the web deploy checks out a spec repository that does not exist,
        // and the backup image workflow lives in a repository the roles do not trust.
        var report = await RehearseBlacksheepAsync(
            null,
            workflows: false,
            spec: yaml => yaml.Replace("  owner: blacksheep\n", "  owner: blacksheep-media\n", StringComparison.Ordinal),
            seedWorkflows: Then(
                InWorkflow(".github/workflows/deploy-web.yml", "repository: blacksheep-media/blacksheep-platform", "repository: blacksheep/blacksheep-platform"),
                InWorkflow(".github/workflows/backup-image-blacksheep.yml", "blacksheep-media/", "blacksheep/", repository: "blacksheep/blacksheep-platform")));

        Assert.Equal(2, report.WorkflowFindings.Count);
        AssertWorkflowFinding(
            report,
            "blacksheep-media/web/.github/workflows/deploy-web.yml job 'build-and-deploy' step 'Check out the environment spec'",
            "checks out repository 'blacksheep/blacksheep-platform', which the spec does not declare (declared: blacksheep-media/blacksheep-platform, blacksheep-media/web,",
            "ci.owner 'blacksheep-media' with ci.repositories [blacksheep-platform, web, api, auth, catalog, live-chat, payments]");
        AssertWorkflowFinding(
            report,
            "blacksheep/blacksheep-platform/.github/workflows/backup-image-blacksheep.yml",
            "the workflow lives in repository 'blacksheep/blacksheep-platform', which the spec does not declare",
            "add 'blacksheep-platform' to ci.repositories (under ci.owner)");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Seam8_a_workflow_that_installs_ottkit_or_builds_from_ottkit_source_the_spec_does_not_name_is_a_finding_naming_found_and_expected()
    {
        // The original seam: the tool installed from a feed nothing publishes to; and the backup image built from
        // OttKit source at a ref no release names.
        var tool = PipelineGenerator.ToolSource(SampleSpecs.Blacksheep());
        const string Feed = "https://nuget.pkg.github.com/workmates/index.json";
        var report = await RehearseBlacksheepAsync(
            null,
            workflows: false,
            seedWorkflows: Then(
                InWorkflow(".github/workflows/infrastructure-blacksheep.yml", $"--version {tool.Version}\n", $"--version {tool.Version} --add-source '{Feed}'\n"),
                InWorkflow(".github/workflows/backup-image-blacksheep.yml", $"ref: {tool.SourceRef}\n", "ref: main\n")));

        var plan = report.WorkflowFindings.Count(f => f.Subject.Contains("infrastructure-blacksheep.yml job 'plan' step 'Install ottkit'", StringComparison.Ordinal));
        Assert.Equal(1, plan);
        AssertWorkflowFinding(
            report,
            "blacksheep/blacksheep-platform/.github/workflows/infrastructure-blacksheep.yml job 'deploy' step 'Install ottkit'",
            $"installs Workmates.OttKit.Cli from '{Feed}'",
            "expected the public NuGet gallery (ci.tool.feed unset: no --add-source)");
        AssertWorkflowFinding(
            report,
            "backup-image-blacksheep.yml job 'build-and-push' step 'Check out the OttKit source of the pinned version (the image's build context)'",
            $"checks OttKit's source out at ref 'main', expected '{tool.SourceRef}'");
        Assert.Equal(3, report.WorkflowFindings.Count);
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_generated_workflows_have_no_workflow_source_finding(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        Assert.Empty(Workmates.OttKit.Testing.Rehearsal.WorkflowSourceFindings(spec, PipelineGenerator.Generate(spec)));

        // Nor with an owner other than the environment name and a pinned tool from a named feed: the check reads the
        // same declarations the generator writes from.
        if (spec.Ci is { } ci)
        {
            var pinned = spec with { Ci = ci with { Owner = "workmates-customer", Tool = new CiToolSpec { Version = "2.3.0", Feed = "https://packages.example.test/ottkit/index.json" } } };
            var workflows = PipelineGenerator.Generate(pinned);
            Assert.Contains(workflows, w => w.Content.Contains("--version 2.3.0 --add-source 'https://packages.example.test/ottkit/index.json'", StringComparison.Ordinal));
            Assert.Empty(Workmates.OttKit.Testing.Rehearsal.WorkflowSourceFindings(pinned, workflows));
        }
    }
}
