using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// awsJson 1.0/1.1: <c>POST /</c> with <c>X-Amz-Target</c>; the body holds only the members that are set, keyed by the
/// model's member names (<see cref="JsonPropertyNameAttribute"/>), timestamps as epoch seconds.
/// </summary>
internal static class AwsJsonProtocol
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyModelledMembers } },
        };
        options.Converters.Add(new EpochSecondsConverter());
        options.MakeReadOnly();
        return options;
    }

    // AmazonWebServiceRequest/Response carry SDK bookkeeping properties; only model members go on the wire.
    private static void OnlyModelledMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            var modelled = property.IsExtensionData
                || property.AttributeProvider?.IsDefined(typeof(JsonPropertyNameAttribute), inherit: false) == true;
            if (!modelled)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }

    internal static string? ReadErrorCode(string? headerValue, JsonElement body)
    {
        var code = headerValue;
        if (string.IsNullOrEmpty(code) && body.ValueKind == JsonValueKind.Object)
        {
            code = StringMember(body, "__type") ?? StringMember(body, "code") ?? StringMember(body, "Code");
        }

        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        // "aws.protocoltests#FooError:http://internal.amazon.com/..." → "FooError"
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }

    internal static string? StringMember(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Epoch seconds (integral or fractional) ⇄ UTC <see cref="DateTime"/>; also reads ISO 8601 strings.</summary>
    private sealed class EpochSecondsConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // A malformed timestamp is a JsonException like any other malformed member (the SDK then reports an
            // AmazonUnmarshallingException), never a FormatException or OverflowException of its own.
            if (reader.TokenType == JsonTokenType.String)
            {
                return DateTime.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new JsonException($"'{reader.GetString()}' is not a timestamp.");
            }

            var seconds = reader.GetDecimal();
            var maxSeconds = (decimal)(DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
            var minSeconds = -(decimal)DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond;
            return seconds >= minSeconds && seconds <= maxSeconds
                ? DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
                : throw new JsonException($"{seconds} epoch seconds is outside the range of a timestamp.");
        }

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
            var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
            writer.WriteNumberValue(decimal.Round((decimal)ticks / TimeSpan.TicksPerSecond, 3));
        }
    }
}

/// <summary>Serializes one awsJson operation's request into an SDK <see cref="IRequest"/>.</summary>
internal sealed class AwsJsonRequestMarshaller<TRequest>(AwsServiceDescriptor service, string target, string jsonVersion)
    : IMarshaller<IRequest, AmazonWebServiceRequest>
    where TRequest : AmazonWebServiceRequest
{
    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var typed = (TRequest)input;
        var request = new DefaultRequest(typed, "Amazon." + service.ServiceId)
        {
            HttpMethod = "POST",
            ResourcePath = "/",
            Content = JsonSerializer.SerializeToUtf8Bytes(typed, AwsJsonProtocol.Options),
        };
        request.Headers["X-Amz-Target"] = target;
        request.Headers["Content-Type"] = "application/x-amz-json-" + jsonVersion;
        request.Headers["X-Amz-Api-Version"] = service.ApiVersion;
        return request;
    }
}

/// <summary>Reads one awsJson operation's response, or turns an error body into the service's typed exception.</summary>
internal sealed class AwsJsonResponseUnmarshaller<TResponse>(Func<AwsErrorDetails, AmazonServiceException> errorFactory)
    : JsonResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = AwsJsonProtocol.ReadAll(context.Stream);
        var response = body.Length == 0 || body.AsSpan().Trim(" \r\n\t"u8).Length == 0
            ? new TResponse()
            : JsonSerializer.Deserialize<TResponse>(body, AwsJsonProtocol.Options) ?? new TResponse();
        var requestId = context.ResponseData?.GetHeaderValue("x-amzn-RequestId");
        response.ResponseMetadata ??= new ResponseMetadata();
        if (string.IsNullOrEmpty(response.ResponseMetadata.RequestId) && !string.IsNullOrEmpty(requestId))
        {
            response.ResponseMetadata.RequestId = requestId;
        }

        return response;
    }

    public override AmazonServiceException UnmarshallException(
        JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bytes = AwsJsonProtocol.ReadAll(context.Stream);
        var body = default(JsonElement);
        try
        {
            if (bytes.Length > 0)
            {
                body = JsonDocument.Parse(bytes).RootElement;
            }
        }
        catch (JsonException)
        {
            // A non-JSON error body (a proxy's HTML page): keep the status and the header code.
        }

        var code = AwsJsonProtocol.ReadErrorCode(context.ResponseData?.GetHeaderValue("x-amzn-ErrorType"), body)
            ?? statusCode.ToString();
        var message = body.ValueKind == JsonValueKind.Object
            ? AwsJsonProtocol.StringMember(body, "message") ?? AwsJsonProtocol.StringMember(body, "Message")
              ?? AwsJsonProtocol.StringMember(body, "errorMessage")
            : null;
        var details = new AwsErrorDetails(
            code,
            message ?? code,
            AwsErrorDetails.TypeFromStatus(statusCode),
            context.ResponseData?.GetHeaderValue("x-amzn-RequestId"),
            statusCode,
            innerException);
        return errorFactory(details);
    }
}
