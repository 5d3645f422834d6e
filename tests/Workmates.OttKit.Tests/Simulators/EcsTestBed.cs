using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>An ECS simulator with one seeded service ("web" in cluster "prod", image web:1, two tasks) and a signed wire client.</summary>
internal sealed class EcsTestBed : IAsyncDisposable
{
    private EcsTestBed(EcsSimulator simulator)
    {
        Simulator = simulator;
        Client = new SignedAwsClient(simulator);
    }

    public EcsSimulator Simulator { get; }

    public SignedAwsClient Client { get; }

    public string FirstTaskDefinition { get; private set; } = string.Empty;

    public static async Task<EcsTestBed> StartAsync(Func<EcsServiceSeed, EcsServiceSeed>? configure = null, AwsSimulatorOptions? options = null)
    {
        var simulator = await EcsSimulator.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var bed = new EcsTestBed(simulator);
        bed.FirstTaskDefinition = simulator.RegisterTaskDefinition("web", "registry.example/web:1");
        simulator.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
        simulator.SetImageBehavior(":alarming", ImageBehavior.TripsAlarm);
        simulator.SetImageBehavior(":unhealthy", ImageBehavior.FailsHealthChecks);
        simulator.SetImageBehavior(":slow", ImageBehavior.Slow(TimeSpan.FromMinutes(10)));
        var seed = new EcsServiceSeed { Cluster = "prod", ServiceName = "web", TaskDefinition = bed.FirstTaskDefinition };
        simulator.CreateService(configure is null ? seed : configure(seed));
        return bed;
    }

    /// <summary>Registers web with a new image over the wire and updates the service to it; returns the new task definition ARN.</summary>
    public async Task<string> DeployImageAsync(string image)
    {
        var registered = await Client.EcsOkAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = "web",
            ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image, ["memory"] = 512, ["essential"] = true }),
        });
        var arn = registered["taskDefinition"]!["taskDefinitionArn"]!.GetValue<string>();
        await Client.EcsOkAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["taskDefinition"] = arn });
        return arn;
    }

    public async Task<JsonObject> ServiceAsync()
    {
        var body = await Client.EcsOkAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("web") });
        return (JsonObject)body["services"]![0]!;
    }

    public async Task<JsonObject> ServiceDeploymentAsync(string arn)
    {
        var body = await Client.EcsOkAsync("DescribeServiceDeployments", new JsonObject { ["serviceDeploymentArns"] = new JsonArray(arn) });
        return (JsonObject)body["serviceDeployments"]![0]!;
    }

    /// <summary>Advances the virtual clock in steps until the current service deployment is terminal; returns it.</summary>
    public async Task<JsonObject> RunUntilTerminalAsync(TimeSpan? limit = null)
    {
        var arn = (await ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();
        var deadline = Simulator.Clock.GetUtcNow() + (limit ?? TimeSpan.FromHours(1));
        while (true)
        {
            var sd = await ServiceDeploymentAsync(arn);
            if (sd["status"]!.GetValue<string>() is "SUCCESSFUL" or "STOPPED" or "ROLLBACK_SUCCESSFUL" or "ROLLBACK_FAILED"
                || Simulator.Clock.GetUtcNow() >= deadline)
            {
                return sd;
            }

            Simulator.Clock.Advance(TimeSpan.FromSeconds(15));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
