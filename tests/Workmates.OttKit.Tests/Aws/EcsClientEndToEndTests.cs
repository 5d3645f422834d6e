using System.Text.Json;
using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws;

public sealed class EcsClientEndToEndTests
{
    private static AwsClientFactory Factory(LoopbackAwsServer server) => new(
        new TestAwsOptions { Region = "eu-west-1", ServiceURL = server.Url, Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret") },
        config => config.MaxErrorRetry = 1);

    [Fact(Timeout = TestTimeouts.External)]
    public async Task DescribeServices_ThroughTheSdkPipeline_SendsSignedAwsJsonAndParsesTheResponse()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(200, """{"services":[{"serviceName":"api","status":"ACTIVE","desiredCount":2,"runningCount":2,"createdAt":1472487952.13,"deployments":[{"id":"ecs-svc/1","status":"PRIMARY","rolloutState":"COMPLETED"}]}],"failures":[],"somethingNew":{"x":1}}""",
            "application/x-amz-json-1.1", ("x-amzn-RequestId", "req-123"));
        using var client = (IDisposable)Factory(server).CreateEcs();

        var response = await ((IEcsApi)client).DescribeServicesAsync(
            new DescribeServicesRequest { Cluster = "main", Services = ["api"] }, TestContext.Current.CancellationToken);

        Assert.True(server.Requests.TryDequeue(out var sent));
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/", sent.Path);
        Assert.Equal("AmazonEC2ContainerServiceV20141113.DescribeServices", sent.Headers["X-Amz-Target"]);
        Assert.StartsWith("application/x-amz-json-1.1", sent.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/ecs/aws4_request", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("main", body.RootElement.GetProperty("cluster").GetString());
        Assert.Equal("api", body.RootElement.GetProperty("services")[0].GetString());
        var service = Assert.Single(response.Services!);
        Assert.Equal("api", service.ServiceName);
        Assert.Equal(new DateTime(2016, 8, 29, 16, 25, 52, 130, DateTimeKind.Utc), service.CreatedAt);
        Assert.Equal("COMPLETED", Assert.Single(service.Deployments!).RolloutState);
        Assert.Equal("req-123", response.ResponseMetadata.RequestId);
        Assert.Contains("api/ECS#", sent.Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task UpdateService_WhenTheServiceIsMissing_ThrowsTypedExceptionWithTheFacts()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(400, """{"__type":"com.amazonaws.ecs#ServiceNotFoundException","message":"Service not found."}""",
            "application/x-amz-json-1.1", ("x-amzn-RequestId", "req-404"));
        var ecs = Factory(server).CreateEcs();

        var error = await Assert.ThrowsAsync<ServiceNotFoundException>(() => ecs.UpdateServiceAsync(
            new UpdateServiceRequest { Cluster = "main", Service = "api" }, TestContext.Current.CancellationToken));

        Assert.Equal("ServiceNotFoundException", error.ErrorCode);
        Assert.Equal("Service not found.", error.Message);
        Assert.Equal("req-404", error.RequestId);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(error.IsThrottling);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ListTasks_WhenThrottledOnce_IsRetriedByTheSdk()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", "application/x-amz-json-1.1");
        server.Enqueue(200, """{"taskArns":["arn:aws:ecs:eu-west-1:1:task/main/abc"]}""", "application/x-amz-json-1.1");
        var ecs = Factory(server).CreateEcs();

        var response = await ecs.ListTasksAsync(new ListTasksRequest { Cluster = "main" }, TestContext.Current.CancellationToken);

        Assert.Equal(2, server.Requests.Count);
        Assert.Single(response.TaskArns!);
    }
}
