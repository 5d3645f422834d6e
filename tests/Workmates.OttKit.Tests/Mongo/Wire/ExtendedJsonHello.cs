using System.Globalization;
using System.Text.Json;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Tests.Mongo.Wire;

/// <summary>Maps the Extended JSON hello replies and error replies of the SDAM suites onto the typed models.</summary>
internal static class ExtendedJsonHello
{
    public static HelloResult? ToHello(JsonElement reply)
    {
        if (reply.ValueKind != JsonValueKind.Object || !reply.EnumerateObject().Any())
        {
            return null;
        }

        return new HelloResult
        {
            Ok = Truthy(reply, "ok"),
            IsWritablePrimary = Truthy(reply, "isWritablePrimary") || Truthy(reply, "ismaster"),
            Secondary = Truthy(reply, "secondary"),
            ArbiterOnly = Truthy(reply, "arbiterOnly"),
            Hidden = Truthy(reply, "hidden"),
            IsReplicaSet = Truthy(reply, "isreplicaset"),
            SetName = String(reply, "setName"),
            SetVersion = reply.TryGetProperty("setVersion", out var sv) && sv.ValueKind != JsonValueKind.Null ? (int)Int64(sv) : null,
            ElectionId = reply.TryGetProperty("electionId", out var e) ? ObjectId(e) : null,
            Primary = String(reply, "primary"),
            Hosts = Strings(reply, "hosts"),
            Passives = Strings(reply, "passives"),
            Arbiters = Strings(reply, "arbiters"),
            Me = String(reply, "me"),
            MinWireVersion = reply.TryGetProperty("minWireVersion", out var min) ? (int)Int64(min) : 0,
            MaxWireVersion = reply.TryGetProperty("maxWireVersion", out var max) ? (int)Int64(max) : 0,
            LogicalSessionTimeoutMinutes = reply.TryGetProperty("logicalSessionTimeoutMinutes", out var ls) && ls.ValueKind != JsonValueKind.Null ? (int)Int64(ls) : null,
            TopologyVersion = reply.TryGetProperty("topologyVersion", out var tv) ? TopologyVersionOf(tv) : null,
            LastWriteDate = reply.TryGetProperty("lastWrite", out var lw) && lw.TryGetProperty("lastWriteDate", out var date) ? Date(date) : null,
            Tags = reply.TryGetProperty("tags", out var tags) ? tags.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : new Dictionary<string, string>(),
            Msg = String(reply, "msg"),
            HelloOk = Truthy(reply, "helloOk"),
        };
    }

    public static CommandErrorReply ToErrorReply(JsonElement reply) => new(
        Truthy(reply, "ok"),
        reply.TryGetProperty("code", out var code) ? (int)Int64(code) : null,
        String(reply, "errmsg"),
        reply.TryGetProperty("topologyVersion", out var tv) ? TopologyVersionOf(tv) : null,
        reply.TryGetProperty("writeConcernError", out var wce) && wce.TryGetProperty("code", out var wceCode) ? (int)Int64(wceCode) : null);

    public static ObjectIdValue? ObjectId(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$oid", out var oid) ? ObjectIdValue.Parse(oid.GetString()!) : null;

    public static TopologyVersion? TopologyVersionOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? new TopologyVersion(ObjectId(value.GetProperty("processId"))!.Value, Int64(value.GetProperty("counter")))
            : null;

    public static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => (long)value.GetDouble(),
        JsonValueKind.Object when value.TryGetProperty("$numberLong", out var l) => long.Parse(l.GetString()!, CultureInfo.InvariantCulture),
        JsonValueKind.Object when value.TryGetProperty("$numberInt", out var i) => long.Parse(i.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"not an integer: {value.GetRawText()}"),
    };

    private static DateTimeOffset? Date(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$date", out var inner))
        {
            return inner.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(inner.GetString()!, CultureInfo.InvariantCulture)
                : DateTimeOffset.FromUnixTimeMilliseconds(Int64(inner));
        }

        return value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(Int64(value)) : null;
    }

    private static bool Truthy(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => value.GetDouble() != 0,
            _ => false,
        };

    private static string? String(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : [];
}
