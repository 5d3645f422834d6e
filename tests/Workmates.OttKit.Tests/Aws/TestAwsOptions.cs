using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// The few <see cref="AWSOptions"/> members the tests set, as strings (region name, endpoint), converted implicitly
/// where a factory takes the SDK's options.
/// </summary>
internal sealed class TestAwsOptions
{
    public string? Region { get; set; }

    public string? ServiceURL { get; set; }

    public AWSCredentials? Credentials { get; set; }

    public string? Profile { get; set; }

    public string? ProfilesLocation { get; set; }

    public static implicit operator AWSOptions(TestAwsOptions options)
    {
        var result = new AWSOptions
        {
            Region = options.Region is null ? null : RegionEndpoint.GetBySystemName(options.Region),
            Credentials = options.Credentials,
            Profile = options.Profile,
            ProfilesLocation = options.ProfilesLocation,
        };
        result.DefaultClientConfig.ServiceURL = options.ServiceURL;
        return result;
    }
}
