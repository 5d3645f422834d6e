using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudFormation;
/// <summary>
/// An error answered by AWS CloudFormation. <see cref="AmazonServiceException.ErrorCode"/> is the wire code (the query <c>Error/Code</c>, e.g. <c>ChangeSetNotFound</c>), with the message, HTTP
/// status and request id. Codes the orchestration branches on have their own subclasses; every other code arrives as
/// this type.
/// </summary>
public class CloudFormationException : AmazonServiceException
{
    /// <summary>Creates an error with the facts of the response.</summary>
    /// <param name="message">The service's message.</param>
    /// <param name="errorCode">The wire error code.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="statusCode">The HTTP status.</param>
    public CloudFormationException(string message, string errorCode, string? requestId, HttpStatusCode statusCode)
        : base(message, null, AwsErrorDetails.TypeFromStatus(statusCode), errorCode, requestId, statusCode)
    {
    }

    /// <summary>Creates an error with a message only.</summary>
    /// <param name="message">The message.</param>
    public CloudFormationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CloudFormationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty error.</summary>
    public CloudFormationException()
    {
    }

    internal CloudFormationException(AwsErrorDetails details)
        : base(details.Message, details.InnerException, details.Type, details.Code, details.RequestId, details.StatusCode)
    {
    }

    /// <summary>Whether the service throttled the call (the SDK has already retried it).</summary>
    public bool IsThrottling => AwsErrorCodes.IsThrottling(ErrorCode);

    // "Stack with id X does not exist" / "Stack [X] does not exist"; change sets answer ChangeSetNotFound instead.
    private static bool IsStackMissing(string message) =>
        message.StartsWith("Stack ", StringComparison.Ordinal) && message.Contains("does not exist", StringComparison.Ordinal);

    internal static CloudFormationException FromError(AwsErrorDetails details) => details.Code switch
    {
        "ChangeSetNotFound" => new ChangeSetNotFoundException(details),
        "InvalidChangeSetStatus" => new InvalidChangeSetStatusException(details),
        "InsufficientCapabilitiesException" => new InsufficientCapabilitiesException(details),
        "AlreadyExistsException" => new AlreadyExistsException(details),
        "TokenAlreadyExistsException" => new TokenAlreadyExistsException(details),
        "LimitExceededException" => new LimitExceededException(details),
        AwsErrorCodes.ValidationError when IsStackMissing(details.Message) => new StackNotFoundException(details),
        AwsErrorCodes.ValidationError when details.Message.Contains("No updates are to be performed", StringComparison.Ordinal) =>
            new NoUpdatesToPerformException(details),
        _ => new CloudFormationException(details),
    };
}

/// <summary>The change set does not exist (wire code <c>ChangeSetNotFound</c>).</summary>
public sealed class ChangeSetNotFoundException : CloudFormationException
{
    internal ChangeSetNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The change set is not in a state that allows the call (<c>InvalidChangeSetStatus</c>).</summary>
public sealed class InvalidChangeSetStatusException : CloudFormationException
{
    internal InvalidChangeSetStatusException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The template needs a capability the caller did not acknowledge.</summary>
public sealed class InsufficientCapabilitiesException : CloudFormationException
{
    internal InsufficientCapabilitiesException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A stack or change set with that name already exists.</summary>
public sealed class AlreadyExistsException : CloudFormationException
{
    internal AlreadyExistsException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A request with the same client request token was already made.</summary>
public sealed class TokenAlreadyExistsException : CloudFormationException
{
    internal TokenAlreadyExistsException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>An account quota of CloudFormation was reached.</summary>
public sealed class LimitExceededException : CloudFormationException
{
    internal LimitExceededException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The stack does not exist (wire code <c>ValidationError</c>, message "Stack … does not exist").</summary>
public sealed class StackNotFoundException : CloudFormationException
{
    internal StackNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The update changes nothing (wire code <c>ValidationError</c>, message "No updates are to be performed.").</summary>
public sealed class NoUpdatesToPerformException : CloudFormationException
{
    internal NoUpdatesToPerformException(AwsErrorDetails details)
        : base(details)
    {
    }
}
