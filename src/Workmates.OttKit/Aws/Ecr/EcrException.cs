using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecr;

/// <summary>
/// An error answered by Amazon ECR: the wire code (<see cref="AmazonServiceException.ErrorCode"/>), message, HTTP status
/// and request id. Codes the scan gate branches on have their own subclasses; every other code arrives as this type.
/// </summary>
public class EcrException : AmazonServiceException
{
    /// <summary>Creates an ECR error with the facts of the response.</summary>
    /// <param name="message">The service's message.</param>
    /// <param name="errorCode">The wire error code.</param>
    /// <param name="requestId">The request id (<c>x-amzn-RequestId</c>).</param>
    /// <param name="statusCode">The HTTP status.</param>
    public EcrException(string message, string errorCode, string? requestId, HttpStatusCode statusCode)
        : base(message, null, AwsErrorDetails.TypeFromStatus(statusCode), errorCode, requestId, statusCode)
    {
    }

    /// <summary>Creates an ECR error with a message only.</summary>
    /// <param name="message">The message.</param>
    public EcrException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an ECR error wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EcrException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty ECR error.</summary>
    public EcrException()
    {
    }

    internal EcrException(AwsErrorDetails details)
        : base(details.Message, details.InnerException, details.Type, details.Code, details.RequestId, details.StatusCode)
    {
    }

    internal static EcrException FromError(AwsErrorDetails details) => details.Code switch
    {
        "ScanNotFoundException" => new ScanNotFoundException(details),
        "ImageNotFoundException" => new ImageNotFoundException(details),
        "RepositoryNotFoundException" => new RepositoryNotFoundException(details),
        _ => new EcrException(details),
    };
}

/// <summary>The image has no scan (yet): right after a push, before scan on push starts (<c>ScanNotFoundException</c>).</summary>
public sealed class ScanNotFoundException : EcrException
{
    internal ScanNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The image is not in the repository (<c>ImageNotFoundException</c>).</summary>
public sealed class ImageNotFoundException : EcrException
{
    internal ImageNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The repository does not exist in the registry (<c>RepositoryNotFoundException</c>).</summary>
public sealed class RepositoryNotFoundException : EcrException
{
    internal RepositoryNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}
