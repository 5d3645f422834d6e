using System.Text.Json.Nodes;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>Every ECS simulator response of a broad scripted session, checked against the output shapes of ecs/service-2.json.</summary>
public sealed class EcsModelConformanceTests
{
    private static readonly HashSet<string> GenericErrors =
        ["ThrottlingException", "InvalidSignatureException", "UnrecognizedClientException", "IncompleteSignatureException", "MissingAuthenticationTokenException", "ServiceUnavailable", "UnknownOperationException"];

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task EveryResponse_ConformsToTheOutputShapeOfItsOperation()
    {
        var model = ModelShapeChecker.Load("ecs");
        await using var bed = await EcsTestBed.StartAsync(s => s with { Alarms = ["web-5xx"], DesiredCount = 3 });
        var client = bed.Client;

        await client.EcsAsync("ListTaskDefinitions", new JsonObject { ["maxResults"] = 1 });
        await client.EcsAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = "web:1", ["include"] = new JsonArray("TAGS") });
        await client.EcsAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = "ghost:1" });
        await bed.DeployImageAsync("registry.example/web:bad");
        for (var i = 0; i < 40; i++)
        {
            bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(20));
            await Snapshot(bed);
        }

        await bed.DeployImageAsync("registry.example/web:alarming");
        await bed.RunUntilTerminalAsync();
        await Snapshot(bed);
        var revision = await bed.DeployImageAsync("registry.example/web:2");
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(30));
        var current = (await bed.ServiceAsync())["currentServiceDeployment"]!.GetValue<string>();
        await client.EcsAsync("StopServiceDeployment", new JsonObject { ["serviceDeploymentArn"] = current, ["stopType"] = "ROLLBACK" });
        await bed.RunUntilTerminalAsync();
        await Snapshot(bed);
        await client.EcsAsync("DeregisterTaskDefinition", new JsonObject { ["taskDefinition"] = revision });
        await client.EcsAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "ghost" });
        await client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "nope", ["services"] = new JsonArray("web") });

        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var (operation, status, json, _) in client.Responses)
        {
            checkedCount++;
            if (status == 200)
            {
                failures.AddRange(model.CheckJson(operation, json).Select(p => $"{operation}: {p}"));
            }
            else
            {
                var code = json!["__type"]?.GetValue<string>() ?? "(none)";
                if (!model.IsModelledError(operation, code) && !GenericErrors.Contains(code))
                {
                    failures.Add($"{operation}: error {code} is neither modelled for the operation nor a generic AWS error");
                }

                failures.AddRange(json.Select(p => p.Key).Except(["__type", "message"]).Select(k => $"{operation}: unexpected error member {k}"));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"ECS responses checked against the model: {checkedCount}, operations: {client.Responses.Select(r => r.Operation).Distinct().Count()}, failures: {failures.Count}");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Distinct().Take(50)));
        Assert.Equal(12, client.Responses.Select(r => r.Operation).Distinct().Count());
    }

    private static async Task Snapshot(EcsTestBed bed)
    {
        var service = await bed.ServiceAsync();
        var deployments = await bed.Client.EcsOkAsync("ListServiceDeployments", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["maxResults"] = 5 });
        var arns = new JsonArray(deployments["serviceDeployments"]!.AsArray().Select(d => (JsonNode)JsonValue.Create(d!["serviceDeploymentArn"]!.GetValue<string>())).ToArray());
        await bed.Client.EcsOkAsync("DescribeServiceDeployments", new JsonObject { ["serviceDeploymentArns"] = arns });
        var revisions = new JsonArray(service["currentServiceRevisions"]!.AsArray().Select(r => (JsonNode)JsonValue.Create(r!["arn"]!.GetValue<string>())).ToArray());
        await bed.Client.EcsOkAsync("DescribeServiceRevisions", new JsonObject { ["serviceRevisionArns"] = revisions });
        foreach (var status in new[] { "RUNNING", "STOPPED" })
        {
            var tasks = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["serviceName"] = "web", ["desiredStatus"] = status, ["maxResults"] = 100 });
            var arnsOfTasks = tasks["taskArns"]!.AsArray().Take(100).Select(a => (JsonNode)JsonValue.Create(a!.GetValue<string>())).ToArray();
            if (arnsOfTasks.Length > 0)
            {
                await bed.Client.EcsOkAsync("DescribeTasks", new JsonObject { ["cluster"] = "prod", ["tasks"] = new JsonArray(arnsOfTasks) });
            }
        }
    }
}
