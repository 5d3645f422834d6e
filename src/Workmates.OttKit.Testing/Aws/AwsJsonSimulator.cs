using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// The awsJson 1.1 protocol shared by the ECS, ECR and Secrets Manager simulators: the operation from
/// <c>X-Amz-Target: &lt;prefix&gt;&lt;Operation&gt;</c>, a JSON object body (anything else is a
/// <c>SerializationException</c>), errors as <c>{"__type", "message"}</c> with <c>x-amzn-RequestId</c>, and signature
/// failures answered 400 with the codes these services use.
/// </summary>
public abstract class AwsJsonSimulator : AwsSimulator
{
    private const string ContentType = "application/x-amz-json-1.1";
    private readonly string _targetPrefix;

    /// <summary>Creates the simulator (not started).</summary>
    private protected AwsJsonSimulator(AwsSimulatorOptions options, string signingName, string targetPrefix)
        : base(options, signingName)
    {
        _targetPrefix = targetPrefix;
    }

    private protected sealed override string? ReadOperation(HttpRequest request, byte[] body)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        return target.StartsWith(_targetPrefix, StringComparison.Ordinal) ? target[_targetPrefix.Length..] : null;
    }

    private protected sealed override (string Code, int Status) SignatureError(SignatureFailureKind kind) => kind switch
    {
        SignatureFailureKind.Missing => ("MissingAuthenticationTokenException", 400),
        SignatureFailureKind.UnknownAccessKey => ("UnrecognizedClientException", 400),
        SignatureFailureKind.Incomplete => ("IncompleteSignatureException", 400),
        _ => ("InvalidSignatureException", 400),
    };

    private protected sealed override SimulatorResponse Error(string code, string message, int statusCode, bool senderFault) =>
        new(statusCode, ContentType, new JsonObject { ["__type"] = code, ["message"] = message }.ToJsonString(), code,
            new Dictionary<string, string> { ["x-amzn-RequestId"] = NewRequestId() });

    private protected sealed override Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, byte[] body) =>
        DispatchAsync(operation, request, ReadInput(body));

    /// <summary>Answers one operation whose input parsed as a JSON object.</summary>
    private protected abstract Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, JsonObject input);

    /// <summary>A 200 answer carrying <paramref name="output"/>.</summary>
    private protected static SimulatorResponse Ok(JsonObject output) =>
        new(200, ContentType, output.ToJsonString(), Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = NewRequestId() });

    private static JsonObject ReadInput(byte[] body)
    {
        try
        {
            return body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            throw new AwsSimulatorException("SerializationException", "Start of structure or map found where not expected.");
        }
    }
}
