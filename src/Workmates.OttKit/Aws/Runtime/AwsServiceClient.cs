using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// The base of the hand-written clients: an <see cref="AmazonServiceClient"/> whose pipeline gets the same endpoint and
/// auth-scheme handlers a generated AWSSDK v4 client adds, and the single place that touches the SDK-internal
/// <see cref="InvokeOptions"/> (pinned by the exact AWSSDK.Core version in Directory.Packages.props).
/// </summary>
internal abstract class AwsServiceClient : AmazonServiceClient
{
    private readonly OttKitServiceMetadata _metadata;

    /// <summary>Credentials come from the SDK's default identity resolver, resolved at request time.</summary>
    protected AwsServiceClient(AwsServiceConfig config)
        : base(config)
    {
        _metadata = new OttKitServiceMetadata(config.Service.ServiceId);
    }

    protected AwsServiceClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
        _metadata = new OttKitServiceMetadata(config.Service.ServiceId);
    }

    protected override IServiceMetadata ServiceMetadata => _metadata;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        pipeline.RemoveHandler<EndpointResolver>();
        pipeline.AddHandlerAfter<Marshaller>(new RegionalEndpointResolver());
        pipeline.AddHandlerAfter<Marshaller>(new SigV4AuthSchemeHandler());
    }

    /// <summary>Runs one operation through the SDK pipeline (marshal, endpoint, sign, send, retry, unmarshal).</summary>
    protected Task<TResponse> SendAsync<TResponse>(
        AmazonWebServiceRequest request,
        IMarshaller<IRequest, AmazonWebServiceRequest> marshaller,
        ResponseUnmarshaller unmarshaller,
        CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new InvokeOptions { RequestMarshaller = marshaller, ResponseUnmarshaller = unmarshaller };
        return InvokeAsync<TResponse>(request, options, cancellationToken);
    }

    private sealed class OttKitServiceMetadata(string serviceId) : IServiceMetadata
    {
        public string ServiceId { get; } = serviceId;

        public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
    }
}
