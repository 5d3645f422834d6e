using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit status --spec F [--service NAME]</c>: per service its deployments, running/desired tasks, target health,
/// alarms and latest events; and every stack of the spec with its status (DescribeStacks).
/// </summary>
internal static class StatusCommand
{
    /// <summary>Creates the <c>status</c> command.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var service = ServiceCommandSupport.ServiceOption(required: false);
        var command = new Command(
            "status",
            "Show the environment now: each service's deployments, running/desired tasks, target health, alarms and latest events, and each stack's status.\n" +
            "Exit codes: 0 read (whatever the state), 1 a mistake or AWS could not be read.\n\n" +
            "Examples:\n  ottkit status --spec blacksheep.yaml\n  ottkit status --spec blacksheep.yaml --service api --output json")
        {
            spec, service,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, environment, parse.GetRequiredValue(spec), parse.GetValue(service), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CliEnvironment environment, string specPath, string? serviceName, CancellationToken cancellationToken)
    {
        var context = OttKitCommandLine.ContextOf(parse);
        var spec = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (spec is null)
        {
            return exitCode;
        }

        if (serviceName is not null && ServiceCommandSupport.FindService(context, spec, serviceName, out exitCode) is null)
        {
            return exitCode;
        }

        var cluster = spec.Name;
        var region = ServiceCommandSupport.Region(parse, spec);
        using var aws = ServiceCommandSupport.Connect(context, parse, environment, spec, out exitCode);
        if (aws is null)
        {
            return exitCode;
        }

        try
        {
            var deployer = ServiceCommandSupport.Deployer(aws);
            var services = new JsonArray();
            context.Line($"environment {spec.Name} (cluster {cluster}, {region})");
            foreach (var name in serviceName is null ? spec.Services.Select(s => s.Name) : [serviceName])
            {
                ServiceStatus? status;
                try
                {
                    status = await deployer.GetStatusAsync(cluster, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (ServiceDeploymentException e) when (e.Kind == ServiceDeploymentErrorKind.ServiceNotFound)
                {
                    status = null;
                }

                services.Add(Render(context, name, status));
            }

            var stacks = await StacksAsync(context, aws, spec.Synthesize().Stacks, cancellationToken).ConfigureAwait(false);
            context.Result(new JsonObject
            {
                ["ok"] = true,
                ["command"] = "status",
                ["environment"] = spec.Name,
                ["cluster"] = cluster,
                ["region"] = region,
                ["services"] = services,
                ["stacks"] = stacks,
            });
            return ExitCodes.Success;
        }
        catch (Exception error) when (ServiceCommandSupport.Explain(context, error, specPath, cluster, region) is { } code)
        {
            return code;
        }
    }

    private static JsonObject Render(CliContext context, string name, ServiceStatus? status)
    {
        if (status is null)
        {
            context.Line($"service {name}: not deployed (no ECS service '{name}' in the cluster)");
            return new JsonObject { ["service"] = name, ["deployed"] = false };
        }

        var state = StateOf(status);
        context.Line($"service {name}: {status.RunningCount}/{status.DesiredCount} running, {status.PendingCount} pending, {state}; task definition {status.TaskDefinition}");
        if (status.Rollback is { } rollback)
        {
            context.Line($"  {(rollback.InProgress ? "ROLLING BACK" : "ROLLED BACK")}: {rollback.Reason ?? "ECS gave no reason"} (read from {rollback.Source})");
        }

        if (status.CurrentServiceDeployment is not null)
        {
            context.Line($"  last service deployment: {status.CurrentServiceDeploymentStatus}" + (status.CurrentServiceDeploymentReason is { } reason ? $" ({reason})" : string.Empty));
        }

        foreach (var d in status.Deployments)
        {
            context.Line($"  deployment {d.Id} {d.Status} {d.RolloutState}: {d.Running}/{d.Desired} running, {d.Pending} pending, {d.Failed} failed, {d.TaskDefinition}");
        }

        if (status.Targets.Count > 0)
        {
            context.Line($"  targets: {DeploymentOutput.Summary(status.Targets)}");
        }

        foreach (var alarm in status.Alarms)
        {
            context.Line($"  alarm {alarm.Name}: {alarm.State}");
        }

        foreach (var e in status.RecentEvents)
        {
            context.Line($"  {DeploymentOutput.Stamp(e.At)} {e.Message}");
        }

        return new JsonObject
        {
            ["service"] = name,
            ["deployed"] = true,
            ["taskDefinition"] = status.TaskDefinition,
            ["desired"] = status.DesiredCount,
            ["running"] = status.RunningCount,
            ["pending"] = status.PendingCount,
            ["deploymentInProgress"] = status.DeploymentInProgress,
            ["state"] = StateOf(status).Replace(' ', '-'),
            ["rollback"] = status.Rollback is { } r
                ? new JsonObject { ["inProgress"] = r.InProgress, ["reason"] = r.Reason, ["source"] = r.Source }
                : null,
            ["serviceDeployment"] = status.CurrentServiceDeployment,
            ["serviceDeploymentStatus"] = status.CurrentServiceDeploymentStatus,
            ["serviceDeploymentReason"] = status.CurrentServiceDeploymentReason,
            ["deployments"] = new JsonArray([.. status.Deployments.Select(d => (JsonNode)new JsonObject
            {
                ["id"] = d.Id, ["status"] = d.Status, ["rolloutState"] = d.RolloutState, ["taskDefinition"] = d.TaskDefinition,
                ["desired"] = d.Desired, ["running"] = d.Running, ["pending"] = d.Pending, ["failed"] = d.Failed,
            })]),
            ["targets"] = DeploymentOutput.Targets(status.Targets),
            ["alarms"] = DeploymentOutput.Alarms(status.Alarms),
            ["events"] = new JsonArray([.. status.RecentEvents.Select(e => (JsonNode)new JsonObject
            {
                ["at"] = e.At.ToString("O", CultureInfo.InvariantCulture), ["message"] = e.Message,
            })]),
        };
    }

    /// <summary>One phrase for the service's state; a rollback is never shown as a plain deployment.</summary>
    private static string StateOf(ServiceStatus status) => status.Rollback switch
    {
        { InProgress: true } => "rollback in progress",
        not null when !status.DeploymentInProgress => "rolled back",
        not null => "rolled back, deployment in progress",
        _ => status.DeploymentInProgress ? "deployment in progress" : "steady",
    };

    private static async Task<JsonArray> StacksAsync(CliContext context, AwsConnection aws, IReadOnlyList<Blueprint.Stack> stacks, CancellationToken cancellationToken)
    {
        var result = new JsonArray();
        var clients = new Dictionary<string, ICloudFormationApi>(StringComparer.Ordinal);
        foreach (var stack in stacks)
        {
            if (!clients.TryGetValue(stack.Region, out var cloudFormation))
            {
                cloudFormation = aws.CloudFormation(stack.Region);
                clients[stack.Region] = cloudFormation;
            }

            string status;
            string? reason = null;
            try
            {
                var found = await StackDeployer.GetStackStateAsync(cloudFormation, stack.Name, cancellationToken).ConfigureAwait(false);
                status = found?.Status ?? "NOT_DEPLOYED";
                reason = found?.StatusReason;
            }
            catch (CloudFormationException error) when (stacks.Count > 1)
            {
                // One stack's region that cannot be read (another region's endpoint, a denied call) should not hide
                // the others: say which and why, and go on.
                status = "UNREADABLE";
                reason = $"{error.ErrorCode}: {error.Message}";
            }

            context.Line($"stack {stack.Name} ({stack.Region}): {status}" + (reason is null ? string.Empty : $" ({reason})"));
            result.Add(new JsonObject { ["name"] = stack.Name, ["region"] = stack.Region, ["status"] = status, ["reason"] = reason });
        }

        return result;
    }
}
