using Workmates.OttKit.Deployment;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// Seam 1 of the rehearsal (issue 13), through the package (issue 21): after the infrastructure, the rehearsal runs
/// <c>ottkit deploy service</c> for every service and <c>ottkit rollback service</c> for the first, exactly as the service
/// workflows run them, signed as the synthesized CI deploy role, against the ECS, ELBv2 and CloudWatch simulators with
/// IAM enforced. Every call must be allowed, and every action called must be declared by
/// <see cref="ServiceDeployer.RequiredPermissions"/>.
/// </summary>
public sealed class DeployServiceRehearsalTests
{
    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task Deploy_and_rollback_of_every_service_under_the_synthesized_deploy_role_make_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var report = await RehearsedSamples.ReportAsync(sample).WaitAsync(TestContext.Current.CancellationToken);

        var steps = report.Steps.Where(s => s.Command.StartsWith("ottkit deploy service ", StringComparison.Ordinal) || s.Command.StartsWith("ottkit rollback service ", StringComparison.Ordinal)).ToList();
        if (spec.Ci is null)
        {
            // No CI deploy role to run them as: reported as skipped, not silently left out.
            Assert.Empty(steps);
            Assert.Contains(report.Steps, s => s.Job == "deploy service" && s.Verdict == RehearsalVerdict.Skipped);
            return;
        }

        Assert.Equal(spec.Services.Select(s => $"ottkit deploy service --spec {sample}.yaml --service {s.Name} --image 2").Append($"ottkit rollback service --spec {sample}.yaml --service {spec.Services[0].Name} --deregister"),
            steps.Select(s => s.Command));
        Assert.All(steps, s => Assert.True(s.Verdict == RehearsalVerdict.Passed, $"{s.Command}: {s.Detail}"));
        Assert.All(steps, s => Assert.EndsWith($":assumed-role/{spec.Name}-ci-deploy/ottkit-{spec.Name}-stacks", s.Principal, StringComparison.Ordinal));
        var calls = steps.SelectMany(report.CallsOf).ToList();
        Assert.All(calls, c => Assert.True(c.Allowed, c.Message));
        var actions = calls.Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var declared = ServiceDeployer.RequiredPermissions.Deploy.Concat(ServiceDeployer.RequiredPermissions.Rollback).Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(declared, actions);
        Assert.Contains("ecs:TagResource", actions);
        Assert.Contains("iam:PassRole", actions);
        Assert.Contains("ecs:DescribeServiceDeployments", actions);
        Assert.Contains("elasticloadbalancing:DescribeTargetHealth", actions);
        Assert.Contains("cloudwatch:DescribeAlarms", actions);
        var summary = $"{sample}: deploy service path, {steps.Count} commands ({spec.Services.Count} service deploys + 1 rollback), "
            + $"{calls.Count} AWS calls authorized ({actions.Count} distinct actions), 0 denied; declared but not called here: "
            + string.Join(", ", declared.Except(actions).Order(StringComparer.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine("rehearsal " + summary);
        RehearsalSummary.Write($"deploy-service-{sample}", summary);
    }
}
