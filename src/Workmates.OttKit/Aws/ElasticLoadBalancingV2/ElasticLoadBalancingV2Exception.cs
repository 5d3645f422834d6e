using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.ElasticLoadBalancingV2;
/// <summary>
/// An error answered by Elastic Load Balancing v2. <see cref="AmazonServiceException.ErrorCode"/> is the wire code (the query <c>Error/Code</c>, e.g. <c>TargetGroupNotFound</c>), with the message, HTTP
/// status and request id. Codes the orchestration branches on have their own subclasses; every other code arrives as
/// this type.
/// </summary>
public class ElasticLoadBalancingV2Exception : AmazonServiceException
{
    /// <summary>Creates an error with the facts of the response.</summary>
    /// <param name="message">The service's message.</param>
    /// <param name="errorCode">The wire error code.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="statusCode">The HTTP status.</param>
    public ElasticLoadBalancingV2Exception(string message, string errorCode, string? requestId, HttpStatusCode statusCode)
        : base(message, null, AwsErrorDetails.TypeFromStatus(statusCode), errorCode, requestId, statusCode)
    {
    }

    /// <summary>Creates an error with a message only.</summary>
    /// <param name="message">The message.</param>
    public ElasticLoadBalancingV2Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error wrapping another exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ElasticLoadBalancingV2Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty error.</summary>
    public ElasticLoadBalancingV2Exception()
    {
    }

    internal ElasticLoadBalancingV2Exception(AwsErrorDetails details)
        : base(details.Message, details.InnerException, details.Type, details.Code, details.RequestId, details.StatusCode)
    {
    }

    /// <summary>Whether the service throttled the call (the SDK has already retried it).</summary>
    public bool IsThrottling => AwsErrorCodes.IsThrottling(ErrorCode);

    internal static ElasticLoadBalancingV2Exception FromError(AwsErrorDetails details) => details.Code switch
    {
        "TargetGroupNotFound" => new TargetGroupNotFoundException(details),
        "InvalidTarget" => new InvalidTargetException(details),
        "HealthUnavailable" => new HealthUnavailableException(details),
        "LoadBalancerNotFound" => new LoadBalancerNotFoundException(details),
        _ => new ElasticLoadBalancingV2Exception(details),
    };
}

/// <summary>The target group does not exist (wire code <c>TargetGroupNotFound</c>).</summary>
public sealed class TargetGroupNotFoundException : ElasticLoadBalancingV2Exception
{
    internal TargetGroupNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>A target is not registered or not valid (<c>InvalidTarget</c>; TargetDeregistered treats it as success).</summary>
public sealed class InvalidTargetException : ElasticLoadBalancingV2Exception
{
    internal InvalidTargetException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>Target health is temporarily unavailable (<c>HealthUnavailable</c>, HTTP 500).</summary>
public sealed class HealthUnavailableException : ElasticLoadBalancingV2Exception
{
    internal HealthUnavailableException(AwsErrorDetails details)
        : base(details)
    {
    }
}

/// <summary>The load balancer does not exist (<c>LoadBalancerNotFound</c>).</summary>
public sealed class LoadBalancerNotFoundException : ElasticLoadBalancingV2Exception
{
    internal LoadBalancerNotFoundException(AwsErrorDetails details)
        : base(details)
    {
    }
}
