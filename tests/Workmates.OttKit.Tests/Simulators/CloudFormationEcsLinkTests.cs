using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>With <see cref="CloudFormationSimulator.AttachEcs"/>, stack operations on ECS resources act on the ECS simulator, as in AWS.</summary>
public sealed class CloudFormationEcsLinkTests
{
    private const string ServicesTemplate = """
        {
          "Parameters": { "Image": { "Type": "String" }, "LogRetention": { "Type": "Number", "Default": "30" } },
          "Resources": {
            "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterName": "prod" } },
            "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": { "Ref": "LogRetention" } } },
            "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
              "Family": "web", "Cpu": "256", "Memory": "512",
              "ContainerDefinitions": [ { "Name": "app", "Image": { "Ref": "Image" }, "Memory": "512", "Essential": "true" } ] } },
            "Service": { "Type": "AWS::ECS::Service", "Properties": {
              "Cluster": { "Ref": "Cluster" }, "ServiceName": "web", "TaskDefinition": { "Ref": "Task" }, "DesiredCount": 2,
              "DeploymentConfiguration": { "DeploymentCircuitBreaker": { "Enable": true, "Rollback": true } } } }
          },
          "Outputs": { "ServiceArn": { "Value": { "Ref": "Service" } } }
        }
        """;

    [Fact(Timeout = TestTimeouts.External)]
    public async Task StackCreate_RegistersTaskDefinitionAndServiceInEcs()
    {
        var clock = new VirtualClock();
        await using var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock }, cancellationToken: TestContext.Current.CancellationToken);
        await using var cfn = await CfnTestBed.StartAsync(options: new AwsSimulatorOptions { Clock = clock });
        cfn.Simulator.AttachEcs(ecs);

        await cfn.ChangeSetAsync("services", "c1", "CREATE", ServicesTemplate, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:1"));
        await cfn.ExecuteAsync("services", "c1", "t1");
        var outputs = CfnTestBed.OutputsOf(await cfn.StackAsync("services"));

        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:service/prod/web", outputs["ServiceArn"]);
        Assert.Equal(["arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"], ecs.RunningTaskDefinitions("prod", "web"));
    }

    [Theory(Timeout = TestTimeouts.External)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StackUpdate_AfterAServiceDeploy_RevertsTheImageOnlyWhenItTouchesTheTaskDefinition(bool touchTaskDefinition)
    {
        // The hazard behind issue 6's "one owner of the running image" rule, reproduced: a stack update that
        // re-registers the task definition with the image the stack knows (web:1) undoes a service deploy (web:2).
        var clock = new VirtualClock();
        await using var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock }, cancellationToken: TestContext.Current.CancellationToken);
        await using var cfn = await CfnTestBed.StartAsync(options: new AwsSimulatorOptions { Clock = clock });
        cfn.Simulator.AttachEcs(ecs);
        using var ecsClient = new SignedAwsClient(ecs);
        (string, string)[] image1 = [("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:1")];
        await cfn.ChangeSetAsync("services", "c1", "CREATE", ServicesTemplate, image1);
        await cfn.ExecuteAsync("services", "c1", "t1");

        var registered = await ecsClient.EcsOkAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = "web",
            ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/web:2", ["memory"] = 512 }),
        });
        var imageB = registered["taskDefinition"]!["taskDefinitionArn"]!.GetValue<string>();
        await ecsClient.EcsOkAsync("UpdateService", new JsonObject { ["cluster"] = "prod", ["service"] = "web", ["taskDefinition"] = imageB });
        clock.Advance(TimeSpan.FromMinutes(5));
        var afterServiceDeploy = ecs.RunningTaskDefinitions("prod", "web");

        var template = touchTaskDefinition
            ? CfnTestBed.With(ServicesTemplate, "\"Essential\": \"true\" }", "\"Essential\": \"true\", \"Environment\": [ { \"Name\": \"LOG_LEVEL\", \"Value\": \"info\" } ] }")
            : ServicesTemplate;
        await cfn.ChangeSetAsync("services", "c2", "UPDATE", template, [.. image1, ("Parameters.member.2.ParameterKey", "LogRetention"), ("Parameters.member.2.ParameterValue", "90")]);
        var plan = CfnTestBed.ChangesOf(await cfn.Client.QueryOkAsync("DescribeChangeSet", ("StackName", "services"), ("ChangeSetName", "c2")));
        await cfn.ExecuteAsync("services", "c2", "t2");
        clock.Advance(TimeSpan.FromMinutes(5));
        var running = ecs.RunningTaskDefinitions("prod", "web");

        Assert.Equal([imageB], afterServiceDeploy);
        if (touchTaskDefinition)
        {
            Assert.Equal(["Logs", "Task", "Service"], plan.Select(c => CfnTestBed.Field(c, "LogicalResourceId")));
            var image = await ecsClient.EcsOkAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = Assert.Single(running) });
            Assert.Equal("registry.example/web:1", image["taskDefinition"]!["containerDefinitions"]![0]!["image"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(["Logs"], plan.Select(c => CfnTestBed.Field(c, "LogicalResourceId")));
            Assert.Equal([imageB], running);
        }
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task StackUpdate_ChangingTheImageParameter_DeploysANewRevisionThroughEcs()
    {
        var clock = new VirtualClock();
        await using var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock }, cancellationToken: TestContext.Current.CancellationToken);
        await using var cfn = await CfnTestBed.StartAsync(options: new AwsSimulatorOptions { Clock = clock });
        cfn.Simulator.AttachEcs(ecs);
        await cfn.ChangeSetAsync("services", "c1", "CREATE", ServicesTemplate, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:1"));
        await cfn.ExecuteAsync("services", "c1", "t1");

        var plan = await cfn.ChangeSetAsync("services", "c2", "UPDATE", ServicesTemplate, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:3"));
        await cfn.ExecuteAsync("services", "c2", "t2");
        clock.Advance(TimeSpan.FromMinutes(5));

        var changes = CfnTestBed.ChangesOf(plan).ToDictionary(c => CfnTestBed.Field(c, "LogicalResourceId"), c => CfnTestBed.Field(c, "Replacement"));
        Assert.Equal("True", changes["Task"]);
        Assert.Equal("False", changes["Service"]);
        var running = Assert.Single(ecs.RunningTaskDefinitions("prod", "web"));
        Assert.Equal("arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", running);
        using var client = new SignedAwsClient(ecs);
        var described = await client.EcsOkAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = running });
        Assert.Equal("registry.example/web:3", described["taskDefinition"]!["containerDefinitions"]![0]!["image"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task StackUpdate_ToACrashingImage_FailsOnTheCircuitBreakerAndRollsBack()
    {
        var clock = new VirtualClock();
        await using var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock }, cancellationToken: TestContext.Current.CancellationToken);
        ecs.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
        await using var cfn = await CfnTestBed.StartAsync(options: new AwsSimulatorOptions { Clock = clock });
        cfn.Simulator.AttachEcs(ecs);
        await cfn.ChangeSetAsync("services", "c1", "CREATE", ServicesTemplate, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:1"));
        await cfn.ExecuteAsync("services", "c1", "t1");

        await cfn.ChangeSetAsync("services", "c2", "UPDATE", ServicesTemplate, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:bad"));
        var status = await cfn.ExecuteAsync("services", "c2", "t2");
        var failure = (await cfn.EventsAsync("services")).Last(e => CfnTestBed.Field(e, "ResourceStatus") == "UPDATE_FAILED");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        Assert.Equal("Service", CfnTestBed.Field(failure, "LogicalResourceId"));
        Assert.Contains("ECS Deployment Circuit Breaker was triggered", CfnTestBed.Field(failure, "ResourceStatusReason"), StringComparison.Ordinal);
        Assert.Equal(["arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"], ecs.RunningTaskDefinitions("prod", "web"));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task StackUpdate_ToACrashingImageWithoutCircuitBreaker_HangsUntilTheStabilizationTimeout()
    {
        var clock = new VirtualClock();
        await using var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock }, cancellationToken: TestContext.Current.CancellationToken);
        ecs.SetImageBehavior(":bad", ImageBehavior.CrashesAtStart);
        await using var cfn = await CfnTestBed.StartAsync(new CloudFormationScenario { EcsStabilizationTimeout = TimeSpan.FromMinutes(30) }, new AwsSimulatorOptions { Clock = clock });
        cfn.Simulator.AttachEcs(ecs);
        var noBreaker = CfnTestBed.With(ServicesTemplate, "\"Enable\": true, \"Rollback\": true", "\"Enable\": false, \"Rollback\": false");
        await cfn.ChangeSetAsync("services", "c1", "CREATE", noBreaker, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:1"));
        await cfn.ExecuteAsync("services", "c1", "t1");
        var started = clock.GetUtcNow();

        await cfn.ChangeSetAsync("services", "c2", "UPDATE", noBreaker, ("Parameters.member.1.ParameterKey", "Image"), ("Parameters.member.1.ParameterValue", "registry.example/web:bad"));
        var status = await cfn.ExecuteAsync("services", "c2", "t2");
        var failure = (await cfn.EventsAsync("services")).Last(e => CfnTestBed.Field(e, "ResourceStatus") == "UPDATE_FAILED");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", status);
        Assert.Equal("Resource timed out waiting for completion", CfnTestBed.Field(failure, "ResourceStatusReason"));
        Assert.True(clock.GetUtcNow() - started >= TimeSpan.FromMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"], ecs.RunningTaskDefinitions("prod", "web"));
    }
}
