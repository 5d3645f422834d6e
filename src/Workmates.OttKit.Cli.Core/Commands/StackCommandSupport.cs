using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Outputs;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>The options <c>plan</c> and <c>deploy stacks</c> share, and how both build the deployer and render plans.</summary>
internal sealed class StackCommandSupport
{
    private readonly CliEnvironment _environment;

    private StackCommandSupport(CliEnvironment environment)
    {
        _environment = environment;
    }

    public Option<string> Spec { get; } = SpecOption.Create();

    public Option<string[]> Stacks { get; } = new("--stack")
    {
        Description = "Only this stack (repeatable). Default: every stack of the environment, in dependency order.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<bool> DetectDrift { get; } = new("--detect-drift")
    {
        Description = "Run CloudFormation drift detection on existing stacks first and show the drifted resources in the plan.",
    };

    public Option<string?> ArtifactsBucket { get; } = new("--artifacts-bucket")
    {
        Description = "The S3 bucket that keeps every deployed template (<env>/<stack>/<utc-timestamp>-<sha256>.yaml). Default: $OTTKIT_ARTIFACTS_BUCKET, else the <env>-bootstrap stack's output ArtifactsBucketName.",
    };

    public Option<string[]> ImageTags { get; } = new("--image-tag")
    {
        Description = "STACK=TAG: the first image tag of a service stack that does not exist yet (repeatable). Existing stacks keep the image their service runs.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<bool> CreateOnly { get; } = new("--create-only")
    {
        Description = "Create the selected stacks that do not exist yet and leave existing ones alone (the first run of an image workflow creates the stack the infrastructure run deferred).",
    };

    /// <summary>The global <c>--region</c>: here the region of the artifacts bucket (each stack deploys to its own region from the spec).</summary>
    public static Option<string?> Region => OttKitCommandLine.RegionOption;

    /// <summary>The global <c>--profile</c>.</summary>
    public static Option<string?> Profile => OttKitCommandLine.ProfileOption;

    public Option<int> PollSeconds { get; } = new("--poll-interval")
    {
        Description = "Seconds between CloudFormation polls (default 5).",
        DefaultValueFactory = _ => 5,
    };

    public Option<bool> Strict { get; } = StrictOption.Create();

    public static StackCommandSupport Create(CliEnvironment environment) => new(environment);

    public void AddTo(Command command, bool withDrift)
    {
        command.Add(Spec);
        command.Add(Stacks);
        if (withDrift)
        {
            command.Add(DetectDrift);
        }

        command.Add(ArtifactsBucket);
        command.Add(ImageTags);
        command.Add(CreateOnly);
        command.Add(PollSeconds);
        command.Add(Strict);
    }

    /// <summary>Loads and synthesizes the spec and builds the deployer and its options; null (with the exit code) on a user mistake.</summary>
    public Prepared? Prepare(CliContext context, ParseResult parse, out int exitCode)
    {
        var loaded = OttKitCommandLine.LoadSpec(context, parse.GetRequiredValue(Spec), out exitCode);
        if (loaded is null)
        {
            return null;
        }

        // The same checks as synth (spec, placeholders with --strict, CloudFormation rules, registry schemas) before
        // anything reaches AWS; a failure goes to the command line's edge, which reports it.
        var stackSet = EnvironmentOutput.SynthesizeStacks(loaded, new EnvironmentOutputOptions { Strict = parse.GetValue(Strict), Now = _environment.Time.GetUtcNow() }, out var warnings);
        StrictOption.WriteWarnings(context, warnings);

        var options = new StackDeployOptions { DetectDrift = parse.GetValue(DetectDrift), CreateOnly = parse.GetValue(CreateOnly) };
        foreach (var name in parse.GetValue(Stacks) ?? [])
        {
            if (!stackSet.Stacks.Any(s => s.Name == name))
            {
                exitCode = context.UserError(
                    $"environment '{stackSet.Environment}' has no stack '{name}'. Its stacks: {string.Join(", ", stackSet.Stacks.Select(s => s.Name))}.",
                    "unknown-stack");
                return null;
            }

            options.StackNames.Add(name);
        }

        foreach (var pair in parse.GetValue(ImageTags) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                var example = (stackSet.Stacks.FirstOrDefault(s => s.Parameters.Any(p => p.Name == StackDeployer.ImageTagParameter)) ?? stackSet.Stacks[0]).Name;
                exitCode = context.UserError($"--image-tag '{pair}' is not STACK=TAG: write it as --image-tag {example}=1.4.2.", "bad-image-tag");
                return null;
            }

            options.InitialImageTags[pair[..equals]] = pair[(equals + 1)..];
        }

        var seconds = parse.GetValue(PollSeconds);
        if (seconds < 1)
        {
            exitCode = context.UserError($"--poll-interval {seconds.ToString(CultureInfo.InvariantCulture)} is too short: use 1 second or more.", "bad-poll-interval");
            return null;
        }

        options.PollInterval = TimeSpan.FromSeconds(seconds);
        // An explicit bucket wins; an empty value (an unset GitHub variable) is no value. Otherwise the bucket is the
        // bootstrap stack's output, looked up when the first template is stored.
        var bucket = parse.GetValue(ArtifactsBucket) is { } named && !string.IsNullOrWhiteSpace(named)
            ? named
            : _environment.Variables.GetValueOrDefault("OTTKIT_ARTIFACTS_BUCKET") is { } variable && !string.IsNullOrWhiteSpace(variable) ? variable : null;

        var aws = new AwsConnection(_environment, parse.GetValue(Region) ?? stackSet.Region, parse.GetValue(Profile));
        if (aws.Check(stackSet.Region) is { } failure)
        {
            aws.Dispose();
            exitCode = context.Fail(failure);
            return null;
        }

        var cfn = new ConcurrentDictionary<string, ICloudFormationApi>(StringComparer.Ordinal);
        var ecs = new ConcurrentDictionary<string, IEcsApi>(StringComparer.Ordinal);
        var deployer = new StackDeployer(
            region => cfn.GetOrAdd(region, aws.CloudFormation),
            region => ecs.GetOrAdd(region, r => aws.Ecs(r)),
            bucket is null
                ? new S3TemplateArtifactStore(aws.S3(), ct => StackDeployer.FindArtifactsBucketAsync(cfn.GetOrAdd(stackSet.Region, aws.CloudFormation), stackSet, ct))
                : new S3TemplateArtifactStore(aws.S3(), bucket),
            _environment.Time);
        exitCode = ExitCodes.Success;
        return new Prepared(stackSet, deployer, options, aws.Dispose);
    }

    /// <summary>The command line that would execute what was planned.</summary>
    public static string ExecuteHint(ParseResult parse)
    {
        var words = new List<string> { "ottkit", "deploy", "stacks" };
        foreach (var token in parse.Tokens.Select(t => t.Value).SkipWhile(v => v is "plan" or "deploy" or "stacks"))
        {
            if (token != "--detect-drift")
            {
                words.Add(token.Contains(' ', StringComparison.Ordinal) ? $"\"{token}\"" : token);
            }
        }

        words.Add("--yes");
        return string.Join(' ', words);
    }

    public static string Describe(StackPlan plan) => plan.Action switch
    {
        StackPlanAction.NoChanges => "no changes",
        StackPlanAction.Create => $"create ({plan.Changes.Count} resources)",
        StackPlanAction.Update => $"update ({plan.Changes.Count} changes)",
        StackPlanAction.Blocked => "blocked",
        StackPlanAction.Deferred => "deferred",
        _ => "failed",
    };

    public static void WritePlanText(CliContext context, StackSetPlan plan)
    {
        foreach (var stack in plan.Stacks)
        {
            context.Line($"{stack.StackName} ({stack.Region}): {Describe(stack)}");
            foreach (var change in stack.Changes)
            {
                var sign = change.Action switch { "Add" => "+", "Remove" => "-", _ => "~" };
                var line = new StringBuilder($"  {sign} {change.LogicalId} {change.ResourceType}");
                if (change.Action == "Modify")
                {
                    line.Append(change.Replacement switch { ResourceReplacement.True => " (replace)", ResourceReplacement.Conditional => " (may replace)", _ => string.Empty });
                    if (change.ChangedProperties.Count > 0)
                    {
                        line.Append(" [").Append(string.Join(", ", change.ChangedProperties)).Append(']');
                    }
                }

                if (change.Protected)
                {
                    line.Append(" DENIED by the stack policy (data resource): this change will fail");
                }

                context.Line(line.ToString());
            }

            if (stack.Drift is { } drift)
            {
                context.Line($"  drift: {drift.Status}" + (drift.Resources.Count == 0 ? string.Empty : ": " + string.Join(", ", drift.Resources.Select(r => $"{r.LogicalId} {r.DriftStatus}"))));
            }

            if (stack.Reason is not null)
            {
                context.Line($"  {stack.Reason}");
            }
        }

        var counts = plan.Stacks.GroupBy(s => s.Action).ToDictionary(g => g.Key, g => g.Count());
        context.Line(
            $"Plan: {counts.GetValueOrDefault(StackPlanAction.Create)} to create, {counts.GetValueOrDefault(StackPlanAction.Update)} to update, "
            + $"{counts.GetValueOrDefault(StackPlanAction.NoChanges)} unchanged"
            + (counts.GetValueOrDefault(StackPlanAction.Blocked) + counts.GetValueOrDefault(StackPlanAction.Failed) is var bad and > 0 ? $", {bad} blocked or failed" : string.Empty)
            + (counts.GetValueOrDefault(StackPlanAction.Deferred) is var deferred and > 0 ? $", {deferred} deferred" : string.Empty)
            + ".");
    }

    public static JsonObject PlanJson(StackPlan plan) => new()
    {
        ["name"] = plan.StackName,
        ["region"] = plan.Region,
        ["action"] = plan.Action.ToString(),
        ["reason"] = plan.Reason,
        ["templateUrl"] = plan.TemplateUrl?.ToString(),
        ["parameters"] = new JsonObject([.. plan.Parameters.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]),
        ["changes"] = new JsonArray([.. plan.Changes.Select(c => (JsonNode)new JsonObject
        {
            ["logicalId"] = c.LogicalId,
            ["type"] = c.ResourceType,
            ["action"] = c.Action,
            ["replacement"] = c.Replacement.ToString(),
            ["properties"] = new JsonArray([.. c.ChangedProperties.Select(p => (JsonNode)JsonValue.Create(p))]),
            ["protected"] = c.Protected,
        })]),
        ["drift"] = plan.Drift is { } drift
            ? new JsonObject
            {
                ["status"] = drift.Status,
                ["resources"] = new JsonArray([.. drift.Resources.Select(r => (JsonNode)new JsonObject { ["logicalId"] = r.LogicalId, ["type"] = r.ResourceType, ["status"] = r.DriftStatus })]),
            }
            : null,
    };

    public static string PlanMarkdown(string title, StackSetPlan plan)
    {
        var markdown = new StringBuilder($"### {title}\n\n| stack | region | action | changes |\n| --- | --- | --- | --- |\n");
        foreach (var stack in plan.Stacks)
        {
            var changes = string.Join("<br>", stack.Changes.Select(c =>
                $"{c.Action} `{c.LogicalId}` {c.ResourceType}"
                + (c.Replacement == ResourceReplacement.False ? string.Empty : $" (replacement: {c.Replacement})")
                + (c.Protected ? " **denied by stack policy**" : string.Empty)));
            markdown.Append(CultureInfo.InvariantCulture, $"| {stack.StackName} | {stack.Region} | {Describe(stack)} | {(changes.Length == 0 ? stack.Reason ?? string.Empty : changes)} |\n");
        }

        return markdown.ToString();
    }

    /// <summary>What a command works with, and the clients to dispose.</summary>
    internal sealed record Prepared(StackSet StackSet, StackDeployer Deployer, StackDeployOptions Options, Action Release) : IDisposable
    {
        public void Dispose() => Release();
    }

    /// <summary>Writes progress lines synchronously, in the order events arrive (stacks run in parallel).</summary>
    internal sealed class Lines(CliContext context) : IProgress<StackDeploymentEvent>
    {
        private readonly Lock _gate = new();

        public void Report(StackDeploymentEvent value)
        {
            var line = value switch
            {
                StackRecoveryStarted r => $"{r.StackName}: recovery: {r.Description}",
                StackOperationStarted s => $"{s.StackName}: executing ({s.ClientRequestToken})",
                StackResourceEvent e => $"{e.StackName}: {e.At.UtcDateTime:HH:mm:ss} {e.LogicalId} {e.Status}{(e.Reason is null ? string.Empty : " " + e.Reason)}",
                _ => null,
            };
            if (line is not null)
            {
                lock (_gate)
                {
                    context.Line(line);
                }
            }
        }
    }
}
