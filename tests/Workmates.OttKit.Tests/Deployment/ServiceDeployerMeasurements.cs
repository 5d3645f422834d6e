using System.Globalization;
using System.Text;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>
/// Measurement harness, not a timed assertion: runs each scenario on the virtual clock and REPORTS the verdict lag
/// behind ECS, the API call rate while watching, and the time to service restored for a bad image. It asserts only
/// that each scenario reached its expected verdict (so the figures describe a working run).
/// </summary>
public sealed class ServiceDeployerMeasurements
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task Report_PerScenario_VerdictLagCallRateAndTimeToRestore()
    {
        var rows = new List<string>
        {
            "| scenario | verdict | ECS terminal → verdict | watch time | API calls while watching (incl. SDK retries) | calls/min | peak calls in any 60 s | time to service restored |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        };
        var wrong = new List<string>();
        foreach (var scenario in Scenarios())
        {
            // Every service has a target group (target health is read); with Alarms two deployment alarms are read too,
            // and ECS then bakes the new revision for 5 minutes before it completes.
            await using var bed = await DeployTestBed.StartAsync(seed => scenario.Alarms ? seed with { Alarms = ["web-5xx", "web-latency"] } : seed);
            if (scenario.Faults)
            {
                bed.InjectEverywhere(FaultRule.Throttle().AtRate(0.30), FaultRule.InternalError().AtRate(0.05));
            }

            var options = bed.Options(scenario.Configure);
            var result = await bed.RunAsync(bed.NewDeployer().DeployImageAsync("prod", "web", scenario.Image, options, TestContext.Current.CancellationToken));
            if (result.Outcome != scenario.Expected)
            {
                wrong.Add($"{scenario.Name}: {result.Outcome} (expected {scenario.Expected})");
            }

            var watchFrom = bed.Events.OfType<DeploymentStarted>().First().At;
            // Watching starts after our UpdateService; every attempt counts, the SDK's retries included.
            var updateSequence = bed.Simulator.Requests.For("UpdateService").Max(r => r.Sequence);
            var updateTime = bed.Simulator.Requests.For("UpdateService").Max(r => r.Time);
            var watching = bed.Simulator.Requests.Entries.Where(r => r.Sequence > updateSequence && r.Time <= result.VerdictAt)
                .Concat(bed.Elb.Requests.Entries.Concat(bed.CloudWatch.Requests.Entries).Where(r => r.Time >= updateTime && r.Time <= result.VerdictAt))
                .Select(r => r.Time).Order().ToList();
            var calls = watching.Count;
            var peak = watching.Count == 0 ? 0 : watching.Max(t => watching.Count(u => u >= t && u < t + TimeSpan.FromMinutes(1)));
            var minutes = (result.VerdictAt - watchFrom).TotalMinutes;
            var lag = result.FinishedAt is { } finished && result.Status is not "IN_PROGRESS" ? Seconds(result.VerdictAt - finished) : "n/a (no ECS verdict)";
            var updateAt = bed.Simulator.Requests.For("UpdateService").Last(r => r.StatusCode == 200).Time;
            var restore = result.Status == "ROLLBACK_SUCCESSFUL" && result.FinishedAt is { } back ? Seconds(back - updateAt) : "—";
            rows.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {scenario.Name} | {result.Outcome}{(result.RollbackTrigger is { } trigger ? $" ({trigger})" : string.Empty)} | {lag} | {Seconds(result.VerdictAt - watchFrom)} | {calls} | {calls / minutes:0.0} | {peak} | {restore} |"));
        }

        var table = new StringBuilder().AppendJoin('\n', rows).ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(table);
        Console.WriteLine(table);
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s");

    private static IEnumerable<Scenario> Scenarios() =>
    [
        new("healthy image", "registry.example/web:2", ServiceDeploymentOutcome.Succeeded),
        new("healthy image, 2 alarms (bake 5 min)", "registry.example/web:2", ServiceDeploymentOutcome.Succeeded, Alarms: true),
        new("bad image (circuit breaker)", "registry.example/web:bad", ServiceDeploymentOutcome.RolledBack),
        new("alarm (bake 5 min)", "registry.example/web:alarming", ServiceDeploymentOutcome.RolledBack, Alarms: true),
        new("timeout 3 min + stop-and-rollback", "registry.example/web:slow", ServiceDeploymentOutcome.TimedOut,
            Configure: o => { o.Timeout = TimeSpan.FromMinutes(3); o.RollbackOnTimeout = true; }),
        new("unhealthy targets, circuit breaker", "registry.example/web:unhealthy", ServiceDeploymentOutcome.RolledBack),
        new("unhealthy targets, fail-fast (3 checks)", "registry.example/web:unhealthy", ServiceDeploymentOutcome.RolledBack, Configure: o => o.FailFast = true),
        new("healthy, 2 alarms, 30 % throttling + 5 % 500", "registry.example/web:2", ServiceDeploymentOutcome.Succeeded, Faults: true, Alarms: true),
        new("bad image, 30 % throttling + 5 % 500", "registry.example/web:bad", ServiceDeploymentOutcome.RolledBack, Faults: true),
        new("unhealthy targets, fail-fast, 30 % throttling + 5 % 500", "registry.example/web:unhealthy", ServiceDeploymentOutcome.RolledBack, Configure: o => o.FailFast = true, Faults: true),
    ];

    private sealed record Scenario(
        string Name,
        string Image,
        ServiceDeploymentOutcome Expected,
        Action<ServiceDeployOptions>? Configure = null,
        bool Faults = false,
        bool Alarms = false);
}
