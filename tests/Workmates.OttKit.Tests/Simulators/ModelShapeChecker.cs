using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>
/// Checks a simulator response against the output shape of the operation in AWS's own model (service-2.json):
/// every member exists with the right type and enum value, and required members are present.
/// </summary>
internal sealed class ModelShapeChecker
{
    // Values AWS sends that the model's closed enum does not list. CloudFormation reports a stack-level StackEvent's
    // ResourceStatus with the stack's own status, and three StackStatus values are missing from ResourceStatus.
    private static readonly Dictionary<string, HashSet<string>> DocumentedExtraEnumValues = new(StringComparer.Ordinal)
    {
        ["ResourceStatus"] = ["REVIEW_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"],
    };

    private readonly JsonElement _operations;
    private readonly JsonElement _shapes;

    private ModelShapeChecker(JsonDocument model)
    {
        _operations = model.RootElement.GetProperty("operations");
        _shapes = model.RootElement.GetProperty("shapes");
    }

    public static ModelShapeChecker Load(string service) =>
        new(JsonDocument.Parse(File.ReadAllText(Conformance.Require($"aws-models/{service}/service-2.json"))));

    public string OutputShape(string operation) =>
        _operations.GetProperty(operation).TryGetProperty("output", out var output) ? output.GetProperty("shape").GetString()! : string.Empty;

    public string ResultWrapper(string operation) =>
        _operations.GetProperty(operation).GetProperty("output").GetProperty("resultWrapper").GetString()!;

    public bool HasOutput(string operation) => _operations.GetProperty(operation).TryGetProperty("output", out _);

    public bool IsModelledError(string operation, string code) =>
        _operations.GetProperty(operation).TryGetProperty("errors", out var errors)
        && errors.EnumerateArray().Any(e =>
        {
            var shape = _shapes.GetProperty(e.GetProperty("shape").GetString()!);
            var wire = shape.TryGetProperty("error", out var err) && err.TryGetProperty("code", out var c) ? c.GetString() : e.GetProperty("shape").GetString();
            return wire == code;
        });

    /// <summary>Problems found in an awsJson response body (empty when it conforms).</summary>
    public IReadOnlyList<string> CheckJson(string operation, JsonNode? body)
    {
        var problems = new List<string>();
        CheckJsonNode(OutputShape(operation), body, "$", problems);
        return problems;
    }

    /// <summary>Problems found in a query XML result element (the resultWrapper element).</summary>
    public IReadOnlyList<string> CheckXml(string operation, XElement result)
    {
        var problems = new List<string>();
        if (result.Name.LocalName != ResultWrapper(operation))
        {
            problems.Add($"result element is {result.Name.LocalName}, model says {ResultWrapper(operation)}");
        }

        CheckXmlElement(OutputShape(operation), result, result.Name.LocalName, problems);
        return problems;
    }

    private void CheckJsonNode(string shapeName, JsonNode? node, string path, List<string> problems)
    {
        var shape = _shapes.GetProperty(shapeName);
        var type = shape.GetProperty("type").GetString();
        if (node is null)
        {
            problems.Add($"{path}: null value for {shapeName}");
            return;
        }

        if (shape.TryGetProperty("document", out _))
        {
            return;
        }

        switch (type)
        {
            case "structure":
                if (node is not JsonObject obj)
                {
                    problems.Add($"{path}: expected object ({shapeName})");
                    return;
                }

                var members = shape.GetProperty("members");
                foreach (var (name, value) in obj)
                {
                    if (!members.TryGetProperty(name, out var member))
                    {
                        problems.Add($"{path}.{name}: not a member of {shapeName}");
                        continue;
                    }

                    CheckJsonNode(member.GetProperty("shape").GetString()!, value, $"{path}.{name}", problems);
                }

                foreach (var required in Required(shape))
                {
                    if (!obj.ContainsKey(required))
                    {
                        problems.Add($"{path}: required member {required} of {shapeName} missing");
                    }
                }

                break;
            case "list":
                if (node is not JsonArray array)
                {
                    problems.Add($"{path}: expected array ({shapeName})");
                    return;
                }

                var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                for (var i = 0; i < array.Count; i++)
                {
                    CheckJsonNode(item, array[i], $"{path}[{i}]", problems);
                }

                break;
            case "map":
                if (node is not JsonObject map)
                {
                    problems.Add($"{path}: expected object map ({shapeName})");
                    return;
                }

                foreach (var (key, value) in map)
                {
                    CheckJsonNode(shape.GetProperty("value").GetProperty("shape").GetString()!, value, $"{path}[{key}]", problems);
                }

                break;
            default:
                CheckJsonScalar(shapeName, shape, type!, node, path, problems);
                break;
        }
    }

    private static void CheckJsonScalar(string shapeName, JsonElement shape, string type, JsonNode node, string path, List<string> problems)
    {
        var kind = node.GetValueKind();
        var ok = type switch
        {
            "string" or "blob" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" or "long" => kind == JsonValueKind.Number && node.GetValue<double>() % 1 == 0,
            "double" or "float" or "timestamp" => kind == JsonValueKind.Number,
            _ => false,
        };
        if (!ok)
        {
            problems.Add($"{path}: {kind} is not a {type} ({shapeName})");
            return;
        }

        if (type == "string" && shape.TryGetProperty("enum", out var values)
            && !values.EnumerateArray().Any(v => v.GetString() == node.GetValue<string>()))
        {
            problems.Add($"{path}: '{node.GetValue<string>()}' is not in enum {shapeName}");
        }
    }

    private void CheckXmlElement(string shapeName, XElement element, string path, List<string> problems)
    {
        var shape = _shapes.GetProperty(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure":
                var members = shape.GetProperty("members");
                foreach (var child in element.Elements())
                {
                    if (!members.TryGetProperty(child.Name.LocalName, out var member))
                    {
                        problems.Add($"{path}/{child.Name.LocalName}: not a member of {shapeName}");
                        continue;
                    }

                    CheckXmlElement(member.GetProperty("shape").GetString()!, child, $"{path}/{child.Name.LocalName}", problems);
                }

                foreach (var required in Required(shape))
                {
                    if (element.Elements().All(e => e.Name.LocalName != required))
                    {
                        problems.Add($"{path}: required member {required} of {shapeName} missing");
                    }
                }

                break;
            case "list":
                var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                var index = 0;
                foreach (var child in element.Elements())
                {
                    index++;
                    if (child.Name.LocalName != "member")
                    {
                        problems.Add($"{path}/{child.Name.LocalName}: list items must be <member>");
                        continue;
                    }

                    CheckXmlElement(item, child, $"{path}/member[{index}]", problems);
                }

                break;
            case "map":
                foreach (var entry in element.Elements())
                {
                    if (entry.Name.LocalName != "entry" || entry.Elements().All(e => e.Name.LocalName != "key"))
                    {
                        problems.Add($"{path}/{entry.Name.LocalName}: map items must be <entry><key/><value/></entry>");
                    }
                }

                break;
            default:
                if (element.HasElements)
                {
                    problems.Add($"{path}: scalar {shapeName} has child elements");
                    return;
                }

                var text = element.Value;
                var ok = type switch
                {
                    "string" or "blob" => true,
                    "boolean" => text is "true" or "false",
                    "integer" or "long" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    "double" or "float" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                    "timestamp" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) && text.Contains('T', StringComparison.Ordinal),
                    _ => false,
                };
                if (!ok)
                {
                    problems.Add($"{path}: '{text}' is not a {type} ({shapeName})");
                }
                else if (type == "string" && shape.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == text)
                         && !(DocumentedExtraEnumValues.TryGetValue(shapeName, out var extra) && extra.Contains(text)))
                {
                    problems.Add($"{path}: '{text}' is not in enum {shapeName}");
                }

                break;
        }
    }

    private static IEnumerable<string> Required(JsonElement shape) =>
        shape.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!) : [];
}
