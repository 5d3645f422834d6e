using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>An ECS simulator with service "web" in cluster "prod" (image registry.example/web:1, two tasks), our ECS client on it, and a driven clock.</summary>
internal sealed class DeployTestBed : IAsyncDisposable
{
    private DeployTestBed(EcsSimulator simulator, string first)
    {
        Simulator = simulator;
        FirstTaskDefinition = first;
        Clock = new DrivenClock(simulator.Clock);
        Ecs = new AwsClientFactory(new AwsOptions
        {
            Region = simulator.Region,
            ServiceURL = simulator.BaseUrl.ToString(),
            Credentials = new BasicAWSCredentials(SimulatorCredentials.Default.AccessKeyId, SimulatorCredentials.Default.SecretAccessKey),
        }).CreateEcs();
    }

    public EcsSimulator Simulator { get; }

    public string FirstTaskDefinition { get; }

    public DrivenClock Clock { get; }

    public IEcsApi Ecs { get; }

    public List<DeploymentEvent> Events { get; } = [];

    public static async Task<DeployTestBed> StartAsync(Func<EcsServiceSeed, EcsServiceSeed>? configure = null, int faultSeed = 12345)
    {
        var simulator = await EcsSimulator.StartAsync(
            new AwsSimulatorOptions { Clock = new ManualTimeProvider(), Faults = new FaultInjector(faultSeed) },
            cancellationToken: TestContext.Current.CancellationToken);
        var first = simulator.RegisterTaskDefinition("web", "registry.example/web:1");
        simulator.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
        simulator.SetImageBehavior(":alarming", ImageBehavior.TripsAlarm);
        simulator.SetImageBehavior(":slow", ImageBehavior.Slow(TimeSpan.FromMinutes(20)));
        var seed = new EcsServiceSeed { Cluster = "prod", ServiceName = "web", TaskDefinition = first };
        simulator.CreateService(configure is null ? seed : configure(seed));
        return new DeployTestBed(simulator, first);
    }

    public ServiceDeployer NewDeployer() => new(Ecs, Clock);

    public ServiceDeployOptions Options(Action<ServiceDeployOptions>? configure = null)
    {
        var options = new ServiceDeployOptions { Progress = new Collector(Events) };
        configure?.Invoke(options);
        return options;
    }

    public Task<ServiceDeploymentResult> RunAsync(Task<ServiceDeploymentResult> work) => Clock.RunAsync(work);

    /// <summary>Starts a deployment of <paramref name="image"/> behind the deployer's back (as another pipeline would).</summary>
    public async Task<string> DeployBehindTheBackAsync(string image)
    {
        var arn = Simulator.RegisterTaskDefinition("web", image);
        await Ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "prod", Service = "web", TaskDefinition = arn }, TestContext.Current.CancellationToken);
        return arn;
    }

    public IReadOnlyList<string> Calls() => Simulator.Requests.Entries.Select(e => e.Operation).ToList();

    public async ValueTask DisposeAsync()
    {
        (Ecs as IDisposable)?.Dispose();
        await Simulator.DisposeAsync();
    }

    private sealed class Collector(List<DeploymentEvent> sink) : IProgress<DeploymentEvent>
    {
        public void Report(DeploymentEvent value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
