using System.Text.Json.Nodes;

namespace Workmates.OttKit.CloudFormation;

/// <summary>Converts property trees to System.Text.Json nodes (intrinsics in their long <c>{"Fn::X": …}</c> form).</summary>
internal static class CfnJson
{
    public static JsonNode? ToJsonNode(CfnNode node) => node switch
    {
        CfnObject o => ObjectToJson(o),
        CfnList l => new JsonArray([.. l.Select(ToJsonNode)]),
        Intrinsic i => new JsonObject { [i.Name] = ToJsonNode(i.Argument) },
        CfnScalar s => s.Kind switch
        {
            CfnScalarKind.String => JsonValue.Create(s.StringValue),
            CfnScalarKind.Boolean => JsonValue.Create(s.BooleanValue!.Value),
            CfnScalarKind.Integer => JsonValue.Create(s.IntegerValue!.Value),
            CfnScalarKind.Number => JsonValue.Create(s.NumberValue!.Value),
            _ => null,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static JsonObject ObjectToJson(CfnObject o)
    {
        var json = new JsonObject();
        foreach (var (key, value) in o)
        {
            json.Add(key, ToJsonNode(value));
        }

        return json;
    }
}
