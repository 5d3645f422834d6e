using System.CommandLine;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>What <c>deploy service</c>, <c>rollback service</c> and <c>status</c> share: the spec, the service, the clients and the mistakes.</summary>
internal static class ServiceCommandSupport
{
    /// <summary>Creates a fresh <c>--service</c> option.</summary>
    public static Option<string> ServiceOption(bool required) => new("--service")
    {
        Description = "The service's name as the spec names it (services[].name); the ECS service in the environment's cluster.",
        Required = required,
    };

    /// <summary>Creates a fresh <c>--timeout</c> option (minutes).</summary>
    public static Option<double> TimeoutOption() => new("--timeout")
    {
        Description = "Minutes to watch before the verdict is 'timed out' (default 30).",
        DefaultValueFactory = _ => 30,
    };

    /// <summary>The spec's service, or a user error naming the services there are.</summary>
    public static ServiceSpec? FindService(CliContext context, EnvironmentSpec spec, string name, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        var service = spec.Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
        if (service is null)
        {
            exitCode = context.UserError(
                $"service '{name}' is not in the spec of environment '{spec.Name}'. Use one of: {string.Join(", ", spec.Services.Select(s => s.Name))}.",
                "unknown-service");
        }

        return service;
    }

    /// <summary>The deployer over ECS, ELBv2 and CloudWatch of the connection, on the environment's clock.</summary>
    public static ServiceDeployer Deployer(AwsConnection aws) =>
        new(aws.Ecs(), aws.LoadBalancing(), aws.CloudWatch(), aws.Environment.Time);

    /// <summary>The region: --region, else the spec's.</summary>
    public static string Region(ParseResult parse, EnvironmentSpec spec) => parse.GetValue(OttKitCommandLine.RegionOption) ?? spec.Region;

    /// <summary>
    /// The connection for <paramref name="spec"/>'s environment: <c>--region</c> (checked against the partition's regions)
    /// else the spec's, <c>--profile</c> (checked to exist) else <c>AWS_PROFILE</c>; null after reporting a mistake.
    /// </summary>
    public static AwsConnection? Connect(CliContext context, ParseResult parse, CliEnvironment environment, EnvironmentSpec spec, out int exitCode)
    {
        var aws = new AwsConnection(environment, Region(parse, spec), parse.GetValue(OttKitCommandLine.ProfileOption));
        if (aws.Check(spec.Region) is { } failure)
        {
            aws.Dispose();
            exitCode = context.Fail(failure);
            return null;
        }

        exitCode = ExitCodes.Success;
        return aws;
    }

    /// <summary>
    /// Turns the service-deployment failures a user can fix (missing service in AWS, a deployment in progress) into one
    /// message with the fix; returns null for anything else, which the command line's edge classifies
    /// (<see cref="FailureClassifier"/>: credentials, profiles, network, AWS refusals, bugs).
    /// </summary>
    public static int? Explain(CliContext context, Exception error, string specPath, string cluster, string region)
    {
        switch (error)
        {
            case ServiceDeploymentException { Kind: ServiceDeploymentErrorKind.ServiceNotFound } e:
                return context.UserError(
                    $"service '{e.Service}' was not found in cluster '{cluster}' in {region}. Deploy the environment's stacks first ('ottkit deploy stacks --spec {specPath}') or check --region.",
                    "service-not-deployed");
            case ServiceDeploymentException { Kind: ServiceDeploymentErrorKind.DeploymentInProgress } e:
                return context.UserError(
                    $"service '{e.Service}' has a deployment in progress ({e.ServiceDeploymentArn}). Watch it with 'ottkit status --spec {specPath} --service {e.Service}', roll it back with 'ottkit rollback service --spec {specPath} --service {e.Service}', or pass --wait to deploy after it.",
                    "deployment-in-progress");
            case ServiceDeploymentException e:
                return context.UserError(e.Message, "deployment");
            default:
                return null;
        }
    }
}
