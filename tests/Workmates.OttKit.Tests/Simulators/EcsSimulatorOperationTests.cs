using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class EcsSimulatorOperationTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RegisterTaskDefinition_NewFamilyRevision_ReturnsArnInRealFormat()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var body = await bed.Client.EcsOkAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = "web",
            ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/web:2", ["memory"] = 512 }),
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "video" }),
        });

        var td = body["taskDefinition"]!;
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", td["taskDefinitionArn"]!.GetValue<string>());
        Assert.Equal(2, td["revision"]!.GetValue<int>());
        Assert.Equal("ACTIVE", td["status"]!.GetValue<string>());
        Assert.Equal("team", body["tags"]![0]!["key"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task RegisterTaskDefinition_WithoutContainers_IsClientException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("RegisterTaskDefinition", new JsonObject { ["family"] = "web", ["containerDefinitions"] = new JsonArray() });

        Assert.Equal(400, result.Status);
        Assert.Equal("ClientException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTaskDefinition_ByFamily_ReturnsLatestActiveRevision()
    {
        await using var bed = await EcsTestBed.StartAsync();
        bed.Simulator.RegisterTaskDefinition("web", "registry.example/web:2");

        var body = await bed.Client.EcsOkAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = "web" });

        Assert.Equal(2, body["taskDefinition"]!["revision"]!.GetValue<int>());
        Assert.Equal("registry.example/web:2", body["taskDefinition"]!["containerDefinitions"]![0]!["image"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTaskDefinition_Unknown_IsClientException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = "nope:7" });

        Assert.Equal("ClientException", result.ErrorType);
        Assert.Equal("Unable to describe task definition.", result.Message);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeregisterTaskDefinition_MakesRevisionInactive_AndFamilyResolvesToPrevious()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var second = bed.Simulator.RegisterTaskDefinition("web", "registry.example/web:2");

        var body = await bed.Client.EcsOkAsync("DeregisterTaskDefinition", new JsonObject { ["taskDefinition"] = second });
        var latest = await bed.Client.EcsOkAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = "web" });

        Assert.Equal("INACTIVE", body["taskDefinition"]!["status"]!.GetValue<string>());
        Assert.NotNull(body["taskDefinition"]!["deregisteredAt"]);
        Assert.Equal(1, latest["taskDefinition"]!["revision"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListTaskDefinitions_PagesThroughEveryRevisionWithNextToken()
    {
        await using var bed = await EcsTestBed.StartAsync();
        for (var i = 2; i <= 5; i++)
        {
            bed.Simulator.RegisterTaskDefinition("web", $"registry.example/web:{i}");
        }

        var arns = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new JsonObject { ["familyPrefix"] = "web", ["maxResults"] = 2 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var body = await bed.Client.EcsOkAsync("ListTaskDefinitions", request);
            arns.AddRange(body["taskDefinitionArns"]!.AsArray().Select(a => a!.GetValue<string>()));
            token = body["nextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"arn:aws:ecs:us-east-1:123456789012:task-definition/web:{i}"), arns);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListTaskDefinitions_InvalidToken_IsInvalidParameterException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("ListTaskDefinitions", new JsonObject { ["nextToken"] = "garbage!" });

        Assert.Equal("InvalidParameterException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServices_SeededService_IsSteadyWithOneCompletedPrimaryDeployment()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var service = await bed.ServiceAsync();

        Assert.Equal("ACTIVE", service["status"]!.GetValue<string>());
        Assert.Equal(2, service["runningCount"]!.GetValue<int>());
        var deployment = Assert.Single(service["deployments"]!.AsArray())!;
        Assert.Equal("PRIMARY", deployment["status"]!.GetValue<string>());
        Assert.Equal("COMPLETED", deployment["rolloutState"]!.GetValue<string>());
        Assert.StartsWith("ecs-svc/", deployment["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("(service web) has reached a steady state.", service["events"]![0]!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServices_UnknownService_IsReportedAsMissingFailure()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var body = await bed.Client.EcsOkAsync("DescribeServices", new JsonObject { ["cluster"] = "prod", ["services"] = new JsonArray("ghost") });

        Assert.Empty(body["services"]!.AsArray());
        Assert.Equal("MISSING", body["failures"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:service/prod/ghost", body["failures"]![0]!["arn"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServices_UnknownCluster_IsClusterNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("DescribeServices", new JsonObject { ["cluster"] = "staging", ["services"] = new JsonArray("web") });

        Assert.Equal("ClusterNotFoundException", result.ErrorType);
        Assert.Equal("Cluster not found.", result.Message);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_UnknownService_IsServiceNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "ghost", ["desiredCount"] = 1 });

        Assert.Equal("ServiceNotFoundException", result.ErrorType);
        Assert.Equal("Service not found.", result.Message);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_NewTaskDefinition_CreatesPrimaryAndDemotesOldToActive()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var arn = await bed.DeployImageAsync("registry.example/web:2");
        var service = await bed.ServiceAsync();

        var deployments = service["deployments"]!.AsArray();
        Assert.Equal(2, deployments.Count);
        Assert.Equal(("PRIMARY", arn, "IN_PROGRESS"), (deployments[0]!["status"]!.GetValue<string>(), deployments[0]!["taskDefinition"]!.GetValue<string>(), deployments[0]!["rolloutState"]!.GetValue<string>()));
        Assert.Equal(("ACTIVE", bed.FirstTaskDefinition), (deployments[1]!["status"]!.GetValue<string>(), deployments[1]!["taskDefinition"]!.GetValue<string>()));
        Assert.Equal(arn, service["taskDefinition"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_UnknownTaskDefinition_IsClientException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["taskDefinition"] = "web:99" });

        Assert.Equal("ClientException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UpdateService_DesiredCountOnly_ScalesWithoutNewDeployment()
    {
        await using var bed = await EcsTestBed.StartAsync();

        await bed.Client.EcsOkAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["desiredCount"] = 4 });
        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(2));
        var service = await bed.ServiceAsync();

        Assert.Single(service["deployments"]!.AsArray());
        Assert.Equal(4, service["runningCount"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListServiceDeployments_NewestFirst_WithStatusFilter()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:2");

        var all = await bed.Client.EcsOkAsync("ListServiceDeployments", new JsonObject { ["cluster"] = "prod", ["service"] = "web" });
        var inProgress = await bed.Client.EcsOkAsync("ListServiceDeployments", new JsonObject
        {
            ["cluster"] = "prod", ["service"] = "web", ["status"] = new JsonArray("PENDING", "IN_PROGRESS"),
        });

        var briefs = all["serviceDeployments"]!.AsArray();
        Assert.Equal(2, briefs.Count);
        Assert.Equal("PENDING", briefs[0]!["status"]!.GetValue<string>());
        Assert.Equal("SUCCESSFUL", briefs[1]!["status"]!.GetValue<string>());
        Assert.Single(inProgress["serviceDeployments"]!.AsArray());
        Assert.StartsWith("arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/", briefs[0]!["serviceDeploymentArn"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListServiceDeployments_UnknownService_IsServiceNotFoundException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("ListServiceDeployments", new JsonObject { ["cluster"] = "prod", ["service"] = "ghost" });

        Assert.Equal("ServiceNotFoundException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServiceDeployments_UnknownArn_IsMissingFailure()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var body = await bed.Client.EcsOkAsync("DescribeServiceDeployments", new JsonObject
        {
            ["serviceDeploymentArns"] = new JsonArray("arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/nope"),
        });

        Assert.Equal("MISSING", body["failures"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServiceDeployments_InFlight_NamesSourceAndTargetRevisions()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:2");
        var service = await bed.ServiceAsync();

        var sd = await bed.ServiceDeploymentAsync(service["currentServiceDeployment"]!.GetValue<string>());

        var revisions = service["currentServiceRevisions"]!.AsArray().Select(r => r!["arn"]!.GetValue<string>()).ToList();
        Assert.Equal(revisions[0], sd["targetServiceRevision"]!["arn"]!.GetValue<string>());
        Assert.Equal(revisions[1], sd["sourceServiceRevisions"]![0]!["arn"]!.GetValue<string>());
        Assert.Equal(2, sd["sourceServiceRevisions"]![0]!["runningTaskCount"]!.GetValue<int>());
        Assert.Equal("MONITORING", sd["deploymentCircuitBreaker"]!["status"]!.GetValue<string>());
        Assert.Equal(3, sd["deploymentCircuitBreaker"]!["threshold"]!.GetValue<int>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeServiceRevisions_ReturnsTaskDefinitionAndImages()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var service = await bed.ServiceAsync();
        var revisionArn = service["currentServiceRevisions"]![0]!["arn"]!.GetValue<string>();

        var body = await bed.Client.EcsOkAsync("DescribeServiceRevisions", new JsonObject { ["serviceRevisionArns"] = new JsonArray(revisionArn, "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/1") });

        var revision = body["serviceRevisions"]![0]!;
        Assert.Equal(bed.FirstTaskDefinition, revision["taskDefinition"]!.GetValue<string>());
        Assert.Equal("registry.example/web:1", revision["containerImages"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("MISSING", body["failures"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListTasks_PagesRunningTasksOfService()
    {
        await using var bed = await EcsTestBed.StartAsync(s => s with { DesiredCount = 5 });

        var first = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["serviceName"] = "web", ["maxResults"] = 3 });
        var second = await bed.Client.EcsOkAsync("ListTasks", new JsonObject
        {
            ["cluster"] = "prod", ["serviceName"] = "web", ["maxResults"] = 3, ["nextToken"] = first["nextToken"]!.GetValue<string>(),
        });

        Assert.Equal(3, first["taskArns"]!.AsArray().Count);
        Assert.Equal(2, second["taskArns"]!.AsArray().Count);
        Assert.Null(second["nextToken"]);
        Assert.All(first["taskArns"]!.AsArray(), a => Assert.Matches("^arn:aws:ecs:us-east-1:123456789012:task/prod/[0-9a-f]{32}$", a!.GetValue<string>()));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeTasks_RunningTask_HasHealthAndStartedBy()
    {
        await using var bed = await EcsTestBed.StartAsync();
        var list = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["serviceName"] = "web" });
        var arn = list["taskArns"]![0]!.GetValue<string>();

        var body = await bed.Client.EcsOkAsync("DescribeTasks", new JsonObject { ["cluster"] = "prod", ["tasks"] = new JsonArray(arn, "0123") });

        var task = body["tasks"]![0]!;
        Assert.Equal(("RUNNING", "RUNNING", "HEALTHY"), (task["lastStatus"]!.GetValue<string>(), task["desiredStatus"]!.GetValue<string>(), task["healthStatus"]!.GetValue<string>()));
        Assert.Equal("service:web", task["group"]!.GetValue<string>());
        Assert.StartsWith("ecs-svc/", task["startedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("MISSING", body["failures"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task UnknownOperation_IsReportedWithUnknownOperationException()
    {
        await using var bed = await EcsTestBed.StartAsync();

        var result = await bed.Client.EcsAsync("CreateCapacityProvider", []);

        Assert.Equal("UnknownOperationException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListTasks_StartedByDeployment_ListsOnlyThatDeploymentsTasks()
    {
        await using var bed = await EcsTestBed.StartAsync();
        await bed.DeployImageAsync("registry.example/web:2");
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(10));
        var primary = (await bed.ServiceAsync())["deployments"]![0]!["id"]!.GetValue<string>();

        var list = await bed.Client.EcsOkAsync("ListTasks", new JsonObject { ["cluster"] = "prod", ["startedBy"] = primary });
        var tasks = await bed.Client.EcsOkAsync("DescribeTasks", new JsonObject { ["cluster"] = "prod", ["tasks"] = list["taskArns"]!.DeepClone() });

        Assert.Equal(2, tasks["tasks"]!.AsArray().Count);
        Assert.All(tasks["tasks"]!.AsArray(), t => Assert.Equal(primary, t!["startedBy"]!.GetValue<string>()));
    }
}
