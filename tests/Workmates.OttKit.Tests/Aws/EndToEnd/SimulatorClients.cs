using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Aws.EndToEnd;

/// <summary>Our clients built by <see cref="AwsClientFactory"/> and pointed at a simulator (ServiceURL, test credentials, its region).</summary>
internal static class SimulatorClients
{
    public static AWSCredentials Credentials(SimulatorCredentials? credentials = null)
    {
        var c = credentials ?? SimulatorCredentials.Default;
        return new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey);
    }

    public static TestAwsOptions Options(AwsSimulator simulator, SimulatorCredentials? credentials = null) => new()
    {
        Region = simulator.Region,
        ServiceURL = simulator.BaseUrl.ToString(),
        Credentials = Credentials(credentials),
    };

    public static IEcsApi Ecs(EcsSimulator simulator, SimulatorCredentials? credentials = null, Action<ClientConfig>? configure = null) =>
        new AwsClientFactory(Options(simulator, credentials), configure).CreateEcs();

    public static ICloudFormationApi CloudFormation(CloudFormationSimulator simulator, SimulatorCredentials? credentials = null, Action<ClientConfig>? configure = null) =>
        new AwsClientFactory(Options(simulator, credentials), configure).CreateCloudFormation();

    /// <summary>Runs <paramref name="operation"/> (which waits on <paramref name="clock"/>) under <see cref="VirtualClock.RunAsync{T}(Task{T}, TimeSpan?, CancellationToken)"/>.</summary>
    public static Task<T> DriveAsync<T>(VirtualClock clock, Func<Task<T>> operation) =>
        clock.RunAsync(operation(), TimeSpan.FromDays(2), TestContext.Current.CancellationToken);
}
