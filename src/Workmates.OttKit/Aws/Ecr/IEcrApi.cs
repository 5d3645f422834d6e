using Workmates.OttKit.Aws.Ecr.Model;

namespace Workmates.OttKit.Aws.Ecr;

/// <summary>
/// The Amazon ECR operations the library uses, named as in the official <c>IAmazonECR</c> so that an adapter over
/// <c>AWSSDK.ECR</c> (not served here) can replace the built-in client. Errors are <see cref="EcrException"/> (or a subclass).
/// </summary>
public interface IEcrApi
{
    /// <summary>Describes the scan status and findings of one image (one page of findings).</summary>
    /// <param name="request">Repository, image and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The scan status, severity counts and one page of findings.</returns>
    Task<DescribeImageScanFindingsResponse> DescribeImageScanFindingsAsync(
        DescribeImageScanFindingsRequest request, CancellationToken cancellationToken = default);
}
