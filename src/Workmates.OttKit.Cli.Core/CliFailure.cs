using System.Net.Http;
using System.Net.Sockets;
using Amazon.Runtime;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Outputs;

namespace Workmates.OttKit.Cli;

/// <summary>Who has to act on a failure: the four classes every failure of every command falls into.</summary>
internal enum FailureKind
{
    /// <summary>The user asked for something that cannot be done as asked (bad spec, option or name); the message says what to change.</summary>
    UserMistake,

    /// <summary>The machine around the tool: a file system that refuses a write, no network, no region or credentials configured.</summary>
    Environment,

    /// <summary>AWS answered and refused (access denied, throttled, a validation error of the service).</summary>
    AwsRefusal,

    /// <summary>A defect in ottkit: the only class that says "unexpected" and offers a stack trace with --verbose.</summary>
    Bug,
}

/// <summary>
/// One failure as the user meets it: a stable machine code (the JSON <c>error</c>), the class, and one message that
/// ends with the fix. Text mode prints it as one <c>error:</c> line, JSON mode as <c>{"ok": false, "error": …}</c>.
/// </summary>
/// <param name="Kind">Who has to act.</param>
/// <param name="Code">Stable code such as <c>spec-invalid</c>, <c>no-region</c>, <c>network</c>, <c>unexpected</c>.</param>
/// <param name="Message">What happened and how to fix it.</param>
/// <param name="ExitCode">The process exit code (1 unless the command documents another).</param>
internal sealed record CliFailure(FailureKind Kind, string Code, string Message, int ExitCode = ExitCodes.Failure)
{
    /// <summary>The class as written in the JSON document: <c>user</c>, <c>environment</c>, <c>aws</c> or <c>bug</c>.</summary>
    public string KindName => Kind switch
    {
        FailureKind.UserMistake => "user",
        FailureKind.Environment => "environment",
        FailureKind.AwsRefusal => "aws",
        _ => "bug",
    };
}

/// <summary>
/// Classifies an exception that reached the edge of a command, once, for every command: the library and the AWS SDK
/// throw typed exceptions, and this is the one place that turns them into a message with a fix.
/// </summary>
internal static class FailureClassifier
{
    private const string CredentialsFix =
        "Set AWS_PROFILE or pass --profile NAME (after 'aws sso login' if it is an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions use aws-actions/configure-aws-credentials.";

    /// <summary>The failure an exception stands for; anything not recognised is a <see cref="FailureKind.Bug"/>.</summary>
    public static CliFailure Classify(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error)
        {
            case OttKitValidationException e:
                // Every input mistake (a spec that cannot be read or is invalid, options out of range) is this one family.
                return new(FailureKind.UserMistake, e is SpecLoadException ? "spec-load" : "spec-invalid", e.Message);
            case OutputWriteException e:
                return new(FailureKind.Environment, "output-not-writable",
                    $"cannot write into '{e.Directory}': {e.InnerException?.Message ?? e.Message} Choose a folder you can write to with --out (not a file, not on a read-only file system), or fix its permissions.");
            case TemplateSchemaException e:
                return new(FailureKind.Bug, "template-schema",
                    $"a synthesized template breaks the CloudFormation registry schemas, so nothing was written or sent to AWS. This is a defect in ottkit's blueprint (or a value the spec validation misses): please report it with your spec. {e.Message}");
            case TemplateValidationException e:
                return new(FailureKind.Bug, "template-invalid",
                    $"a synthesized template breaks a CloudFormation rule, so nothing was written or sent to AWS. This is a defect in ottkit's blueprint: please report it with your spec. {e.Message}");
            case MongoBackupException e:
                return new(FailureKind.Environment, e.Code, e.Message);
            case SchemaCatalogException e:
                return new(FailureKind.Environment, "schema-catalog", e.Message);
            case OttKitTemplateException e:
                return new(FailureKind.Bug, "template", $"a synthesized template could not be built or ordered (a defect in ottkit's blueprint; please report it with your spec): {e.Message}");
            case OttKitMongoException e:
                return new(FailureKind.Environment, "mongo", e.Message);
            case OttKitDeploymentException e:
                return new(FailureKind.UserMistake, "operation-refused", e.Message);
            case OttKitAwsException e:
                return new(FailureKind.AwsRefusal, "aws-wait-failed", e.Message);
            case AmazonServiceException e when IsCredentialProblem(e.ErrorCode):
                return new(FailureKind.UserMistake, "credentials", $"AWS rejected the credentials ({e.ErrorCode}: {e.Message}). {CredentialsFix}");
            case AmazonServiceException { ErrorCode: "AccessDeniedException" or "AccessDenied" or "UnauthorizedOperation" or "AuthorizationError" } e:
                return new(FailureKind.AwsRefusal, "access-denied",
                    $"AWS denied the call ({e.ErrorCode}: {e.Message}). Use a role allowed to operate this environment (the CI role its blueprint creates), or ask for the permission named above.");
            case AmazonServiceException e when e.ErrorCode is "Throttling" or "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" or "SlowDown":
                return new(FailureKind.AwsRefusal, "throttled", $"AWS throttled the calls ({e.ErrorCode}: {e.Message}). Wait a minute and run again, or run fewer ottkit commands against the account at the same time.");
            case AmazonServiceException e when NetworkCause(e) is null:
                return new(FailureKind.AwsRefusal, "aws-error",
                    $"AWS refused the call ({e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}). Fix what AWS names above and run again; with --verbose the request id is printed for AWS support.");
            case AmazonClientException e when e.Message.StartsWith("AWS profile '", StringComparison.Ordinal):
                var profile = e.Message.Split('\'')[1];
                return new(FailureKind.UserMistake, "unknown-profile",
                    $"AWS profile '{profile}' was not found in the shared config or credentials files. Create it with 'aws configure --profile {profile}' (or 'aws configure sso'), or pass another --profile.");
            case AmazonClientException e when e.Message.Contains("RegionEndpoint", StringComparison.Ordinal) || e.Message.Contains("No region", StringComparison.OrdinalIgnoreCase):
                return new(FailureKind.Environment, "no-region",
                    "no AWS region is configured. Pass --region REGION (for example --region ap-south-1), set AWS_REGION, or give the profile a region with 'aws configure set region REGION'.");
            case AmazonClientException e when NetworkCause(e) is null
                && (e.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("profile", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("token", StringComparison.OrdinalIgnoreCase)):
                return new(FailureKind.UserMistake, "credentials", $"no usable AWS credentials: {e.Message.TrimEnd('.')}. {CredentialsFix}");
        }

        if (NetworkCause(error) is { } network)
        {
            return new(FailureKind.Environment, "network",
                $"could not reach AWS: {network.Message.TrimEnd('.')}. Check the network connection and proxy (HTTPS_PROXY), and that AWS_ENDPOINT_URL* variables, if set, point at a live endpoint; then run again.");
        }

        if (error is UnauthorizedAccessException or IOException)
        {
            return new(FailureKind.Environment, "file-access",
                $"a file could not be read or written: {error.Message} Check the path, that it is not a folder where a file is expected (or the reverse), and its permissions.");
        }

        return new(FailureKind.Bug, "unexpected", $"unexpected failure (a defect in ottkit; please report it): {error.GetType().Name}: {error.Message}");
    }

    /// <summary>The network error behind a failure (connection refused, DNS, TLS, an HTTP timeout), if there is one.</summary>
    public static Exception? NetworkCause(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or SocketException or System.Security.Authentication.AuthenticationException
                || (current is TaskCanceledException && current.InnerException is TimeoutException))
            {
                return current;
            }
        }

        return null;
    }

    private static bool IsCredentialProblem(string? code) => code is
        "UnrecognizedClientException" or "InvalidClientTokenId" or "ExpiredToken" or "ExpiredTokenException"
        or "InvalidSignatureException" or "SignatureDoesNotMatch" or "MissingAuthenticationToken" or "MissingAuthenticationTokenException"
        or "InvalidAccessKeyId" or "AuthFailure";
}
