using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>A raw wire client for the simulators' tests: hand-built bodies, signed with SigV4, no AWS client types.</summary>
internal sealed class SignedAwsClient(AwsSimulator simulator, SimulatorCredentials? credentials = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = simulator.BaseUrl };
    private readonly SimulatorCredentials _credentials = credentials ?? SimulatorCredentials.Default;

    /// <summary>Every response received, for model-conformance checks: operation, status, JSON body or XML document.</summary>
    public List<(string Operation, int Status, JsonObject? Json, XDocument? Xml)> Responses { get; } = [];

    public static XNamespace CfnNs => "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    public async Task<JsonResult> EcsAsync(string operation, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrl) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation);
        SigV4.Sign(request, bytes, _credentials, simulator.Region, simulator.SigningName, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = (JsonObject)JsonNode.Parse(text)!;
        Responses.Add((operation, (int)response.StatusCode, json, null));
        return new JsonResult((int)response.StatusCode, json);
    }

    public async Task<JsonObject> EcsOkAsync(string operation, JsonObject body)
    {
        var result = await EcsAsync(operation, body);
        Assert.True(result.Status == 200, $"{operation} returned {result.Status}: {result.Body.ToJsonString()}");
        return result.Body;
    }

    public async Task<XmlResult> QueryAsync(string action, params (string Key, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-15") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
        using var encoded = new FormUrlEncodedContent(form);
        var bytes = await encoded.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrl) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        SigV4.Sign(request, bytes, _credentials, simulator.Region, simulator.SigningName, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var document = XDocument.Parse(text);
        Responses.Add((action, (int)response.StatusCode, null, document));
        return new XmlResult((int)response.StatusCode, document);
    }

    public async Task<XElement> QueryOkAsync(string action, params (string Key, string Value)[] parameters)
    {
        var result = await QueryAsync(action, parameters);
        Assert.True(result.Status == 200, $"{action} returned {result.Status}: {result.Document}");
        return result.Document.Root!.Element(CfnNs + action + "Result") ?? new XElement(CfnNs + action + "Result");
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record JsonResult(int Status, JsonObject Body)
{
    public string? ErrorType => Body["__type"]?.GetValue<string>();

    public string? Message => Body["message"]?.GetValue<string>();
}

internal sealed record XmlResult(int Status, XDocument Document)
{
    public string? ErrorCode => Document.Root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public string? ErrorMessage => Document.Root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
}
