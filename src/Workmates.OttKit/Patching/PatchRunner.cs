using System.Collections.Immutable;
using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workmates.OttKit.Mongo.Health;
using static System.FormattableString;

namespace Workmates.OttKit.Patching;

/// <summary>
/// Patches an environment on demand with SSM's <c>AWS-RunPatchBaseline</c>: a scan everywhere at once, or an install
/// that takes the ECS hosts a batch at a time (each batch drained first, see <see cref="IHostDrainer"/>) and the
/// MongoDB members one at a time — secondaries first, then <c>replSetStepDown</c> on the primary, then the old primary —
/// waiting after each member until it is SECONDARY with its replication lag under the health check's threshold. The
/// run stops at the first failure and its <see cref="PatchResult"/> says what state the replica set is in.
/// </summary>
public sealed partial class PatchRunner
{
    private const string DocumentName = "AWS-RunPatchBaseline";
    private const int MaxInstancesPerCommand = 50;
    private static readonly HashSet<string> s_terminal = new(StringComparer.Ordinal) { "Success", "Cancelled", "TimedOut", "Failed" };
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly IHostDrainer? _drainer;
    private readonly IReplicaSetControl? _replicaSet;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="ssm">The SSM client.</param>
    /// <param name="drainer">Drains ECS hosts before an install; hosts are patched without draining when null.</param>
    /// <param name="replicaSet">The replica set; an install with a database target needs it.</param>
    /// <param name="timeProvider">The clock for polling and deadlines; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">A logger; none when null.</param>
    public PatchRunner(IAmazonSimpleSystemsManagement ssm, IHostDrainer? drainer = null, IReplicaSetControl? replicaSet = null, TimeProvider? timeProvider = null, ILogger<PatchRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        _ssm = ssm;
        _drainer = drainer;
        _replicaSet = replicaSet;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Scans every targeted instance at once and reports Patch Manager compliance per instance.</summary>
    /// <param name="options">Environment, target, polling.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The verdict; <see cref="PatchResult.Succeeded"/> is false when a scan failed or an instance is not compliant.</returns>
    /// <exception cref="PatchException">No instance is in the targeted patch groups.</exception>
    public async Task<PatchResult> ScanAsync(PatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var hosts = options.Target is PatchTarget.Hosts or PatchTarget.All ? await FindAsync(options.HostPatchGroup, cancellationToken).ConfigureAwait(false) : [];
        var members = options.Target is PatchTarget.Database or PatchTarget.All ? await FindAsync(options.DatabasePatchGroup, cancellationToken).ConfigureAwait(false) : [];
        var all = hosts.Concat(members).ToList();
        if (all.Count == 0)
        {
            throw new PatchException(NoInstances(options));
        }

        Report(options, new PatchRunStarted(_time.GetUtcNow(), PatchOperation.Scan, hosts.Count, members.Count));
        var roles = hosts.ToDictionary(h => h.InstanceId, _ => "ecs-host", StringComparer.Ordinal);
        foreach (var member in members)
        {
            roles[member.InstanceId] = "mongodb";
        }

        var statuses = new Dictionary<string, (string Status, string? Details)>(StringComparer.Ordinal);
        var deadline = _time.GetUtcNow() + options.CommandTimeout;
        foreach (var chunk in all.Select(i => i.InstanceId).Chunk(MaxInstancesPerCommand))
        {
            var commandId = await SendAsync(PatchOperation.Scan, chunk, options, cancellationToken).ConfigureAwait(false);
            foreach (var (id, outcome) in await WaitAsync(commandId, chunk, deadline, options, cancellationToken).ConfigureAwait(false))
            {
                statuses[id] = outcome;
            }
        }

        var compliance = await ComplianceAsync([.. statuses.Where(s => s.Value.Status == "Success").Select(s => s.Key)], cancellationToken).ConfigureAwait(false);
        var outcomes = all.Select(i => new InstancePatchOutcome(
            i.InstanceId, roles[i.InstanceId], statuses[i.InstanceId].Status, statuses[i.InstanceId].Details, compliance.GetValueOrDefault(i.InstanceId))).ToImmutableArray();
        var failed = outcomes.Count(o => o.Status != "Success");
        var nonCompliant = outcomes.Count(o => o.Compliance is { IsCompliant: false });
        var missing = outcomes.Sum(o => o.Compliance?.Missing ?? 0);
        var verdict = failed == 0 && nonCompliant == 0
            ? Invariant($"Scan: all {outcomes.Length} instances compliant with the baseline.")
            : Invariant($"Scan: {nonCompliant} of {outcomes.Length} instances not compliant ({missing} patches missing)") + (failed == 0 ? "." : Invariant($"; the scan failed on {failed}: {string.Join(", ", outcomes.Where(o => o.Status != "Success").Select(o => $"{o.InstanceId} ({o.Status})"))}."));
        return new PatchResult(PatchOperation.Scan, failed == 0 && nonCompliant == 0, verdict, outcomes, null);
    }

    /// <summary>
    /// Installs patches: ECS hosts in batches (drained first), then MongoDB members one at a time, secondaries first and
    /// the primary after a step-down, each waited for until SECONDARY and caught up. Stops at the first failure.
    /// </summary>
    /// <param name="options">Environment, target, batch size, thresholds, polling.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The verdict, with the replica set's state when the database was targeted.</returns>
    /// <exception cref="PatchException">Nothing to patch, no replica set given for a database target, or a member without a managed instance; nothing was patched.</exception>
    public async Task<PatchResult> InstallAsync(PatchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var withHosts = options.Target is PatchTarget.Hosts or PatchTarget.All;
        var withDatabase = options.Target is PatchTarget.Database or PatchTarget.All;
        if (withDatabase && _replicaSet is null)
        {
            throw new PatchException("Patching the database needs the replica set's connection string (to step the primary down and wait for members to catch up).");
        }

        var hosts = withHosts ? await FindAsync(options.HostPatchGroup, cancellationToken).ConfigureAwait(false) : [];
        var plan = withDatabase ? await PlanMembersAsync(options, cancellationToken).ConfigureAwait(false) : [];
        if (hosts.Count == 0 && plan.Count == 0)
        {
            throw new PatchException(NoInstances(options));
        }

        Report(options, new PatchRunStarted(_time.GetUtcNow(), PatchOperation.Install, hosts.Count, plan.Count));
        var outcomes = ImmutableArray.CreateBuilder<InstancePatchOutcome>();
        if (hosts.Count > 0)
        {
            var failure = await InstallHostsAsync(hosts, options, outcomes, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                var state = plan.Count > 0 ? "The replica set was not touched." : null;
                return new PatchResult(PatchOperation.Install, false, failure + (state is null ? string.Empty : " " + state), outcomes.ToImmutable(), state);
            }
        }

        if (plan.Count == 0)
        {
            return new PatchResult(PatchOperation.Install, true, Invariant($"Install: {hosts.Count} ECS hosts patched."), outcomes.ToImmutable(), null);
        }

        var (memberFailure, setState) = await InstallMembersAsync(plan, options, outcomes, cancellationToken).ConfigureAwait(false);
        var done = hosts.Count > 0 ? Invariant($"{hosts.Count} ECS hosts and ") : string.Empty;
        return memberFailure is null
            ? new PatchResult(PatchOperation.Install, true, Invariant($"Install: {done}{plan.Count} MongoDB members patched. {setState}"), outcomes.ToImmutable(), setState)
            : new PatchResult(PatchOperation.Install, false, $"{memberFailure} {setState}", outcomes.ToImmutable(), setState);
    }

    private async Task<string?> InstallHostsAsync(List<PatchInstance> hosts, PatchOptions options, ImmutableArray<InstancePatchOutcome>.Builder outcomes, CancellationToken cancellationToken)
    {
        var size = Math.Max(1, (int)Math.Ceiling(hosts.Count * options.HostBatchPercent / 100d));
        var batches = hosts.Select(h => h.InstanceId).Chunk(size).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = batches[i].ToImmutableArray();
            var where = Invariant($"ECS host batch {i + 1} of {batches.Count}");
            Report(options, new HostBatchStarted(_time.GetUtcNow(), i + 1, batches.Count, batch));
            string? failure = null;
            var drained = _drainer is not null;
            try
            {
                if (_drainer is not null)
                {
                    try
                    {
                        await _drainer.DrainAsync(batch, cancellationToken).ConfigureAwait(false);
                        Report(options, new HostsDrained(_time.GetUtcNow(), batch));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Nothing of this batch was patched; it goes back into service below (unless nothing was drained).
                        drained = e is not HostDrainException { NothingDrained: true };
                        failure = drained
                            ? $"Install stopped in {where} before patching it: draining failed: {e.Message}"
                            : $"Install stopped in {where} before patching it: {e.Message}";
                    }
                }

                if (failure is null)
                {
                    failure = await PatchBatchAsync(batch, where, options, outcomes, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                // Drained hosts go back into service whatever happened (patched, failed, timed out or cancelled): a
                // host left DRAINING takes no task and shrinks the cluster until someone notices.
                if (drained)
                {
                    failure = await ReactivateAsync(batch, i + 1, failure, options, cancellationToken).ConfigureAwait(false);
                }
            }

            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>Sends the install command to one batch and waits for it; returns why the batch failed, or null.</summary>
    private async Task<string?> PatchBatchAsync(ImmutableArray<string> batch, string where, PatchOptions options, ImmutableArray<InstancePatchOutcome>.Builder outcomes, CancellationToken cancellationToken)
    {
        var commandId = await SendAsync(PatchOperation.Install, batch, options, cancellationToken).ConfigureAwait(false);
        var results = await WaitAsync(commandId, batch, _time.GetUtcNow() + options.CommandTimeout, options, cancellationToken).ConfigureAwait(false);
        foreach (var id in batch)
        {
            outcomes.Add(new InstancePatchOutcome(id, "ecs-host", results[id].Status, results[id].Details, null));
        }

        var failed = batch.Where(id => results[id].Status != "Success").ToList();
        return failed.Count == 0 ? null : Invariant($"Install stopped in {where}: {string.Join(", ", failed.Select(id => $"{id} {results[id].Status}"))}.");
    }

    /// <summary>Sets a batch ACTIVE again; returns the failure message with the state the batch is left in (null when all went well).</summary>
    private async Task<string?> ReactivateAsync(ImmutableArray<string> batch, int number, string? failure, PatchOptions options, CancellationToken cancellationToken)
    {
        // After a cancellation the hosts must still come back: the call gets its own short deadline instead.
        using var own = cancellationToken.IsCancellationRequested ? new CancellationTokenSource(TimeSpan.FromMinutes(1), _time) : null;
        try
        {
            await _drainer!.ActivateAsync(batch, own?.Token ?? cancellationToken).ConfigureAwait(false);
            Report(options, new HostsActivated(_time.GetUtcNow(), batch));
            return failure is null ? null : Invariant($"{failure} Batch {number}'s container instances were set ACTIVE again: {string.Join(", ", batch)}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || own is not null)
        {
            var left = Invariant($"Batch {number}'s container instances may be left DRAINING ({string.Join(", ", batch)}): setting them ACTIVE failed: {e.Message} Run 'aws ecs update-container-instances-state --status ACTIVE' for them.");
            Log.ReactivationFailed(_logger, batch, e.Message);
            return failure is null ? Invariant($"Install stopped after {number} ECS host batch(es): {left}") : $"{failure} {left}";
        }
    }

    private async Task<(string? Failure, string State)> InstallMembersAsync(List<(string Member, PatchInstance Instance, bool Primary)> plan, PatchOptions options, ImmutableArray<InstancePatchOutcome>.Builder outcomes, CancellationToken cancellationToken)
    {
        var patched = new List<string>();
        foreach (var (member, instance, wasPrimary) in plan)
        {
            if (wasPrimary)
            {
                await _replicaSet!.StepDownAsync(options.StepDownPeriod, cancellationToken).ConfigureAwait(false);
                var elected = await WaitForNewPrimaryAsync(member, options, cancellationToken).ConfigureAwait(false);
                if (elected is null)
                {
                    outcomes.Add(new InstancePatchOutcome(instance.InstanceId, $"mongodb {member}", "NotRun", "no other member was elected primary", null));
                    return (Invariant($"Install stopped before patching the primary {member}: after replSetStepDown no other member became primary within {options.MemberRecoveryTimeout}."), await StateAsync(plan, patched, cancellationToken).ConfigureAwait(false));
                }

                Report(options, new PrimarySteppedDown(_time.GetUtcNow(), member, elected));
            }

            Report(options, new MemberPatchStarted(_time.GetUtcNow(), member, instance.InstanceId));
            var commandId = await SendAsync(PatchOperation.Install, [instance.InstanceId], options, cancellationToken).ConfigureAwait(false);
            var (status, details) = (await WaitAsync(commandId, [instance.InstanceId], _time.GetUtcNow() + options.CommandTimeout, options, cancellationToken).ConfigureAwait(false))[instance.InstanceId];
            outcomes.Add(new InstancePatchOutcome(instance.InstanceId, $"mongodb {member}", status, details, null));
            if (status != "Success")
            {
                return (Invariant($"Install stopped at MongoDB member {member} ({instance.InstanceId}): the patch command ended {status}{(details is null ? string.Empty : $" ({details})")}."), await StateAsync(plan, patched, cancellationToken, partly: member).ConfigureAwait(false));
            }

            var caughtUp = await WaitForSecondaryAsync(member, options, cancellationToken).ConfigureAwait(false);
            if (caughtUp is not null)
            {
                patched.Add(member);
                return (Invariant($"Install stopped after patching MongoDB member {member} ({instance.InstanceId}): {caughtUp}"), await StateAsync(plan, patched, cancellationToken).ConfigureAwait(false));
            }

            patched.Add(member);
        }

        return (null, await StateAsync(plan, patched, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Waits until another member than <paramref name="oldPrimary"/> is primary; returns it, or null on timeout.</summary>
    private async Task<string?> WaitForNewPrimaryAsync(string oldPrimary, PatchOptions options, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + options.MemberRecoveryTimeout;
        while (true)
        {
            var status = (await _replicaSet!.ObserveAsync(cancellationToken).ConfigureAwait(false)).Status;
            if (status.Members.FirstOrDefault(m => m.IsPrimary) is { } primary && !string.Equals(primary.Name, oldPrimary, StringComparison.OrdinalIgnoreCase))
            {
                return primary.Name;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="member"/> is SECONDARY with its lag under the threshold; returns null, or why it gave up.</summary>
    private async Task<string?> WaitForSecondaryAsync(string member, PatchOptions options, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + options.MemberRecoveryTimeout;
        var healthOptions = new ReplicaSetHealthCheckOptions { ReplicationLagDegraded = options.ReplicationLagThreshold };
        var last = "not observed";
        while (true)
        {
            try
            {
                var observation = await _replicaSet!.ObserveAsync(cancellationToken).ConfigureAwait(false);
                var status = observation.Status.Members.FirstOrDefault(m => string.Equals(m.Name, member, StringComparison.OrdinalIgnoreCase));
                TimeSpan? lag = null;
                var (result, _) = ReplicaSetHealthEvaluator.EvaluateReplicationLag(observation, healthOptions);
                if (result.Data.TryGetValue("secondsByMember", out var byMember) && byMember is IReadOnlyDictionary<string, double> seconds
                    && seconds.TryGetValue(member, out var s))
                {
                    lag = TimeSpan.FromSeconds(s);
                }

                var state = status is null ? "missing from replSetGetStatus" : !status.Healthy ? "unreachable" : status.StateText ?? status.State.ToString().ToUpperInvariant();
                if (status is { Healthy: true, State: ReplicaSetMemberState.Secondary } && lag is { } l && l < options.ReplicationLagThreshold)
                {
                    Report(options, new MemberCaughtUp(_time.GetUtcNow(), member, l));
                    return null;
                }

                last = lag is { } behind ? Invariant($"{state}, {behind.TotalSeconds:0} s behind") : state;
                Report(options, new MemberWaiting(_time.GetUtcNow(), member, state, lag));
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not MongoNotAuthorizedException)
            {
                // A rebooting member can make the whole observation fail for a moment.
                last = ex.Message;
                Log.ObservationFailed(_logger, member, ex.Message);
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return Invariant($"it was not SECONDARY with replication lag under {options.ReplicationLagThreshold.TotalSeconds:0} s within {options.MemberRecoveryTimeout} (last seen: {last}).");
            }

            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> StateAsync(List<(string Member, PatchInstance Instance, bool Primary)> plan, List<string> patched, CancellationToken cancellationToken, string? partly = null)
    {
        string primary;
        try
        {
            var status = (await _replicaSet!.ObserveAsync(cancellationToken).ConfigureAwait(false)).Status;
            primary = status.Members.FirstOrDefault(m => m.IsPrimary)?.Name ?? "none (no member is PRIMARY)";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            primary = $"unknown ({ex.Message})";
        }

        var notPatched = plan.Select(p => p.Member).Where(m => !patched.Contains(m) && m != partly).ToList();
        var parts = new List<string>
        {
            $"Replica set: patched [{string.Join(", ", patched)}]",
        };
        if (partly is not null)
        {
            parts.Add($"patch failed on [{partly}]");
        }

        parts.Add($"not patched [{string.Join(", ", notPatched)}]");
        parts.Add($"primary {primary}.");
        return string.Join("; ", parts);
    }

    private async Task<List<(string Member, PatchInstance Instance, bool Primary)>> PlanMembersAsync(PatchOptions options, CancellationToken cancellationToken)
    {
        var instances = await FindAsync(options.DatabasePatchGroup, cancellationToken).ConfigureAwait(false);
        var status = (await _replicaSet!.ObserveAsync(cancellationToken).ConfigureAwait(false)).Status;
        var primary = status.Members.FirstOrDefault(m => m.IsPrimary)
            ?? throw new PatchException("The replica set has no primary: patch it only once 'ottkit mongo health' reports a primary.");
        var resolve = options.MemberInstance ?? DefaultMemberInstanceAsync;
        var plan = new List<(string, PatchInstance, bool)>();
        var dataMembers = status.Members.Where(m => m.State != ReplicaSetMemberState.Arbiter).ToList();
        var unhealthy = dataMembers.Where(m => !m.Healthy || m.State is not (ReplicaSetMemberState.Primary or ReplicaSetMemberState.Secondary)).ToList();
        if (unhealthy.Count > 0)
        {
            throw new PatchException($"Not every member is PRIMARY or SECONDARY ({string.Join(", ", unhealthy.Select(m => $"{m.Name} {m.StateText ?? m.State.ToString()}"))}): patching one more member could cost the majority. Fix the set first.");
        }

        foreach (var member in dataMembers.OrderBy(m => m.IsPrimary).ThenBy(m => m.Id))
        {
            var instance = await resolve(member.Name, instances, cancellationToken).ConfigureAwait(false)
                ?? throw new PatchException($"Member {member.Name} has no managed instance tagged Patch Group={options.DatabasePatchGroup} (is its SSM agent online?).");
            plan.Add((member.Name, instance, member.IsPrimary));
        }

        _ = primary;
        return plan;
    }

    private static async Task<PatchInstance?> DefaultMemberInstanceAsync(string member, IReadOnlyList<PatchInstance> instances, CancellationToken cancellationToken)
    {
        var host = member.Contains(':', StringComparison.Ordinal) && !member.StartsWith('[') ? member[..member.LastIndexOf(':')] : member;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return instances.FirstOrDefault(i => i.IpAddress is not null && addresses.Any(a => a.ToString() == i.IpAddress))
            ?? instances.FirstOrDefault(i => i.ComputerName is { } name
                && (string.Equals(name, host, StringComparison.OrdinalIgnoreCase) || string.Equals(name.Split('.')[0], host.Split('.')[0], StringComparison.OrdinalIgnoreCase)));
    }

    private async Task<List<PatchInstance>> FindAsync(string patchGroup, CancellationToken cancellationToken)
    {
        var found = new List<PatchInstance>();
        string? token = null;
        do
        {
            var page = await _ssm.DescribeInstanceInformationAsync(
                new DescribeInstanceInformationRequest
                {
                    Filters = [new InstanceInformationStringFilter { Key = "tag:Patch Group", Values = [patchGroup] }],
                    MaxResults = 50,
                    NextToken = token,
                },
                cancellationToken).ConfigureAwait(false);
            found.AddRange((page.InstanceInformationList ?? []).Select(i => new PatchInstance(i.InstanceId, i.IPAddress, i.ComputerName, i.PingStatus?.Value)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return [.. found.OrderBy(i => i.InstanceId, StringComparer.Ordinal)];
    }

    private async Task<string> SendAsync(PatchOperation operation, IReadOnlyList<string> instanceIds, PatchOptions options, CancellationToken cancellationToken)
    {
        var response = await _ssm.SendCommandAsync(
            new SendCommandRequest
            {
                DocumentName = DocumentName,
                InstanceIds = [.. instanceIds],
                Parameters = new Dictionary<string, List<string>>
                {
                    ["Operation"] = [operation.ToString()],
                    ["RebootOption"] = [operation == PatchOperation.Install ? "RebootIfNeeded" : "NoReboot"],
                },
                Comment = $"ottkit patch {operation.ToString().ToLowerInvariant()} {options.Environment}",
            },
            cancellationToken).ConfigureAwait(false);
        var id = response.Command.CommandId;
        Report(options, new PatchCommandSent(_time.GetUtcNow(), id, [.. instanceIds]));
        return id;
    }

    private async Task<Dictionary<string, (string Status, string? Details)>> WaitAsync(string commandId, IReadOnlyList<string> instanceIds, DateTimeOffset deadline, PatchOptions options, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, (string Status, string? Details)>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var id in instanceIds.Where(id => !results.ContainsKey(id)))
            {
                try
                {
                    var invocation = await _ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = id }, cancellationToken).ConfigureAwait(false);
                    var status = invocation.Status?.Value ?? "Pending";
                    if (s_terminal.Contains(status))
                    {
                        var details = status == "Success" ? null : FirstLine(invocation.StandardErrorContent) ?? invocation.StatusDetails;
                        results[id] = (status, details);
                        Report(options, new PatchInvocationFinished(_time.GetUtcNow(), id, status, details));
                    }
                }
                catch (InvocationDoesNotExistException)
                {
                    // GetCommandInvocation is eventually consistent just after SendCommand.
                }
            }

            if (results.Count == instanceIds.Count)
            {
                return results;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                foreach (var id in instanceIds.Where(id => !results.ContainsKey(id)))
                {
                    results[id] = ("TimedOut", Invariant($"still running after {options.CommandTimeout} (command {commandId})"));
                }

                return results;
            }

            await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<string, PatchCompliance>> ComplianceAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        var compliance = new Dictionary<string, PatchCompliance>(StringComparer.Ordinal);
        foreach (var chunk in instanceIds.Chunk(50))
        {
            string? token = null;
            do
            {
                var page = await _ssm.DescribeInstancePatchStatesAsync(new DescribeInstancePatchStatesRequest { InstanceIds = [.. chunk], NextToken = token }, cancellationToken).ConfigureAwait(false);
                foreach (var state in page.InstancePatchStates ?? [])
                {
                    compliance[state.InstanceId] = new PatchCompliance(
                        state.InstalledCount ?? 0, state.MissingCount ?? 0, state.FailedCount ?? 0, state.CriticalNonCompliantCount ?? 0, state.SecurityNonCompliantCount ?? 0);
                }

                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));
        }

        return compliance;
    }

    private static string? FirstLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim().Split('\n')[0].Trim();

    private static string NoInstances(PatchOptions options) => options.Target switch
    {
        PatchTarget.Hosts => $"No managed instance is tagged Patch Group={options.HostPatchGroup}: is the cluster deployed and are its hosts' SSM agents online?",
        PatchTarget.Database => $"No managed instance is tagged Patch Group={options.DatabasePatchGroup}: is the database deployed and are the members' SSM agents online?",
        _ => $"No managed instance is tagged Patch Group={options.HostPatchGroup} or {options.DatabasePatchGroup}: is the environment deployed and are the SSM agents online?",
    };

    private void Report(PatchOptions options, PatchEvent e)
    {
        Log.Progress(_logger, e);
        options.Progress?.Report(e);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "{Event}")]
        public static partial void Progress(ILogger logger, PatchEvent @event);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Error, Message = "Setting the container instances of {Hosts} ACTIVE again failed: {Message}")]
        public static partial void ReactivationFailed(ILogger logger, ImmutableArray<string> hosts, string message);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Observing the replica set while waiting for {Member} failed: {Message}")]
        public static partial void ObservationFailed(ILogger logger, string member, string message);
    }
}
