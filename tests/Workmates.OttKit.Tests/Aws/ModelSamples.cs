using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// Model-driven sample values in botocore's "parameter form" (member names, ISO timestamps), and their conversion to
/// the awsJson wire form (epoch seconds) and to query XML. Unknown members can be sprinkled in to prove they are
/// ignored.
/// </summary>
internal sealed class ModelSamples(AwsModel model)
{
    public const string UnknownMember = "zzUnknownMember";
    private const int MaxDepth = 12;

    public JsonNode? Sample(string shapeName, bool allMembers, int depth = 0)
    {
        var shape = model.Shape(shapeName);
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                if (shape.TryGetProperty("document", out _))
                {
                    return new JsonObject { ["free"] = "form", ["n"] = 1 };
                }

                var result = new JsonObject();
                var required = Required(shape);
                var isUnion = shape.TryGetProperty("union", out _);
                foreach (var member in shape.GetProperty("members").EnumerateObject())
                {
                    var include = isUnion ? result.Count == 0 : allMembers && depth < MaxDepth || required.Contains(member.Name);
                    if (include)
                    {
                        result[member.Name] = Sample(member.Value.GetProperty("shape").GetString()!, allMembers, depth + 1);
                    }
                }

                return result;
            case "list":
                return new JsonArray(Sample(shape.GetProperty("member").GetProperty("shape").GetString()!, allMembers, depth + 1));
            case "map":
                return new JsonObject { ["key1"] = Sample(shape.GetProperty("value").GetProperty("shape").GetString()!, allMembers, depth + 1) };
            case "string":
                if (shape.TryGetProperty("enum", out var values))
                {
                    return values[values.GetArrayLength() - 1].GetString();
                }

                var min = shape.TryGetProperty("min", out var minLength) ? minLength.GetInt32() : 1;
                return ("v-" + shapeName).PadRight(min, 'x');
            case "integer" or "long":
                var low = shape.TryGetProperty("min", out var minValue) ? minValue.GetInt64() : 1;
                return Math.Max(low, 1);
            case "double" or "float":
                return 1.5;
            case "boolean":
                return true;
            case "timestamp":
                return "2024-01-02T03:04:05.123Z";
            case "blob":
                return "AQID";
            default:
                throw new InvalidOperationException($"Unknown shape type of {shapeName}.");
        }
    }

    /// <summary>Parameter form → awsJson wire form (timestamps as epoch seconds), optionally with unknown members.</summary>
    public JsonNode? ToWireJson(string shapeName, JsonNode? value, bool addUnknown)
    {
        if (value is null)
        {
            return null;
        }

        var shape = model.Shape(shapeName);
        switch (shape.GetProperty("type").GetString())
        {
            case "structure" when shape.TryGetProperty("document", out _):
                return value.DeepClone();
            case "structure":
                var result = new JsonObject();
                var members = shape.GetProperty("members");
                foreach (var (name, child) in value.AsObject())
                {
                    // Example members the model no longer has are dropped: the service would not send them.
                    if (members.TryGetProperty(name, out var member))
                    {
                        result[name] = ToWireJson(member.GetProperty("shape").GetString()!, child, addUnknown);
                    }
                }

                if (addUnknown)
                {
                    result[UnknownMember] = new JsonObject { ["nested"] = new JsonArray(1, "two") };
                }

                return result;
            case "list":
                var memberShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                return new JsonArray(value.AsArray().Select(item => ToWireJson(memberShape, item, addUnknown)).ToArray());
            case "map":
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                var map = new JsonObject();
                foreach (var (key, item) in value.AsObject())
                {
                    map[key] = ToWireJson(valueShape, item, addUnknown);
                }

                return map;
            case "timestamp":
                var time = DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture);
                return JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000m);
            default:
                return value.DeepClone();
        }
    }

    /// <summary>Parameter form → query XML children of <paramref name="parent"/> (member/entry encodings).</summary>
    public void WriteXml(XElement parent, string shapeName, JsonNode? value, bool addUnknown)
    {
        var ns = parent.Name.Namespace;
        var shape = model.Shape(shapeName);
        foreach (var (name, child) in value!.AsObject())
        {
            var memberShape = shape.GetProperty("members").GetProperty(name).GetProperty("shape").GetString()!;
            parent.Add(XmlValue(ns + name, memberShape, child, addUnknown));
        }

        if (addUnknown)
        {
            parent.Add(new XElement(ns + "ZzUnknownMember", new XElement(ns + "member", "1"), new XElement(ns + "Nested", "x")));
        }
    }

    private XElement XmlValue(XName name, string shapeName, JsonNode? value, bool addUnknown)
    {
        var shape = model.Shape(shapeName);
        var ns = name.Namespace;
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                var element = new XElement(name);
                WriteXml(element, shapeName, value, addUnknown);
                return element;
            case "list":
                var memberShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
                return new XElement(name, value!.AsArray().Select(item => XmlValue(ns + "member", memberShape, item, addUnknown)));
            case "map":
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                return new XElement(name, value!.AsObject().Select(entry => new XElement(
                    ns + "entry", new XElement(ns + "key", entry.Key), XmlValue(ns + "value", valueShape, entry.Value, addUnknown))));
            case "boolean":
                return new XElement(name, value!.GetValue<bool>() ? "true" : "false");
            default:
                return new XElement(name, value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String
                    ? scalar.GetValue<string>()
                    : value!.ToJsonString());
        }
    }

    private static HashSet<string> Required(JsonElement shape) =>
        shape.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
}
