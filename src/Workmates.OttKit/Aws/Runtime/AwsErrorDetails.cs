using System.Net;
using Amazon.Runtime;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>The facts of one error response, whatever the protocol.</summary>
internal sealed record AwsErrorDetails(
    string Code,
    string Message,
    ErrorType Type,
    string? RequestId,
    HttpStatusCode StatusCode,
    Exception? InnerException)
{
    public static ErrorType TypeFromStatus(HttpStatusCode statusCode) =>
        (int)statusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
}
