using System.Text.Json.Nodes;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>
/// How CloudFormation templates differ from plain JSON: intrinsic functions stand for values known at deploy time,
/// <c>Fn::If</c> chooses between two values, <c>Ref: AWS::NoValue</c> removes a property, and dynamic references
/// (<c>{{resolve:…}}</c>) stand for secrets and parameters.
/// </summary>
internal sealed class CloudFormationDialect(bool lenientScalars) : JsonInstanceDialect
{
    public static CloudFormationDialect Lenient { get; } = new(lenientScalars: true);

    public static CloudFormationDialect Strict { get; } = new(lenientScalars: false);

    public override bool LenientScalars => lenientScalars;

    public override InstanceNodeKind Classify(JsonObject node)
    {
        if (!IsIntrinsic(node, out var name, out var argument))
        {
            return InstanceNodeKind.Plain;
        }

        return name == "Fn::If" && argument is JsonArray { Count: 3 } ? InstanceNodeKind.Conditional : InstanceNodeKind.Opaque;
    }

    public override IEnumerable<JsonNode?> Branches(JsonObject node) =>
        node.First().Value is JsonArray { Count: 3 } arguments ? [arguments[1], arguments[2]] : [];

    public override bool IsAbsent(JsonNode? node) =>
        node is JsonObject { Count: 1 } obj && JsonValues.TryGetString(obj["Ref"], out var target) && target == "AWS::NoValue";

    public override bool IsDeployTimeString(string value) => value.Contains("{{resolve:", StringComparison.Ordinal);

    /// <summary>An intrinsic function: an object with exactly one key, <c>Ref</c> or <c>Fn::…</c>.</summary>
    public static bool IsIntrinsic(JsonNode? node, out string name, out JsonNode? argument)
    {
        if (node is JsonObject { Count: 1 } obj)
        {
            var (key, value) = obj.First();
            if (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal))
            {
                name = key;
                argument = value;
                return true;
            }
        }

        name = string.Empty;
        argument = null;
        return false;
    }
}
