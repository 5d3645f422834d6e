using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecr;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// The AWS clients of one command, built with <see cref="AwsClientFactory"/> from <c>--region</c> (else the spec's
/// region), <c>--profile</c> (else <c>AWS_PROFILE</c>), the <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>
/// variables, <c>AWS_SHARED_CREDENTIALS_FILE</c>, and the endpoint variables <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> then
/// <c>AWS_ENDPOINT_URL</c> (read from the command's <see cref="CliEnvironment"/>, with the SDK's names and precedence).
/// SSO and assume-role profiles work because the tool ships the SDK's SSO, SSO-OIDC and STS assemblies, which the
/// credential chain loads by name.
/// </summary>
internal sealed class AwsConnection : IDisposable
{
    private readonly List<IDisposable> _clients = [];
    private readonly Lock _gate = new();

    public AwsConnection(CliEnvironment environment, string region, string? profile)
    {
        Environment = environment;
        Region = region;
        Profile = profile ?? environment.Variable("AWS_PROFILE");
    }

    public CliEnvironment Environment { get; }

    public string Region { get; }

    public string? Profile { get; }

    /// <summary>
    /// Checks what can be checked before any call: the region is one of the partition's, the profile exists, and some
    /// source of credentials is configured. Returns the failure to report, or null.
    /// </summary>
    public CliFailure? Check(string partitionOf)
    {
        if (RegionProblem(Region, partitionOf) is { } problem)
        {
            return new CliFailure(FailureKind.UserMistake, "bad-region", problem);
        }

        if (Credentials() is not null)
        {
            return null;
        }

        var chain = new CredentialProfileStoreChain(ProfilesLocation);
        if (Profile is not null)
        {
            return chain.TryGetProfile(Profile, out _)
                ? null
                : new CliFailure(FailureKind.UserMistake, "unknown-profile",
                    $"AWS profile '{Profile}' was not found in the shared config or credentials files. Create it with 'aws configure --profile {Profile}' (or 'aws configure sso'), or pass another --profile.");
        }

        // Without keys or a profile the SDK's chain goes on to web identity, containers and the instance metadata
        // service; with all of them ruled out by the environment, say so now instead of after the metadata timeouts.
        var noOtherSource = Environment.Variable("AWS_WEB_IDENTITY_TOKEN_FILE") is null
            && Environment.Variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is null
            && Environment.Variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") is null
            && string.Equals(Environment.Variable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)
            && !chain.TryGetProfile("default", out _);
        return noOtherSource
            ? new CliFailure(FailureKind.UserMistake, "credentials",
                "no AWS credentials: no AWS_ACCESS_KEY_ID, no --profile or AWS_PROFILE, no default profile, no web identity or container credentials, and the instance metadata service is disabled. Set AWS_PROFILE or pass --profile NAME (after 'aws sso login' if it is an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions use aws-actions/configure-aws-credentials.")
            : null;
    }

    /// <summary>
    /// Null when <paramref name="region"/> is a region of the same partition as <paramref name="partitionOf"/> (the
    /// spec's home region), else a message naming the regions there are.
    /// </summary>
    public static string? RegionProblem(string region, string partitionOf)
    {
        // The SDK also lists endpoint aliases (us-east-1-regional): only region codes count.
        var known = RegionEndpoint.EnumerableAllRegions.Where(r => !r.SystemName.EndsWith("-regional", StringComparison.Ordinal)).ToList();
        var home = known.FirstOrDefault(r => string.Equals(r.SystemName, partitionOf, StringComparison.Ordinal));
        var partition = home?.PartitionName ?? "aws";
        var regions = known.Where(r => string.Equals(r.PartitionName, partition, StringComparison.Ordinal)).Select(r => r.SystemName).Order(StringComparer.Ordinal).ToList();
        if (regions.Contains(region, StringComparer.Ordinal))
        {
            return null;
        }

        var other = known.FirstOrDefault(r => string.Equals(r.SystemName, region, StringComparison.Ordinal));
        return other is not null
            ? $"--region {region} is in the {other.PartitionName} partition, but the environment lives in {partition} ({partitionOf}). Use a region of the {partition} partition: {string.Join(", ", regions)}."
            : $"--region '{region}' is not an AWS region. Use one of the {partition} regions: {string.Join(", ", regions)}.";
    }

    public IEcsApi Ecs(string? region = null) => Track(Factory("ECS", region).CreateEcs());

    public IEcrApi Ecr(string? region = null) => Track(Factory("ECR", region).CreateEcr());

    public IElasticLoadBalancingV2Api LoadBalancing() => Track(Factory("ELASTIC_LOAD_BALANCING_V2").CreateElasticLoadBalancingV2());

    public ICloudWatchApi CloudWatch() => Track(Factory("CLOUDWATCH").CreateCloudWatch());

    public ICloudFormationApi CloudFormation(string region) => Track(Factory("CLOUDFORMATION", region).CreateCloudFormation());

    public IAmazonS3 S3(string? region = null) => Track(Factory("S3", region).CreateS3());

    public Amazon.SimpleSystemsManagement.IAmazonSimpleSystemsManagement Ssm() => Track(Factory("SSM").CreateSimpleSystemsManagement());

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }

    private string? ProfilesLocation => Environment.Variable("AWS_SHARED_CREDENTIALS_FILE");

    /// <summary>The SDK's <see cref="AWSOptions"/> of one command (what <c>GetAWSOptions</c> would bind from a section).</summary>
    internal static AWSOptions Options(string? region, AWSCredentials? credentials, string? profile, string? profilesLocation, string? serviceUrl)
    {
        var options = new AWSOptions
        {
            Region = string.IsNullOrEmpty(region) ? null : RegionEndpoint.GetBySystemName(region),
            Credentials = credentials,
            Profile = profile,
            ProfilesLocation = profilesLocation,
        };
        options.DefaultClientConfig.ServiceURL = serviceUrl;
        return options.SignForConfiguredRegion();
    }

    private AwsClientFactory Factory(string serviceEnvironmentName, string? region = null) => new(Options(
        region ?? Region,
        Credentials(),
        Credentials() is null ? Profile : null,
        ProfilesLocation,
        Environment.Variable($"AWS_ENDPOINT_URL_{serviceEnvironmentName}") ?? Environment.Variable("AWS_ENDPOINT_URL")));

    // Static keys from the variables win over a profile, as in the SDK's own chain; null leaves the choice to the SDK.
    private AWSCredentials? Credentials()
    {
        if (Profile is not null && Environment.Variable("AWS_ACCESS_KEY_ID") is null)
        {
            return null;
        }

        var key = Environment.Variable("AWS_ACCESS_KEY_ID");
        var secret = Environment.Variable("AWS_SECRET_ACCESS_KEY");
        if (key is null || secret is null)
        {
            return null;
        }

        return Environment.Variable("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(key, secret, token) : new BasicAWSCredentials(key, secret);
    }

    private T Track<T>(T client)
    {
        if (client is IDisposable disposable)
        {
            // Stacks deploy in parallel, and each asks for its region's clients.
            lock (_gate)
            {
                _clients.Add(disposable);
            }
        }

        return client;
    }
}
