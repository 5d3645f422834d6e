using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>One finding of a simulated scan.</summary>
/// <param name="Name">The CVE id (basic scanning) or the vulnerability id (enhanced scanning).</param>
/// <param name="Severity">ECR's severity name (CRITICAL, HIGH…).</param>
/// <param name="Enhanced">Reported as an Inspector (enhanced) finding instead of a basic one.</param>
/// <param name="Status">The enhanced finding's status (ACTIVE, SUPPRESSED, CLOSED).</param>
public sealed record SimulatedFinding(string Name, string Severity, bool Enhanced = false, string Status = "ACTIVE");

/// <summary>How the scan of one pushed image goes, on the virtual clock.</summary>
/// <param name="StartsAfter">Time after the push before the scan exists (ScanNotFoundException until then).</param>
/// <param name="RunsFor">Time the scan stays IN_PROGRESS once started.</param>
/// <param name="Result">The final status: COMPLETE, FAILED, UNSUPPORTED_IMAGE…</param>
/// <param name="Description">The final status description.</param>
/// <param name="Findings">The findings of a COMPLETE scan.</param>
public sealed record SimulatedScan(TimeSpan StartsAfter, TimeSpan RunsFor, string Result, string? Description, IReadOnlyList<SimulatedFinding> Findings);

/// <summary>
/// A loopback Amazon ECR endpoint (awsJson 1.1, <c>X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.&lt;Op&gt;</c>)
/// answering DescribeImageScanFindings as ECR does: <c>ScanNotFoundException</c> before the scan starts,
/// <c>IN_PROGRESS</c> without findings while it runs, then the final status with severity counts over all findings
/// and the findings paged by <c>maxResults</c>/<c>nextToken</c>; <c>RepositoryNotFoundException</c> and
/// <c>ImageNotFoundException</c> for what was never pushed.
/// </summary>
public sealed class EcrSimulator : AwsJsonSimulator
{
    private const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";
    private readonly Lock _state = new();
    private readonly Dictionary<string, Dictionary<string, (DateTimeOffset PushedAt, SimulatedScan Scan)>> _repositories = new(StringComparer.Ordinal);

    private EcrSimulator(AwsSimulatorOptions options)
        : base(options, "ecr", TargetPrefix)
    {
    }

    /// <summary>Starts an ECR simulator on a free loopback port.</summary>
    public static async Task<EcrSimulator> StartAsync(AwsSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var simulator = new EcrSimulator(options ?? new AwsSimulatorOptions());
        await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Creates a repository (idempotent).</summary>
    public void CreateRepository(string name)
    {
        lock (_state)
        {
            _repositories.TryAdd(name, new Dictionary<string, (DateTimeOffset, SimulatedScan)>(StringComparer.Ordinal));
        }
    }

    /// <summary>Pushes an image (by tag) now, with how its scan will go.</summary>
    public void PushImage(string repository, string tag, SimulatedScan scan)
    {
        lock (_state)
        {
            CreateRepository(repository);
            _repositories[repository][tag] = (Clock.GetUtcNow(), scan);
        }
    }

    private protected override string ThrottlingCode => "ThrottlingException";

    private protected override string InternalErrorCode => "ServerException";

    private protected override (string Code, int Status) AccessDeniedError => ("AccessDeniedException", 400);

    private protected override IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body)
    {
        var input = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
        var account = input["registryId"]?.GetValue<string>() ?? Options.AccountId;
        var repository = input["repositoryName"]?.GetValue<string>() ?? "*";
        yield return new($"ecr:{operation}", $"arn:aws:ecr:{Region}:{account}:repository/{repository}");
    }

    private protected override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, JsonObject input)
    {
        var output = operation switch
        {
            "DescribeImageScanFindings" => DescribeImageScanFindings(input),
            _ => throw new AwsSimulatorException("UnknownOperationException", $"Operation {operation} is not supported by this simulator."),
        };
        return Task.FromResult(Ok(output));
    }

    private JsonObject DescribeImageScanFindings(JsonObject input)
    {
        var registry = input["registryId"]?.GetValue<string>() ?? Options.AccountId;
        var repository = input["repositoryName"]?.GetValue<string>()
            ?? throw new AwsSimulatorException("InvalidParameterException", "repositoryName is required.");
        var tag = input["imageId"]?["imageTag"]?.GetValue<string>()
            ?? throw new AwsSimulatorException("InvalidParameterException", "imageId is required (this simulator resolves tags only).");
        var maxResults = input["maxResults"]?.GetValue<int>() ?? 100;
        var start = int.TryParse(input["nextToken"]?.GetValue<string>(), out var token) ? token : 0;
        (DateTimeOffset PushedAt, SimulatedScan Scan) image;
        lock (_state)
        {
            if (registry != Options.AccountId || !_repositories.TryGetValue(repository, out var images))
            {
                throw new AwsSimulatorException("RepositoryNotFoundException",
                    $"The repository with name '{repository}' does not exist in the registry with id '{registry}'");
            }

            if (!images.TryGetValue(tag, out image))
            {
                throw new AwsSimulatorException("ImageNotFoundException",
                    $"The image with imageId {{imageDigest:'null', imageTag:'{tag}'}} does not exist within the repository with name '{repository}' in the registry with id '{registry}'");
            }
        }

        var now = Clock.GetUtcNow();
        var scan = image.Scan;
        var startedAt = image.PushedAt + scan.StartsAfter;
        if (now < startedAt)
        {
            throw new AwsSimulatorException("ScanNotFoundException",
                $"Image scan does not exist for the image with '{{imageDigest:'null', imageTag:'{tag}'}}' in the repository with name '{repository}' in the registry with id '{registry}'");
        }

        var result = new JsonObject
        {
            ["registryId"] = registry,
            ["repositoryName"] = repository,
            ["imageId"] = new JsonObject { ["imageDigest"] = "sha256:" + new string('a', 64), ["imageTag"] = tag },
        };
        if (now < startedAt + scan.RunsFor)
        {
            result["imageScanStatus"] = new JsonObject { ["status"] = "IN_PROGRESS" };
            return result;
        }

        result["imageScanStatus"] = new JsonObject { ["status"] = scan.Result, ["description"] = scan.Description };
        if (scan.Result != "COMPLETE")
        {
            return result;
        }

        var counts = new JsonObject();
        foreach (var group in scan.Findings.Where(f => !f.Enhanced || f.Status == "ACTIVE").GroupBy(f => f.Severity, StringComparer.Ordinal))
        {
            counts[group.Key] = group.Count();
        }

        var page = scan.Findings.Skip(start).Take(maxResults).ToList();
        var completedAt = (startedAt + scan.RunsFor).ToUnixTimeSeconds();
        result["imageScanFindings"] = new JsonObject
        {
            ["imageScanCompletedAt"] = completedAt,
            ["vulnerabilitySourceUpdatedAt"] = completedAt,
            ["findingSeverityCounts"] = counts,
            ["findings"] = new JsonArray([.. page.Where(f => !f.Enhanced).Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["uri"] = $"https://security-tracker.debian.org/tracker/{f.Name}",
                ["severity"] = f.Severity,
                ["attributes"] = new JsonArray(),
            })]),
            ["enhancedFindings"] = new JsonArray([.. page.Where(f => f.Enhanced).Select(f => (JsonNode)new JsonObject
            {
                ["findingArn"] = $"arn:aws:inspector2:{Region}:{registry}:finding/{f.Name}",
                ["title"] = $"{f.Name} - openssl",
                ["severity"] = f.Severity,
                ["status"] = f.Status,
                ["type"] = "PACKAGE_VULNERABILITY",
                ["packageVulnerabilityDetails"] = new JsonObject { ["vulnerabilityId"] = f.Name, ["source"] = "NVD" },
            })]),
        };
        // Basic scanning answers with findings only, enhanced scanning with enhancedFindings only.
        var findings = (JsonObject)result["imageScanFindings"]!;
        foreach (var key in new[] { "findings", "enhancedFindings" })
        {
            if (findings[key] is JsonArray { Count: 0 })
            {
                findings.Remove(key);
            }
        }

        if (start + maxResults < scan.Findings.Count)
        {
            result["nextToken"] = (start + maxResults).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }
}
