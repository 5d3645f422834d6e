using Amazon.Runtime;
using Microsoft.Extensions.Configuration;

namespace Workmates.OttKit.Aws;

/// <summary>
/// The <c>AWS</c> configuration section, bound the way <c>AWSSDK.Extensions.NETCore.Setup</c> binds it
/// (<c>"AWS": { "Profile": "...", "Region": "...", "ServiceURL": "..." }</c>). Anything left unset falls back to the
/// SDK's own resolution: <c>AWS_REGION</c>/<c>AWS_PROFILE</c>, the shared config files, web identity, container and
/// instance credentials, and <c>AWS_ENDPOINT_URL[_SERVICE]</c>.
/// </summary>
public sealed class AwsOptions
{
    /// <summary>The configuration section name used by <see cref="FromConfiguration"/> by default.</summary>
    public const string SectionName = "AWS";

    /// <summary>The shared-config profile whose credentials (and region, when <see cref="Region"/> is unset) to use.</summary>
    public string? Profile { get; set; }

    /// <summary>A credentials file other than the default <c>~/.aws/credentials</c>.</summary>
    public string? ProfilesLocation { get; set; }

    /// <summary>The region system name, for example <c>eu-west-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// An endpoint for every client built from these options. It wins over <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
    /// <c>AWS_ENDPOINT_URL</c> and the region-derived endpoint. Meant for tests and simulators.
    /// </summary>
    public string? ServiceURL { get; set; }

    /// <summary>Explicit credentials; when set they win over <see cref="Profile"/> and the default chain.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Reads <c>Profile</c>, <c>ProfilesLocation</c>, <c>Region</c> and <c>ServiceURL</c> of a section.</summary>
    /// <param name="configuration">The application configuration.</param>
    /// <param name="sectionName">The section, <c>AWS</c> by default.</param>
    /// <returns>The options; members absent from the section stay <see langword="null"/>.</returns>
    public static AwsOptions FromConfiguration(IConfiguration configuration, string sectionName = SectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(sectionName);
        return new AwsOptions
        {
            Profile = Value(section, nameof(Profile)),
            ProfilesLocation = Value(section, nameof(ProfilesLocation)),
            Region = Value(section, nameof(Region)),
            ServiceURL = Value(section, nameof(ServiceURL)),
        };
    }

    private static string? Value(IConfigurationSection section, string key) =>
        string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();
}
