using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// The AWS clients of one command, built with <see cref="AwsClientFactory"/> from <c>--region</c> (else the spec's
/// region), <c>--profile</c> (else <c>AWS_PROFILE</c>), the <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>
/// variables, and the endpoint variables <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> then <c>AWS_ENDPOINT_URL</c>
/// (read from the command's <see cref="CliEnvironment"/>, with the SDK's names and precedence).
/// </summary>
internal sealed class AwsConnection : IDisposable
{
    private readonly List<IDisposable> _clients = [];

    public AwsConnection(CliEnvironment environment, string region, string? profile)
    {
        Environment = environment;
        Region = region;
        Profile = profile ?? environment.Variable("AWS_PROFILE");
    }

    public CliEnvironment Environment { get; }

    public string Region { get; }

    public string? Profile { get; }

    public IEcsApi Ecs() => Track(Factory("ECS").CreateEcs());

    public IElasticLoadBalancingV2Api LoadBalancing() => Track(Factory("ELASTIC_LOAD_BALANCING_V2").CreateElasticLoadBalancingV2());

    public ICloudWatchApi CloudWatch() => Track(Factory("CLOUDWATCH").CreateCloudWatch());

    public ICloudFormationApi CloudFormation(string region) => Track(Factory("CLOUDFORMATION", region).CreateCloudFormation());

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private AwsClientFactory Factory(string serviceEnvironmentName, string? region = null) => new(new AwsOptions
    {
        Region = region ?? Region,
        Profile = Credentials() is null ? Profile : null,
        Credentials = Credentials(),
        ServiceURL = Environment.Variable($"AWS_ENDPOINT_URL_{serviceEnvironmentName}") ?? Environment.Variable("AWS_ENDPOINT_URL"),
    });

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
            _clients.Add(disposable);
        }

        return client;
    }
}
