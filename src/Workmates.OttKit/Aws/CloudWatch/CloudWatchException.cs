using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.CloudWatch;
/// <summary>
/// An error answered by Amazon CloudWatch. <see cref="AmazonServiceException.ErrorCode"/> is the wire code (the query <c>Error/Code</c>, e.g. <c>InvalidParameterValue</c>), with the message, HTTP
/// status and request id. Codes the orchestration branches on have their own subclasses; every other code arrives as
/// this type.
/// </summary>
public class CloudWatchException : AmazonServiceException
{
    /// <summary>Creates an error with the facts of the response.</summary>
    /// <param name="message">The service's message.</param>
    /// <param name="errorCode">The wire error code.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="statusCode">The HTTP status.</param>
    public CloudWatchException(string message, string errorCode, string? requestId, HttpStatusCode statusCode)
        : base(message, null, AwsErrorDetails.TypeFromStatus(statusCode), errorCode, requestId, statusCode)
    {
    }

    /// <summary>Creates an error with a message only.</summary>
    /// <param name="message">The message.</param>
    public CloudWatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CloudWatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty error.</summary>
    public CloudWatchException()
    {
    }

    internal CloudWatchException(AwsErrorDetails details)
        : base(details.Message, details.InnerException, details.Type, details.Code, details.RequestId, details.StatusCode)
    {
    }

    /// <summary>Whether the service throttled the call (the SDK has already retried it).</summary>
    public bool IsThrottling => AwsErrorCodes.IsThrottling(ErrorCode);

    internal static CloudWatchException FromError(AwsErrorDetails details) => details.Code switch
    {
        "InvalidNextToken" => new InvalidNextTokenException(details),
        "InvalidParameterValue" => new InvalidParameterValueException(details),
        "MissingParameter" => new MissingRequiredParameterException(details),
        "InvalidParameterCombination" => new InvalidParameterCombinationException(details),
        "InternalServiceError" => new InternalServiceException(details),
        _ => new CloudWatchException(details),
    };
}

/// <summary>The pagination token is not valid (<c>InvalidNextToken</c>).</summary>
public sealed class InvalidNextTokenException : CloudWatchException
{
    internal InvalidNextTokenException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A parameter value is not valid (<c>InvalidParameterValue</c>).</summary>
public sealed class InvalidParameterValueException : CloudWatchException
{
    internal InvalidParameterValueException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A required parameter is missing (<c>MissingParameter</c>).</summary>
public sealed class MissingRequiredParameterException : CloudWatchException
{
    internal MissingRequiredParameterException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>Parameters that cannot be combined were given (<c>InvalidParameterCombination</c>).</summary>
public sealed class InvalidParameterCombinationException : CloudWatchException
{
    internal InvalidParameterCombinationException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A server-side fault (<c>InternalServiceError</c>, HTTP 500).</summary>
public sealed class InternalServiceException : CloudWatchException
{
    internal InternalServiceException(AwsErrorDetails details)
        : base(details)
    {
    }
}
