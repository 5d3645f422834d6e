using Workmates.OttKit.Tests.Aws;
using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>
/// An ECS simulator with service "web" in cluster "prod" (image registry.example/web:1, two tasks, target group
/// <see cref="TargetGroupArn"/>), the ELBv2 and CloudWatch simulators over it, our clients on them, and a driven clock.
/// </summary>
internal sealed class DeployTestBed : IAsyncDisposable
{
    public const string TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/prod-web/0123456789abcdef";

    private DeployTestBed(EcsSimulator simulator, ElbV2Simulator elb, CloudWatchSimulator cloudWatch, string first)
    {
        Simulator = simulator;
        Elb = elb;
        CloudWatch = cloudWatch;
        FirstTaskDefinition = first;
        Clock = simulator.Clock;
        Ecs = new AwsClientFactory(Options(simulator), Tracked).CreateEcs();
        ElbClient = new AwsClientFactory(Options(elb), Tracked).CreateElasticLoadBalancingV2();
        CloudWatchClient = new AwsClientFactory(Options(cloudWatch), Tracked).CreateCloudWatch();
    }

    public EcsSimulator Simulator { get; }

    public ElbV2Simulator Elb { get; }

    public CloudWatchSimulator CloudWatch { get; }

    public Workmates.OttKit.Aws.ElasticLoadBalancingV2.IElasticLoadBalancingV2Api ElbClient { get; }

    public Workmates.OttKit.Aws.CloudWatch.ICloudWatchApi CloudWatchClient { get; }

    public static TestAwsOptions Options(AwsSimulator simulator, SimulatorCredentials? credentials = null) => new()
    {
        Region = simulator.Region,
        ServiceURL = simulator.BaseUrl.ToString(),
        Credentials = new BasicAWSCredentials((credentials ?? SimulatorCredentials.Default).AccessKeyId, (credentials ?? SimulatorCredentials.Default).SecretAccessKey),
    };

    public string FirstTaskDefinition { get; }

    /// <summary>The simulators' virtual clock, which the deployer also waits on.</summary>
    public VirtualClock Clock { get; }

    public IEcsApi Ecs { get; }

    public List<DeploymentEvent> Events { get; } = [];

    public static async Task<DeployTestBed> StartAsync(Func<EcsServiceSeed, EcsServiceSeed>? configure = null, int faultSeed = 12345)
    {
        var simulator = await EcsSimulator.StartAsync(
            new AwsSimulatorOptions { Clock = new VirtualClock(), Faults = new FaultInjector(faultSeed) },
            cancellationToken: TestContext.Current.CancellationToken);
        var first = simulator.RegisterTaskDefinition("web", "registry.example/web:1");
        simulator.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
        simulator.SetImageBehavior(":alarming", ImageBehavior.TripsAlarm);
        simulator.SetImageBehavior(":slow", ImageBehavior.Slow(TimeSpan.FromMinutes(20)));
        simulator.SetImageBehavior(":unhealthy", ImageBehavior.FailsTargetHealthChecks);
        var seed = new EcsServiceSeed { Cluster = "prod", ServiceName = "web", TaskDefinition = first, TargetGroupArn = TargetGroupArn };
        simulator.CreateService(configure is null ? seed : configure(seed));
        var elb = await ElbV2Simulator.StartAsync(simulator, new FaultInjector(faultSeed + 1), TestContext.Current.CancellationToken);
        var cloudWatch = await CloudWatchSimulator.StartAsync(simulator, new FaultInjector(faultSeed + 2), TestContext.Current.CancellationToken);
        return new DeployTestBed(simulator, elb, cloudWatch, first);
    }

    /// <summary>A deployer with all three clients (ECS, ELBv2, CloudWatch).</summary>
    public ServiceDeployer NewDeployer() => new(Ecs, ElbClient, CloudWatchClient, Clock);

    /// <summary>A deployer that only talks to ECS.</summary>
    public ServiceDeployer NewEcsOnlyDeployer() => new(Ecs, Clock);

    /// <summary>Adds the same fault rules to all three endpoints.</summary>
    public void InjectEverywhere(params FaultRule[] rules)
    {
        foreach (var rule in rules)
        {
            Simulator.Faults.Add(rule);
            Elb.Faults.Add(rule);
            CloudWatch.Faults.Add(rule);
        }
    }

    /// <summary>Every request to the three endpoints, in arrival order.</summary>
    public IReadOnlyList<SimulatorRequest> AllRequests() =>
        [.. Simulator.Requests.Entries.Concat(Elb.Requests.Entries).Concat(CloudWatch.Requests.Entries).OrderBy(r => r.Time).ThenBy(r => r.Sequence)];

    public ServiceDeployOptions Options(Action<ServiceDeployOptions>? configure = null)
    {
        var options = new ServiceDeployOptions { Progress = new Collector(Events) };
        configure?.Invoke(options);
        return options;
    }

    public Task<ServiceDeploymentResult> RunAsync(Task<ServiceDeploymentResult> work) => Clock.RunAsync(work, cancellationToken: TestContext.Current.CancellationToken);

    private void Tracked(ClientConfig config) => config.HttpClientFactory = Clock.AwsHttpClientFactory();

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
        (ElbClient as IDisposable)?.Dispose();
        (CloudWatchClient as IDisposable)?.Dispose();
        await Elb.DisposeAsync();
        await CloudWatch.DisposeAsync();
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
