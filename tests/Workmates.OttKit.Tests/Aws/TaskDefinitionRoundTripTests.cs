using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;

namespace Workmates.OttKit.Tests.Aws;

public sealed class TaskDefinitionRoundTripTests
{
    // A DescribeTaskDefinition response as ECS sends it, with two members this library does not model
    // (one on the task definition, one on a container) standing in for features newer than the model.
    private const string Described = """
        {
          "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/api:41",
            "family": "api", "revision": 41, "status": "ACTIVE",
            "taskRoleArn": "arn:aws:iam::111122223333:role/api-task",
            "executionRoleArn": "arn:aws:iam::111122223333:role/api-exec",
            "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"], "compatibilities": ["EC2", "FARGATE"],
            "cpu": "512", "memory": "1024",
            "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.task-iam-role"}],
            "registeredAt": 1717171717.123, "registeredBy": "arn:aws:sts::111122223333:assumed-role/deployer/ci",
            "volumes": [{"name": "scratch", "host": {}}],
            "futureTaskSetting": {"mode": "strict", "level": 3},
            "containerDefinitions": [{
              "name": "api", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.2.3", "essential": true,
              "cpu": 0, "memoryReservation": 512, "user": "10001", "readonlyRootFilesystem": true,
              "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "http", "appProtocol": "http"}],
              "environment": [{"name": "ASPNETCORE_URLS", "value": "http://+:8080"}],
              "secrets": [{"name": "MONGO_URI", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:mongo"}],
              "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/api", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "api"}},
              "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
              "linuxParameters": {"initProcessEnabled": true, "capabilities": {"drop": ["ALL"]}, "tmpfs": [{"containerPath": "/tmp", "size": 64, "mountOptions": ["noexec"]}]},
              "mountPoints": [{"sourceVolume": "scratch", "containerPath": "/scratch", "readOnly": false}],
              "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}],
              "futureContainerSetting": {"enabled": true}
            }]
          },
          "tags": [{"key": "env", "value": "prod"}]
        }
        """;

    private static readonly string[] s_describeOnly =
        ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy"];

    [Fact]
    public void FromTaskDefinition_CarriesEveryRegisterableMember_IncludingUnmodelledOnes_AndDropsDescribeOnlyOnes()
    {
        var harness = AwsConformanceHarness.For("ecs");
        var described = (DescribeTaskDefinitionResponse)harness.Unmarshall(EcsOperations.DescribeTaskDefinition, Described);

        var request = RegisterTaskDefinitionRequest.FromTaskDefinition(described.TaskDefinition!, described.Tags);
        using var wire = EcsOperations.RegisterTaskDefinition.Marshaller.Marshall(request);

        var sent = JsonNode.Parse(wire.Content)!.AsObject();
        var expected = JsonNode.Parse(Described)!["taskDefinition"]!.AsObject();
        foreach (var name in s_describeOnly)
        {
            expected.Remove(name);
        }

        expected["tags"] = JsonNode.Parse("""[{"key": "env", "value": "prod"}]""");
        Assert.True(JsonNode.DeepEquals(expected, sent), $"sent: {sent.ToJsonString()}");
    }

    [Fact]
    public void FromTaskDefinition_ThenChangingTheImage_LeavesTheDescribedDefinitionUntouched()
    {
        var harness = AwsConformanceHarness.For("ecs");
        var described = (DescribeTaskDefinitionResponse)harness.Unmarshall(EcsOperations.DescribeTaskDefinition, Described);

        var request = RegisterTaskDefinitionRequest.FromTaskDefinition(described.TaskDefinition!);
        request.ContainerDefinitions![0].Image = "api:1.2.4";

        Assert.Equal("111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.2.3", described.TaskDefinition!.ContainerDefinitions![0].Image);
        Assert.Equal(64, request.ContainerDefinitions[0].LinuxParameters!.Tmpfs![0].Size);
        Assert.True(request.ContainerDefinitions[0].AdditionalMembers!.ContainsKey("futureContainerSetting"));
        Assert.Equal(JsonValueKind.Object, request.AdditionalMembers!["futureTaskSetting"].ValueKind);
    }
}
