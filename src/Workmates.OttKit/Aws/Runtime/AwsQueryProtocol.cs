using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace Workmates.OttKit.Aws.Runtime;

/// <summary>
/// The AWS query protocol: form parameters <c>Action</c>, <c>Version</c> and the members (<c>A.B</c> for nesting,
/// <c>Name.member.N</c> for lists, <c>Name.entry.N.key/value</c> for maps, ISO 8601 timestamps) and XML responses
/// wrapped in <c>&lt;OperationResult&gt;</c>. Member names come from <see cref="JsonPropertyNameAttribute"/>, the model's
/// member names, shared with the JSON protocol.
/// </summary>
internal static class AwsQueryProtocol
{
    public static void WriteMembers(object shape, string prefix, IDictionary<string, string> parameters) =>
        WriteMembers(shape, prefix, parameters, new QueryShapes());

    public static void WriteMembers(object shape, string prefix, IDictionary<string, string> parameters, QueryShapes shapes)
    {
        foreach (var member in shapes.Of(shape.GetType()).Members)
        {
            var value = member.Get(shape);
            if (value is not null)
            {
                WriteValue(value, prefix + member.WireName, parameters, shapes);
            }
        }
    }

    private static void WriteValue(object value, string key, IDictionary<string, string> parameters, QueryShapes shapes)
    {
        switch (value)
        {
            case string text:
                parameters[key] = text;
                break;
            case bool flag:
                parameters[key] = flag ? "true" : "false";
                break;
            case DateTime time:
                parameters[key] = FormatTimestamp(time);
                break;
            case int or long or double:
                parameters[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
                break;
            case IDictionary map:
                var entry = 0;
                foreach (DictionaryEntry item in map)
                {
                    entry++;
                    WriteValue(item.Key, $"{key}.entry.{entry}.key", parameters, shapes);
                    if (item.Value is not null)
                    {
                        WriteValue(item.Value, $"{key}.entry.{entry}.value", parameters, shapes);
                    }
                }

                break;
            case IList list:
                if (list.Count == 0)
                {
                    // An empty list is sent as "Name=" so the service sees "set to empty", not "absent".
                    parameters[key] = string.Empty;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item)
                    {
                        WriteValue(item, $"{key}.member.{i + 1}", parameters, shapes);
                    }
                }

                break;
            default:
                WriteMembers(value, key + ".", parameters, shapes);
                break;
        }
    }

    public static string FormatTimestamp(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public static T ReadShape<T>(XElement? element)
        where T : new() => ReadShape<T>(element, new QueryShapes());

    public static T ReadShape<T>(XElement? element, QueryShapes shapes)
        where T : new() => (T)ReadStructure(shapes.Of(typeof(T)), element, shapes);

    private static object ReadStructure(QueryType type, XElement? element, QueryShapes shapes)
    {
        var shape = type.Create();
        if (element is null)
        {
            return shape;
        }

        var children = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var child in element.Elements())
        {
            children.TryAdd(child.Name.LocalName, child);
        }

        foreach (var member in type.Members)
        {
            if (children.TryGetValue(member.WireName, out var child))
            {
                member.Set(shape, ReadValue(shapes.Of(member.PropertyType), child, shapes));
            }
        }

        return shape;
    }

    private static object? ReadValue(QueryType type, XElement element, QueryShapes shapes)
    {
        var text = element.Value;
        switch (type.Kind)
        {
            case QueryKind.String:
                return text;
            case QueryKind.Int:
                return int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
            case QueryKind.Long:
                return long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
            case QueryKind.Double:
                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            case QueryKind.Bool:
                return string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            case QueryKind.DateTime:
                return DateTime.Parse(text, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            case QueryKind.List:
            {
                var list = type.CreateList();
                var itemType = shapes.Of(type.Arguments[0]);
                foreach (var member in element.Elements().Where(e => e.Name.LocalName == "member"))
                {
                    list.Add(ReadValue(itemType, member, shapes));
                }

                return list;
            }

            case QueryKind.Map:
            {
                var map = type.CreateMap();
                var keyType = shapes.Of(type.Arguments[0]);
                var valueType = shapes.Of(type.Arguments[1]);
                foreach (var entry in element.Elements().Where(e => e.Name.LocalName == "entry"))
                {
                    var key = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "key");
                    var value = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "value");
                    if (key is not null)
                    {
                        map[ReadValue(keyType, key, shapes)!] = value is null ? null : ReadValue(valueType, value, shapes);
                    }
                }

                return map;
            }

            default:
                return ReadStructure(type, element, shapes);
        }
    }

    internal static IEnumerable<(PropertyInfo Property, string WireName)> ModelledProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<JsonPropertyNameAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => (p.Property, p.Attribute!.Name));

    internal static XDocument Load(Stream stream)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(stream, settings);
        return XDocument.Load(reader);
    }

    internal static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}

/// <summary>Serializes one query operation's request into the SDK's form parameters.</summary>
internal sealed class AwsQueryRequestMarshaller(AwsServiceDescriptor service, string action)
    : IMarshaller<IRequest, AmazonWebServiceRequest>
{
    private readonly QueryShapes _shapes = new();

    public IRequest Marshall(AmazonWebServiceRequest input)
    {
        var request = new DefaultRequest(input, "Amazon." + service.ServiceId) { HttpMethod = "POST", ResourcePath = "/" };
        request.Parameters["Action"] = action;
        request.Parameters["Version"] = service.ApiVersion;
        AwsQueryProtocol.WriteMembers(input, string.Empty, request.Parameters, _shapes);
        return request;
    }
}

/// <summary>Reads one query operation's XML response, or turns an <c>ErrorResponse</c> into the typed exception.</summary>
internal sealed class AwsQueryResponseUnmarshaller<TResponse>(
    string? resultWrapper,
    Func<AwsErrorDetails, AmazonServiceException> errorFactory)
    : XmlResponseUnmarshaller
    where TResponse : AmazonWebServiceResponse, new()
{
    private readonly QueryShapes _shapes = new();

    public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bytes = AwsJsonProtocol.ReadAll(context.Stream);
        if (bytes.Length == 0)
        {
            return new TResponse { ResponseMetadata = new ResponseMetadata() };
        }

        using var stream = new MemoryStream(bytes);
        var root = AwsQueryProtocol.Load(stream).Root;
        var result = resultWrapper is null ? null : AwsQueryProtocol.Child(root, resultWrapper);
        var response = AwsQueryProtocol.ReadShape<TResponse>(result, _shapes);
        response.ResponseMetadata = new ResponseMetadata
        {
            RequestId = AwsQueryProtocol.Child(AwsQueryProtocol.Child(root, "ResponseMetadata"), "RequestId")?.Value
                ?? context.ResponseData?.GetHeaderValue("x-amzn-RequestId"),
        };
        return response;
    }

    public override AmazonServiceException UnmarshallException(
        XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bytes = AwsJsonProtocol.ReadAll(context.Stream);
        XElement? root = null;
        try
        {
            using var stream = new MemoryStream(bytes);
            root = bytes.Length == 0 ? null : AwsQueryProtocol.Load(stream).Root;
        }
        catch (XmlException)
        {
            // A non-XML error body (a proxy's page): keep the status.
        }

        // <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> (or a bare <Error>)
        var error = root?.Name.LocalName == "Error" ? root : AwsQueryProtocol.Child(root, "Error");
        var code = AwsQueryProtocol.Child(error, "Code")?.Value;
        if (string.IsNullOrEmpty(code))
        {
            code = statusCode.ToString();
        }

        var type = AwsQueryProtocol.Child(error, "Type")?.Value switch
        {
            "Sender" => ErrorType.Sender,
            "Receiver" => ErrorType.Receiver,
            _ => AwsErrorDetails.TypeFromStatus(statusCode),
        };
        var details = new AwsErrorDetails(
            code,
            AwsQueryProtocol.Child(error, "Message")?.Value ?? code,
            type,
            AwsQueryProtocol.Child(root, "RequestId")?.Value ?? context.ResponseData?.GetHeaderValue("x-amzn-RequestId"),
            statusCode,
            innerException);
        return errorFactory(details);
    }
}
