using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Json;
using YamlDotNet.Core;

namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>
/// Reads a template body, JSON or YAML, into a <see cref="JsonNode"/>. YAML short-form functions (<c>!Ref</c>,
/// <c>!Sub</c>, <c>!GetAtt a.b</c>, <c>!If</c>…) become their long forms, and scalars follow YAML 1.2 typing.
/// </summary>
internal static class CloudFormationTemplateText
{
    /// <summary>Parses JSON (text starting with <c>{</c>) or YAML.</summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    /// <exception cref="YamlException">The YAML is malformed.</exception>
    public static JsonNode? Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.TrimStart().StartsWith('{')
            ? JsonNode.Parse(body)
            : YamlJson.Parse(body, ShortForm);
    }

    private static JsonNode? ShortForm(string tag, JsonNode? value)
    {
        var name = tag[1..];
        switch (name)
        {
            case "Ref":
                return new JsonObject { ["Ref"] = value };
            case "Condition":
                return new JsonObject { ["Condition"] = value };
            case "GetAtt" when JsonValues.TryGetString(value, out var dotted) && dotted.IndexOf('.', StringComparison.Ordinal) is var dot and > 0:
                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(dotted[..dot], dotted[(dot + 1)..]) };
            default:
                return new JsonObject { ["Fn::" + name] = value };
        }
    }
}
