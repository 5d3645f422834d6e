using Amazon.Runtime;
using Workmates.OttKit.Aws.Ecr.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecr;

/// <summary><see cref="IEcrApi"/> over AWSSDK.Core's pipeline (credentials, SigV4, retries, endpoints, logging).</summary>
internal sealed class EcrClient : AwsServiceClient, IEcrApi
{
    public EcrClient(AwsServiceConfig config)
        : base(config)
    {
    }

    public EcrClient(AWSCredentials credentials, AwsServiceConfig config)
        : base(credentials, config)
    {
    }

    public Task<DescribeImageScanFindingsResponse> DescribeImageScanFindingsAsync(
        DescribeImageScanFindingsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<DescribeImageScanFindingsResponse>(
            request, EcrOperations.DescribeImageScanFindings.Marshaller, EcrOperations.DescribeImageScanFindings.Unmarshaller, cancellationToken);
}
