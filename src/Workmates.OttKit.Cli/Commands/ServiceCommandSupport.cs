using System.CommandLine;
using Amazon.Runtime;
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
    /// Turns the failures a user can fix (missing service in AWS, credentials, a deployment in progress) into one
    /// message with the fix; returns null for anything else (then it is an unexpected failure).
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
            case AmazonServiceException e when IsCredentialProblem(e.ErrorCode):
                return context.UserError(
                    $"AWS rejected the credentials ({e.ErrorCode}: {e.Message}). Set AWS_PROFILE or pass --profile NAME (after 'aws sso login' if it is an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions use aws-actions/configure-aws-credentials.",
                    "credentials");
            case AmazonServiceException { ErrorCode: "AccessDeniedException" or "AccessDenied" or "UnauthorizedOperation" } e:
                return context.UserError($"AWS denied the call ({e.ErrorCode}: {e.Message}). Use a role allowed to deploy this environment (the CI role of its blueprint).", "access-denied");
            case AmazonClientException e when e.Message.StartsWith("AWS profile '", StringComparison.Ordinal):
                var profile = e.Message.Split('\'')[1];
                return context.UserError(
                    $"AWS profile '{profile}' was not found in the shared config or credentials files. Create it with 'aws configure --profile {profile}' (or 'aws configure sso'), or pass another --profile.",
                    "credentials");
            case AmazonClientException e when e.Message.Contains("profile", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("credential", StringComparison.OrdinalIgnoreCase):
                return context.UserError(
                    $"no usable AWS credentials: {e.Message.TrimEnd('.')}. Set AWS_PROFILE or pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions use aws-actions/configure-aws-credentials.",
                    "credentials");
            default:
                return null;
        }
    }

    private static bool IsCredentialProblem(string? code) => code is
        "UnrecognizedClientException" or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException"
        or "InvalidSignatureException" or "SignatureDoesNotMatch" or "MissingAuthenticationToken" or "MissingAuthenticationTokenException";
}
