using System.CommandLine;
using System.Text.Json.Nodes;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit deploy service --spec F --service NAME --image URI|TAG</c>: a new task-definition revision that changes
/// only the image, the service updated to it, and the rollout watched to an honest verdict (a rollback is a failure).
/// </summary>
internal static class DeployServiceCommand
{
    /// <summary>Creates the <c>service</c> subcommand of <c>deploy</c>.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var service = ServiceCommandSupport.ServiceOption(required: true);
        var image = new Option<string>("--image")
        {
            Description = "The image to run: a full URI (registry/repository:tag), or just a tag (no '/' or ':') that replaces the tag of the image the service runs now.",
            Required = true,
        };
        var timeout = ServiceCommandSupport.TimeoutOption();
        var rollbackOnTimeout = new Option<bool>("--rollback-on-timeout")
        {
            Description = "When the timeout passes, stop the deployment with rollback (StopServiceDeployment ROLLBACK) and watch the rollback.",
        };
        var failFast = new Option<bool>("--fail-fast")
        {
            Description = "Roll back as soon as the new tasks' load-balancer targets are unhealthy on 3 consecutive checks, without waiting for the circuit breaker.",
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "If another deployment of the service is in progress, watch it to its end and then deploy (default: refuse).",
        };
        var command = new Command(
            "service",
            "Deploy a new image to one service and watch it to a verdict: ECS's Service Deployments API decides, with target health and alarms reported.\n" +
            "Exit codes: 0 succeeded or nothing to change, 1 failed or rolled back (by the circuit breaker, an alarm or --fail-fast) or a mistake, 4 timed out, 130 stopped watching (Ctrl+C).\n\n" +
            "Examples:\n  ottkit deploy service --spec blacksheep.yaml --service api --image 111122223333.dkr.ecr.ap-south-1.amazonaws.com/blacksheep/api:4f2c1e9\n" +
            "  ottkit deploy service --spec blacksheep.yaml --service api --image 4f2c1e9 --fail-fast --rollback-on-timeout --timeout 20")
        {
            spec, service, image, timeout, rollbackOnTimeout, failFast, wait,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, environment,
            new Arguments(parse.GetRequiredValue(spec), parse.GetRequiredValue(service), parse.GetRequiredValue(image), parse.GetValue(timeout),
                parse.GetValue(rollbackOnTimeout), parse.GetValue(failFast), parse.GetValue(wait)),
            cancellationToken));
        return command;
    }

    private sealed record Arguments(string Spec, string Service, string Image, double TimeoutMinutes, bool RollbackOnTimeout, bool FailFast, bool Wait);

    private static async Task<int> RunAsync(ParseResult parse, CliEnvironment environment, Arguments arguments, CancellationToken cancellationToken)
    {
        var context = OttKitCommandLine.ContextOf(parse);
        var spec = OttKitCommandLine.LoadSpec(context, arguments.Spec, out var exitCode);
        if (spec is null)
        {
            return exitCode;
        }

        var serviceSpec = ServiceCommandSupport.FindService(context, spec, arguments.Service, out exitCode);
        if (serviceSpec is null)
        {
            return exitCode;
        }

        if (!(arguments.TimeoutMinutes > 0 && arguments.TimeoutMinutes <= 24 * 60))
        {
            _ = context.UserError("--timeout must be a number of minutes from 1 second to 24 hours, such as 30.", "bad-timeout");
            return ExitCodes.UsageError;
        }

        var cluster = spec.Name;
        var region = ServiceCommandSupport.Region(parse, spec);
        using var aws = ServiceCommandSupport.Connect(context, parse, environment, spec, out exitCode);
        if (aws is null)
        {
            return exitCode;
        }

        var output = new DeploymentOutput(context, environment, parse.GetValue(OttKitCommandLine.NoColorOption));
        try
        {
            var deployer = ServiceCommandSupport.Deployer(aws);
            var options = new ServiceDeployOptions
            {
                ContainerName = serviceSpec.Name,
                Timeout = TimeSpan.FromMinutes(arguments.TimeoutMinutes),
                RollbackOnTimeout = arguments.RollbackOnTimeout,
                FailFast = arguments.FailFast,
                WhenDeploymentInProgress = arguments.Wait ? InFlightDeploymentPolicy.Wait : InFlightDeploymentPolicy.Refuse,
            };
            context.Line($"deploying {arguments.Image} to service {arguments.Service} of cluster {cluster} in {region}");
            var result = await output.RenderAsync(
                arguments.Service, deployer.DeployImageEventsAsync(cluster, arguments.Service, arguments.Image, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            exitCode = ExitCodeOf(result);
            output.Verdict(result);
            context.Result(DeploymentOutput.Json("deploy service", result, exitCode));
            await output.SummaryAsync($"ottkit deploy service {arguments.Service}", result, cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return StoppedWatching(context, arguments.Spec, arguments.Service, "deploy service");
        }
        catch (Exception error) when (ServiceCommandSupport.Explain(context, error, arguments.Spec, cluster, region) is { } code)
        {
            return code;
        }
    }

    /// <summary>The exit code of a verdict (see docs/cli.md).</summary>
    public static int ExitCodeOf(ServiceDeploymentResult result) => result.Outcome switch
    {
        ServiceDeploymentOutcome.Succeeded or ServiceDeploymentOutcome.NoChange => ExitCodes.Success,
        ServiceDeploymentOutcome.TimedOut => ExitCodes.DeploymentTimedOut,
        _ => ExitCodes.DeploymentFailed,
    };

    /// <summary>Ctrl+C: the watch stops, the deployment does not; say what goes on and how to follow it.</summary>
    public static int StoppedWatching(CliContext context, string spec, string service, string command)
    {
        var message =
            $"stopped watching. The deployment goes on in ECS: it completes, or its circuit breaker and alarms roll it back. " +
            $"Watch it with 'ottkit status --spec {spec} --service {service}' or roll it back with 'ottkit rollback service --spec {spec} --service {service}'.";
        if (context.Format == OutputFormat.Json)
        {
            context.Result(new JsonObject { ["ok"] = false, ["command"] = command, ["service"] = service, ["outcome"] = "WatchStopped", ["exitCode"] = ExitCodes.Cancelled, ["message"] = message });
        }
        else
        {
            context.Error.WriteLine(message);
        }

        return ExitCodes.Cancelled;
    }
}
