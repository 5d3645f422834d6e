using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecs;

/// <summary>
/// An error answered by Amazon ECS. <see cref="AmazonServiceException.ErrorCode"/> is the wire code (the part of
/// <c>__type</c> after <c>#</c>), plus the message, HTTP status and request id. Codes the orchestration branches on
/// have their own subclasses; every other code arrives as this type.
/// </summary>
public class EcsException : AmazonServiceException
{
    /// <summary>Creates an ECS error with the facts of the response.</summary>
    /// <param name="message">The service's message.</param>
    /// <param name="errorCode">The wire error code.</param>
    /// <param name="requestId">The request id (<c>x-amzn-RequestId</c>).</param>
    /// <param name="statusCode">The HTTP status.</param>
    public EcsException(string message, string errorCode, string? requestId, HttpStatusCode statusCode)
        : base(message, null, AwsErrorDetails.TypeFromStatus(statusCode), errorCode, requestId, statusCode)
    {
    }

    /// <summary>Creates an ECS error with a message only.</summary>
    /// <param name="message">The message.</param>
    public EcsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an ECS error wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EcsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty ECS error.</summary>
    public EcsException()
    {
    }

    internal EcsException(AwsErrorDetails details)
        : base(details.Message, details.InnerException, details.Type, details.Code, details.RequestId, details.StatusCode)
    {
    }

    /// <summary>Whether the service throttled the call (the SDK has already retried it).</summary>
    public bool IsThrottling => AwsErrorCodes.IsThrottling(ErrorCode);

    internal static EcsException FromError(AwsErrorDetails details) => details.Code switch
    {
        "ServiceNotFoundException" => new ServiceNotFoundException(details),
        "ServiceNotActiveException" => new ServiceNotActiveException(details),
        "ClusterNotFoundException" => new ClusterNotFoundException(details),
        "InvalidParameterException" => new InvalidParameterException(details),
        "AccessDeniedException" => new AccessDeniedException(details),
        "ClientException" => new ClientException(details),
        "ServerException" => new ServerException(details),
        _ => new EcsException(details),
    };
}

/// <summary>The service does not exist in the cluster (wire code <c>ServiceNotFoundException</c>).</summary>
public sealed class ServiceNotFoundException : EcsException
{
    internal ServiceNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The service exists but is not ACTIVE (draining or inactive; <c>ServiceNotActiveException</c>).</summary>
public sealed class ServiceNotActiveException : EcsException
{
    internal ServiceNotActiveException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The cluster does not exist (<c>ClusterNotFoundException</c>).</summary>
public sealed class ClusterNotFoundException : EcsException
{
    internal ClusterNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A parameter of the request is not valid (<c>InvalidParameterException</c>).</summary>
public sealed class InvalidParameterException : EcsException
{
    internal InvalidParameterException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The caller lacks permission (<c>AccessDeniedException</c>).</summary>
public sealed class AccessDeniedException : EcsException
{
    internal AccessDeniedException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A client-side error such as an unknown task definition (<c>ClientException</c>).</summary>
public sealed class ClientException : EcsException
{
    internal ClientException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A server-side fault (<c>ServerException</c>).</summary>
public sealed class ServerException : EcsException
{
    internal ServerException(AwsErrorDetails details)
        : base(details)
    {
    }
}
