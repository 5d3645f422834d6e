using System.Globalization;
using System.Text.Json;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Reads status documents from JSON: plain JSON, MongoDB Extended JSON v2 (canonical and relaxed) and the legacy forms
/// older shells and tools print (<c>{"$date": &lt;millis&gt;}</c>). Used by tests and by the CLI's status-file input.
/// </summary>
/// <remarks>
/// An observation document has <c>status</c> (the <c>replSetGetStatus</c> reply) and optionally <c>config</c> (the
/// <c>replSetGetConfig</c> reply or its <c>config</c> field), <c>serverStatus</c>, <c>oplog</c> (<c>first</c>, <c>last</c>,
/// <c>usedBytes</c>, <c>maxBytes</c>) and <c>observedAt</c> (defaults to <c>status.date</c>).
/// </remarks>
internal static class ReplicaSetStatusJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static ReplicaSetObservation ParseObservation(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return ReadObservation(document.RootElement, "$");
    }

    public static ReplicaSetStatus ParseStatus(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return ReadStatus(document.RootElement, "$");
    }

    public static ReplicaSetConfig ParseConfig(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = Parse(json);
        return ReadConfig(document.RootElement, "$");
    }

    public static ReplicaSetObservation ReadObservation(JsonElement root, string path)
    {
        RequireObject(root, path);
        var status = ReadStatus(Required(root, "status", path), $"{path}.status");
        var observedAt = Optional(root, "observedAt") is { } at ? ReadDate(at, $"{path}.observedAt") : status.Date;
        return new ReplicaSetObservation
        {
            Status = status,
            Config = Optional(root, "config") is { } config ? ReadConfig(config, $"{path}.config") : null,
            ServerStatus = Optional(root, "serverStatus") is { } server ? ReadServerStatus(server, $"{path}.serverStatus") : null,
            Oplog = Optional(root, "oplog") is { } oplog ? ReadOplog(oplog, $"{path}.oplog") : null,
            ObservedAt = observedAt,
        };
    }

    public static ReplicaSetStatus ReadStatus(JsonElement element, string path)
    {
        RequireObject(element, path);
        var members = Required(element, "members", path);
        if (members.ValueKind != JsonValueKind.Array)
        {
            throw new ReplicaSetStatusFormatException($"{path}.members", $"expected an array, found {members.ValueKind}", null);
        }

        return new ReplicaSetStatus
        {
            Set = ReadString(Required(element, "set", path), $"{path}.set"),
            Date = ReadDate(Required(element, "date", path), $"{path}.date"),
            MyState = (ReplicaSetMemberState)ReadInt32(Optional(element, "myState"), $"{path}.myState", 0),
            Term = ReadNullableInt64(element, "term", path),
            HeartbeatInterval = ReadMillis(element, "heartbeatIntervalMillis", path),
            MajorityVoteCount = ReadNullableInt32(element, "majorityVoteCount", path),
            WriteMajorityCount = ReadNullableInt32(element, "writeMajorityCount", path),
            VotingMembersCount = ReadNullableInt32(element, "votingMembersCount", path),
            WritableVotingMembersCount = ReadNullableInt32(element, "writableVotingMembersCount", path),
            OpTimes = Optional(element, "optimes") is { } optimes ? ReadOpTimes(optimes, $"{path}.optimes") : null,
            Members = [.. members.EnumerateArray().Select((member, i) => ReadMemberStatus(member, $"{path}.members[{i}]"))],
        };
    }

    public static ReplicaSetConfig ReadConfig(JsonElement element, string path)
    {
        RequireObject(element, path);

        // Accept the whole replSetGetConfig reply ({ config: {...}, ok: 1 }) as well as rs.conf()'s bare document.
        if (Optional(element, "config") is { ValueKind: JsonValueKind.Object } inner)
        {
            return ReadConfig(inner, $"{path}.config");
        }

        var members = Required(element, "members", path);
        return new ReplicaSetConfig
        {
            Id = ReadString(Required(element, "_id", path), $"{path}._id"),
            Version = ReadInt32(Optional(element, "version"), $"{path}.version", 0),
            Term = ReadNullableInt64(element, "term", path),
            Members = [.. members.EnumerateArray().Select((member, i) => ReadConfigMember(member, $"{path}.members[{i}]"))],
            Settings = Optional(element, "settings") is { } settings ? ReadSettings(settings, $"{path}.settings") : null,
        };
    }

    public static ServerStatusSummary ReadServerStatus(JsonElement element, string path)
    {
        RequireObject(element, path);
        var repl = Optional(element, "repl");
        return new ServerStatusSummary
        {
            Host = ReadString(Required(element, "host", path), $"{path}.host"),
            Uptime = TimeSpan.FromSeconds(ReadDouble(Required(element, "uptime", path), $"{path}.uptime")),
            ReplicaSetName = repl is { } r && Optional(r, "setName") is { } name ? ReadString(name, $"{path}.repl.setName") : null,
            Me = repl is { } r2 && Optional(r2, "me") is { } me ? ReadString(me, $"{path}.repl.me") : null,
            Primary = repl is { } r3 && Optional(r3, "primary") is { } primary ? ReadString(primary, $"{path}.repl.primary") : null,
            IsWritablePrimary = repl is { } r4 && (Optional(r4, "isWritablePrimary") ?? Optional(r4, "ismaster")) is { } writable
                ? ReadBoolean(writable, $"{path}.repl.isWritablePrimary")
                : null,
        };
    }

    public static OplogWindow ReadOplog(JsonElement element, string path)
    {
        RequireObject(element, path);
        return new OplogWindow
        {
            First = ReadInstant(Required(element, "first", path), $"{path}.first"),
            Last = ReadInstant(Required(element, "last", path), $"{path}.last"),
            UsedBytes = ReadNullableInt64(element, "usedBytes", path),
            MaxBytes = ReadNullableInt64(element, "maxBytes", path),
        };
    }

    private static ReplicaSetMemberStatus ReadMemberStatus(JsonElement element, string path)
    {
        RequireObject(element, path);
        var optime = Optional(element, "optime") is { } value ? ReadOpTime(value, $"{path}.optime") : (OpTime?)null;
        return new ReplicaSetMemberStatus
        {
            Id = ReadInt32(Required(element, "_id", path), $"{path}._id", 0),
            Name = ReadString(Required(element, "name", path), $"{path}.name"),
            Healthy = ReadDouble(Required(element, "health", path), $"{path}.health") >= 1,
            State = (ReplicaSetMemberState)ReadInt32(Required(element, "state", path), $"{path}.state", 0),
            StateText = Optional(element, "stateStr") is { } text ? ReadString(text, $"{path}.stateStr") : null,
            Uptime = Optional(element, "uptime") is { } uptime ? TimeSpan.FromSeconds(ReadDouble(uptime, $"{path}.uptime")) : null,
            OpTime = optime,
            OpTimeDate = Optional(element, "optimeDate") is { } date ? ReadDate(date, $"{path}.optimeDate") : null,
            LastHeartbeat = Optional(element, "lastHeartbeat") is { } heartbeat ? ReadDate(heartbeat, $"{path}.lastHeartbeat") : null,
            LastHeartbeatReceived = Optional(element, "lastHeartbeatRecv") is { } received ? ReadDate(received, $"{path}.lastHeartbeatRecv") : null,
            Ping = ReadMillis(element, "pingMs", path),
            LastHeartbeatMessage = Optional(element, "lastHeartbeatMessage") is { } message ? ReadString(message, $"{path}.lastHeartbeatMessage") : null,
            SyncSourceHost = (Optional(element, "syncSourceHost") ?? Optional(element, "syncingTo")) is { } source ? ReadString(source, $"{path}.syncSourceHost") : null,
            ElectionTime = Optional(element, "electionTime") is { } electionTime ? ReadTimestamp(electionTime, $"{path}.electionTime") : null,
            ElectionDate = Optional(element, "electionDate") is { } electionDate ? ReadDate(electionDate, $"{path}.electionDate") : null,
            ConfigVersion = ReadNullableInt32(element, "configVersion", path),
            ConfigTerm = ReadNullableInt64(element, "configTerm", path),
            Self = Optional(element, "self") is { } self && ReadBoolean(self, $"{path}.self"),
        };
    }

    private static ReplicaSetOpTimes ReadOpTimes(JsonElement element, string path)
    {
        RequireObject(element, path);
        OpTime? Read(string name) => Optional(element, name) is { } value ? ReadOpTime(value, $"{path}.{name}") : null;
        return new ReplicaSetOpTimes
        {
            LastCommitted = Read("lastCommittedOpTime"),
            LastCommittedWallTime = Optional(element, "lastCommittedWallTime") is { } wall ? ReadDate(wall, $"{path}.lastCommittedWallTime") : null,
            ReadConcernMajority = Read("readConcernMajorityOpTime"),
            Applied = Read("appliedOpTime"),
            Durable = Read("durableOpTime"),
        };
    }

    private static ReplicaSetConfigMember ReadConfigMember(JsonElement element, string path)
    {
        RequireObject(element, path);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Optional(element, "tags") is { ValueKind: JsonValueKind.Object } tagObject)
        {
            foreach (var tag in tagObject.EnumerateObject())
            {
                tags[tag.Name] = ReadString(tag.Value, $"{path}.tags.{tag.Name}");
            }
        }

        var delay = Optional(element, "secondaryDelaySecs") ?? Optional(element, "slaveDelay");
        return new ReplicaSetConfigMember
        {
            Id = ReadInt32(Required(element, "_id", path), $"{path}._id", 0),
            Host = ReadString(Required(element, "host", path), $"{path}.host"),
            ArbiterOnly = Optional(element, "arbiterOnly") is { } arbiter && ReadBoolean(arbiter, $"{path}.arbiterOnly"),
            Hidden = Optional(element, "hidden") is { } hidden && ReadBoolean(hidden, $"{path}.hidden"),
            Priority = Optional(element, "priority") is { } priority ? ReadDouble(priority, $"{path}.priority") : 1,
            Votes = Optional(element, "votes") is { } votes ? ReadInt32(votes, $"{path}.votes", 1) : 1,
            SecondaryDelay = delay is { } d ? TimeSpan.FromSeconds(ReadDouble(d, $"{path}.secondaryDelaySecs")) : TimeSpan.Zero,
            Tags = tags,
        };
    }

    private static ReplicaSetSettings ReadSettings(JsonElement element, string path)
    {
        RequireObject(element, path);
        return new ReplicaSetSettings
        {
            HeartbeatInterval = ReadMillis(element, "heartbeatIntervalMillis", path),
            HeartbeatTimeout = Optional(element, "heartbeatTimeoutSecs") is { } timeout ? TimeSpan.FromSeconds(ReadDouble(timeout, $"{path}.heartbeatTimeoutSecs")) : null,
            ElectionTimeout = ReadMillis(element, "electionTimeoutMillis", path),
            ChainingAllowed = Optional(element, "chainingAllowed") is { } chaining ? ReadBoolean(chaining, $"{path}.chainingAllowed") : null,
        };
    }

    private static OpTime ReadOpTime(JsonElement element, string path)
    {
        // Protocol version 0 (MongoDB 3.0 and earlier) reports a bare Timestamp without a term.
        if (Optional(element, "$timestamp") is not null)
        {
            return new OpTime(ReadTimestamp(element, path), -1);
        }

        RequireObject(element, path);
        return new OpTime(
            ReadTimestamp(Required(element, "ts", path), $"{path}.ts"),
            Optional(element, "t") is { } term ? ReadInt64(term, $"{path}.t") : -1);
    }

    private static ReplicationTimestamp ReadTimestamp(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object && Optional(element, "$timestamp") is { ValueKind: JsonValueKind.Object } value)
        {
            return new ReplicationTimestamp(
                ReadUInt32(Required(value, "t", path), $"{path}.$timestamp.t"),
                ReadUInt32(Required(value, "i", path), $"{path}.$timestamp.i"));
        }

        throw new ReplicaSetStatusFormatException(path, "expected a timestamp {\"$timestamp\": {\"t\": <seconds>, \"i\": <increment>}}", null);
    }

    // Oplog bounds may be given as dates or as oplog timestamps.
    private static DateTimeOffset ReadInstant(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object && Optional(element, "$timestamp") is not null
            ? ReadTimestamp(element, path).ToDateTimeOffset()
            : ReadDate(element, path);

    private static DateTimeOffset ReadDate(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return DateTimeOffset.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                case JsonValueKind.Object when Optional(element, "$date") is { } date:
                    return date.ValueKind switch
                    {
                        // Legacy shells and tools: milliseconds since the epoch as a plain number.
                        JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds(date.GetInt64()),

                        // Relaxed Extended JSON v2: ISO-8601 text.
                        JsonValueKind.String => DateTimeOffset.Parse(date.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),

                        // Canonical Extended JSON v2: {"$numberLong": "<millis>"}.
                        _ => DateTimeOffset.FromUnixTimeMilliseconds(ReadInt64(date, $"{path}.$date")),
                    };
                default:
                    break;
            }
        }
        catch (FormatException exception)
        {
            throw new ReplicaSetStatusFormatException(path, "expected an ISO-8601 date", exception);
        }

        throw new ReplicaSetStatusFormatException(path, $"expected a date ({{\"$date\": ...}} or ISO-8601 text), found {element.ValueKind}", null);
    }

    private static long ReadInt64(JsonElement element, string path)
    {
        var value = ReadDouble(element, path, out var exact);
        if (exact is { } whole)
        {
            return whole;
        }

        return value is >= long.MinValue and < long.MaxValue && value == Math.Floor(value)
            ? (long)value
            : throw new ReplicaSetStatusFormatException(path, $"expected a whole number, found {value.ToString(CultureInfo.InvariantCulture)}", null);
    }

    private static int ReadInt32(JsonElement? element, string path, int fallback) =>
        element is { } value ? ToInt32(ReadInt64(value, path), path) : fallback;

    private static int ToInt32(long value, string path) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ReplicaSetStatusFormatException(path, $"{value} is outside the 32-bit integer range", null);

    private static uint ReadUInt32(JsonElement element, string path) =>
        ReadInt64(element, path) is var value and >= 0 and <= uint.MaxValue
            ? (uint)value
            : throw new ReplicaSetStatusFormatException(path, "expected an unsigned 32-bit number", null);

    private static double ReadDouble(JsonElement element, string path) => ReadDouble(element, path, out _);

    // Numbers come as JSON numbers or as Extended JSON wrappers ($numberInt, $numberLong, $numberDouble).
    private static double ReadDouble(JsonElement element, string path, out long? exact)
    {
        exact = null;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var whole))
            {
                exact = whole;
                return whole;
            }

            return element.GetDouble();
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var wrapper in (ReadOnlySpan<string>)["$numberInt", "$numberLong", "$numberDouble"])
            {
                if (Optional(element, wrapper) is { ValueKind: JsonValueKind.String } text)
                {
                    var raw = text.GetString()!;
                    if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                    {
                        exact = whole;
                        return whole;
                    }

                    if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                    {
                        return real;
                    }

                    throw new ReplicaSetStatusFormatException(path, $"{wrapper} holds \"{raw}\", which is not a number", null);
                }
            }
        }

        throw new ReplicaSetStatusFormatException(path, $"expected a number, found {element.ValueKind}", null);
    }

    private static bool ReadBoolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => ReadDouble(element, path) != 0,
    };

    private static string ReadString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ReplicaSetStatusFormatException(path, $"expected a string, found {element.ValueKind}", null);

    private static int? ReadNullableInt32(JsonElement element, string name, string path) =>
        Optional(element, name) is { } value ? ToInt32(ReadInt64(value, $"{path}.{name}"), $"{path}.{name}") : null;

    private static long? ReadNullableInt64(JsonElement element, string name, string path) =>
        Optional(element, name) is { } value ? ReadInt64(value, $"{path}.{name}") : null;

    private static TimeSpan? ReadMillis(JsonElement element, string name, string path) =>
        Optional(element, name) is { } value ? TimeSpan.FromMilliseconds(ReadDouble(value, $"{path}.{name}")) : null;

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static JsonElement Required(JsonElement element, string name, string path) =>
        Optional(element, name) ?? throw new ReplicaSetStatusFormatException($"{path}.{name}", "required field is missing", null);

    private static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ReplicaSetStatusFormatException(path, $"expected an object, found {element.ValueKind}", null);
        }
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            throw new ReplicaSetStatusFormatException("$", $"not valid JSON ({exception.Message})", exception);
        }
    }
}
