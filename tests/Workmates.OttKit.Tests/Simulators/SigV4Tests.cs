using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

public sealed class SigV4Tests
{
    [Fact]
    public void Verify_AwsPublishedExample_Accepts()
    {
        // The worked example of the AWS General Reference (IAM ListUsers, 2015-08-30), signature computed by AWS.
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = ["iam.amazonaws.com"],
            ["Content-Type"] = ["application/x-www-form-urlencoded; charset=utf-8"],
            ["X-Amz-Date"] = ["20150830T123600Z"],
            ["Authorization"] = ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"],
        };
        var request = new SignableRequest("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, Array.Empty<byte>());

        var failure = SigV4.Verify(request, [new SimulatorCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")], "us-east-1", "iam");

        Assert.Null(failure);
    }

    [Fact]
    public void Verify_TamperedBody_ReportsMismatch()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5000/") { Content = new ByteArrayContent(body) };
        SigV4.Sign(message, body, SimulatorCredentials.Default, "us-east-1", "ecs", DateTimeOffset.UtcNow);
        var headers = message.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value.ToList(), StringComparer.OrdinalIgnoreCase);
        headers["Host"] = ["127.0.0.1:5000"];

        var ok = SigV4.Verify(new SignableRequest("POST", "/", string.Empty, headers, body), [SimulatorCredentials.Default], "us-east-1", "ecs");
        var tampered = SigV4.Verify(new SignableRequest("POST", "/", string.Empty, headers, Encoding.UTF8.GetBytes("{ }")), [SimulatorCredentials.Default], "us-east-1", "ecs");

        Assert.Null(ok);
        Assert.Equal(SignatureFailureKind.Mismatch, tampered?.Kind);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EcsRequest_WithWrongSecret_IsRefusedWithInvalidSignatureException()
    {
        await using var simulator = await EcsSimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new SignedAwsClient(simulator, SimulatorCredentials.Default with { SecretAccessKey = "wrong" });

        var result = await client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal(400, result.Status);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
        Assert.StartsWith("The request signature we calculated does not match", result.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EcsRequest_WithUnknownAccessKey_IsRefusedWithUnrecognizedClientException()
    {
        await using var simulator = await EcsSimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new SignedAwsClient(simulator, new SimulatorCredentials("AKIAUNKNOWN", "x"));

        var result = await client.EcsAsync("ListTaskDefinitions", []);

        Assert.Equal("UnrecognizedClientException", result.ErrorType);
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EcsRequest_ScopedToAnotherRegion_IsRefused()
    {
        await using var simulator = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Region = "eu-west-1" }, cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var body = "{}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrl) { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions");
        SigV4.Sign(request, body, SimulatorCredentials.Default, "us-east-1", "ecs", DateTimeOffset.UtcNow);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("IncompleteSignatureException", json["__type"]!.GetValue<string>());
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task EcsRequest_WithoutAuthorization_IsRefusedWithMissingAuthenticationToken()
    {
        await using var simulator = await EcsSimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        using var content = new StringContent("{}");
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrl) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("MissingAuthenticationTokenException", json["__type"]!.GetValue<string>());
        Assert.Equal("ListTaskDefinitions", simulator.Requests.Entries.Single().Operation);
    }

    [Fact]
    public void Verify_ContentHashHeaderNotMatchingBody_ReportsMismatch()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5000/") { Content = new ByteArrayContent(body) };
        message.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", SigV4.HexSha256("{ }"u8));
        SigV4.Sign(message, "{ }"u8.ToArray(), SimulatorCredentials.Default, "us-east-1", "ecs", DateTimeOffset.UtcNow);
        var headers = message.Headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value.ToList(), StringComparer.OrdinalIgnoreCase);
        headers["Host"] = ["127.0.0.1:5000"];

        var failure = SigV4.Verify(new SignableRequest("POST", "/", string.Empty, headers, body), [SimulatorCredentials.Default], "us-east-1", "ecs");

        Assert.Equal(SignatureFailureKind.Mismatch, failure?.Kind);
    }
}
