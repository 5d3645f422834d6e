using Workmates.OttKit.Tests.Aws;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Deployment;

/// <summary>
/// CloudFormation simulators (one per region, on one virtual clock), an ECS simulator linked to the home region's
/// CloudFormation, a loopback object store for template artifacts, our clients on all of them, and a driven clock.
/// </summary>
internal sealed class StackTestBed : IAsyncDisposable
{
    public const string Home = "us-east-1";

    private readonly ConcurrentDictionary<string, ICloudFormationApi> _cfnClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IEcsApi> _ecsClients = new(StringComparer.Ordinal);

    private StackTestBed(VirtualClock clock, IReadOnlyDictionary<string, CloudFormationSimulator> cfn, EcsSimulator ecs, LoopbackArtifactStore artifacts)
    {
        Clock = clock;
        CloudFormation = cfn;
        Ecs = ecs;
        Artifacts = artifacts;
    }

    /// <summary>The one virtual clock of the simulators and the deployer.</summary>
    public VirtualClock Clock { get; }

    public IReadOnlyDictionary<string, CloudFormationSimulator> CloudFormation { get; }

    public CloudFormationSimulator Cfn => CloudFormation[Home];

    public EcsSimulator Ecs { get; }

    public LoopbackArtifactStore Artifacts { get; }

    public List<StackDeploymentEvent> Events { get; } = [];

    public static async Task<StackTestBed> StartAsync(CloudFormationScenario? scenario = null, params string[] otherRegions)
    {
        var clock = new VirtualClock();
        var ct = TestContext.Current.CancellationToken;
        var cfn = new Dictionary<string, CloudFormationSimulator>(StringComparer.Ordinal);
        foreach (var region in new[] { Home }.Concat(otherRegions))
        {
            cfn[region] = await CloudFormationSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock, Region = region }, scenario, ct);
        }

        var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock, Region = Home }, cancellationToken: ct);
        cfn[Home].AttachEcs(ecs);
        return new StackTestBed(clock, cfn, ecs, await LoopbackArtifactStore.StartAsync());
    }

    public ICloudFormationApi CloudFormationClient(string region) => _cfnClients.GetOrAdd(region, r => Factory(CloudFormation[r], Clock).CreateCloudFormation());

    public IEcsApi EcsClient(string region) => _ecsClients.GetOrAdd(region, _ => Factory(Ecs, Clock).CreateEcs());

    public StackDeployer NewDeployer(ITemplateArtifactStore? store = null) => new(CloudFormationClient, EcsClient, store ?? Artifacts, Clock);

    public StackDeployOptions Options(Action<StackDeployOptions>? configure = null)
    {
        var options = new StackDeployOptions { Progress = new Collector(Events) };
        configure?.Invoke(options);
        return options;
    }

    public Task<T> RunAsync<T>(Task<T> work) => Clock.RunAsync(work, TimeSpan.FromHours(6), TestContext.Current.CancellationToken);

    public Task<StackSetDeploymentResult> DeployAsync(StackSet set, Action<StackDeployOptions>? configure = null, ITemplateArtifactStore? store = null) =>
        RunAsync(NewDeployer(store).DeployAsync(set, Options(o =>
        {
            o.Execute = true;
            configure?.Invoke(o);
        }), TestContext.Current.CancellationToken));

    public IReadOnlyList<string> Calls(string region = Home) => CloudFormation[region].Requests.Entries.Select(e => e.Operation).ToList();

    public void ClearLogs()
    {
        foreach (var simulator in CloudFormation.Values)
        {
            simulator.Requests.Clear();
        }

        Ecs.Requests.Clear();
        lock (Events)
        {
            Events.Clear();
        }
    }

    public List<StackDeploymentEvent> EventsOf(string stack)
    {
        lock (Events)
        {
            return Events.Where(e => e.StackName == stack).ToList();
        }
    }

    /// <summary>A stack whose parameters are read from its template (name, type, default).</summary>
    public static Stack StackOf(string name, string templateJson, string region = Home, IReadOnlyList<string>? dependsOn = null, IReadOnlyDictionary<string, StackOutputReference>? valueFrom = null)
    {
        var template = Template.Parse(templateJson);
        var root = JsonNode.Parse(templateJson)!.AsObject();
        var parameters = (root["Parameters"] as JsonObject ?? [])
            .Select(p => new StackParameter(p.Key, p.Value!["Type"]!.ToString(), p.Value["Default"]?.ToString(), null, valueFrom?.GetValueOrDefault(p.Key)))
            .ToList();
        return new Stack(name, region, template, parameters, [], [], dependsOn ?? []);
    }

    public static StackSet SetOf(params Stack[] stacks) => new("prod", Home, stacks);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _cfnClients.Values.Cast<object>().Concat(_ecsClients.Values))
        {
            (client as IDisposable)?.Dispose();
        }

        foreach (var simulator in CloudFormation.Values)
        {
            await simulator.DisposeAsync();
        }

        await Ecs.DisposeAsync();
        await Artifacts.DisposeAsync();
    }

    private static AwsClientFactory Factory(AwsSimulator simulator, VirtualClock clock) => new(
        new TestAwsOptions
        {
            Region = simulator.Region,
            ServiceURL = simulator.BaseUrl.ToString(),
            Credentials = new BasicAWSCredentials(SimulatorCredentials.Default.AccessKeyId, SimulatorCredentials.Default.SecretAccessKey),
        },
        config => config.HttpClientFactory = clock.AwsHttpClientFactory());

    private sealed class Collector(List<StackDeploymentEvent> sink) : IProgress<StackDeploymentEvent>
    {
        public void Report(StackDeploymentEvent value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}

/// <summary>A template artifact store on a loopback HTTP server (objects in memory, served by GET as S3 would).</summary>
internal sealed class LoopbackArtifactStore : ITemplateArtifactStore, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _objects;

    private LoopbackArtifactStore(WebApplication app, ConcurrentDictionary<string, string> objects, Uri baseUrl)
    {
        _app = app;
        _objects = objects;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IReadOnlyCollection<string> Keys => [.. _objects.Keys.Order(StringComparer.Ordinal)];

    public string this[string key] => _objects[key];

    public static async Task<LoopbackArtifactStore> StartAsync()
    {
        var objects = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (objects.TryGetValue(context.Request.Path.Value!.TrimStart('/'), out var body))
            {
                await context.Response.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        await app.StartAsync();
        return new LoopbackArtifactStore(app, objects, new Uri(app.Urls.First()));
    }

    public Task<Uri> UploadAsync(string key, string body, CancellationToken cancellationToken = default)
    {
        _objects[key] = body;
        return Task.FromResult(new Uri(BaseUrl, key));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
