using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Ecs;
using DescribeServicesRequest = Workmates.OttKit.Aws.Ecs.Model.DescribeServicesRequest;
using DescribeTaskDefinitionRequest = Workmates.OttKit.Aws.Ecs.Model.DescribeTaskDefinitionRequest;
using Workmates.OttKit.Blueprint;
using CfnParameter = Workmates.OttKit.Aws.CloudFormation.Model.Parameter;
using Stack = Workmates.OttKit.Blueprint.Stack;

namespace Workmates.OttKit.Deployment;

/// <summary>
/// Deploys a synthesized <see cref="StackSet"/> through CloudFormation change sets: plan → (execute → watch →
/// recover). Stacks deploy in dependency order, independent ones in parallel (bounded), each in its own region.
/// Templates always go through the artifact store; a service stack's <c>ImageTag</c> is the tag its ECS service runs
/// now, so an infrastructure deploy never changes the running image (see docs/deploy.md).
/// </summary>
public sealed partial class StackDeployer
{
    /// <summary>The parameter of a service stack that names the image tag to run.</summary>
    public const string ImageTagParameter = "ImageTag";

    /// <summary>CloudFormation's limit for a TemplateBody in bytes; larger templates need a TemplateURL.</summary>
    public const int TemplateBodyLimit = 51_200;

    private const string PreviousValue = "(previous value)";
    private static readonly string[] Capabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"];

    private readonly Func<string, ICloudFormationApi> _cloudFormation;
    private readonly Func<string, IEcsApi> _ecs;
    private readonly ITemplateArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the deployer.</summary>
    /// <param name="cloudFormation">The CloudFormation client of a region (called once per stack operation; cache clients in it).</param>
    /// <param name="ecs">The ECS client of a region (reads the image each service runs).</param>
    /// <param name="artifacts">Where templates are stored (the environment's artifacts bucket).</param>
    /// <param name="timeProvider">The clock for polls and timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logs progress; none when null.</param>
    public StackDeployer(
        Func<string, ICloudFormationApi> cloudFormation,
        Func<string, IEcsApi> ecs,
        ITemplateArtifactStore artifacts,
        TimeProvider? timeProvider = null,
        ILogger<StackDeployer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(cloudFormation);
        ArgumentNullException.ThrowIfNull(ecs);
        ArgumentNullException.ThrowIfNull(artifacts);
        _cloudFormation = cloudFormation;
        _ecs = ecs;
        _artifacts = artifacts;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Plans the stack set: per stack a change set is created, read and deleted (nothing is executed, nothing is
    /// recovered; a REVIEW_IN_PROGRESS leftover is cleaned up).
    /// </summary>
    /// <param name="stackSet">The synthesized stacks.</param>
    /// <param name="options">Options (<see cref="StackDeployOptions.Execute"/> and the recovery switches are ignored).</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <returns>The plan, stacks in deployment order.</returns>
    /// <exception cref="StackDeploymentException">A stack named in <see cref="StackDeployOptions.StackNames"/> is not in the set.</exception>
    public async Task<StackSetPlan> PlanAsync(StackSet stackSet, StackDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(stackSet, options ?? new StackDeployOptions(), execute: false, cancellationToken).ConfigureAwait(false);
        return result.Plan;
    }

    /// <summary>
    /// Deploys the stack set: plans every stack and, when <see cref="StackDeployOptions.Execute"/> is set, executes the
    /// change sets in dependency order and watches each to a terminal state; recovers blocked stacks when asked.
    /// </summary>
    /// <param name="stackSet">The synthesized stacks.</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the deploy (a running CloudFormation operation continues).</param>
    /// <returns>One result per stack, in deployment order.</returns>
    /// <exception cref="StackDeploymentException">A stack named in <see cref="StackDeployOptions.StackNames"/> is not in the set.</exception>
    public Task<StackSetDeploymentResult> DeployAsync(StackSet stackSet, StackDeployOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StackDeployOptions();
        return RunAsync(stackSet, options, options.Execute, cancellationToken);
    }

    /// <summary>The bootstrap stack's output that names the artifacts bucket.</summary>
    public const string ArtifactsBucketOutput = "ArtifactsBucketName";

    /// <summary>
    /// Finds the environment's artifacts bucket: the output <see cref="ArtifactsBucketOutput"/> of the bootstrap stack
    /// (<see cref="StackSet.BootstrapStackName"/>, in the set's home region). Calls <c>cloudformation:DescribeStacks</c>.
    /// </summary>
    /// <param name="cloudFormation">The CloudFormation client of the set's home region.</param>
    /// <param name="stackSet">The environment's stacks.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The bucket's name, or <see langword="null"/> while the bootstrap stack does not exist or has no such output yet.</returns>
    public static async Task<string?> FindArtifactsBucketAsync(ICloudFormationApi cloudFormation, StackSet stackSet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudFormation);
        ArgumentNullException.ThrowIfNull(stackSet);
        try
        {
            var described = await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackSet.BootstrapStackName }, cancellationToken).ConfigureAwait(false);
            return described.Stacks?.FirstOrDefault()?.Outputs?.FirstOrDefault(o => o.OutputKey == ArtifactsBucketOutput)?.OutputValue is { Length: > 0 } bucket ? bucket : null;
        }
        catch (CloudFormationException e) when (IsMissingStack(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Streams the events of one stack operation (those carrying <paramref name="clientRequestToken"/>) in
    /// chronological order until the stack reaches a terminal state.
    /// </summary>
    /// <param name="region">The stack's region.</param>
    /// <param name="stackName">The stack name or ID.</param>
    /// <param name="clientRequestToken">The token the operation was started with.</param>
    /// <param name="pollInterval">Delay between polls (default 5 s).</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<StackResourceEvent> WatchStackEventsAsync(
        string region,
        string stackName,
        string clientRequestToken,
        TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientRequestToken);
        var watch = new Watch(_cloudFormation(region), stackName, stackName, clientRequestToken, pollInterval ?? TimeSpan.FromSeconds(5), _time.GetUtcNow() + TimeSpan.FromHours(3));
        return StreamAsync(watch, cancellationToken);
    }

    private async Task<StackSetDeploymentResult> RunAsync(StackSet stackSet, StackDeployOptions options, bool execute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stackSet);
        options.Validate();
        foreach (var name in options.StackNames)
        {
            if (!stackSet.Stacks.Any(s => s.Name == name))
            {
                throw new StackDeploymentException(
                    StackDeploymentErrorKind.UnknownStack,
                    name,
                    $"The stack set of '{stackSet.Environment}' has no stack '{name}'. Its stacks: {string.Join(", ", stackSet.Stacks.Select(s => s.Name))}.");
            }
        }

        var selected = stackSet.Stacks.Where(s => options.StackNames.Count == 0 || options.StackNames.Contains(s.Name)).ToList();
        var selectedNames = selected.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(options.MaxParallelStacks);
        var tasks = new Dictionary<string, Task<StackDeploymentResult>>(StringComparer.Ordinal);
        foreach (var stack in selected)
        {
            // DependsOn (imports) and ValueFrom sources both deploy first; so does the bootstrap stack, whose bucket
            // keeps every other template.
            var dependencies = stack.DependsOn
                .Concat(stack.Parameters.Where(p => p.ValueFrom is not null).Select(p => p.ValueFrom!.StackName))
                .Concat(stack.Name == stackSet.BootstrapStackName ? [] : [stackSet.BootstrapStackName])
                .Where(selectedNames.Contains)
                .Distinct(StringComparer.Ordinal)
                .Select(d => tasks[d])
                .ToList();
            tasks[stack.Name] = RunStackAsync(stackSet, stack, dependencies, gate, options, execute, cancellationToken);
        }

        var results = await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return new StackSetDeploymentResult(stackSet.Environment, results);
    }

    private async Task<StackDeploymentResult> RunStackAsync(
        StackSet stackSet,
        Stack stack,
        IReadOnlyList<Task<StackDeploymentResult>> dependencies,
        SemaphoreSlim gate,
        StackDeployOptions options,
        bool execute,
        CancellationToken cancellationToken)
    {
        var before = await Task.WhenAll(dependencies).ConfigureAwait(false);
        StackDeploymentResult result;
        if (before.FirstOrDefault(d => d.Outcome == StackDeploymentOutcome.WaitsForImage) is { } waiting)
        {
            // Its dependency is created by the first run of an image workflow; so is nothing here until then.
            var reason = $"Not created yet: it depends on {waiting.StackName}, which waits for its first image; the next infrastructure run after {waiting.StackName} exists creates it.";
            var plan = new StackPlan(stack.Name, stack.Region, StackPlanAction.Deferred, [], new Dictionary<string, string>(StringComparer.Ordinal), reason);
            Report(options, new StackPlanned(_time.GetUtcNow(), stack.Name, plan));
            result = new StackDeploymentResult(stack.Name, stack.Region, StackDeploymentOutcome.WaitsForImage, plan) { Message = reason };
        }
        else if (execute && before.FirstOrDefault(d => !d.IsSuccess) is { } failed)
        {
            result = new StackDeploymentResult(stack.Name, stack.Region, StackDeploymentOutcome.Skipped, null)
            {
                Message = $"Not deployed: stack '{failed.StackName}', which it depends on, ended {failed.Outcome}.",
            };
        }
        else
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var pending = before.Where(d => d.Plan?.Action is StackPlanAction.Create or StackPlanAction.Deferred && d.Outcome != StackDeploymentOutcome.Created)
                    .Select(d => d.StackName).ToHashSet(StringComparer.Ordinal);
                var run = new StackRun(this, stackSet, stack, options, execute, pending);
                result = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        LogVerdict(_logger, stack.Name, stack.Region, result.Outcome, result.FinalStatus, result.Message);
        Report(options, new StackDeploymentFinished(_time.GetUtcNow(), stack.Name, result));
        return result;
    }

    private void Report(StackDeployOptions options, StackDeploymentEvent deploymentEvent)
    {
        options.Progress?.Report(deploymentEvent);
        LogEvent(_logger, deploymentEvent);
    }

    private static bool IsMissingStack(CloudFormationException exception) =>
        exception.ErrorCode == "ValidationError" && exception.Message.Contains("does not exist", StringComparison.Ordinal);

    private static bool IsTerminal(string status) => !status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);

    private static string NewToken(string prefix, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"ottkit-{prefix}-{now.UtcDateTime:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..12]}");

    /// <summary>Streams the events of one operation and records the final status in <paramref name="watch"/>.</summary>
    private async IAsyncEnumerable<StackResourceEvent> StreamAsync(Watch watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sawOwnEvent = false;
        while (true)
        {
            string status;
            try
            {
                var described = await watch.Api.DescribeStacksAsync(new DescribeStacksRequest { StackName = watch.StackId }, cancellationToken).ConfigureAwait(false);
                status = described.Stacks?.FirstOrDefault()?.StackStatus ?? "DELETE_COMPLETE";
            }
            catch (CloudFormationException e) when (IsMissingStack(e))
            {
                status = "DELETE_COMPLETE";
            }

            var fresh = new List<StackEvent>();
            try
            {
                string? next = null;
                var done = false;
                do
                {
                    var page = await watch.Api.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = watch.StackId, NextToken = next }, cancellationToken).ConfigureAwait(false);
                    foreach (var e in page.StackEvents ?? [])
                    {
                        // Newest first: the operation's events come before any older operation's (other token).
                        if (e.EventId is null || seen.Contains(e.EventId) || e.ClientRequestToken != watch.Token)
                        {
                            done = true;
                            break;
                        }

                        fresh.Add(e);
                    }

                    next = page.NextToken;
                }
                while (!done && next is not null);
            }
            catch (CloudFormationException e) when (IsMissingStack(e))
            {
                // A stack deleted by name can no longer be read by name; its end is DELETE_COMPLETE.
            }

            fresh.Reverse();
            foreach (var e in fresh)
            {
                seen.Add(e.EventId!);
                sawOwnEvent = true;
                var observed = new StackResourceEvent(
                    e.Timestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : _time.GetUtcNow(),
                    watch.StackName,
                    e.LogicalResourceId ?? string.Empty,
                    e.ResourceType ?? string.Empty,
                    e.ResourceStatus ?? string.Empty,
                    e.ResourceStatusReason);
                watch.Events.Add(observed);
                yield return observed;
            }

            // A terminal status before the operation's first event is the previous operation's (not started yet).
            if (IsTerminal(status) && (sawOwnEvent || status == "DELETE_COMPLETE"))
            {
                watch.FinalStatus = status;
                yield break;
            }

            if (_time.GetUtcNow() >= watch.Deadline)
            {
                watch.FinalStatus = status;
                watch.TimedOut = true;
                yield break;
            }

            await Task.Delay(watch.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first FAILED resource event of an operation (not the stack's own, not a cancellation).</summary>
    internal static StackFailureCause? RootCause(IEnumerable<StackResourceEvent> events) =>
        events
            .Where(e => !e.IsStackEvent && e.Status.EndsWith("_FAILED", StringComparison.Ordinal)
                        && !(e.Reason ?? string.Empty).Contains("cancelled", StringComparison.OrdinalIgnoreCase))
            .Select(e => new StackFailureCause(e.LogicalId, e.ResourceType, e.Status, e.Reason, e.At))
            .FirstOrDefault();

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Stack event {Event}")]
    private static partial void LogEvent(ILogger logger, StackDeploymentEvent @event);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Stack {Stack} ({Region}): {Outcome}, status {Status} ({Message})")]
    private static partial void LogVerdict(ILogger logger, string stack, string region, StackDeploymentOutcome outcome, string? status, string? message);

    /// <summary>One operation being watched.</summary>
    private sealed class Watch(ICloudFormationApi api, string stackName, string stackId, string token, TimeSpan pollInterval, DateTimeOffset deadline)
    {
        public ICloudFormationApi Api { get; } = api;

        public string StackName { get; } = stackName;

        public string StackId { get; } = stackId;

        public string Token { get; } = token;

        public TimeSpan PollInterval { get; } = pollInterval;

        public DateTimeOffset Deadline { get; } = deadline;

        public List<StackResourceEvent> Events { get; } = [];

        public string? FinalStatus { get; set; }

        public bool TimedOut { get; set; }
    }

    /// <summary>Plans and (optionally) deploys one stack.</summary>
    private sealed class StackRun(StackDeployer owner, StackSet stackSet, Stack stack, StackDeployOptions options, bool execute, IReadOnlySet<string> pendingStacks)
    {
        private readonly ICloudFormationApi _api = owner._cloudFormation(stack.Region);
        private readonly List<string> _recoveries = [];
        private Aws.CloudFormation.Model.Stack? _existing;
        private bool _waitsForImage;

        private DateTimeOffset Now => owner._time.GetUtcNow();

        public async Task<StackDeploymentResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            _existing = await DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (await PrepareAsync(cancellationToken).ConfigureAwait(false) is { } early)
            {
                return early;
            }

            if (options.CreateOnly && _existing is not null)
            {
                return Planned(StackPlanAction.NoChanges, [], new Dictionary<string, string>(StringComparer.Ordinal),
                    $"{stack.Name} exists: a create-only run leaves it alone (the infrastructure workflow updates it, service deploys change its image).", null, null);
            }

            var changeSetType = _existing is null ? "CREATE" : "UPDATE";
            var drift = options.DetectDrift && _existing is not null ? await DetectDriftAsync(cancellationToken).ConfigureAwait(false) : null;
            var (parameters, shown, problem) = await ParametersAsync(cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Planned(problem.Value.Action, [], shown, problem.Value.Reason, drift, null);
            }

            var body = stack.Template.ToYaml();
            Uri? url = null;
            string? inlineBody = null;
            if (await owner._artifacts.IsAvailableAsync(cancellationToken).ConfigureAwait(false))
            {
                url = await owner._artifacts.UploadAsync(ArtifactKey(body), body, cancellationToken).ConfigureAwait(false);
                owner.Report(options, new TemplateUploaded(Now, stack.Name, url, Encoding.UTF8.GetByteCount(body)));
            }
            else if (_existing is null && stack.Name == stackSet.BootstrapStackName && Encoding.UTF8.GetByteCount(body) <= TemplateBodyLimit)
            {
                // The bootstrap stack creates the artifacts bucket, so its first template cannot be kept there: it goes
                // as a TemplateBody (it is small), and every later version through the bucket.
                inlineBody = body;
            }
            else
            {
                return Planned(StackPlanAction.Failed, [], shown,
                    $"No artifacts bucket to keep the template of {stack.Name} in: the {stackSet.BootstrapStackName} stack, which holds it, does not exist yet. "
                    + $"An administrator bootstraps the environment once: ottkit deploy stacks --spec <spec> --yes --stack {stackSet.BootstrapStackName} --stack {stackSet.Environment}-ci "
                    + "(docs/pipelines.md, Bootstrap); or name a bucket with --artifacts-bucket.", drift, null);
            }

            var changeSetName = NewToken("cs", Now);
            try
            {
                await _api.CreateChangeSetAsync(
                    new CreateChangeSetRequest
                    {
                        StackName = stack.Name,
                        ChangeSetName = changeSetName,
                        ChangeSetType = changeSetType,
                        TemplateURL = url?.ToString(),
                        TemplateBody = inlineBody,
                        Parameters = parameters,
                        Capabilities = [.. Capabilities],
                        Description = $"ottkit deploy of {stackSet.Environment}",
                        RoleARN = options.ServiceRoleArn,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (CloudFormationException e) when (e.ErrorCode is "ValidationError" or "InsufficientCapabilitiesException" or "AlreadyExistsException")
            {
                return Planned(StackPlanAction.Failed, [], shown, $"CreateChangeSet was refused: {e.Message}", drift, url);
            }

            owner.Report(options, new ChangeSetCreated(Now, stack.Name, changeSetName, changeSetType));
            var changeSet = await WaitForChangeSetAsync(changeSetName, cancellationToken).ConfigureAwait(false);
            if (changeSet.Status == "FAILED")
            {
                await CleanUpChangeSetAsync(changeSetName, changeSetType, cancellationToken).ConfigureAwait(false);
                var reason = changeSet.StatusReason ?? string.Empty;
                return reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates are to be performed", StringComparison.Ordinal)
                    ? Planned(StackPlanAction.NoChanges, [], shown, null, drift, url) with { Outcome = StackDeploymentOutcome.NoChanges, FinalStatus = _existing?.StackStatus, Message = "No changes." }
                    : Planned(StackPlanAction.Failed, [], shown, $"The change set failed: {reason}", drift, url);
            }

            var whole = await _api.DescribeWholeChangeSetAsync(new DescribeChangeSetRequest { StackName = stack.Name, ChangeSetName = changeSetName }, cancellationToken).ConfigureAwait(false);
            var templateJson = stack.Template.ToJsonNode();
            var protectedIds = StackDataProtection.ProtectedResources(templateJson).ToHashSet(StringComparer.Ordinal);
            foreach (var removed in (whole.Changes ?? []).Select(c => c.ResourceChange).Where(r => r?.Action == "Remove"))
            {
                if (StackDataProtection.IsData(removed!.LogicalResourceId ?? string.Empty, removed.ResourceType, null))
                {
                    protectedIds.Add(removed.LogicalResourceId!);
                }
            }

            var changes = (whole.Changes ?? []).Where(c => c.ResourceChange is not null).Select(c => ToPlanned(c.ResourceChange!, protectedIds)).ToList();
            var action = changeSetType == "CREATE" ? StackPlanAction.Create : StackPlanAction.Update;
            var plan = new StackPlan(stack.Name, stack.Region, action, changes, shown, null) { Drift = drift, TemplateUrl = url };
            owner.Report(options, new StackPlanned(Now, stack.Name, plan));
            if (!execute)
            {
                await CleanUpChangeSetAsync(changeSetName, changeSetType, cancellationToken).ConfigureAwait(false);
                return Result(StackDeploymentOutcome.Planned, plan, _existing?.StackStatus, "Planned; not executed.");
            }

            var policy = options.ProtectData ? StackDataProtection.Policy(protectedIds) : null;
            if (policy is not null && _existing is not null)
            {
                await _api.SetStackPolicyAsync(new SetStackPolicyRequest { StackName = stack.Name, StackPolicyBody = policy }, cancellationToken).ConfigureAwait(false);
            }

            await _api.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = stack.Name, ChangeSetName = changeSetName, ClientRequestToken = changeSetName }, cancellationToken).ConfigureAwait(false);
            var watch = await WatchAsync(changeSet.StackId ?? stack.Name, changeSetName, cancellationToken).ConfigureAwait(false);
            return await VerdictAsync(plan, watch, policy, cancellationToken).ConfigureAwait(false);
        }

        private async Task<StackDeploymentResult> VerdictAsync(StackPlan plan, Watch watch, string? policy, CancellationToken cancellationToken)
        {
            var status = watch.FinalStatus ?? "UNKNOWN";
            var cause = RootCause(watch.Events);
            var causeText = cause is null ? "no resource reported a failure" : $"{cause.LogicalId} ({cause.ResourceType}) {cause.Status}: {cause.Reason}";
            if (watch.TimedOut)
            {
                return Result(StackDeploymentOutcome.TimedOut, plan, status, $"The stack operation did not finish within {options.StackTimeout}; it is still {status}.") with { ClientRequestToken = watch.Token };
            }

            switch (status)
            {
                case "CREATE_COMPLETE" or "UPDATE_COMPLETE":
                    if (options.TerminationProtection && _existing?.EnableTerminationProtection != true)
                    {
                        await _api.UpdateTerminationProtectionAsync(new UpdateTerminationProtectionRequest { StackName = stack.Name, EnableTerminationProtection = true }, cancellationToken).ConfigureAwait(false);
                    }

                    if (policy is not null && _existing is null)
                    {
                        await _api.SetStackPolicyAsync(new SetStackPolicyRequest { StackName = stack.Name, StackPolicyBody = policy }, cancellationToken).ConfigureAwait(false);
                    }

                    return Result(status == "CREATE_COMPLETE" ? StackDeploymentOutcome.Created : StackDeploymentOutcome.Updated, plan, status, status == "CREATE_COMPLETE" ? "Created." : "Updated.")
                        with { ClientRequestToken = watch.Token };
                case "ROLLBACK_COMPLETE":
                    return Result(StackDeploymentOutcome.RolledBack, plan, status,
                            $"Creating {stack.Name} failed: {causeText}. The stack is in ROLLBACK_COMPLETE and must be deleted before it can be created again: fix the cause, then deploy with --delete-failed-new-stack (DeleteFailedNewStack).")
                        with { RootCause = cause, ClientRequestToken = watch.Token };
                case "UPDATE_ROLLBACK_COMPLETE":
                    return Result(StackDeploymentOutcome.RolledBack, plan, status,
                            $"Updating {stack.Name} failed: {causeText}. CloudFormation rolled the stack back to its previous state.")
                        with { RootCause = cause, ClientRequestToken = watch.Token };
                case "UPDATE_ROLLBACK_FAILED":
                    var stuck = await FailedToRollBackAsync(cancellationToken).ConfigureAwait(false);
                    if (options.ContinueUpdateRollback)
                    {
                        var recovered = await ContinueRollbackAsync(stuck, cancellationToken).ConfigureAwait(false);
                        return Result(recovered == "UPDATE_ROLLBACK_COMPLETE" ? StackDeploymentOutcome.RolledBack : StackDeploymentOutcome.Failed, plan, recovered,
                                $"Updating {stack.Name} failed: {causeText}. The rollback failed too and was continued skipping {Names(stuck)}; the stack is {recovered}.")
                            with { RootCause = cause, ClientRequestToken = watch.Token };
                    }

                    return Result(StackDeploymentOutcome.Failed, plan, status,
                            $"Updating {stack.Name} failed: {causeText}. The rollback failed too: {RecoveryAdvice(stuck)}")
                        with { RootCause = cause, ClientRequestToken = watch.Token };
                default:
                    return Result(StackDeploymentOutcome.Failed, plan, status, $"The stack ended {status}: {causeText}.") with { RootCause = cause, ClientRequestToken = watch.Token };
            }
        }

        /// <summary>Deals with a stack state nothing can be deployed onto; returns a result when the stack cannot go on.</summary>
        private async Task<StackDeploymentResult?> PrepareAsync(CancellationToken cancellationToken)
        {
            var status = _existing?.StackStatus;
            switch (status)
            {
                case null:
                    return null;
                case "REVIEW_IN_PROGRESS":
                    // A CREATE change set that was never executed: the stack holds no resources, only change sets.
                    return await DeleteAndForgetAsync("deleted a stack left in REVIEW_IN_PROGRESS (a create change set that was never executed)", cancellationToken).ConfigureAwait(false);
                case "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED":
                    if (execute && options.DeleteFailedNewStack)
                    {
                        return await DeleteAndForgetAsync($"deleted the failed new stack ({status}) to create it again", cancellationToken).ConfigureAwait(false);
                    }

                    return Blocked($"Stack {stack.Name} is in {status}: its first create failed, and CloudFormation cannot update it. It must be deleted before it can be created again: deploy with --delete-failed-new-stack (DeleteFailedNewStack) to delete it and create it anew.");
                case "UPDATE_ROLLBACK_FAILED":
                    var stuck = await FailedToRollBackAsync(cancellationToken).ConfigureAwait(false);
                    if (execute && options.ContinueUpdateRollback)
                    {
                        var recovered = await ContinueRollbackAsync(stuck, cancellationToken).ConfigureAwait(false);
                        if (recovered != "UPDATE_ROLLBACK_COMPLETE")
                        {
                            return Result(StackDeploymentOutcome.Failed, null, recovered, $"Continuing the rollback of {stack.Name} ended {recovered}.");
                        }

                        _existing = await DescribeAsync(cancellationToken).ConfigureAwait(false);
                        return null;
                    }

                    return Blocked($"Stack {stack.Name} is in UPDATE_ROLLBACK_FAILED: {RecoveryAdvice(stuck)}");
                case "DELETE_IN_PROGRESS":
                    // Being deleted (by an earlier plan's cleanup or by hand): once gone it is created anew.
                    await WaitUntilGoneAsync(_existing!.StackId ?? stack.Name, cancellationToken).ConfigureAwait(false);
                    _existing = null;
                    return null;
                case "DELETE_FAILED":
                    return Blocked($"Stack {stack.Name} is in DELETE_FAILED: finish deleting it (or retain the resources that cannot be deleted) before deploying it.");
                default:
                    return IsTerminal(status)
                        ? null
                        : Blocked($"Stack {stack.Name} has an operation in progress ({status}): wait for it to finish, then deploy again.");
            }
        }

        private async Task<StackDeploymentResult?> DeleteAndForgetAsync(string description, CancellationToken cancellationToken)
        {
            owner.Report(options, new StackRecoveryStarted(Now, stack.Name, description));
            if (_existing!.EnableTerminationProtection == true)
            {
                await _api.UpdateTerminationProtectionAsync(new UpdateTerminationProtectionRequest { StackName = stack.Name, EnableTerminationProtection = false }, cancellationToken).ConfigureAwait(false);
            }

            var token = NewToken("delete", Now);
            await _api.DeleteStackAsync(new DeleteStackRequest { StackName = stack.Name, ClientRequestToken = token, RoleARN = options.ServiceRoleArn }, cancellationToken).ConfigureAwait(false);
            var watch = await WatchAsync(_existing.StackId ?? stack.Name, token, cancellationToken).ConfigureAwait(false);
            if (watch.FinalStatus != "DELETE_COMPLETE")
            {
                return Result(StackDeploymentOutcome.Failed, null, watch.FinalStatus, $"Deleting {stack.Name} ended {watch.FinalStatus}: {RootCause(watch.Events)?.Reason}.");
            }

            _recoveries.Add(description);
            _existing = null;
            return null;
        }

        private async Task<string> ContinueRollbackAsync(IReadOnlyList<StackResource> stuck, CancellationToken cancellationToken)
        {
            var skip = stuck.Select(r => r.LogicalResourceId!).ToList();
            var description = $"continued the update rollback skipping {Names(stuck)}";
            owner.Report(options, new StackRecoveryStarted(Now, stack.Name, description));
            var token = NewToken("recover", Now);
            await _api.ContinueUpdateRollbackAsync(new ContinueUpdateRollbackRequest { StackName = stack.Name, ResourcesToSkip = skip, ClientRequestToken = token, RoleARN = options.ServiceRoleArn }, cancellationToken).ConfigureAwait(false);
            var watch = await WatchAsync(_existing?.StackId ?? stack.Name, token, cancellationToken).ConfigureAwait(false);
            _recoveries.Add(description);
            return watch.FinalStatus ?? "UNKNOWN";
        }

        private async Task<IReadOnlyList<StackResource>> FailedToRollBackAsync(CancellationToken cancellationToken)
        {
            var resources = await _api.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
            return [.. (resources.StackResources ?? []).Where(r => r.ResourceStatus == "UPDATE_FAILED" && r.LogicalResourceId is not null)];
        }

        private static string Names(IReadOnlyList<StackResource> resources) =>
            resources.Count == 0 ? "no resource" : string.Join(", ", resources.Select(r => r.LogicalResourceId));

        private static string RecoveryAdvice(IReadOnlyList<StackResource> stuck) =>
            stuck.Count == 0
                ? "recover it with --continue-update-rollback (ContinueUpdateRollback)."
                : "these resources failed to roll back: "
                  + string.Join("; ", stuck.Select(r => $"{r.LogicalResourceId} ({r.ResourceType}): {r.ResourceStatusReason}"))
                  + $". Recover with --continue-update-rollback (ContinueUpdateRollback): it continues the rollback and skips {Names(stuck)}, which CloudFormation then marks as rolled back although they were not — check them by hand.";

        private async Task<StackDrift> DetectDriftAsync(CancellationToken cancellationToken)
        {
            var started = await _api.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
            var deadline = Now + options.StackTimeout;
            DescribeStackDriftDetectionStatusResponse detection;
            while (true)
            {
                detection = await _api.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = started.StackDriftDetectionId }, cancellationToken).ConfigureAwait(false);
                if (detection.DetectionStatus != "DETECTION_IN_PROGRESS" || Now >= deadline)
                {
                    break;
                }

                await Task.Delay(options.PollInterval, owner._time, cancellationToken).ConfigureAwait(false);
            }

            var resources = await _api.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
            var drifted = (resources.StackResources ?? [])
                .Where(r => r.DriftInformation?.StackResourceDriftStatus is "MODIFIED" or "DELETED")
                .Select(r => new DriftedResource(r.LogicalResourceId ?? string.Empty, r.ResourceType ?? string.Empty, r.DriftInformation!.StackResourceDriftStatus!))
                .ToList();
            return new StackDrift(detection.StackDriftStatus ?? "UNKNOWN", drifted);
        }

        private async Task<(List<CfnParameter> Parameters, Dictionary<string, string> Shown, (StackPlanAction Action, string Reason)? Problem)> ParametersAsync(CancellationToken cancellationToken)
        {
            var parameters = new List<CfnParameter>();
            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in stack.Parameters)
            {
                if (p.Name == ImageTagParameter)
                {
                    var tag = _existing is null ? null : await RunningImageTagAsync(cancellationToken).ConfigureAwait(false);
                    if (tag is not null)
                    {
                        parameters.Add(new CfnParameter { ParameterKey = p.Name, ParameterValue = tag });
                        shown[p.Name] = tag;
                    }
                    else if (_existing is not null)
                    {
                        parameters.Add(new CfnParameter { ParameterKey = p.Name, UsePreviousValue = true });
                        shown[p.Name] = PreviousValue;
                    }
                    else if (options.InitialImageTags.TryGetValue(stack.Name, out var initial))
                    {
                        parameters.Add(new CfnParameter { ParameterKey = p.Name, ParameterValue = initial });
                        shown[p.Name] = initial;
                    }
                    else
                    {
                        // Not a failure: the image does not exist yet, and the workflow that pushes it creates the stack.
                        _waitsForImage = true;
                        return (parameters, shown, (StackPlanAction.Deferred,
                            $"Stack {stack.Name} is new and runs an image no workflow has pushed yet: it waits for the first run of the workflow that builds that image "
                            + $"(.github/workflows/deploy-<service>.yml in the service's repository, or backup-image-<environment>.yml for the backup task), which creates it with "
                            + $"ottkit deploy stacks --stack {stack.Name} --create-only --image-tag {stack.Name}=<tag>. Later deploys keep the tag the service runs."));
                    }
                }
                else if (p.ValueFrom is { } from)
                {
                    if (pendingStacks.Contains(from.StackName))
                    {
                        return (parameters, shown, (StackPlanAction.Deferred,
                            $"Parameter {p.Name} of {stack.Name} takes output {from.OutputKey} of stack {from.StackName}, which is not deployed yet: its value is known after {from.StackName} is deployed."));
                    }

                    var (value, reason) = await OutputValueAsync(from, cancellationToken).ConfigureAwait(false);
                    if (value is null)
                    {
                        return (parameters, shown, (StackPlanAction.Failed, reason!));
                    }

                    parameters.Add(new CfnParameter { ParameterKey = p.Name, ParameterValue = value });
                    shown[p.Name] = value;
                }
                else if (p.Default is null)
                {
                    if (_existing is null)
                    {
                        return (parameters, shown, (StackPlanAction.Failed, $"Stack {stack.Name} is new and its parameter {p.Name} has no default and no value."));
                    }

                    parameters.Add(new CfnParameter { ParameterKey = p.Name, UsePreviousValue = true });
                    shown[p.Name] = PreviousValue;
                }
            }

            return (parameters, shown, null);
        }

        private async Task<(string? Value, string? Reason)> OutputValueAsync(StackOutputReference from, CancellationToken cancellationToken)
        {
            var region = stackSet.Stacks.FirstOrDefault(s => s.Name == from.StackName)?.Region ?? stack.Region;
            var api = owner._cloudFormation(region);
            try
            {
                var described = await api.DescribeStacksAsync(new DescribeStacksRequest { StackName = from.StackName }, cancellationToken).ConfigureAwait(false);
                var source = described.Stacks?.FirstOrDefault();
                var output = source?.StackStatus == "REVIEW_IN_PROGRESS" ? null : source?.Outputs?.FirstOrDefault(o => o.OutputKey == from.OutputKey);
                return output?.OutputValue is { } value
                    ? (value, null)
                    : (null, $"A parameter of {stack.Name} takes output {from.OutputKey} of stack {from.StackName} ({region}), which has no such output (status {source?.StackStatus}). Deploy {from.StackName} first.");
            }
            catch (CloudFormationException e) when (IsMissingStack(e))
            {
                return (null, $"A parameter of {stack.Name} takes output {from.OutputKey} of stack {from.StackName} ({region}), which does not exist: deploy {from.StackName} first.");
            }
        }

        /// <summary>The tag of the image the stack's ECS service runs now (null when it cannot be read).</summary>
        private async Task<string?> RunningImageTagAsync(CancellationToken cancellationToken)
        {
            var resources = await _api.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
            var serviceArn = (resources.StackResources ?? []).FirstOrDefault(r => r.ResourceType == "AWS::ECS::Service" && !string.IsNullOrEmpty(r.PhysicalResourceId))?.PhysicalResourceId;
            if (serviceArn is null)
            {
                return null;
            }

            var ecs = owner._ecs(stack.Region);
            var parts = serviceArn.Split('/');
            var cluster = parts.Length >= 3 ? parts[^2] : "default";
            var services = await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = cluster, Services = [serviceArn] }, cancellationToken).ConfigureAwait(false);
            var service = services.Services?.FirstOrDefault();
            if (service?.TaskDefinition is null)
            {
                return null;
            }

            var described = await ecs.DescribeTaskDefinitionAsync(new DescribeTaskDefinitionRequest { TaskDefinition = service.TaskDefinition }, cancellationToken).ConfigureAwait(false);
            var containers = described.TaskDefinition?.ContainerDefinitions ?? [];
            var name = service.LoadBalancers?.FirstOrDefault()?.ContainerName;
            var container = containers.FirstOrDefault(c => c.Name == name) ?? containers.FirstOrDefault(c => c.Essential != false) ?? containers.FirstOrDefault();
            return ImageTagOf(container?.Image);
        }

        private async Task<Aws.CloudFormation.Model.Stack?> DescribeAsync(CancellationToken cancellationToken)
        {
            try
            {
                var described = await _api.DescribeStacksAsync(new DescribeStacksRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
                return described.Stacks?.FirstOrDefault();
            }
            catch (CloudFormationException e) when (IsMissingStack(e))
            {
                return null;
            }
        }

        private async Task<DescribeChangeSetResponse> WaitForChangeSetAsync(string changeSetName, CancellationToken cancellationToken)
        {
            var deadline = Now + options.StackTimeout;
            while (true)
            {
                var described = await _api.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = stack.Name, ChangeSetName = changeSetName }, cancellationToken).ConfigureAwait(false);
                if (described.Status is not ("CREATE_PENDING" or "CREATE_IN_PROGRESS") || Now >= deadline)
                {
                    return described;
                }

                await Task.Delay(options.PollInterval, owner._time, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Deletes a change set that will not run; for a CREATE also the REVIEW_IN_PROGRESS stack it made.</summary>
        private async Task CleanUpChangeSetAsync(string changeSetName, string changeSetType, CancellationToken cancellationToken)
        {
            await _api.DeleteChangeSetAsync(new DeleteChangeSetRequest { StackName = stack.Name, ChangeSetName = changeSetName }, cancellationToken).ConfigureAwait(false);
            if (changeSetType == "CREATE")
            {
                var stackId = (await DescribeAsync(cancellationToken).ConfigureAwait(false))?.StackId ?? stack.Name;
                await _api.DeleteStackAsync(new DeleteStackRequest { StackName = stack.Name }, cancellationToken).ConfigureAwait(false);
                await WaitUntilGoneAsync(stackId, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Waits (quietly) until a stack being deleted is gone, so that the next operation sees no stack.</summary>
        private async Task WaitUntilGoneAsync(string stackId, CancellationToken cancellationToken)
        {
            var deadline = Now + options.StackTimeout;
            while (Now < deadline)
            {
                try
                {
                    var described = await _api.DescribeStacksAsync(new DescribeStacksRequest { StackName = stackId }, cancellationToken).ConfigureAwait(false);
                    if (described.Stacks?.FirstOrDefault()?.StackStatus is null or "DELETE_COMPLETE")
                    {
                        return;
                    }
                }
                catch (CloudFormationException e) when (IsMissingStack(e))
                {
                    return;
                }

                await Task.Delay(options.PollInterval, owner._time, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<Watch> WatchAsync(string stackId, string token, CancellationToken cancellationToken)
        {
            owner.Report(options, new StackOperationStarted(Now, stack.Name, token));
            var watch = new Watch(_api, stack.Name, stackId, token, options.PollInterval, Now + options.StackTimeout);
            await foreach (var e in owner.StreamAsync(watch, cancellationToken).ConfigureAwait(false))
            {
                owner.Report(options, e);
            }

            return watch;
        }

        private string ArtifactKey(string body)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..12];
            return string.Create(CultureInfo.InvariantCulture, $"{stackSet.Environment}/{stack.Name}/{Now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{hash}.yaml");
        }

        private StackDeploymentResult Blocked(string reason) =>
            Planned(StackPlanAction.Blocked, [], new Dictionary<string, string>(StringComparer.Ordinal), reason, null, null) with { Outcome = StackDeploymentOutcome.Blocked };

        private StackDeploymentResult Planned(StackPlanAction action, IReadOnlyList<PlannedResourceChange> changes, IReadOnlyDictionary<string, string> shown, string? reason, StackDrift? drift, Uri? url)
        {
            var plan = new StackPlan(stack.Name, stack.Region, action, changes, shown, reason) { Drift = drift, TemplateUrl = url };
            owner.Report(options, new StackPlanned(Now, stack.Name, plan));
            var outcome = action switch
            {
                StackPlanAction.Deferred when _waitsForImage => StackDeploymentOutcome.WaitsForImage,
                StackPlanAction.NoChanges => StackDeploymentOutcome.NoChanges,
                StackPlanAction.Deferred when !execute => StackDeploymentOutcome.Planned,
                _ => StackDeploymentOutcome.Failed,
            };
            return Result(outcome, plan, _existing?.StackStatus, reason);
        }

        private StackDeploymentResult Result(StackDeploymentOutcome outcome, StackPlan? plan, string? status, string? message) =>
            new(stack.Name, stack.Region, outcome, plan) { FinalStatus = status, Message = message, Recoveries = [.. _recoveries] };

        private static PlannedResourceChange ToPlanned(ResourceChange change, HashSet<string> protectedIds)
        {
            var replacement = change.Replacement switch
            {
                "True" => ResourceReplacement.True,
                "Conditional" => ResourceReplacement.Conditional,
                _ => ResourceReplacement.False,
            };
            var properties = (change.Details ?? [])
                .Select(d => d.Target)
                .Where(t => t is not null)
                .Select(t => t!.Attribute == "Properties" && !string.IsNullOrEmpty(t.Name) ? t.Name! : t.Attribute ?? string.Empty)
                .Where(n => n.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            var logicalId = change.LogicalResourceId ?? string.Empty;
            var isProtected = protectedIds.Contains(logicalId)
                && (change.Action == "Remove" || (change.Action == "Modify" && replacement != ResourceReplacement.False));
            return new PlannedResourceChange(logicalId, change.ResourceType ?? string.Empty, change.Action ?? string.Empty, replacement, properties, isProtected);
        }
    }

    /// <summary>The tag of an image reference (<c>repo:tag</c>); null for a digest or an untagged reference.</summary>
    internal static string? ImageTagOf(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[(colon + 1)..] : null;
    }
}
