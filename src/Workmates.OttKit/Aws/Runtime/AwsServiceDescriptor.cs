namespace Workmates.OttKit.Aws.Runtime;

/// <summary>How a partition's GovCloud FIPS endpoint differs from the generic <c>{prefix}-fips.{region}</c> form.</summary>
internal enum GovCloudFipsHost
{
    /// <summary>No special case: <c>{prefix}-fips.{region}.{dnsSuffix}</c>.</summary>
    Generic,

    /// <summary>The FIPS host is the plain host under <c>amazonaws.com</c> (CloudFormation, ELBv2).</summary>
    PlainAmazonAws,

    /// <summary>The FIPS host is the plain host under the partition suffix, dual-stack too (CloudWatch).</summary>
    PlainPartitionSuffix,
}

/// <summary>The facts of one AWS service model that the pipeline needs (taken from the model's <c>metadata</c>).</summary>
/// <param name="ServiceId">The model's <c>serviceId</c>; the SDK derives <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> from it.</param>
/// <param name="SigningName">The SigV4 signing name.</param>
/// <param name="EndpointPrefix">The host prefix of the regional endpoint.</param>
/// <param name="ApiVersion">The model's <c>apiVersion</c>.</param>
/// <param name="GovCloudFips">The GovCloud FIPS special case of the endpoint rule set.</param>
internal sealed record AwsServiceDescriptor(
    string ServiceId,
    string SigningName,
    string EndpointPrefix,
    string ApiVersion,
    GovCloudFipsHost GovCloudFips)
{
    public static readonly AwsServiceDescriptor Ecs = new("ECS", "ecs", "ecs", "2014-11-13", GovCloudFipsHost.Generic);

    public static readonly AwsServiceDescriptor CloudFormation =
        new("CloudFormation", "cloudformation", "cloudformation", "2010-05-15", GovCloudFipsHost.PlainAmazonAws);

    public static readonly AwsServiceDescriptor ElasticLoadBalancingV2 = new(
        "Elastic Load Balancing v2", "elasticloadbalancing", "elasticloadbalancing", "2015-12-01", GovCloudFipsHost.PlainAmazonAws);

    public static readonly AwsServiceDescriptor CloudWatch =
        new("CloudWatch", "monitoring", "monitoring", "2010-08-01", GovCloudFipsHost.PlainPartitionSuffix);

    /// <summary>Amazon ECR's API (<c>api.ecr.&lt;region&gt;</c>; the FIPS host is <c>ecr-fips</c> under the same prefix).</summary>
    public static readonly AwsServiceDescriptor Ecr = new("ECR", "ecr", "api.ecr", "2015-09-21", GovCloudFipsHost.Generic);

    /// <summary>The suffix of the service-specific endpoint variable, e.g. <c>ELASTIC_LOAD_BALANCING_V2</c>.</summary>
    public string EnvironmentSuffix => ServiceId.ToUpperInvariant().Replace(' ', '_');
}
