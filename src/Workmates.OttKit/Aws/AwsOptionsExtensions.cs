using Amazon.Extensions.NETCore.Setup;

namespace Workmates.OttKit.Aws;

/// <summary>Adjustments to the SDK's <see cref="AWSOptions"/> that the OttKit clients rely on.</summary>
public static class AwsOptionsExtensions
{
    /// <summary>
    /// Makes every client built from <paramref name="options"/> sign for <see cref="AWSOptions.Region"/> even when an
    /// endpoint is set (<c>AWS:ServiceURL</c> or <c>AWS_ENDPOINT_URL[_&lt;SERVICE&gt;]</c>). Without it Setup leaves
    /// the client's region unset whenever a <c>ServiceURL</c> is given, and the request is signed for the region
    /// guessed from the host name — <c>us-east-1</c> for any endpoint that does not name one (measured; see
    /// docs/aws.md). An explicit <c>AWS:AuthenticationRegion</c> is kept.
    /// </summary>
    /// <param name="options">The options, typically from <c>configuration.GetAWSOptions()</c>.</param>
    /// <returns>The same <paramref name="options"/>, changed in place.</returns>
    public static AWSOptions SignForConfiguredRegion(this AWSOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Region is not null && string.IsNullOrEmpty(options.DefaultClientConfig.AuthenticationRegion))
        {
            options.DefaultClientConfig.AuthenticationRegion = options.Region.SystemName;
        }

        return options;
    }
}
