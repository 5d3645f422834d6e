using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Internal.Transform;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.ElasticLoadBalancingV2;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>Drives the SDK marshallers/unmarshallers of one service with model-generated data (no network).</summary>
internal sealed class AwsConformanceHarness
{
    private AwsConformanceHarness(string folder, IReadOnlyList<IAwsOperation> operations)
    {
        Model = AwsModel.Load(folder);
        Samples = new ModelSamples(Model);
        Operations = operations;
    }

    public AwsModel Model { get; }

    public ModelSamples Samples { get; }

    public IReadOnlyList<IAwsOperation> Operations { get; }

    public static AwsConformanceHarness For(string folder) => folder switch
    {
        "ecs" => new(folder, EcsOperations.All),
        "cloudformation" => new(folder, CloudFormationOperations.All),
        "elbv2" => new(folder, ElasticLoadBalancingV2Operations.All),
        "cloudwatch" => new(folder, CloudWatchOperations.All),
        _ => throw new ArgumentOutOfRangeException(nameof(folder)),
    };

    /// <summary>Builds the request object from a parameter-form value (model member names = wire names).</summary>
    public AmazonWebServiceRequest Request(IAwsOperation operation, JsonNode? parameters)
    {
        var wire = Samples.ToWireJson(Model.InputShape(operation.Name), parameters ?? new JsonObject(), addUnknown: false);
        return (AmazonWebServiceRequest)wire!.Deserialize(operation.RequestType, AwsJsonProtocol.Options)!;
    }

    /// <summary>Marshals a request and validates its wire form against the input shape.</summary>
    public List<string> ValidateRequest(IAwsOperation operation, AmazonWebServiceRequest request, bool expectAllMembers)
    {
        var validator = new WireValidator(Model, expectAllMembers);
        using var wire = operation.Marshaller.Marshall(request);
        var input = Model.InputShape(operation.Name);
        if (wire.HttpMethod != "POST" || wire.ResourcePath != "/")
        {
            validator.Errors.Add($"expected POST /, got {wire.HttpMethod} {wire.ResourcePath}");
        }

        if (Model.IsQuery)
        {
            validator.ValidateQuery(operation.Name, input, wire.Parameters);
        }
        else
        {
            var metadata = Model.Metadata;
            var target = metadata.GetProperty("targetPrefix").GetString() + "." + operation.Name;
            if (wire.Headers["X-Amz-Target"] != target)
            {
                validator.Errors.Add($"X-Amz-Target: expected {target}, got {wire.Headers["X-Amz-Target"]}");
            }

            var contentType = "application/x-amz-json-" + metadata.GetProperty("jsonVersion").GetString();
            if (wire.Headers["Content-Type"] != contentType)
            {
                validator.Errors.Add($"Content-Type: expected {contentType}");
            }

            using var body = JsonDocument.Parse(wire.Content);
            validator.ValidateJson(input, body.RootElement, "$");
        }

        return validator.Errors;
    }

    /// <summary>The wire body of a successful response whose result is <paramref name="output"/> (parameter form).</summary>
    public string ResponseBody(IAwsOperation operation, JsonNode? output, bool addUnknown)
    {
        var outputShape = Model.OutputShape(operation.Name);
        if (!Model.IsQuery)
        {
            return outputShape is null ? "{}" : Samples.ToWireJson(outputShape, output ?? new JsonObject(), addUnknown)!.ToJsonString();
        }

        XNamespace ns = Model.Metadata.GetProperty("xmlNamespace").GetString()!;
        var root = new XElement(ns + (operation.Name + "Response"));
        if (outputShape is not null)
        {
            var wrapper = Model.Operation(operation.Name).GetProperty("output").GetProperty("resultWrapper").GetString()!;
            var result = new XElement(ns + wrapper);
            Samples.WriteXml(result, outputShape, output ?? new JsonObject(), addUnknown);
            root.Add(result);
        }

        root.Add(new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", "req-0001")));
        return root.ToString();
    }

    public AmazonWebServiceResponse Unmarshall(IAwsOperation operation, string body, params (string, string)[] headers)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var data = new CannedResponseData(HttpStatusCode.OK, headers);
        using UnmarshallerContext context = Model.IsQuery
            ? new XmlUnmarshallerContext(stream, false, data, false)
            : new JsonUnmarshallerContext(stream, false, data, false);
        return operation.Unmarshaller.Unmarshall(context);
    }

    public AmazonServiceException UnmarshallError(IAwsOperation operation, HttpStatusCode status, string body, params (string, string)[] headers)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var data = new CannedResponseData(status, headers);
        using UnmarshallerContext context = Model.IsQuery
            ? new XmlUnmarshallerContext(stream, false, data, true)
            : new JsonUnmarshallerContext(stream, false, data, true);
        return operation.Unmarshaller.UnmarshallException(context, null!, status);
    }

    /// <summary>The expected model-keyed JSON of a result: the awsJson wire form without unknown members.</summary>
    public JsonNode Expected(IAwsOperation operation, JsonNode? output)
    {
        var outputShape = Model.OutputShape(operation.Name);
        return outputShape is null ? new JsonObject() : Samples.ToWireJson(outputShape, output ?? new JsonObject(), addUnknown: false)!;
    }

    /// <summary>Compares an unmarshalled response (re-serialized with the wire names) with the expected result.</summary>
    public static List<string> Compare(JsonNode expected, AmazonWebServiceResponse actual, Type responseType)
    {
        var errors = new List<string>();
        var node = JsonSerializer.SerializeToNode(actual, responseType, AwsJsonProtocol.Options);
        Diff(expected, node, "$", errors);
        return errors;
    }

    private static void Diff(JsonNode? expected, JsonNode? actual, string path, List<string> errors)
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    errors.Add($"{path}: expected null, got {actual.ToJsonString()}");
                }

                return;
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    errors.Add($"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}");
                    return;
                }

                foreach (var (key, value) in expectedObject)
                {
                    if (!actualObject.ContainsKey(key))
                    {
                        errors.Add($"{path}.{key}: missing after unmarshalling");
                        continue;
                    }

                    Diff(value, actualObject[key], $"{path}.{key}", errors);
                }

                foreach (var key in actualObject.Select(p => p.Key).Where(k => !expectedObject.ContainsKey(k) && k != ModelSamples.UnknownMember))
                {
                    errors.Add($"{path}.{key}: set although absent from the response");
                }

                return;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    errors.Add($"{path}: expected {expectedArray.Count} items, got {actual?.ToJsonString() ?? "nothing"}");
                    return;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Diff(expectedArray[i], actualArray[i], $"{path}[{i}]", errors);
                }

                return;
            default:
                var same = expected.GetValueKind() == JsonValueKind.Number && actual?.GetValueKind() == JsonValueKind.Number
                    ? Number(expected) == Number(actual)
                    : expected.ToJsonString() == actual?.ToJsonString();
                if (!same)
                {
                    errors.Add($"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}");
                }

                return;
        }
    }

    private static decimal Number(JsonNode node) =>
        decimal.Parse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    private sealed class CannedResponseData(HttpStatusCode status, (string Name, string Value)[] headers) : IWebResponseData
    {
        public long ContentLength => 0;

        public string ContentType => "application/octet-stream";

        public HttpStatusCode StatusCode => status;

        public bool IsSuccessStatusCode => (int)status < 300;

        public IHttpResponseBody ResponseBody => null!;

        public string[] GetHeaderNames() => headers.Select(h => h.Name).ToArray();

        public bool IsHeaderPresent(string headerName) => headers.Any(h => string.Equals(h.Name, headerName, StringComparison.OrdinalIgnoreCase));

        public string GetHeaderValue(string headerName) =>
            headers.FirstOrDefault(h => string.Equals(h.Name, headerName, StringComparison.OrdinalIgnoreCase)).Value!;

        public IEventStreamHeader GetEventStreamHeader(string headerName) => null!;

        public bool IsEventHeaderPresent(string headerName) => false;
    }
}
