using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
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

    public static AwsOptions Options(AwsSimulator simulator, SimulatorCredentials? credentials = null) => new()
    {
        Region = simulator.Region,
        ServiceURL = simulator.BaseUrl.ToString(),
        Credentials = Credentials(credentials),
    };

    public static IEcsApi Ecs(EcsSimulator simulator, SimulatorCredentials? credentials = null, Action<ClientConfig>? configure = null) =>
        new AwsClientFactory(Options(simulator, credentials), configure).CreateEcs();

    public static ICloudFormationApi CloudFormation(CloudFormationSimulator simulator, SimulatorCredentials? credentials = null, Action<ClientConfig>? configure = null) =>
        new AwsClientFactory(Options(simulator, credentials), configure).CreateCloudFormation();

    /// <summary>
    /// Runs <paramref name="operation"/> (which waits on <paramref name="clock"/>) while advancing the clock in
    /// <paramref name="step"/>s, so a waiter's <c>Task.Delay(…, timeProvider)</c> and the simulator's state machine move together.
    /// </summary>
    public static async Task<T> DriveAsync<T>(ManualTimeProvider clock, Func<Task<T>> operation, TimeSpan step, int maxSteps = 5000)
    {
        var task = operation();
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            // Give the waiter a moment (real time) to send its request and arm its next delay before time moves on.
            await Task.WhenAny(task, Task.Delay(5, TestContext.Current.CancellationToken));
            if (!task.IsCompleted)
            {
                clock.Advance(step);
            }
        }

        return await task;
    }
}
