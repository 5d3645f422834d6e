using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace Workmates.OttKit.Aws.Ecr.Model;

// Hand-written after the ECR API (2015-09-21), DescribeImageScanFindings: the AWS model of ECR is not among the
// conformance models, so only the members the scan gate reads are declared; unknown members are ignored when read.

/// <summary>Container for the parameters of DescribeImageScanFindings.</summary>
internal sealed class DescribeImageScanFindingsRequest : AmazonWebServiceRequest
{
    /// <summary>The registry (account id); the caller's default registry when not set.</summary>
    [JsonPropertyName("registryId")]
    public string? RegistryId { get; set; }

    /// <summary>The repository of the image. Required.</summary>
    [JsonPropertyName("repositoryName")]
    public string? RepositoryName { get; set; }

    /// <summary>The image (tag or digest). Required.</summary>
    [JsonPropertyName("imageId")]
    public ImageIdentifier? ImageId { get; set; }

    /// <summary>The token of the next page of findings.</summary>
    [JsonPropertyName("nextToken")]
    public string? NextToken { get; set; }

    /// <summary>Findings per page (1–1000).</summary>
    [JsonPropertyName("maxResults")]
    public int? MaxResults { get; set; }
}

/// <summary>The result of DescribeImageScanFindings.</summary>
internal sealed class DescribeImageScanFindingsResponse : AmazonWebServiceResponse
{
    /// <summary>The registry.</summary>
    [JsonPropertyName("registryId")]
    public string? RegistryId { get; set; }

    /// <summary>The repository.</summary>
    [JsonPropertyName("repositoryName")]
    public string? RepositoryName { get; set; }

    /// <summary>The image.</summary>
    [JsonPropertyName("imageId")]
    public ImageIdentifier? ImageId { get; set; }

    /// <summary>The state of the scan.</summary>
    [JsonPropertyName("imageScanStatus")]
    public ImageScanStatus? ImageScanStatus { get; set; }

    /// <summary>The findings (one page) and severity counts; absent while the scan is not complete.</summary>
    [JsonPropertyName("imageScanFindings")]
    public ImageScanFindings? ImageScanFindings { get; set; }

    /// <summary>The token of the next page of findings.</summary>
    [JsonPropertyName("nextToken")]
    public string? NextToken { get; set; }
}

/// <summary>An image, by tag or digest.</summary>
internal sealed class ImageIdentifier
{
    /// <summary>The <c>sha256:…</c> digest.</summary>
    [JsonPropertyName("imageDigest")]
    public string? ImageDigest { get; set; }

    /// <summary>The tag.</summary>
    [JsonPropertyName("imageTag")]
    public string? ImageTag { get; set; }
}

/// <summary>The state of an image scan.</summary>
internal sealed class ImageScanStatus
{
    /// <summary><c>IN_PROGRESS</c>, <c>COMPLETE</c>, <c>FAILED</c>, <c>UNSUPPORTED_IMAGE</c>, <c>ACTIVE</c>, <c>PENDING</c>, <c>SCAN_ELIGIBILITY_EXPIRED</c>, <c>FINDINGS_UNAVAILABLE</c>, <c>LIMIT_EXCEEDED</c> or <c>IMAGE_ARCHIVED</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>The reason for the status.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

/// <summary>The findings of a completed scan.</summary>
internal sealed class ImageScanFindings
{
    /// <summary>When the scan completed.</summary>
    [JsonPropertyName("imageScanCompletedAt")]
    public DateTime? ImageScanCompletedAt { get; set; }

    /// <summary>When the vulnerability data was last updated.</summary>
    [JsonPropertyName("vulnerabilitySourceUpdatedAt")]
    public DateTime? VulnerabilitySourceUpdatedAt { get; set; }

    /// <summary>Findings per severity, over all pages.</summary>
    [JsonPropertyName("findingSeverityCounts")]
    public Dictionary<string, int>? FindingSeverityCounts { get; set; }

    /// <summary>Basic scanning findings (one page).</summary>
    [JsonPropertyName("findings")]
    public List<ImageScanFinding>? Findings { get; set; }

    /// <summary>Enhanced scanning (Amazon Inspector) findings (one page).</summary>
    [JsonPropertyName("enhancedFindings")]
    public List<EnhancedImageScanFinding>? EnhancedFindings { get; set; }
}

/// <summary>A basic scanning finding.</summary>
internal sealed class ImageScanFinding
{
    /// <summary>The finding's name: the CVE id.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>A link to the CVE.</summary>
    [JsonPropertyName("uri")]
    public string? Uri { get; set; }

    /// <summary><c>INFORMATIONAL</c>, <c>LOW</c>, <c>MEDIUM</c>, <c>HIGH</c>, <c>CRITICAL</c> or <c>UNDEFINED</c>.</summary>
    [JsonPropertyName("severity")]
    public string? Severity { get; set; }
}

/// <summary>An enhanced scanning (Amazon Inspector) finding.</summary>
internal sealed class EnhancedImageScanFinding
{
    /// <summary>The finding's ARN.</summary>
    [JsonPropertyName("findingArn")]
    public string? FindingArn { get; set; }

    /// <summary>The title (usually <c>CVE-… - package</c>).</summary>
    [JsonPropertyName("title")]
    public string? Title { get; set; }

    /// <summary>The severity (as for basic findings, plus <c>UNTRIAGED</c>).</summary>
    [JsonPropertyName("severity")]
    public string? Severity { get; set; }

    /// <summary><c>ACTIVE</c>, <c>SUPPRESSED</c> or <c>CLOSED</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>The vulnerable package and the vulnerability's id.</summary>
    [JsonPropertyName("packageVulnerabilityDetails")]
    public PackageVulnerabilityDetails? PackageVulnerabilityDetails { get; set; }
}

/// <summary>The package vulnerability of an enhanced finding.</summary>
internal sealed class PackageVulnerabilityDetails
{
    /// <summary>The vulnerability's id, such as <c>CVE-2024-3094</c>.</summary>
    [JsonPropertyName("vulnerabilityId")]
    public string? VulnerabilityId { get; set; }
}
