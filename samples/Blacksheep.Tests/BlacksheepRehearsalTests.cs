using Workmates.OttKit.Testing;

namespace Blacksheep.Tests;

/// <summary>
/// Blacksheep's environment rehearsed in its own CI: the first deploy (bootstrap, infrastructure workflow, image
/// workflows' first runs) in simulators with IAM enforced, plus reachability and CPU-architecture checks. A change to
/// blacksheep.yaml that would be denied in AWS, or that leaves a port unreachable, fails here first.
/// </summary>
public sealed class BlacksheepRehearsalTests
{
    // Wall-clock bounds: the rehearsal runs on a virtual clock, so these only bound CPU and loopback I/O.
    private const int RehearsalTimeout = 180_000;
    private const int CheckTimeout = 60_000;

    private static string Spec => Path.Combine(AppContext.BaseDirectory, "blacksheep.yaml");

    [Fact(Timeout = RehearsalTimeout)]
    public async Task The_first_deploy_of_blacksheep_has_no_denied_call_no_finding_and_creates_every_stack()
    {
        var report = await Rehearsal.RunAsync(Spec, cancellationToken: TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToText());
        report.ShouldHaveNoDenials().ShouldHaveNoFindings().ShouldSucceed();
        Assert.Equal(report.StacksTotal, report.StacksCreated);
    }

    [Fact(Timeout = CheckTimeout)]
    public async Task Without_a_command_line_the_static_checks_pass_and_the_workflows_are_reported_as_skipped()
    {
        var report = await Rehearsal.RunAsync(Spec, new RehearsalOptions { CommandLine = null }, TestContext.Current.CancellationToken);

        report.ShouldHaveNoFindings();
        Assert.Contains(report.Steps, s => s.Job == "reachability" && s.Verdict == RehearsalVerdict.Passed);
        Assert.Contains(report.Steps, s => s.Job == "architecture" && s.Verdict == RehearsalVerdict.Passed);
        Assert.Contains(report.Steps, s => s.Verdict == RehearsalVerdict.Skipped);
        Assert.Empty(report.Calls);
    }
}
