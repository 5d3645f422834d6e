using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>The simulators' verification accepts what AWSSDK.Core's own SigV4 signer produces, for both protocols.</summary>
public sealed class SdkSignerInteropTests
{
    [Fact(Timeout = TestTimeouts.Default)]
    public async Task EcsRequest_SignedByAwsSdkCore_IsAccepted()
    {
        await using var simulator = await EcsSimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var body = "{\"maxResults\":5}"u8.ToArray();

        var status = await SendSdkSignedAsync(simulator, "ecs", body, "application/x-amz-json-1.1",
            ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions"), SimulatorCredentials.Default);

        Assert.Equal(200, status);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task QueryRequest_SignedByAwsSdkCore_IsAccepted_AndRefusedWithWrongSecret()
    {
        await using var simulator = await CloudFormationSimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var body = Encoding.UTF8.GetBytes("Action=DescribeStacks&Version=2010-05-15");

        var ok = await SendSdkSignedAsync(simulator, "cloudformation", body, "application/x-www-form-urlencoded; charset=utf-8", null, SimulatorCredentials.Default);
        var wrong = await SendSdkSignedAsync(simulator, "cloudformation", body, "application/x-www-form-urlencoded; charset=utf-8", null, SimulatorCredentials.Default with { SecretAccessKey = "x" });

        Assert.Equal(200, ok);
        Assert.Equal(403, wrong);
    }

    private static async Task<int> SendSdkSignedAsync(AwsSimulator simulator, string service, byte[] body, string contentType, (string Name, string Value)? extra, SimulatorCredentials credentials)
    {
        var config = new SigningConfig(service, simulator.BaseUrl.ToString(), simulator.Region);
        var request = new DefaultRequest(new StubRequest(), service) { HttpMethod = "POST", Endpoint = simulator.BaseUrl, ResourcePath = "/", Content = body };
        request.Headers["Content-Type"] = contentType;
        if (extra is { } header)
        {
            request.Headers[header.Name] = header.Value;
        }

        var signature = new AWS4Signer().SignRequest(request, config, new RequestMetrics(), credentials.AccessKeyId, credentials.SecretAccessKey);
        request.Headers["Authorization"] = signature.ForAuthorizationHeader;

        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrl) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }

    private sealed class StubRequest : AmazonWebServiceRequest;

    private sealed class SigningConfig : ClientConfig
    {
        private readonly string _service;

        public SigningConfig(string service, string url, string region)
            : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard }]))
        {
            _service = service;
            ServiceURL = url;
            AuthenticationRegion = region;
            AuthenticationServiceName = service;
        }

        public override string RegionEndpointServiceName => _service;

        public override string ServiceVersion => "test";

        public override string UserAgent => "ottkit-simulator-tests";

        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }
}
