using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>Maps a <c>hello</c> reply (BSON) to the <see cref="HelloResult"/> discovery reads, plus the connection limits.</summary>
internal static class HelloReply
{
    public const int DefaultMaxBsonObjectSize = 16 * 1024 * 1024;
    public const int DefaultMaxWriteBatchSize = 100_000;

    public static HelloResult ToHelloResult(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new HelloResult
        {
            Ok = BsonNumbers.IsOk(reply),
            IsWritablePrimary = Bool(reply, "isWritablePrimary") || Bool(reply, "ismaster"),
            Secondary = Bool(reply, "secondary"),
            ArbiterOnly = Bool(reply, "arbiterOnly"),
            Hidden = Bool(reply, "hidden"),
            IsReplicaSet = Bool(reply, "isreplicaset"),
            SetName = String(reply, "setName"),
            SetVersion = BsonNumbers.Int32(reply, "setVersion"),
            ElectionId = reply.TryGetValue("electionId", out var e) && e.Type == BsonType.ObjectId ? ObjectIdValue.FromBytes(e.AsObjectId.ToByteArray()) : null,
            Primary = String(reply, "primary"),
            Hosts = Strings(reply, "hosts") ?? [],
            Passives = Strings(reply, "passives") ?? [],
            Arbiters = Strings(reply, "arbiters") ?? [],
            Me = String(reply, "me"),
            MinWireVersion = BsonNumbers.Int32(reply, "minWireVersion") ?? 0,
            MaxWireVersion = BsonNumbers.Int32(reply, "maxWireVersion") ?? 0,
            LogicalSessionTimeoutMinutes = BsonNumbers.Int32(reply, "logicalSessionTimeoutMinutes"),
            TopologyVersion = TopologyVersionOf(reply),
            LastWriteDate = reply.TryGetValue("lastWrite", out var lw) && lw.Type == BsonType.Document
                && lw.AsDocument.TryGetValue("lastWriteDate", out var d) && d.Type == BsonType.DateTime ? d.AsDateTime : null,
            Tags = reply.TryGetValue("tags", out var t) && t.Type == BsonType.Document
                ? t.AsDocument.Where(x => x.Value.Type == BsonType.String).ToDictionary(x => x.Name, x => x.Value.AsString, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            Msg = String(reply, "msg"),
            HelloOk = Bool(reply, "helloOk"),
            SaslSupportedMechs = Strings(reply, "saslSupportedMechs"),
        };
    }

    private static TopologyVersion? TopologyVersionOf(BsonDocument reply)
    {
        if (!reply.TryGetValue("topologyVersion", out var v) || v.Type != BsonType.Document)
        {
            return null;
        }

        var doc = v.AsDocument;
        return doc.TryGetValue("processId", out var p) && p.Type == BsonType.ObjectId
            ? new TopologyVersion(ObjectIdValue.FromBytes(p.AsObjectId.ToByteArray()), BsonNumbers.Int64(doc, "counter") ?? 0)
            : null;
    }

    private static bool Bool(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && (v.Type == BsonType.Boolean ? v.AsBoolean : v.IsNumeric && BsonNumbers.ToDouble(v) != 0);

    private static string? String(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.Type == BsonType.String ? v.AsString : null;

    private static List<string>? Strings(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.Type == BsonType.Array
            ? v.AsArray.Where(x => x.Type == BsonType.String).Select(x => x.AsString).ToList()
            : null;
}

/// <summary>Lenient number reading: servers send counts as int32, int64 or double depending on version.</summary>
internal static class BsonNumbers
{
    public static bool IsOk(BsonDocument reply) =>
        reply.TryGetValue("ok", out var ok) && (ok.Type == BsonType.Boolean ? ok.AsBoolean : ok.IsNumeric && ToDouble(ok) == 1);

    public static double ToDouble(BsonValue value) => value.Type switch
    {
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => value.AsDouble,
        BsonType.Decimal128 => double.Parse(value.AsDecimal128.ToString(), System.Globalization.CultureInfo.InvariantCulture),
        _ => double.NaN,
    };

    public static long? Int64(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsNumeric ? (long)ToDouble(v) : null;

    public static int? Int32(BsonDocument doc, string name) =>
        doc.TryGetValue(name, out var v) && v.IsNumeric ? (int)ToDouble(v) : null;
}
