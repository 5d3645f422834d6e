using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Cli;

/// <summary>
/// <c>ottkit status</c> against an ECS that answers DescribeServices the way it does during a circuit-breaker rollback
/// of a service without a current service deployment: the failure is only in the deployments' rolloutStateReason.
/// </summary>
public sealed class StatusRollbackCommandTests
{
    private const string DescribeServices = """
        {"services":[{"serviceName":"web","status":"ACTIVE","desiredCount":2,"runningCount":1,"pendingCount":1,
          "taskDefinition":"arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1",
          "deployments":[
            {"id":"ecs-svc/3","status":"PRIMARY","rolloutState":"IN_PROGRESS","taskDefinition":"arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:1","desiredCount":2,"runningCount":1,"pendingCount":1,"failedTasks":0,
             "rolloutStateReason":"ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1."},
            {"id":"ecs-svc/2","status":"ACTIVE","rolloutState":"FAILED","taskDefinition":"arn:aws:ecs:ap-south-1:123456789012:task-definition/blacksheep-web:2","desiredCount":0,"runningCount":0,"pendingCount":0,"failedTasks":3,
             "rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start."}],
          "events":[]}],"failures":[]}
        """;

    private const string NoStacks = """
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks/></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>
        """;

    private static string Spec => Path.Combine(RepositoryPaths.Root, "samples", "Blacksheep", "blacksheep.yaml");

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Status_reports_a_rollback_carried_only_in_rolloutStateReason(string format)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var server = ServeAsync(listener, stop.Token);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_ENDPOINT_URL"] = endpoint,
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await OttKitCommandLine.InvokeAsync(
            ["status", "--spec", Spec, "--service", "web", "--output", format], output, error, new CliEnvironment(variables, TimeProvider.System, false), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await server;

        Assert.Equal(ExitCodes.Success, exit);
        if (format == "text")
        {
            Assert.Contains("service web: 1/2 running, 1 pending, rollback in progress;", output.ToString(), StringComparison.Ordinal);
            Assert.Contains(
                "  ROLLING BACK: ECS deployment circuit breaker: tasks failed to start. ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1. (read from rolloutState)",
                output.ToString(), StringComparison.Ordinal);
        }
        else
        {
            var web = JsonNode.Parse(output.ToString())!["services"]![0]!;
            Assert.Equal("rollback-in-progress", web["state"]!.GetValue<string>());
            Assert.True(web["rollback"]!["inProgress"]!.GetValue<bool>());
            Assert.Equal("rolloutState", web["rollback"]!["source"]!.GetValue<string>());
        }
    }

    /// <summary>A minimal HTTP/1.1 endpoint: ECS DescribeServices (JSON 1.1) and CloudFormation DescribeStacks (query), one request per connection.</summary>
    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, cancellationToken);
                var ecs = request.Contains("AmazonEC2ContainerServiceV20141113.DescribeServices", StringComparison.OrdinalIgnoreCase);
                var body = Encoding.UTF8.GetBytes(ecs ? DescribeServices : NoStacks);
                var head = $"HTTP/1.1 200 OK\r\nContent-Type: {(ecs ? "application/x-amz-json-1.1" : "text/xml")}\r\nx-amzn-RequestId: r\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
                await stream.WriteAsync(body, cancellationToken);
            }
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        var contentLength = -1;
        var headerEnd = -1;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var all = text.ToString();
            if (headerEnd < 0 && (headerEnd = all.IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
            {
                var line = all[..headerEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                contentLength = line is null ? 0 : int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (headerEnd >= 0 && Encoding.UTF8.GetByteCount(all) - (headerEnd + 4) >= contentLength)
            {
                return all;
            }
        }
    }
}
