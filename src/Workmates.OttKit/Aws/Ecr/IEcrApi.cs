using Amazon.Runtime;
using Workmates.OttKit.Aws.Ecr.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecr;

/// <summary>
/// A connection to Amazon ECR: get one from <see cref="AwsClientFactory"/> (or <c>AddOttKitAwsClients</c>) and hand it
/// to the library's deployers, gates and publishers. Its operations, named as in the official <c>IAmazonECR</c>, and
/// their request and response shapes are internal to the library: what a user reads are the deployers' own result
/// types. Errors are <see cref="EcrException"/> (or a subclass). Dispose it through <see cref="IDisposable"/> when done.
/// </summary>
public interface IEcrApi : IAmazonService
{
    /// <summary>The client configuration <c>AddAWSService&lt;IEcrApi&gt;()</c> fills from <c>AWSOptions</c>.</summary>
    /// <returns>A configuration with the service's id, signing name, endpoint rules and SDK defaults.</returns>
    static ClientConfig IAmazonService.CreateDefaultClientConfig() => new EcrClientConfig();

    /// <summary>The client <c>AddAWSService&lt;IEcrApi&gt;()</c> registers: the built-in one over AWSSDK.Core's pipeline.</summary>
    /// <param name="awsCredentials">The credentials; <see langword="null"/> leaves them to the SDK's default chain.</param>
    /// <param name="clientConfig">A configuration from <see cref="IAmazonService.CreateDefaultClientConfig"/>.</param>
    /// <returns>The client; dispose it through <see cref="IDisposable"/> when done.</returns>
    static IAmazonService IAmazonService.CreateDefaultServiceClient(AWSCredentials awsCredentials, ClientConfig clientConfig) =>
        awsCredentials is null
            ? new EcrClient(AwsServiceConfig.Of<EcrClientConfig>(clientConfig))
            : new EcrClient(awsCredentials, AwsServiceConfig.Of<EcrClientConfig>(clientConfig));

    /// <summary>Describes the scan status and findings of one image (one page of findings).</summary>
    /// <param name="request">Repository, image and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The scan status, severity counts and one page of findings.</returns>
    internal Task<DescribeImageScanFindingsResponse> DescribeImageScanFindingsAsync(
        DescribeImageScanFindingsRequest request, CancellationToken cancellationToken = default);
}
