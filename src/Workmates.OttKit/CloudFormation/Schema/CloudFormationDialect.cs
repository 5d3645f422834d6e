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

    public override JsonInstanceDialect WithExactScalars => lenientScalars ? Strict : this;

    public override InstanceNodeKind Classify(JsonObject node)
    {
        if (!IsIntrinsic(node, out var name, out var argument))
        {
            return InstanceNodeKind.Plain;
        }

        return name == "Fn::If" && argument is JsonArray { Count: 3 } ? InstanceNodeKind.Conditional : InstanceNodeKind.Opaque;
    }

    public override string? OpaqueMismatch(JsonObject node, JsonTypes expected)
    {
        if (!IsIntrinsic(node, out var name, out _))
        {
            return null;
        }

        const JsonTypes scalars = JsonTypes.String | JsonTypes.Number | JsonTypes.Integer | JsonTypes.Boolean;
        return name switch
        {
            // CloudFormation converts strings to numbers and booleans, so only arrays and objects are out of reach.
            "Fn::Sub" or "Fn::Join" or "Fn::Base64" or "Fn::ImportValue" or "Fn::ToJsonString" when (expected & scalars) == 0 =>
                $"{name} returns a string, but {Describe(expected)} is expected here; write the value itself or use a function that returns one",
            "Fn::GetAZs" or "Fn::Split" or "Fn::Cidr" when (expected & JsonTypes.Array) == 0 =>
                $"{name} returns a list, but {Describe(expected)} is expected here; pick one item with Fn::Select",
            "Fn::Length" when (expected & (JsonTypes.Number | JsonTypes.Integer | JsonTypes.String)) == 0 =>
                $"{name} returns a number, but {Describe(expected)} is expected here",
            _ => null,
        };
    }

    private static string Describe(JsonTypes types) =>
        string.Join(" or ", Enum.GetValues<JsonTypes>().Where(t => t != JsonTypes.None && types.HasFlag(t)).Select(t => t switch
        {
            JsonTypes.Object => "an object",
            JsonTypes.Array => "an array",
            JsonTypes.Integer => "an integer",
            JsonTypes.Null => "null",
            _ => "a " + t.ToString().ToLowerInvariant(),
        }));

    public override IEnumerable<JsonNode?> Branches(JsonObject node) =>
        node.GetAt(0).Value is JsonArray { Count: 3 } arguments ? [arguments[1], arguments[2]] : [];

    public override bool IsAbsent(JsonNode? node) =>
        node is JsonObject { Count: 1 } obj && JsonValues.TryGetString(obj["Ref"], out var target) && target == "AWS::NoValue";

    public override bool IsDeployTimeString(string value) => value.Contains("{{resolve:", StringComparison.Ordinal);

    /// <summary>An intrinsic function: an object with exactly one key, <c>Ref</c> or <c>Fn::…</c>.</summary>
    public static bool IsIntrinsic(JsonNode? node, out string name, out JsonNode? argument)
    {
        if (node is JsonObject { Count: 1 } obj)
        {
            var (key, value) = obj.GetAt(0);
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
