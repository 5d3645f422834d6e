using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Aws.Ecr.Model;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Deployment;

/// <summary>How a scan gate ended.</summary>
public enum ImageScanOutcome
{
    /// <summary>The scan completed and no finding at or above the gate's severity is left (allowed ones aside).</summary>
    Passed,

    /// <summary>The scan completed with findings at or above the gate's severity that are not allowed (or whose allowance expired).</summary>
    Blocked,

    /// <summary>ECR could not scan the image (FAILED, UNSUPPORTED_IMAGE…): nothing vouches for it, so the gate fails closed.</summary>
    ScanFailed,

    /// <summary>The scan did not complete before the gate's timeout.</summary>
    TimedOut,
}

/// <summary>One finding the gate judged (at or above its severity).</summary>
/// <param name="Id">The finding id (CVE id, or the enhanced finding's vulnerability id).</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Title">A one-line description (the CVE link for basic findings).</param>
/// <param name="Allowance">The allowance that matched its id, if any (expired or not).</param>
public sealed record JudgedFinding(string Id, FindingSeverity Severity, string? Title, ScanFindingAllowance? Allowance);

/// <summary>A scan still running, as the gate polls it.</summary>
/// <param name="At">When the gate looked.</param>
/// <param name="Status">ECR's scan status (<c>PENDING</c> before the scan has started).</param>
/// <param name="Description">ECR's description of the status.</param>
public sealed record ImageScanProgress(DateTimeOffset At, string Status, string? Description);

/// <summary>The verdict of the scan gate on one image.</summary>
/// <param name="Image">The image URI.</param>
/// <param name="Outcome">How the gate ended.</param>
/// <param name="ScanStatus">ECR's last scan status.</param>
/// <param name="StatusDescription">ECR's description of that status.</param>
/// <param name="FailOn">The gate's severity.</param>
/// <param name="SeverityCounts">Findings per severity (ECR's names), as the scan reports them.</param>
/// <param name="Blocking">Findings that fail the gate (with their expired allowance, if any).</param>
/// <param name="Allowed">Findings at or above the severity that an unexpired allowance accepts.</param>
/// <param name="Today">The UTC date allowances were judged against.</param>
public sealed record ImageScanVerdict(
    string Image,
    ImageScanOutcome Outcome,
    string ScanStatus,
    string? StatusDescription,
    FindingSeverity FailOn,
    IReadOnlyDictionary<string, int> SeverityCounts,
    IReadOnlyList<JudgedFinding> Blocking,
    IReadOnlyList<JudgedFinding> Allowed,
    DateOnly Today)
{
    /// <summary>Whether the deploy may go on.</summary>
    public bool IsSuccess => Outcome == ImageScanOutcome.Passed;

    /// <summary>One sentence for a log line or an error message.</summary>
    public string Summary => Outcome switch
    {
        ImageScanOutcome.Passed => Allowed.Count == 0
            ? $"no finding at or above {Name(FailOn)}"
            : $"no finding at or above {Name(FailOn)} apart from {Allowed.Count} allowed ({string.Join(", ", Allowed.Select(f => f.Id))})",
        ImageScanOutcome.Blocked => $"{Blocking.Count} finding(s) at or above {Name(FailOn)}: "
            + string.Join(", ", Blocking.Select(f => f.Allowance is { } a ? $"{f.Id} ({Name(f.Severity)}, allowance expired {Iso(a.Until)})" : $"{f.Id} ({Name(f.Severity)})")),
        ImageScanOutcome.ScanFailed => $"ECR could not scan the image ({ScanStatus}{(StatusDescription is null ? string.Empty : ": " + StatusDescription)}); the gate fails closed",
        _ => $"the scan did not complete in time (last status {ScanStatus})",
    };

    /// <summary>The verdict as Markdown for <c>$GITHUB_STEP_SUMMARY</c>.</summary>
    /// <returns>A heading, a facts table and the judged findings.</returns>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"### {(IsSuccess ? "✅" : "❌")} Image scan gate: {Outcome}").AppendLine().AppendLine();
        md.AppendLine("| | |").AppendLine("| --- | --- |");
        md.Append(CultureInfo.InvariantCulture, $"| image | `{Image}` |").AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"| scan | {ScanStatus}{(StatusDescription is null ? string.Empty : " — " + Escape(StatusDescription))} |").AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"| fails on | {Name(FailOn)} and above |").AppendLine();
        var counts = SeverityCounts.Count == 0 ? "none" : string.Join(", ", SeverityCounts.OrderByDescending(c => Rank(c.Key)).Select(c => $"{c.Key} {c.Value}"));
        md.Append(CultureInfo.InvariantCulture, $"| findings | {counts} |").AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"| verdict | {Escape(Summary)} |").AppendLine();
        if (Blocking.Count + Allowed.Count > 0)
        {
            md.AppendLine().AppendLine("| finding | severity | decision |").AppendLine("| --- | --- | --- |");
            foreach (var f in Blocking)
            {
                var decision = f.Allowance is { } a ? $"blocks (allowance expired {Iso(a.Until)})" : "blocks";
                md.Append(CultureInfo.InvariantCulture, $"| {Escape(f.Id)} | {Name(f.Severity)} | {decision} |").AppendLine();
            }

            foreach (var f in Allowed)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Escape(f.Id)} | {Name(f.Severity)} | allowed until {Iso(f.Allowance!.Until)}: {Escape(f.Allowance.Reason)} |").AppendLine();
            }
        }

        return md.AppendLine().ToString();
    }

    /// <summary>ECR's name of a severity.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>For example <c>CRITICAL</c>.</returns>
    public static string Name(FindingSeverity severity) => severity == FindingSeverity.Undefined ? "UNDEFINED" : severity.ToString().ToUpperInvariant();

    private static int Rank(string name) => ImageScanGateSpec.SeverityNames.TryGetValue(name, out var s) ? (int)s : 0;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

/// <summary>
/// The scan gate of a service workflow: waits for the ECR scan of a pushed image (scan on push, or enhanced scanning),
/// then judges its findings against <see cref="ImageScanGateSpec"/>. Polls with the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ImageScanGate
{
    /// <summary>How often the gate asks ECR while the scan runs (the interval of ECR's own <c>ImageScanComplete</c> waiter).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private readonly IEcrApi _ecr;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the gate.</summary>
    /// <param name="ecr">The ECR client.</param>
    /// <param name="time">The clock waits and deadlines run on.</param>
    /// <param name="logger">Diagnostics.</param>
    public ImageScanGate(IEcrApi ecr, TimeProvider? time = null, ILogger<ImageScanGate>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ecr);
        _ecr = ecr;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The IAM actions the gate calls; the CI deploy role is granted from this list.</summary>
    public static class RequiredPermissions
    {
        /// <summary>Checking an image (<see cref="CheckAsync"/>): its scan status and findings.</summary>
        public static ImmutableArray<RequiredAction> Check { get; } =
        [
            new("ecr:DescribeImageScanFindings", PermissionScope.EcrRepository),
        ];
    }

    /// <summary>Waits for the image's scan and judges it.</summary>
    /// <param name="image">An ECR image URI: <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/&lt;repository&gt;:&lt;tag&gt;</c> or <c>@sha256:…</c>.</param>
    /// <param name="gate">The severity, the allowances and the timeout.</param>
    /// <param name="progress">Receives each poll while the scan is not complete.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The verdict (a blocked, failed or timed-out scan is a verdict, not an exception).</returns>
    /// <exception cref="ArgumentException"><paramref name="image"/> is not an ECR image URI.</exception>
    /// <exception cref="EcrException">ECR refused the call (image or repository not found, access denied…).</exception>
    public async Task<ImageScanVerdict> CheckAsync(string image, ImageScanGateSpec gate, IProgress<ImageScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var target = EcrImageUri.Parse(image);
        var deadline = _time.GetUtcNow() + TimeSpan.FromMinutes(gate.TimeoutMinutes);
        while (true)
        {
            string status;
            string? description;
            DescribeImageScanFindingsResponse? first = null;
            try
            {
                first = await _ecr.DescribeImageScanFindingsAsync(target.Request(null), cancellationToken).ConfigureAwait(false);
                status = first.ImageScanStatus?.Status ?? "PENDING";
                description = first.ImageScanStatus?.Description;
            }
            catch (ScanNotFoundException e)
            {
                // Right after a push the scan does not exist yet.
                status = "PENDING";
                description = e.Message;
            }

            switch (status)
            {
                case "COMPLETE":
                case "ACTIVE" when first?.ImageScanFindings is not null:
                    return await JudgeAsync(image, target, gate, first!, cancellationToken).ConfigureAwait(false);
                case "IN_PROGRESS":
                case "PENDING":
                case "ACTIVE":
                    break;
                default:
                    LogScanFailed(_logger, image, status, description);
                    return Verdict(image, ImageScanOutcome.ScanFailed, status, description, gate, null, [], []);
            }

            var now = _time.GetUtcNow();
            progress?.Report(new ImageScanProgress(now, status, description));
            if (now + PollInterval > deadline)
            {
                return Verdict(image, ImageScanOutcome.TimedOut, status, description, gate, null, [], []);
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ImageScanVerdict> JudgeAsync(string image, EcrImageUri target, ImageScanGateSpec gate, DescribeImageScanFindingsResponse first, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var allowances = gate.Allow.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        var blocking = new List<JudgedFinding>();
        var allowed = new List<JudgedFinding>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var page = first;
        while (true)
        {
            foreach (var (id, severity, title) in Findings(page))
            {
                if (severity < gate.FailOn || !seen.Add(id))
                {
                    continue;
                }

                allowances.TryGetValue(id, out var allowance);
                var judged = new JudgedFinding(id, severity, title, allowance);
                (allowance is not null && allowance.Until >= today ? allowed : blocking).Add(judged);
            }

            if (string.IsNullOrEmpty(page.NextToken))
            {
                break;
            }

            page = await _ecr.DescribeImageScanFindingsAsync(target.Request(page.NextToken), cancellationToken).ConfigureAwait(false);
        }

        var outcome = blocking.Count == 0 ? ImageScanOutcome.Passed : ImageScanOutcome.Blocked;
        return Verdict(image, outcome, first.ImageScanStatus?.Status ?? "COMPLETE", first.ImageScanStatus?.Description, gate,
            first.ImageScanFindings?.FindingSeverityCounts, blocking, allowed);
    }

    private ImageScanVerdict Verdict(string image, ImageScanOutcome outcome, string status, string? description, ImageScanGateSpec gate, Dictionary<string, int>? counts, List<JudgedFinding> blocking, List<JudgedFinding> allowed) =>
        new(image, outcome, status, description, gate.FailOn,
            counts is null ? ImmutableSortedDictionary<string, int>.Empty : counts.ToImmutableSortedDictionary(StringComparer.Ordinal),
            blocking, allowed, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));

    private static IEnumerable<(string Id, FindingSeverity Severity, string? Title)> Findings(DescribeImageScanFindingsResponse page)
    {
        foreach (var f in page.ImageScanFindings?.Findings ?? [])
        {
            if (f.Name is { Length: > 0 } name)
            {
                yield return (name, Severity(f.Severity), f.Uri ?? f.Description);
            }
        }

        foreach (var f in page.ImageScanFindings?.EnhancedFindings ?? [])
        {
            // Inspector keeps suppressed and closed findings; only active ones describe the image as it is.
            if (string.Equals(f.Status, "SUPPRESSED", StringComparison.Ordinal) || string.Equals(f.Status, "CLOSED", StringComparison.Ordinal))
            {
                continue;
            }

            if ((f.PackageVulnerabilityDetails?.VulnerabilityId ?? f.Title ?? f.FindingArn) is { Length: > 0 } id)
            {
                yield return (id, Severity(f.Severity), f.Title);
            }
        }
    }

    private static FindingSeverity Severity(string? name) =>
        name is not null && ImageScanGateSpec.SeverityNames.TryGetValue(name, out var s) ? s : FindingSeverity.Undefined;

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "ECR could not scan {Image}: {Status} ({Description})")]
    private static partial void LogScanFailed(ILogger logger, string image, string status, string? description);
}

/// <summary>An ECR image URI taken apart.</summary>
/// <param name="RegistryId">The registry (account id).</param>
/// <param name="Region">The registry's region.</param>
/// <param name="Repository">The repository name.</param>
/// <param name="Tag">The tag, when the URI names one (and no digest).</param>
/// <param name="Digest">The <c>sha256:…</c> digest, when the URI names one.</param>
public sealed partial record EcrImageUri(string RegistryId, string Region, string Repository, string? Tag, string? Digest)
{
    /// <summary>Parses <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com/&lt;repository&gt;:&lt;tag&gt;</c> (or <c>@sha256:…</c>).</summary>
    /// <param name="image">The URI.</param>
    /// <returns>Its parts.</returns>
    /// <exception cref="ArgumentException">Not an ECR image URI with a tag or digest.</exception>
    public static EcrImageUri Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var m = Pattern().Match(image);
        if (!m.Success || !(m.Groups["tag"].Success || m.Groups["digest"].Success))
        {
            throw new ArgumentException(
                $"'{image}' is not an ECR image URI; expected <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>.",
                nameof(image));
        }

        return new EcrImageUri(
            m.Groups["account"].Value,
            m.Groups["region"].Value,
            m.Groups["repository"].Value,
            m.Groups["tag"].Success ? m.Groups["tag"].Value : null,
            m.Groups["digest"].Success ? m.Groups["digest"].Value : null);
    }

    internal DescribeImageScanFindingsRequest Request(string? nextToken) => new()
    {
        RegistryId = RegistryId,
        RepositoryName = Repository,
        ImageId = new ImageIdentifier { ImageTag = Digest is null ? Tag : null, ImageDigest = Digest },
        NextToken = nextToken,
        MaxResults = 1000,
    };

    [GeneratedRegex(@"^(?<account>\d{12})\.dkr\.ecr(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/(?<repository>[a-z0-9][a-z0-9._/-]*?)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@(?<digest>sha256:[a-f0-9]{64}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
