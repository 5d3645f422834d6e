using System.CommandLine;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// <c>ottkit rollback service --spec F --service NAME [--to-revision N] [--deregister]</c>: stops an in-flight
/// deployment with rollback, or redeploys the previous revision that completed (or revision N), and watches it.
/// </summary>
internal static class RollbackCommand
{
    /// <summary>Creates the <c>rollback</c> parent with its <c>service</c> subcommand.</summary>
    public static Command Create(CliEnvironment environment) =>
        new("rollback", "Roll back on AWS: one service to its previous (or a given) revision.") { CreateService(environment) };

    /// <summary>Creates <c>rollback service</c>.</summary>
    public static Command CreateService(CliEnvironment environment)
    {
        var spec = SpecOption.Create();
        var service = ServiceCommandSupport.ServiceOption(required: true);
        var toRevision = new Option<string?>("--to-revision")
        {
            Description = "The task-definition revision to return to: a number N (the service's family:N), family:N, or an ARN. Default: the newest revision whose deployment succeeded. Ignored when a deployment is in flight (it is stopped with rollback).",
        };
        var deregister = new Option<bool>("--deregister")
        {
            Description = "Deregister the revision rolled away from once the service is back, so nobody deploys it again by mistake.",
        };
        var timeout = ServiceCommandSupport.TimeoutOption();
        var command = new Command(
            "service",
            "Roll one service back and watch it to a verdict. In flight: StopServiceDeployment(ROLLBACK). Idle: redeploy the previous successful revision (or --to-revision).\n" +
            "Exit codes: 0 rolled back, 1 the rollback failed or a mistake, 4 timed out, 130 stopped watching (Ctrl+C).\n\n" +
            "Examples:\n  ottkit rollback service --spec blacksheep.yaml --service api\n" +
            "  ottkit rollback service --spec blacksheep.yaml --service api --to-revision 41 --deregister")
        {
            spec, service, toRevision, deregister, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse, environment, parse.GetRequiredValue(spec), parse.GetRequiredValue(service), parse.GetValue(toRevision), parse.GetValue(deregister), parse.GetValue(timeout), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, CliEnvironment environment, string specPath, string serviceName, string? toRevision, bool deregister, double timeoutMinutes, CancellationToken cancellationToken)
    {
        var context = OttKitCommandLine.ContextOf(parse);
        var spec = OttKitCommandLine.LoadSpec(context, specPath, out var exitCode);
        if (spec is null)
        {
            return exitCode;
        }

        if (ServiceCommandSupport.FindService(context, spec, serviceName, out exitCode) is null)
        {
            return exitCode;
        }

        if (!(timeoutMinutes > 0 && timeoutMinutes <= 24 * 60))
        {
            _ = context.UserError("--timeout must be a number of minutes from 1 second to 24 hours, such as 30.", "bad-timeout");
            return ExitCodes.UsageError;
        }

        // A bare number is a revision of the family the blueprint gives the service.
        var revision = toRevision is not null && toRevision.All(char.IsAsciiDigit) ? $"{spec.Name}-{serviceName}:{toRevision}" : toRevision;
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
            var options = new ServiceDeployOptions { Timeout = TimeSpan.FromMinutes(timeoutMinutes) };
            context.Line($"rolling back service {serviceName} of cluster {cluster} in {region}" + (revision is null ? string.Empty : $" to {revision}"));
            var result = await output.RenderAsync(
                serviceName, deployer.RollbackEventsAsync(cluster, serviceName, revision, deregister, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            exitCode = DeployServiceCommand.ExitCodeOf(result);
            output.Verdict(result);
            context.Result(DeploymentOutput.Json("rollback service", result, exitCode));
            await output.SummaryAsync($"ottkit rollback service {serviceName}", result, cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return DeployServiceCommand.StoppedWatching(context, specPath, serviceName, "rollback service");
        }
        catch (ServiceDeploymentException error) when (error.Kind == ServiceDeploymentErrorKind.NothingToWatch)
        {
            return context.UserError(
                $"service '{serviceName}' has no earlier successful revision to roll back to. Name one with --to-revision N (see 'aws ecs list-task-definitions --family-prefix {spec.Name}-{serviceName}').",
                "nothing-to-roll-back");
        }
        catch (Exception error) when (ServiceCommandSupport.Explain(context, error, specPath, cluster, region) is { } code)
        {
            return code;
        }
    }
}
