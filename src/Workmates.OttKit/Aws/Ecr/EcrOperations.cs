using Workmates.OttKit.Aws.Ecr.Model;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecr;

/// <summary>The ECR operations on the wire (awsJson 1.1, target prefix <c>AmazonEC2ContainerRegistry_V20150921</c>).</summary>
internal static class EcrOperations
{
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921";

    public static readonly AwsJsonOperation<DescribeImageScanFindingsRequest, DescribeImageScanFindingsResponse> DescribeImageScanFindings =
        new(AwsServiceDescriptor.Ecr, TargetPrefix, "1.1", "DescribeImageScanFindings", EcrException.FromError);

    public static IReadOnlyList<IAwsOperation> All { get; } = [DescribeImageScanFindings];
}
