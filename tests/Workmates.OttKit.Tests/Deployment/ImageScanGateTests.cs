using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Tests.Aws.EndToEnd;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>The scan gate against the ECR simulator, on the virtual clock (2026-01-01 at the start).</summary>
public sealed class ImageScanGateTests
{
    private const string Repository = "blacksheep/api";
    private const string Image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/blacksheep/api:3f2c1e0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SimulatedScan Complete(params SimulatedFinding[] findings) =>
        new(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(40), "COMPLETE", "The scan was completed successfully.", findings);

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_ScanWithoutFindings_PassesAfterWaitingForTheScanToStartAndComplete()
    {
        await using var bed = await Bed.StartAsync(Complete());
        var progress = new List<ImageScanProgress>();

        var verdict = await bed.CheckAsync(new ImageScanGateSpec(), progress);

        Assert.Equal(ImageScanOutcome.Passed, verdict.Outcome);
        Assert.True(verdict.IsSuccess);
        Assert.Equal("COMPLETE", verdict.ScanStatus);
        Assert.Empty(verdict.Blocking);
        Assert.Contains(progress, p => p.Status == "PENDING");
        Assert.Contains(progress, p => p.Status == "IN_PROGRESS");
        // Scan exists at 12 s and completes at 52 s; polls every 5 s: the verdict comes on the first poll at or after 52 s.
        Assert.Equal(VirtualClock.DefaultStart + TimeSpan.FromSeconds(55), bed.Clock.GetUtcNow());
        Assert.Contains("✅ Image scan gate: Passed", verdict.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_CriticalFinding_BlocksAndNamesIt()
    {
        await using var bed = await Bed.StartAsync(Complete(
            new("CVE-2024-3094", "CRITICAL"), new("CVE-2023-0001", "HIGH"), new("CVE-2023-0002", "LOW")));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec());

        Assert.Equal(ImageScanOutcome.Blocked, verdict.Outcome);
        var blocking = Assert.Single(verdict.Blocking);
        Assert.Equal(("CVE-2024-3094", FindingSeverity.Critical), (blocking.Id, blocking.Severity));
        Assert.Equal(1, verdict.SeverityCounts["CRITICAL"]);
        Assert.Equal(1, verdict.SeverityCounts["HIGH"]);
        Assert.Contains("CVE-2024-3094 (CRITICAL)", verdict.Summary, StringComparison.Ordinal);
        var markdown = verdict.ToMarkdown();
        Assert.Contains("❌ Image scan gate: Blocked", markdown, StringComparison.Ordinal);
        Assert.Contains("| CVE-2024-3094 | CRITICAL | blocks |", markdown, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_FailOnHigh_BlocksHighButNotLowerFindings()
    {
        await using var bed = await Bed.StartAsync(Complete(new("CVE-2023-0001", "HIGH"), new("CVE-2023-0003", "MEDIUM")));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec { FailOn = FindingSeverity.High });

        Assert.Equal(ImageScanOutcome.Blocked, verdict.Outcome);
        Assert.Equal(["CVE-2023-0001"], verdict.Blocking.Select(f => f.Id));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_AllowanceUntilToday_AcceptsTheFinding()
    {
        await using var bed = await Bed.StartAsync(Complete(new SimulatedFinding("CVE-2024-3094", "CRITICAL")));
        var gate = new ImageScanGateSpec { Allow = [new() { Id = "cve-2024-3094", Until = new DateOnly(2026, 1, 1), Reason = "no fixed xz yet" }] };

        var verdict = await bed.CheckAsync(gate);

        Assert.Equal(ImageScanOutcome.Passed, verdict.Outcome);
        var allowed = Assert.Single(verdict.Allowed);
        Assert.Equal("no fixed xz yet", allowed.Allowance!.Reason);
        Assert.Contains("allowed until 2026-01-01: no fixed xz yet", verdict.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_ExpiredAllowance_BlocksAndSaysItExpired()
    {
        await using var bed = await Bed.StartAsync(Complete(new SimulatedFinding("CVE-2024-3094", "CRITICAL")));
        var gate = new ImageScanGateSpec { Allow = [new() { Id = "CVE-2024-3094", Until = new DateOnly(2025, 12, 31), Reason = "waiting for a fix" }] };

        var verdict = await bed.CheckAsync(gate);

        Assert.Equal(ImageScanOutcome.Blocked, verdict.Outcome);
        Assert.Empty(verdict.Allowed);
        Assert.Contains("allowance expired 2025-12-31", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_ScanFailed_FailsClosedWithEcrsReason()
    {
        await using var bed = await Bed.StartAsync(new SimulatedScan(TimeSpan.Zero, TimeSpan.FromSeconds(10), "UNSUPPORTED_IMAGE", "UnsupportedImageError: The operating system is not supported.", []));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec());

        Assert.Equal(ImageScanOutcome.ScanFailed, verdict.Outcome);
        Assert.False(verdict.IsSuccess);
        Assert.Contains("UnsupportedImageError", verdict.Summary, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_ScanStillRunningAtTheTimeout_TimesOutOnTheVirtualClock()
    {
        await using var bed = await Bed.StartAsync(new SimulatedScan(TimeSpan.Zero, TimeSpan.FromHours(2), "COMPLETE", null, []));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec { TimeoutMinutes = 1 });

        Assert.Equal(ImageScanOutcome.TimedOut, verdict.Outcome);
        Assert.Equal("IN_PROGRESS", verdict.ScanStatus);
        // One call at 0 s and one every 5 s up to the minute.
        Assert.Equal(13, bed.Simulator.Requests.For("DescribeImageScanFindings").Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_FindingOnTheSecondPage_IsJudgedToo()
    {
        var findings = Enumerable.Range(0, 1000).Select(i => new SimulatedFinding($"CVE-2020-{i:D5}", "LOW"))
            .Append(new SimulatedFinding("CVE-2024-3094", "CRITICAL")).ToArray();
        await using var bed = await Bed.StartAsync(Complete(findings));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec());

        Assert.Equal(["CVE-2024-3094"], verdict.Blocking.Select(f => f.Id));
        Assert.Equal(2, bed.Simulator.Requests.For("DescribeImageScanFindings").Count(r => r.StatusCode == 200 && r.Time == bed.Clock.GetUtcNow()));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_EnhancedFindings_JudgedByVulnerabilityIdAndSuppressedOnesIgnored()
    {
        await using var bed = await Bed.StartAsync(Complete(
            new("CVE-2024-6387", "CRITICAL", Enhanced: true),
            new("CVE-2024-0001", "CRITICAL", Enhanced: true, Status: "SUPPRESSED")));

        var verdict = await bed.CheckAsync(new ImageScanGateSpec());

        Assert.Equal(["CVE-2024-6387"], verdict.Blocking.Select(f => f.Id));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task CheckAsync_ImageNeverPushed_IsAnEcrError()
    {
        await using var bed = await Bed.StartAsync(Complete());

        await Assert.ThrowsAsync<ImageNotFoundException>(() => bed.CheckAsync(
            new ImageScanGateSpec(), image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/blacksheep/api:missing"));
    }

    [Theory]
    [InlineData("blacksheep/api:1")]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com/blacksheep/api")]
    [InlineData("docker.io/library/nginx:1")]
    public void EcrImageUri_NotAnEcrImageWithTagOrDigest_IsRejected(string image) =>
        Assert.Throws<ArgumentException>(() => EcrImageUri.Parse(image));

    [Fact]
    public void EcrImageUri_Digest_IsTakenApart()
    {
        var uri = EcrImageUri.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/owl270/web@sha256:" + new string('0', 64));

        Assert.Equal(("123456789012", "eu-west-1", "owl270/web", (string?)null), (uri.RegistryId, uri.Region, uri.Repository, uri.Tag));
        Assert.StartsWith("sha256:", uri.Digest, StringComparison.Ordinal);
    }

    private sealed class Bed : IAsyncDisposable
    {
        private readonly IEcrApi _ecr;

        private Bed(EcrSimulator simulator)
        {
            Simulator = simulator;
            _ecr = new AwsClientFactory(SimulatorClients.Options(simulator), c => c.HttpClientFactory = simulator.Clock.AwsHttpClientFactory()).CreateEcr();
        }

        public EcrSimulator Simulator { get; }

        public VirtualClock Clock => Simulator.Clock;

        public static async Task<Bed> StartAsync(SimulatedScan scan)
        {
            var simulator = await EcrSimulator.StartAsync(new AwsSimulatorOptions { Clock = new VirtualClock() }, Ct);
            simulator.PushImage(Repository, "3f2c1e0", scan);
            return new Bed(simulator);
        }

        public Task<ImageScanVerdict> CheckAsync(ImageScanGateSpec gate, List<ImageScanProgress>? progress = null, string image = Image) =>
            Clock.RunAsync(
                new ImageScanGate(_ecr, Clock).CheckAsync(image, gate, progress is null ? null : new ListProgress(progress), Ct),
                TimeSpan.FromDays(1),
                Ct);

        public async ValueTask DisposeAsync()
        {
            (_ecr as IDisposable)?.Dispose();
            await Simulator.DisposeAsync();
        }
    }

    private sealed class ListProgress(List<ImageScanProgress> list) : IProgress<ImageScanProgress>
    {
        public void Report(ImageScanProgress value) => list.Add(value);
    }
}
