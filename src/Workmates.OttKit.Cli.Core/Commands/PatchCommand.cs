using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Patching;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit patch scan|install --spec F [--target hosts|database|all] [--uri MONGO_URI]</c>: SSM
/// <c>AWS-RunPatchBaseline</c> on demand with live progress and a verdict (docs/patching.md).
/// </summary>
internal static class PatchCommand
{
    /// <summary>Creates the <c>patch</c> command with its <c>scan</c> and <c>install</c> subcommands.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var patch = new Command("patch", "Patch Manager on demand: scan or install the environment's patch baseline (docs/patching.md).");
        patch.Subcommands.Add(CreateSub(environment, PatchOperation.Scan));
        patch.Subcommands.Add(CreateSub(environment, PatchOperation.Install));
        return patch;
    }

    private static Command CreateSub(CliEnvironment environment, PatchOperation operation)
    {
        var spec = SpecOption.Create();
        var target = new Option<string>("--target")
        {
            Description = "Which instances: hosts (ECS hosts), database (MongoDB members) or all (default).",
            DefaultValueFactory = _ => "all",
        };
        target.AcceptOnlyFromAmong("hosts", "database", "all");
        var uri = new Option<string?>("--uri")
        {
            Description = "install with the database: the replica set's connection string (a user with clusterManager), to step the primary down and wait for members to catch up.",
        };
        var description = operation == PatchOperation.Scan
            ? "Run AWS-RunPatchBaseline Scan on every targeted instance at once and report compliance per instance.\nExit codes: 0 all compliant, 1 an instance is not compliant, a scan failed, or a mistake.\n\nExamples:\n  ottkit patch scan --spec blacksheep.yaml\n  ottkit patch scan --spec blacksheep.yaml --target database --output json"
            : "Install the approved patches: ECS hosts 25 % at a time (each batch's container instances drained first and set ACTIVE again after, also on a failure), then MongoDB members one at a time (secondaries first, then replSetStepDown and the old primary), each waited for until SECONDARY and caught up. Stops at the first failure and says what state the replica set is in.\nExit codes: 0 patched, 1 stopped on a failure or a mistake.\n\nExamples:\n  ottkit patch install --spec blacksheep.yaml --target hosts\n  ottkit patch install --spec blacksheep.yaml --uri \"$MONGO_ADMIN_URI\"";
        var command = new Command(operation.ToString().ToLowerInvariant(), description) { spec, target };
        if (operation == PatchOperation.Install)
        {
            command.Options.Add(uri);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, environment, operation, parse.GetRequiredValue(spec), parse.GetValue(target) ?? "all", operation == PatchOperation.Install ? parse.GetValue(uri) : null, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliEnvironment environment, PatchOperation operation, string specPath, string targetName, string? uri, CancellationToken cancellationToken)
    {
        var context = OttKitCommandLine.ContextOf(parse);
        var spec = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (spec is null)
        {
            return exitCode;
        }

        var target = targetName switch { "hosts" => PatchTarget.Hosts, "database" => PatchTarget.Database, _ => PatchTarget.All };
        if (target == PatchTarget.Database && spec.Database is null)
        {
            return context.UserError($"--target database: {specPath} has no 'database', so there is no MongoDB member to patch.", "no-database");
        }

        if (spec.Database is null && target == PatchTarget.All)
        {
            target = PatchTarget.Hosts;
        }

        MongoReplicaSetControl? replicaSet = null;
        if (operation == PatchOperation.Install && target != PatchTarget.Hosts)
        {
            if (string.IsNullOrEmpty(uri))
            {
                return context.UserError("--uri: installing patches on the database needs the replica set's connection string (the admin user's, from the secret <env>/mongodb/admin), or pass --target hosts.", "missing-uri");
            }

            try
            {
                replicaSet = new MongoReplicaSetControl(MongoConnectionString.Parse(uri), environment.Time);
            }
            catch (MongoConfigurationException e)
            {
                return context.UserError($"--uri: {e.Message}", "bad-uri");
            }
        }

        try
        {
            return await RunAsync(parse, context, environment, operation, spec, target, targetName, replicaSet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (replicaSet is not null)
            {
                await replicaSet.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunAsync(
        ParseResult parse, CliContext context, CliEnvironment environment, PatchOperation operation, Blueprint.EnvironmentSpec spec, PatchTarget target, string targetName, MongoReplicaSetControl? replicaSet, CancellationToken cancellationToken)
    {
        using var aws = new AwsConnection(environment, spec.Region, parse.GetValue(OttKitCommandLine.ProfileOption));
        if (aws.Check(spec.Region) is { } failure)
        {
            return context.Fail(failure);
        }

        var options = new PatchOptions
        {
            Environment = spec.Name,
            Target = target,
            Progress = new SynchronousProgress(e => context.Line($"{DeploymentOutput.Stamp(e.At)} {Describe(e)}")),
        };
        // Each batch of hosts is drained first (the cluster is named after the environment) and set ACTIVE again after.
        var drainer = operation == PatchOperation.Install && target != PatchTarget.Database
            ? new EcsHostDrainer(aws.Ecs(), spec.Name, timeProvider: environment.Time)
            : null;
        var runner = new PatchRunner(aws.Ssm(), drainer, replicaSet, environment.Time);
        PatchResult result;
        try
        {
            result = operation == PatchOperation.Scan
                ? await runner.ScanAsync(options, cancellationToken).ConfigureAwait(false)
                : await runner.InstallAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (PatchException e)
        {
            return context.UserError(e.Message, "nothing-to-patch");
        }

        foreach (var i in result.Instances)
        {
            var compliance = i.Compliance is { } c ? $" installed {c.Installed}, missing {c.Missing}, failed {c.Failed}{(c.IsCompliant ? " (compliant)" : " (NOT compliant)")}" : string.Empty;
            context.Line($"  {i.InstanceId} {i.Role} {i.Status}{compliance}{(i.Details is null ? string.Empty : $": {i.Details}")}");
        }

        context.Line($"{(result.Succeeded ? "ok" : "failed")}: {result.Verdict}");
        context.Result(new JsonObject
        {
            ["ok"] = result.Succeeded,
            ["command"] = $"patch {operation.ToString().ToLowerInvariant()}",
            ["target"] = targetName,
            ["verdict"] = result.Verdict,
            ["replicaSetState"] = result.ReplicaSetState,
            ["instances"] = new JsonArray([.. result.Instances.Select(i => (JsonNode)new JsonObject
            {
                ["instanceId"] = i.InstanceId,
                ["role"] = i.Role,
                ["status"] = i.Status,
                ["details"] = i.Details,
                ["compliance"] = i.Compliance is { } c ? new JsonObject
                {
                    ["installed"] = c.Installed,
                    ["missing"] = c.Missing,
                    ["failed"] = c.Failed,
                    ["criticalNonCompliant"] = c.CriticalNonCompliant,
                    ["securityNonCompliant"] = c.SecurityNonCompliant,
                    ["compliant"] = c.IsCompliant,
                } : null,
            })]),
        });
        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Describe(PatchEvent e) => e switch
    {
        PatchRunStarted s => $"{s.Operation.ToString().ToLowerInvariant()}: {s.Hosts} ECS host(s), {s.Members} MongoDB member(s)",
        HostBatchStarted b => $"hosts batch {b.Batch}/{b.Batches}: {string.Join(", ", b.InstanceIds)}",
        HostsDrained d => $"drained {string.Join(", ", d.InstanceIds)}",
        HostsActivated a => $"active again {string.Join(", ", a.InstanceIds)}",
        PatchCommandSent c => $"AWS-RunPatchBaseline sent (command {c.CommandId}) to {string.Join(", ", c.InstanceIds)}",
        PatchInvocationFinished f => $"{f.InstanceId} {f.Status}{(f.Details is null ? string.Empty : $" ({f.Details})")}",
        MemberPatchStarted m => $"patching member {m.Member} ({m.InstanceId})",
        PrimarySteppedDown p => $"primary {p.OldPrimary} stepped down; {p.NewPrimary} elected",
        MemberCaughtUp u => $"member {u.Member} SECONDARY, lag {u.Lag.TotalSeconds:0} s",
        MemberWaiting w => $"waiting for {w.Member}: {w.State}{(w.Lag is { } l ? $", {l.TotalSeconds:0} s behind" : string.Empty)}",
        _ => e.ToString(),
    };

    // Progress<T> posts to the thread pool; lines must reach the log in order, before the verdict.
    private sealed class SynchronousProgress(Action<PatchEvent> report) : IProgress<PatchEvent>
    {
        public void Report(PatchEvent value) => report(value);
    }
}
