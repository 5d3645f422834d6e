using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>One modelled operation: its wire name, types, request marshaller and response unmarshaller.</summary>
internal interface IAwsOperation
{
    string Name { get; }

    Type RequestType { get; }

    Type ResponseType { get; }

    IMarshaller<IRequest, AmazonWebServiceRequest> Marshaller { get; }

    ResponseUnmarshaller Unmarshaller { get; }
}

/// <summary>An awsJson operation (ECS).</summary>
internal sealed class AwsJsonOperation<TRequest, TResponse>(
    AwsServiceDescriptor service,
    string targetPrefix,
    string jsonVersion,
    string name,
    Func<AwsErrorDetails, AmazonServiceException> errors) : IAwsOperation
    where TRequest : AmazonWebServiceRequest
    where TResponse : AmazonWebServiceResponse, new()
{
    public string Name { get; } = name;

    public Type RequestType => typeof(TRequest);

    public Type ResponseType => typeof(TResponse);

    public IMarshaller<IRequest, AmazonWebServiceRequest> Marshaller { get; } =
        new AwsJsonRequestMarshaller<TRequest>(service, targetPrefix + "." + name, jsonVersion);

    public ResponseUnmarshaller Unmarshaller { get; } = new AwsJsonResponseUnmarshaller<TResponse>(errors);
}

/// <summary>An AWS query operation (CloudFormation, ELBv2, CloudWatch).</summary>
internal sealed class AwsQueryOperation<TRequest, TResponse>(
    AwsServiceDescriptor service,
    string name,
    bool hasResult,
    Func<AwsErrorDetails, AmazonServiceException> errors) : IAwsOperation
    where TRequest : AmazonWebServiceRequest
    where TResponse : AmazonWebServiceResponse, new()
{
    public string Name { get; } = name;

    public Type RequestType => typeof(TRequest);

    public Type ResponseType => typeof(TResponse);

    public IMarshaller<IRequest, AmazonWebServiceRequest> Marshaller { get; } = new AwsQueryRequestMarshaller(service, name);

    public ResponseUnmarshaller Unmarshaller { get; } =
        new AwsQueryResponseUnmarshaller<TResponse>(hasResult ? name + "Result" : null, errors);
}
