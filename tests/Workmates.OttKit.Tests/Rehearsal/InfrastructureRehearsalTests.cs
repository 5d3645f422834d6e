using Workmates.OttKit.Cli;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The infrastructure workflow rehearsed (issue 13) through the Workmates.OttKit.Testing package (issue 21): each
/// environment's bootstrap, infrastructure workflow, image workflows' first runs and the second infrastructure deploy,
/// every <c>ottkit</c> command run in process as the role its job assumes, against the CloudFormation, ECS and S3
/// simulators with IAM enforced (<see cref="Workmates.OttKit.Testing.Rehearsal"/>). Every call must be allowed and
/// declared by <see cref="StackDeployer.RequiredPermissions"/>.
/// </summary>
public sealed class InfrastructureRehearsalTests
{
    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_infrastructure_workflow_plans_and_deploys_every_stack_under_its_roles_with_no_denied_call(string sample)
    {
        var report = await RehearsedSamples.ReportAsync(sample).WaitAsync(TestContext.Current.CancellationToken);
        {
            TestContext.Current.TestOutputHelper?.WriteLine(report.ToText());
            RehearsalSummary.Write($"infrastructure-{sample}", $"{sample}: " + report.Summary());
            report.ShouldHaveNoDenials().ShouldHaveNoFindings().ShouldSucceed();
            Assert.Equal(report.StacksTotal, report.StacksCreated);

            var env = report.Environment;
            // The workflows' infrastructure commands: not the task steps after them (deploy service, the scheduled tasks; their own tests).
            var commands = report.Steps.Where(s => s.Workflow != "rehearsal" && s.Verdict != RehearsalVerdict.Skipped && s.Workflow != "scheduled task (ECS)"
                && !s.Command.StartsWith("ottkit deploy service ", StringComparison.Ordinal) && !s.Command.StartsWith("ottkit rollback service ", StringComparison.Ordinal)).ToList();
            // The CI roles' calls (not the administrator's bootstrap, not the service role's handler calls).
            var ci = commands.Where(s => s.Job != "administrator").SelectMany(report.CallsOf).Where(c => !c.Principal.Contains($":assumed-role/{env}-cloudformation/", StringComparison.Ordinal)).ToList();
            var actions = ci.Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
            var declared = StackDeployer.RequiredPermissions.Deploy.Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
            Assert.Subset(declared, actions);
            var plan = commands.Where(s => s.Job == "plan").SelectMany(report.CallsOf).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
            Assert.Subset(StackDeployer.RequiredPermissions.Plan.Select(p => p.Action).ToHashSet(StringComparer.Ordinal), plan);
            Assert.Contains("s3:PutObject", plan);
            Assert.Contains("kms:GenerateDataKey", plan);
            Assert.Contains("kms:Decrypt", plan);
            // Only the deploy job may execute: a plan never does.
            Assert.DoesNotContain("cloudformation:ExecuteChangeSet", plan);
            Assert.Contains("cloudformation:ExecuteChangeSet", commands.Where(s => s.Job == "deploy").SelectMany(report.CallsOf).Select(c => c.Action));
            // The infrastructure workflow's commands in order: validate, plan; validate, deploy; then the second deploy run.
            Assert.Contains(report.Steps, s => s.Job == "plan" && s.Command.StartsWith("ottkit rehearse ", StringComparison.Ordinal) && s.Verdict == RehearsalVerdict.Skipped);
            var infrastructure = commands.Where(s => s.Workflow == $"infrastructure-{env}.yml").Select(s => s.Command.Split(' ')[1]).ToList();
            Assert.Equal(["validate", "plan", "validate", "deploy"], infrastructure.Take(4));
            Assert.True(infrastructure.Count == 4 || infrastructure.Skip(4).SequenceEqual(["validate", "deploy"]), string.Join(", ", infrastructure));
            // Each image stack is created by exactly one image workflow's first run, with --create-only and no denied call.
            var firstRuns = commands.Where(s => s.Command.Contains("--create-only", StringComparison.Ordinal)).ToList();
            Assert.Equal(report.Steps.Count(s => (s.Workflow.StartsWith("deploy-", StringComparison.Ordinal) || s.Workflow.StartsWith("backup-image-", StringComparison.Ordinal))
                && s.Command.StartsWith("ottkit deploy stacks ", StringComparison.Ordinal)), firstRuns.Count);
            Assert.NotEmpty(firstRuns);
        }
    }
}
