using Amazon.Extensions.NETCore.Setup;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AWS clients OttKit's deployers, health publisher and backups use.</summary>
public static class OttKitAwsServiceCollectionExtensions
{
    /// <summary>
    /// Binds the <c>AWS</c> section with <c>GetAWSOptions</c> (profile, region, <c>ServiceURL</c>, client defaults),
    /// makes the clients sign for that region when an endpoint is set
    /// (<see cref="AwsOptionsExtensions.SignForConfiguredRegion"/>), registers the options with
    /// <c>AddDefaultAWSOptions</c>, and registers <see cref="IEcsApi"/>, <see cref="ICloudFormationApi"/>,
    /// <see cref="IElasticLoadBalancingV2Api"/>, <see cref="ICloudWatchApi"/>, <see cref="IEcrApi"/> and <see cref="IAmazonS3"/> with
    /// <c>AddAWSService&lt;T&gt;()</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application configuration holding the section.</param>
    /// <param name="sectionName">The section, <c>AWS</c> by default.</param>
    /// <returns>The <paramref name="services"/>.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddOttKitAwsClients(builder.Configuration);
    /// </code>
    /// </example>
    public static IServiceCollection AddOttKitAwsClients(this IServiceCollection services, IConfiguration configuration, string sectionName = "AWS")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddOttKitAwsClients(configuration.GetAWSOptions(sectionName));
    }

    /// <summary>
    /// Registers the OttKit AWS clients with <c>AddAWSService&lt;T&gt;()</c> from explicit options (see the
    /// <see cref="IConfiguration"/> overload).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The AWS options; they are adjusted with <see cref="AwsOptionsExtensions.SignForConfiguredRegion"/>.</param>
    /// <returns>The <paramref name="services"/>.</returns>
    public static IServiceCollection AddOttKitAwsClients(this IServiceCollection services, AWSOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddDefaultAWSOptions(options.SignForConfiguredRegion());
        services.AddAWSService<IEcsApi>();
        services.AddAWSService<ICloudFormationApi>();
        services.AddAWSService<IElasticLoadBalancingV2Api>();
        services.AddAWSService<ICloudWatchApi>();
        services.AddAWSService<IEcrApi>();
        services.AddAWSService<IAmazonS3>();
        services.AddAWSService<Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement>();
        return services;
    }
}
