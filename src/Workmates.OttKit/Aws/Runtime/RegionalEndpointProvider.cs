using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// The endpoint rule set of the four services, hand-written: a custom endpoint wins, otherwise
/// <c>https://{prefix}[-fips].{region}.{dnsSuffix|dualStackDnsSuffix}</c> from the SDK's own partition data, with the
/// GovCloud FIPS special cases of CloudFormation, ELBv2 and CloudWatch. Tests check it against the rule-set files.
/// </summary>
internal sealed class RegionalEndpointProvider(AwsServiceDescriptor service) : IEndpointProvider
{
    public const string RegionParameter = "Region";
    public const string UseFipsParameter = "UseFIPS";
    public const string UseDualStackParameter = "UseDualStack";
    public const string EndpointParameter = "Endpoint";

    public Endpoint ResolveEndpoint(EndpointParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var region = parameters[RegionParameter] as string;
        var useFips = parameters[UseFipsParameter] is true;
        var useDualStack = parameters[UseDualStackParameter] is true;
        var endpoint = parameters[EndpointParameter] as string;
        return new Endpoint(Resolve(region, useFips, useDualStack, endpoint));
    }

    public string Resolve(string? region, bool useFips, bool useDualStack, string? endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint))
        {
            if (useFips)
            {
                throw new AmazonClientException("Invalid Configuration: FIPS and custom endpoint are not supported");
            }

            if (useDualStack)
            {
                throw new AmazonClientException("Invalid Configuration: Dualstack and custom endpoint are not supported");
            }

            return endpoint;
        }

        if (string.IsNullOrEmpty(region))
        {
            throw new AmazonClientException("Invalid Configuration: Missing Region");
        }

        var partition = Fn.Partition(region) ?? throw new AmazonClientException($"No partition for region '{region}'.");
        var prefix = service.EndpointPrefix;
        var isGov = partition.name == "aws-us-gov";
        if (useFips && useDualStack)
        {
            if (isGov && service.GovCloudFips == GovCloudFipsHost.PlainPartitionSuffix)
            {
                return $"https://{prefix}.{region}.{partition.dualStackDnsSuffix}";
            }

            if (!partition.supportsFIPS || !partition.supportsDualStack)
            {
                throw new AmazonClientException("FIPS and DualStack are enabled, but this partition does not support one or both");
            }

            return $"https://{prefix}-fips.{region}.{partition.dualStackDnsSuffix}";
        }

        if (useFips)
        {
            if (isGov && service.GovCloudFips == GovCloudFipsHost.PlainPartitionSuffix)
            {
                return $"https://{prefix}.{region}.{partition.dnsSuffix}";
            }

            if (!partition.supportsFIPS)
            {
                throw new AmazonClientException("FIPS is enabled but this partition does not support FIPS");
            }

            return isGov && service.GovCloudFips == GovCloudFipsHost.PlainAmazonAws
                ? $"https://{prefix}.{region}.amazonaws.com"
                : $"https://{prefix}-fips.{region}.{partition.dnsSuffix}";
        }

        if (useDualStack)
        {
            if (!partition.supportsDualStack)
            {
                throw new AmazonClientException("DualStack is enabled but this partition does not support DualStack");
            }

            return $"https://{prefix}.{region}.{partition.dualStackDnsSuffix}";
        }

        return $"https://{prefix}.{region}.{partition.dnsSuffix}";
    }
}
