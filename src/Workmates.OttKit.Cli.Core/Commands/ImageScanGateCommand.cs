using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit image scan-gate --spec F --service S --image URI</c>: waits for the pushed image's ECR scan and fails on
/// findings at or above <c>security.imageScanGate.failOn</c> (allowances that have not expired aside). The verdict goes
/// to the log, to <c>$GITHUB_STEP_SUMMARY</c> and, with <c>-o json</c>, to one JSON document.
/// </summary>
internal static class ImageScanGateCommand
{
    /// <summary>Creates the <c>image</c> command with its <c>scan-gate</c> subcommand.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var image = new Command("image", "Container images of the environment's services.");
        image.Subcommands.Add(CreateScanGate(environment));
        return image;
    }

    private static Command CreateScanGate(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var service = ServiceCommandSupport.ServiceOption(required: true);
        var imageOption = new Option<string>("--image")
        {
            Description = "The pushed image: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> (or @sha256:<digest>).",
            Required = true,
        };
        var command = new Command(
            "scan-gate",
            "Wait for the image's ECR scan and fail on findings at or above security.imageScanGate.failOn (default CRITICAL), apart from allowances that have not expired.\n" +
            "Exit codes: 0 passed, 1 blocked, the scan failed, or a mistake, 4 the scan did not complete within security.imageScanGate.timeoutMinutes.\n\n" +
            "Examples:\n  ottkit image scan-gate --spec blacksheep.yaml --service api --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/blacksheep/api:3f2c1e0")
        {
            spec, service, imageOption,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, environment, parse.GetRequiredValue(spec), parse.GetRequiredValue(service), parse.GetRequiredValue(imageOption), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliEnvironment environment, string specPath, string serviceName, string image, CancellationToken cancellationToken)
    {
        var context = OttKitCommandLine.ContextOf(parse);
        var spec = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (spec is null)
        {
            return exitCode;
        }

        var service = ServiceCommandSupport.FindService(context, spec, serviceName, out exitCode);
        if (service is null)
        {
            return exitCode;
        }

        EcrImageUri target;
        try
        {
            target = EcrImageUri.Parse(image);
        }
        catch (ArgumentException e)
        {
            return context.UserError($"--image: {e.Message.Split(" (Parameter", 2)[0]}", "bad-image");
        }

        var expected = service.ImageRepository ?? $"{spec.Name}/{service.Name}";
        if (!string.Equals(target.Repository, expected, StringComparison.Ordinal))
        {
            return context.UserError(
                $"--image is in repository '{target.Repository}', but service '{service.Name}' deploys from '{expected}'. Pass the image the workflow pushed for this service.",
                "wrong-repository");
        }

        using var aws = new AwsConnection(environment, target.Region, parse.GetValue(OttKitCommandLine.ProfileOption));
        if (aws.Check(spec.Region) is { } failure)
        {
            return context.Fail(failure);
        }

        var gate = spec.Security.ImageScanGate;
        context.Line($"scan gate for {image}: fails on {ImageScanVerdict.Name(gate.FailOn)} and above, {gate.Allow.Count} allowance(s), waits up to {gate.TimeoutMinutes} min");
        var progress = new SynchronousProgress(p => context.Line($"{DeploymentOutput.Stamp(p.At)} scan {p.Status}{(p.Description is null ? string.Empty : $" ({p.Description})")}"));
        ImageScanVerdict verdict;
        try
        {
            verdict = await new ImageScanGate(aws.Ecr(target.Region), environment.Time)
                .CheckAsync(image, gate, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageNotFoundException)
        {
            return context.UserError($"image {image} is not in ECR. Push it first (the workflow's build step), or check the tag.", "image-not-found");
        }
        catch (RepositoryNotFoundException)
        {
            return context.UserError($"repository '{target.Repository}' does not exist in registry {target.RegistryId} ({target.Region}). Deploy the environment's stacks first ('ottkit deploy stacks --spec {specPath}').", "repository-not-found");
        }

        context.Line($"{(verdict.IsSuccess ? "passed" : verdict.Outcome.ToString().ToLowerInvariant())}: {verdict.Summary}");
        foreach (var f in verdict.Blocking)
        {
            context.Line($"  blocks  {f.Id} {ImageScanVerdict.Name(f.Severity)}{(f.Allowance is { } a ? $" (allowance expired {a.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})" : string.Empty)} {f.Title}");
        }

        foreach (var f in verdict.Allowed)
        {
            context.Line($"  allowed {f.Id} {ImageScanVerdict.Name(f.Severity)} until {f.Allowance!.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {f.Allowance.Reason}");
        }

        if (environment.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            await File.AppendAllTextAsync(summary, verdict.ToMarkdown(), cancellationToken).ConfigureAwait(false);
        }

        context.Result(new JsonObject
        {
            ["ok"] = verdict.IsSuccess,
            ["command"] = "image scan-gate",
            ["image"] = image,
            ["outcome"] = verdict.Outcome.ToString(),
            ["scanStatus"] = verdict.ScanStatus,
            ["failOn"] = ImageScanVerdict.Name(verdict.FailOn),
            ["severityCounts"] = new JsonObject([.. verdict.SeverityCounts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]),
            ["blocking"] = Findings(verdict.Blocking),
            ["allowed"] = Findings(verdict.Allowed),
            ["summary"] = verdict.Summary,
        });
        return verdict.Outcome switch
        {
            ImageScanOutcome.Passed => ExitCodes.Success,
            ImageScanOutcome.TimedOut => ExitCodes.ScanGateTimedOut,
            _ => ExitCodes.ScanGateFailed,
        };
    }

    private static JsonArray Findings(IReadOnlyList<JudgedFinding> findings) => new([.. findings.Select(f => (JsonNode)new JsonObject
    {
        ["id"] = f.Id,
        ["severity"] = ImageScanVerdict.Name(f.Severity),
        ["title"] = f.Title,
        ["allowedUntil"] = f.Allowance?.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["reason"] = f.Allowance?.Reason,
    })]);

    // Progress<T> posts to the thread pool; lines must reach the log in order, before the verdict.
    private sealed class SynchronousProgress(Action<ImageScanProgress> report) : IProgress<ImageScanProgress>
    {
        public void Report(ImageScanProgress value) => report(value);
    }
}
