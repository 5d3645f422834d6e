using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Util;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// The pipeline handler that feeds the client configuration (region, FIPS, dual-stack, <c>ServiceURL</c> — which the
/// SDK already fills from <c>AWS_ENDPOINT_URL[_SERVICE]</c>) into <see cref="RegionalEndpointProvider"/>.
/// </summary>
internal sealed class RegionalEndpointResolver : BaseEndpointResolver
{
    protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
    {
        var config = requestContext.ClientConfig;
        var parameters = new EndpointParameters
        {
            [RegionalEndpointProvider.RegionParameter] =
                requestContext.Request.AlternateEndpoint?.SystemName ?? config.RegionEndpoint?.SystemName,
            [RegionalEndpointProvider.UseFipsParameter] = config.UseFIPSEndpoint,
            [RegionalEndpointProvider.UseDualStackParameter] = config.UseDualstackEndpoint,
            [RegionalEndpointProvider.EndpointParameter] = config.ServiceURL,
        };

        // With only a ServiceURL, sign for the region named in it (or AuthenticationRegion), like the SDK does.
        if (config.RegionEndpoint is null && !string.IsNullOrEmpty(config.ServiceURL))
        {
            parameters[RegionalEndpointProvider.RegionParameter] = !string.IsNullOrEmpty(config.AuthenticationRegion)
                ? config.AuthenticationRegion
                : RegionEndpoint.GetBySystemName(AWSSDKUtils.DetermineRegion(config.ServiceURL)).SystemName;
        }

        return parameters;
    }
}
