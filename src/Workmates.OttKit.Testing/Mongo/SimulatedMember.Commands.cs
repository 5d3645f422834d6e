using System.Buffers.Binary;
using System.Text;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>The commands a member answers.</summary>
public sealed partial class SimulatedMember
{
    private static readonly HashSet<string> s_withoutAuthentication = new(StringComparer.OrdinalIgnoreCase)
    {
        "hello", "isMaster", "ismaster", "ping", "saslStart", "saslContinue", "buildInfo", "buildinfo", "endSessions", "getnonce",
    };

    private static readonly HashSet<string> s_clusterMonitor = new(StringComparer.Ordinal)
    {
        "replSetGetStatus", "replSetGetConfig", "serverStatus",
    };

    private BsonDocument Handle(ConnectionSession session, SimulatorRequest request)
    {
        var body = request.Body;
        var name = body.Elements[0].Name;
        var database = body.TryGetValue("$db", out var db) && db.Type == BsonType.String ? db.AsString : "admin";
        var received = new ReceivedCommand(Name, database, name, body, request.Sequences.Values.Sum(s => s.Count), request.WasCompressed, request.OpCode == SimulatorFrames.OpQuery);
        _set.Record(received);
        _set.CommandReceived?.Invoke(this, received);
        if (_set.RequiresAuthentication && session.User is null && !s_withoutAuthentication.Contains(name))
        {
            return Error(13, "Unauthorized", $"Command {name} requires authentication");
        }

        if (s_clusterMonitor.Contains(name) && session.User is { ClusterMonitor: false } user)
        {
            return Error(13, "Unauthorized", $"not authorized on admin to execute command {{ {name}: 1 }} as user {user.Name}");
        }

        var readsFromSecondaryAllowed = request.SecondaryOk
            || (body.TryGetValue("$readPreference", out var rp) && rp.Type == BsonType.Document
                && rp.AsDocument.TryGetValue("mode", out var mode) && mode.Type == BsonType.String && mode.AsString != "primary");
        return name switch
        {
            "hello" or "isMaster" or "ismaster" => Hello(session, body),
            "ping" => Ok(),
            "buildInfo" or "buildinfo" => new BsonDocument { { "version", "8.0.4" }, { "versionArray", new BsonArray { 8, 0, 4, 0 } }, { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "ok", 1.0 } },
            "endSessions" => Ok(),
            "saslStart" => SaslStart(session, body, database),
            "saslContinue" => SaslContinue(session, body),
            "replSetGetStatus" => ReplSetGetStatus(),
            "replSetGetConfig" => ReplSetGetConfig(),
            "replSetStepDown" => ReplSetStepDown(body),
            "serverStatus" => ServerStatus(),
            "listDatabases" => ListDatabases(),
            "listCollections" => ListCollections(database, body),
            "listIndexes" => ListIndexes(database, body),
            "find" when !CanRead(readsFromSecondaryAllowed) => NotPrimary(read: true),
            "find" => Find(database, body),
            "aggregate" when !CanRead(readsFromSecondaryAllowed) => NotPrimary(read: true),
            "aggregate" => Aggregate(database, body),
            "getMore" => GetMore(body),
            "killCursors" => KillCursors(body),
            "insert" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "insert" => Insert(database, body, request),
            "createIndexes" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "createIndexes" => CreateIndexes(database, body),
            "drop" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "drop" => Drop(database, body),
            "create" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "create" => Create(database, body),
            "renameCollection" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "renameCollection" => RenameCollection(body),
            "applyOps" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "applyOps" => ApplyOps(body),
            "update" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "update" => Update(database, body, request),
            "delete" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "delete" => Delete(database, body, request),
            "commitTransaction" or "abortTransaction" when State != SimulatedMemberState.Primary => NotPrimary(read: false),
            "commitTransaction" or "abortTransaction" => Ok(),
            _ => Error(59, "CommandNotFound", $"no such command: '{name}'"),
        };
    }

    /// <summary>
    /// <c>replSetStepDown</c> as mongod 8 answers it: only on the primary (10107 NotWritablePrimary otherwise);
    /// <c>stepDownSecs</c> (required) at least <c>secondaryCatchUpPeriodSecs</c> (default 10); without <c>force</c>, an
    /// electable secondary (reachable, votes, priority &gt; 0) within <c>secondaryCatchUpPeriodSecs</c> of the primary must
    /// exist (262 ExceededTimeLimit otherwise). The most caught-up electable secondary is then elected in a new term.
    /// </summary>
    private BsonDocument ReplSetStepDown(BsonDocument body)
    {
        if (State != SimulatedMemberState.Primary)
        {
            return Error(10107, "NotWritablePrimary", "not primary so can't step down");
        }

        var stepDown = body.Elements[0].Value;
        if (!stepDown.IsNumeric)
        {
            return Error(14, "TypeMismatch", "stepDownSecs must be a number");
        }

        var stepDownSecs = stepDown.ToDouble();
        var catchUp = body.TryGetValue("secondaryCatchUpPeriodSecs", out var c) && c.IsNumeric ? c.ToDouble() : 10;
        var force = body.TryGetValue("force", out var f) && f.Type == BsonType.Boolean && f.AsBoolean;
        if (stepDownSecs < catchUp)
        {
            return Error(2, "BadValue", "stepdown period must be longer than secondaryCatchUpPeriodSecs");
        }

        var electable = _set.Members
            .Where(m => m != this && m.State == SimulatedMemberState.Secondary && m.IsReachable && m.Votes > 0 && m.Priority > 0 && !m.Hidden)
            .OrderBy(m => m.Lag)
            .ThenByDescending(m => m.Priority)
            .FirstOrDefault();
        if (electable is null || (!force && electable.Lag.TotalSeconds > catchUp))
        {
            return Error(262, "ExceededTimeLimit", "No electable secondaries caught up as of " + DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + ". Please use the replSetStepDown command with the argument {force: true} to force node to step down.");
        }

        _set.ElectPrimary(electable.Index);
        return Ok();
    }

    private bool CanRead(bool secondaryAllowed) =>
        State == SimulatedMemberState.Primary || (secondaryAllowed && State == SimulatedMemberState.Secondary);

    private static BsonDocument NotPrimary(bool read) => read
        ? Error(13435, "NotPrimaryNoSecondaryOk", "not primary and secondaryOk=false")
        : Error(10107, "NotWritablePrimary", "not primary");

    private static BsonDocument Ok() => new() { { "ok", 1.0 } };

    private BsonDocument Hello(ConnectionSession session, BsonDocument body)
    {
        var hosts = new BsonArray();
        var arbiters = new BsonArray();
        foreach (var member in _set.Members.Where(m => !m.Hidden))
        {
            (member.State == SimulatedMemberState.Arbiter ? arbiters : hosts).Add(member.Name);
        }

        var now = DateTimeOffset.UtcNow;
        var reply = new BsonDocument
        {
            { "topologyVersionless", true },
        };
        reply.Remove("topologyVersionless");
        reply.Add("helloOk", true);
        reply.Add("isWritablePrimary", State == SimulatedMemberState.Primary);
        if (!body.Elements[0].Name.Equals("hello", StringComparison.Ordinal))
        {
            reply.Add("ismaster", State == SimulatedMemberState.Primary);
        }

        reply.Add("secondary", State == SimulatedMemberState.Secondary);
        if (State == SimulatedMemberState.Arbiter)
        {
            reply.Add("arbiterOnly", true);
        }

        if (Hidden)
        {
            reply.Add("hidden", true);
        }

        reply.Add("setName", _set.SetName);
        reply.Add("setVersion", _set.ConfigVersion);
        reply.Add("hosts", hosts);
        if (arbiters.Count > 0)
        {
            reply.Add("arbiters", arbiters);
        }

        if (_set.Primary is { } primary)
        {
            reply.Add("primary", primary.Name);
        }

        reply.Add("me", Name);
        if (State == SimulatedMemberState.Primary)
        {
            reply.Add("electionId", ElectionId(_set.Term));
        }

        if (Tags.Count > 0)
        {
            var tags = new BsonDocument();
            foreach (var (key, value) in Tags)
            {
                tags.Add(key, value);
            }

            reply.Add("tags", tags);
        }

        var opTime = _set.OpTimeOf(this);
        reply.Add("lastWrite", new BsonDocument
        {
            { "opTime", new BsonDocument { { "ts", opTime }, { "t", _set.Term } } },
            { "lastWriteDate", DateTimeOffset.FromUnixTimeSeconds(opTime.Seconds) },
        });
        reply.Add("maxBsonObjectSize", 16 * 1024 * 1024);
        reply.Add("maxMessageSizeBytes", _set.MaxMessageSizeBytes);
        reply.Add("maxWriteBatchSize", _set.MaxWriteBatchSize);
        reply.Add("localTime", now);
        reply.Add("logicalSessionTimeoutMinutes", 30);
        reply.Add("connectionId", session.Id);
        reply.Add("minWireVersion", 0);
        reply.Add("maxWireVersion", 25);
        reply.Add("readOnly", false);
        if (body.TryGetValue("compression", out var compression) && compression.Type == BsonType.Array
            && compression.AsArray.Any(c => c.Type == BsonType.String && c.AsString == "zlib"))
        {
            session.Compression = true;
            reply.Add("compression", new BsonArray { "zlib" });
        }

        if (body.TryGetValue("saslSupportedMechs", out var mechs) && mechs.Type == BsonType.String)
        {
            var parts = mechs.AsString.Split('.', 2);
            if (parts.Length == 2 && _set.FindUser(parts[0], parts[1]) is not null)
            {
                reply.Add("saslSupportedMechs", new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" });
            }
        }

        if (body.TryGetValue("speculativeAuthenticate", out var speculative) && speculative.Type == BsonType.Document
            && speculative.AsDocument.Contains("saslStart"))
        {
            var start = SaslStart(session, speculative.AsDocument, speculative.AsDocument.TryGetValue("db", out var sdb) ? sdb.AsString : "admin");
            if (start.TryGetValue("ok", out var ok) && ok.AsDouble == 1)
            {
                start.Remove("ok");
                reply.Add("speculativeAuthenticate", start);
            }
        }

        reply.Add("ok", 1.0);
        return reply;
    }

    private static ObjectId ElectionId(long term)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteInt32BigEndian(bytes, int.MaxValue);
        BinaryPrimitives.WriteInt64BigEndian(bytes[4..], term);
        return new ObjectId(bytes);
    }

    private BsonDocument SaslStart(ConnectionSession session, BsonDocument body, string database)
    {
        var mechanism = body["mechanism"].AsString;
        if (mechanism is not ("SCRAM-SHA-1" or "SCRAM-SHA-256"))
        {
            return Error(2, "BadValue", $"Unsupported mechanism {mechanism}");
        }

        var clientFirst = Encoding.UTF8.GetString(body["payload"].AsBinary.Span);
        session.Conversation = new ScramServerConversation(mechanism, clientFirst, user => _set.FindUser(database, user));
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", false },
            { "payload", BsonValue.FromBinary(BsonBinarySubtype.Generic, Encoding.UTF8.GetBytes(session.Conversation.ServerFirst)) },
            { "ok", 1.0 },
        };
    }

    private static BsonDocument SaslContinue(ConnectionSession session, BsonDocument body)
    {
        var conversation = session.Conversation;
        if (conversation is null)
        {
            // the empty exchange after a completed conversation (clients that do not ask to skip it)
            return session.User is not null
                ? new BsonDocument { { "conversationId", 1 }, { "done", true }, { "payload", BsonValue.FromBinary(BsonBinarySubtype.Generic, []) }, { "ok", 1.0 } }
                : Error(17, "ProtocolError", "No SASL session state found");
        }

        session.Conversation = null;
        var result = conversation.Finish(Encoding.UTF8.GetString(body["payload"].AsBinary.Span));
        if (result is not { } success)
        {
            return Error(18, "AuthenticationFailed", "Authentication failed.");
        }

        session.User = success.User;
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", true },
            { "payload", BsonValue.FromBinary(BsonBinarySubtype.Generic, Encoding.UTF8.GetBytes(success.ServerFinal)) },
            { "ok", 1.0 },
        };
    }

    private BsonDocument ReplSetGetStatus()
    {
        var now = DateTimeOffset.UtcNow;
        var members = new BsonArray();
        var primary = _set.Primary;
        foreach (var member in _set.Members)
        {
            var self = member == this;
            var reachable = member.IsReachable || self;
            var opTime = reachable ? _set.OpTimeOf(member) : new BsonTimestamp(0, 0);
            var entry = new BsonDocument
            {
                { "_id", member.Index },
                { "name", member.Name },
                { "health", reachable ? 1.0 : 0.0 },
                { "state", reachable ? (int)member.State : 8 },
                { "stateStr", reachable ? StateString(member.State) : "(not reachable/healthy)" },
                { "uptime", reachable ? (int)(now - member.StartedAt).TotalSeconds : 0 },
                { "optime", new BsonDocument { { "ts", opTime }, { "t", reachable ? _set.Term : -1L } } },
                { "optimeDate", DateTimeOffset.FromUnixTimeSeconds(opTime.Seconds) },
            };
            if (!self)
            {
                var lastHeartbeat = reachable ? now - member.HeartbeatAge : member.UnreachableSince ?? now;
                entry.Add("lastHeartbeat", lastHeartbeat);
                entry.Add("lastHeartbeatRecv", lastHeartbeat);
                entry.Add("pingMs", 0L);
                entry.Add("lastHeartbeatMessage", reachable ? string.Empty : "Error connecting to " + member.Name + " :: caused by :: Connection refused");
            }

            if (reachable && member.State == SimulatedMemberState.Secondary && primary is not null)
            {
                entry.Add("syncSourceHost", primary.Name);
            }

            if (reachable && member.State == SimulatedMemberState.Primary)
            {
                entry.Add("electionTime", new BsonTimestamp((uint)member.ElectionDate.ToUnixTimeSeconds(), 1));
                entry.Add("electionDate", member.ElectionDate);
            }

            entry.Add("configVersion", _set.ConfigVersion);
            entry.Add("configTerm", _set.Term);
            if (self)
            {
                entry.Add("self", true);
            }

            members.Add(entry);
        }

        var voting = _set.Members.Count(m => m.Votes > 0);
        var writableVoting = _set.Members.Count(m => m.Votes > 0 && m.State != SimulatedMemberState.Arbiter);
        var majority = (voting / 2) + 1;
        var committed = _set.OpTimeOf(this);
        return new BsonDocument
        {
            { "set", _set.SetName },
            { "date", now },
            { "myState", (int)State },
            { "term", _set.Term },
            { "heartbeatIntervalMillis", 2000L },
            { "majorityVoteCount", majority },
            { "writeMajorityCount", Math.Min(majority, writableVoting) },
            { "votingMembersCount", voting },
            { "writableVotingMembersCount", writableVoting },
            {
                "optimes", new BsonDocument
                {
                    { "lastCommittedOpTime", new BsonDocument { { "ts", committed }, { "t", _set.Term } } },
                    { "appliedOpTime", new BsonDocument { { "ts", committed }, { "t", _set.Term } } },
                    { "durableOpTime", new BsonDocument { { "ts", committed }, { "t", _set.Term } } },
                }
            },
            { "members", members },
            { "ok", 1.0 },
        };
    }

    private static string StateString(SimulatedMemberState state) => state switch
    {
        SimulatedMemberState.Startup => "STARTUP",
        SimulatedMemberState.Primary => "PRIMARY",
        SimulatedMemberState.Secondary => "SECONDARY",
        SimulatedMemberState.Recovering => "RECOVERING",
        SimulatedMemberState.Startup2 => "STARTUP2",
        SimulatedMemberState.Arbiter => "ARBITER",
        SimulatedMemberState.Rollback => "ROLLBACK",
        _ => "UNKNOWN",
    };

    private BsonDocument ReplSetGetConfig()
    {
        var members = new BsonArray();
        foreach (var member in _set.Members)
        {
            var tags = new BsonDocument();
            foreach (var (key, value) in member.Tags)
            {
                tags.Add(key, value);
            }

            members.Add(new BsonDocument
            {
                { "_id", member.Index },
                { "host", member.Name },
                { "arbiterOnly", member.State == SimulatedMemberState.Arbiter },
                { "buildIndexes", true },
                { "hidden", member.Hidden },
                { "priority", member.Hidden ? 0.0 : member.Priority },
                { "tags", tags },
                { "secondaryDelaySecs", 0L },
                { "votes", member.Votes },
            });
        }

        return new BsonDocument
        {
            {
                "config", new BsonDocument
                {
                    { "_id", _set.SetName },
                    { "version", _set.ConfigVersion },
                    { "term", _set.Term },
                    { "members", members },
                    { "protocolVersion", 1L },
                    { "writeConcernMajorityJournalDefault", true },
                    { "settings", new BsonDocument { { "heartbeatIntervalMillis", 2000 }, { "electionTimeoutMillis", 10000 } } },
                }
            },
            { "ok", 1.0 },
        };
    }

    private BsonDocument ServerStatus()
    {
        var now = DateTimeOffset.UtcNow;
        var hosts = new BsonArray();
        foreach (var member in _set.Members)
        {
            hosts.Add(member.Name);
        }

        var oplog = _set.Data.Find("local", "oplog.rs")?.Documents.Count ?? 0;
        var inserts = _set.ReceivedCommands.Count(c => c.Name == "insert");
        var repl = new BsonDocument
        {
            { "setName", _set.SetName },
            { "setVersion", _set.ConfigVersion },
            { "isWritablePrimary", State == SimulatedMemberState.Primary },
            { "secondary", State == SimulatedMemberState.Secondary },
            { "hosts", hosts },
            { "me", Name },
        };
        if (_set.Primary is { } primary)
        {
            repl.Add("primary", primary.Name);
        }

        return new BsonDocument
        {
            { "host", Name },
            { "version", "8.0.4" },
            { "process", "mongod" },
            { "pid", (long)Environment.ProcessId },
            { "uptime", (now - StartedAt).TotalSeconds },
            { "uptimeMillis", (long)(now - StartedAt).TotalMilliseconds },
            { "localTime", now },
            { "connections", new BsonDocument { { "current", _connections.Count }, { "available", 838_860 - _connections.Count }, { "totalCreated", _nextConnectionId } } },
            { "opcounters", new BsonDocument { { "insert", (long)inserts }, { "query", 0L }, { "update", 0L }, { "delete", 0L }, { "getmore", 0L }, { "command", (long)_set.ReceivedCommands.Count } } },
            { "repl", repl },
            { "oplogEntries", (long)oplog },
            { "ok", 1.0 },
        };
    }

    private BsonDocument ListDatabases()
    {
        var databases = new BsonArray();
        long total = 0;
        foreach (var group in _set.Data.Collections.GroupBy(c => c.Database).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var size = group.Sum(c => c.DataSize);
            total += size;
            databases.Add(new BsonDocument { { "name", group.Key }, { "sizeOnDisk", size }, { "empty", size == 0 } });
        }

        return new BsonDocument { { "databases", databases }, { "totalSize", total }, { "totalSizeMb", total / (1024 * 1024) }, { "ok", 1.0 } };
    }

    private BsonDocument ListCollections(string database, BsonDocument body)
    {
        var filter = body.TryGetValue("filter", out var f) && f.Type == BsonType.Document ? f.AsDocument : new BsonDocument();
        var nameOnly = body.TryGetValue("nameOnly", out var no) && no.Type == BsonType.Boolean && no.AsBoolean;
        var batch = new BsonArray();
        foreach (var collection in _set.Data.Collections.Where(c => c.Database == database).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var entry = new BsonDocument { { "name", collection.Name }, { "type", collection.Type } };
            if (!Matches(entry, filter))
            {
                continue;
            }

            if (!nameOnly)
            {
                entry.Add("options", collection.Options);
                if (collection.Type == "view")
                {
                    entry.Add("info", new BsonDocument("readOnly", true));
                }
                else
                {
                    entry.Add("info", new BsonDocument { { "readOnly", false }, { "uuid", BsonValue.FromGuid(collection.Uuid) } });
                    if (collection.Indexes.FirstOrDefault(i => i["name"].AsString == "_id_") is { } idIndex)
                    {
                        entry.Add("idIndex", idIndex);
                    }
                }
            }

            batch.Add(entry);
        }

        return CursorReply($"{database}.$cmd.listCollections", 0, batch, "firstBatch");
    }

    private BsonDocument Create(string database, BsonDocument body)
    {
        var name = body["create"].AsString;
        var options = new BsonDocument();
        foreach (var element in body)
        {
            if (element.Name is not ("create" or "$db" or "$readPreference" or "lsid" or "$clusterTime" or "writeConcern"))
            {
                options.Add(element.Name, element.Value);
            }
        }

        return _set.Data.Create(database, name, options) is { } error
            ? Error(48, "NamespaceExists", error)
            : Ok();
    }

    private BsonDocument RenameCollection(BsonDocument body)
    {
        static (string Database, string Collection) Split(string ns)
        {
            var dot = ns.IndexOf('.', StringComparison.Ordinal);
            return (ns[..dot], ns[(dot + 1)..]);
        }

        var (fromDatabase, fromCollection) = Split(body["renameCollection"].AsString);
        var (toDatabase, toCollection) = Split(body["to"].AsString);
        var dropTarget = body.TryGetValue("dropTarget", out var d) && d.Type == BsonType.Boolean && d.AsBoolean;
        return _set.Data.Rename(fromDatabase, fromCollection, toDatabase, toCollection, dropTarget) is { } error
            ? Error(error.Code, error.Code switch { 26 => "NamespaceNotFound", 48 => "NamespaceExists", _ => "CommandNotSupportedOnView" }, error.Message)
            : Ok();
    }

    private BsonDocument ApplyOps(BsonDocument body)
    {
        var results = new BsonArray();
        var applied = 0;
        foreach (var operation in body["applyOps"].AsArray)
        {
            if (_set.Data.Apply(operation.AsDocument) is { } error)
            {
                results.Add(false);
                var exists = error.Contains("already exists", StringComparison.Ordinal);
                return new BsonDocument { { "applied", applied }, { "results", results }, { "ok", 0.0 }, { "errmsg", error }, { "code", exists ? 48 : 2 }, { "codeName", exists ? "NamespaceExists" : "BadValue" } };
            }

            results.Add(true);
            applied++;
        }

        return new BsonDocument { { "applied", applied }, { "results", results }, { "ok", 1.0 } };
    }

    private BsonDocument ListIndexes(string database, BsonDocument body)
    {
        var name = body["listIndexes"].AsString;
        if (_set.Data.Find(database, name) is not { } collection)
        {
            return Error(26, "NamespaceNotFound", $"ns does not exist: {database}.{name}");
        }

        return CursorReply($"{database}.{name}", 0, new BsonArray(collection.Indexes.Select(i => (BsonValue)i)), "firstBatch");
    }

    private BsonDocument Find(string database, BsonDocument body)
    {
        var name = body["find"].AsString;
        var filter = body.TryGetValue("filter", out var f) && f.Type == BsonType.Document ? f.AsDocument : new BsonDocument();
        var documents = _set.Data.Snapshot(database, name).Where(d => Matches(d, filter)).ToList();
        if (body.TryGetValue("sort", out var sort) && sort.Type == BsonType.Document && sort.AsDocument.TryGetValue("$natural", out var natural) && BsonNumber(natural) < 0)
        {
            documents.Reverse();
        }

        if (Number(body, "skip") is { } skip)
        {
            documents = documents.Skip((int)skip).ToList();
        }

        if (Number(body, "limit") is { } limit && limit > 0)
        {
            documents = documents.Take((int)limit).ToList();
        }

        var batchSize = (int)(Number(body, "batchSize") ?? _set.DefaultBatchSize);
        if (Flag(body, "tailable"))
        {
            return TailableFind(database, name, filter, batchSize, Flag(body, "awaitData"));
        }

        if (Flag(body, "awaitData"))
        {
            return Error(9, "FailedToParse", "Cannot set 'awaitData' without also setting 'tailable'");
        }

        return FirstBatch($"{database}.{name}", documents, batchSize, body.TryGetValue("singleBatch", out var sb) && sb.Type == BsonType.Boolean && sb.AsBoolean);
    }

    private BsonDocument Aggregate(string database, BsonDocument body)
    {
        var name = body["aggregate"].Type == BsonType.String ? body["aggregate"].AsString : "$cmd.aggregate";
        var collection = _set.Data.Find(database, name);
        IEnumerable<BsonDocument> documents = _set.Data.Snapshot(database, name);
        foreach (var stage in body["pipeline"].AsArray)
        {
            var spec = stage.AsDocument.Elements[0];
            documents = spec.Name switch
            {
                "$match" => documents.Where(d => Matches(d, spec.Value.AsDocument)).ToList(),
                "$limit" => documents.Take((int)BsonNumber(spec.Value)).ToList(),
                "$skip" => documents.Skip((int)BsonNumber(spec.Value)).ToList(),
                "$collStats" when collection is null => [],
                "$collStats" => [CollStats(collection)],
                "$group" => Group(documents, spec.Value.AsDocument),
                "$count" => CountStage(documents, spec.Value.AsString),
                _ => documents,
            };
        }

        var batchSize = body.TryGetValue("cursor", out var cursor) && cursor.Type == BsonType.Document ? Number(cursor.AsDocument, "batchSize") : null;
        return FirstBatch($"{database}.{name}", documents.ToList(), (int)(batchSize ?? _set.DefaultBatchSize), singleBatch: false);
    }

    private BsonDocument CollStats(SimulatedNamespace collection)
    {
        var size = collection.DataSize;
        var count = collection.Documents.Count;
        return new BsonDocument
        {
            { "ns", $"{collection.Database}.{collection.Name}" },
            { "host", Name },
            { "localTime", DateTimeOffset.UtcNow },
            {
                "storageStats", new BsonDocument
                {
                    { "size", size },
                    { "count", (long)count },
                    { "avgObjSize", count == 0 ? 0L : size / count },
                    { "storageSize", size },
                    { "nindexes", collection.Indexes.Count },
                    { "totalIndexSize", (long)collection.Indexes.Count * 4096 },
                    { "capped", collection.Options.TryGetValue("capped", out var capped) && capped.Type == BsonType.Boolean && capped.AsBoolean },
                    { "maxSize", collection.Database == "local" && collection.Name == "oplog.rs" ? _set.Data.OplogSizeBytes : (collection.Options.TryGetValue("size", out var max) && max.IsNumeric ? (long)BsonNumber(max) : 0L) },
                }
            },
            { "count", new BsonDocument("count", (long)count) },
        };
    }

    private BsonDocument FirstBatch(string ns, List<BsonDocument> documents, int batchSize, bool singleBatch)
    {
        batchSize = batchSize <= 0 ? int.MaxValue : batchSize;
        var first = documents.Take(batchSize).ToList();
        long id = 0;
        if (!singleBatch && documents.Count > first.Count)
        {
            id = _set.OpenCursor(ns, documents.Skip(first.Count).ToList());
        }

        return CursorReply(ns, id, new BsonArray(first.Select(d => (BsonValue)d)), "firstBatch");
    }

    private BsonDocument GetMore(BsonDocument body)
    {
        var id = body["getMore"].Type == BsonType.Int64 ? body["getMore"].AsInt64 : (long)BsonNumber(body["getMore"]);
        if (_set.FindCursor(id) is not { } cursor)
        {
            return Error(43, "CursorNotFound", $"cursor id {id} not found");
        }

        var batchSize = (int)(Number(body, "batchSize") ?? int.MaxValue);
        if (cursor.Tail is not null)
        {
            return TailableGetMore(id, cursor, body, batchSize);
        }

        if (body.Contains("maxTimeMS"))
        {
            return Error(2, "BadValue", "cannot set maxTimeMS on getMore command for a non-awaitData cursor");
        }

        lock (cursor)
        {
            var batch = cursor.Remaining.Take(batchSize).ToList();
            cursor.Remaining.RemoveRange(0, batch.Count);
            var remainingId = cursor.Remaining.Count == 0 ? 0 : id;
            if (remainingId == 0)
            {
                _set.CloseCursor(id);
            }

            return CursorReply(cursor.Namespace, remainingId, new BsonArray(batch.Select(d => (BsonValue)d)), "nextBatch");
        }
    }

    private BsonDocument KillCursors(BsonDocument body)
    {
        var killed = new BsonArray();
        var notFound = new BsonArray();
        foreach (var value in body["cursors"].AsArray)
        {
            var id = value.Type == BsonType.Int64 ? value.AsInt64 : (long)BsonNumber(value);
            (_set.CloseCursor(id) ? killed : notFound).Add(id);
        }

        return new BsonDocument { { "cursorsKilled", killed }, { "cursorsNotFound", notFound }, { "cursorsAlive", new BsonArray() }, { "cursorsUnknown", new BsonArray() }, { "ok", 1.0 } };
    }

    private BsonDocument Insert(string database, BsonDocument body, SimulatorRequest request)
    {
        var name = body["insert"].AsString;
        var documents = new List<BsonDocument>();
        if (body.TryGetValue("documents", out var inline) && inline.Type == BsonType.Array)
        {
            documents.AddRange(inline.AsArray.Select(d => d.AsDocument));
        }

        if (request.Sequences.TryGetValue("documents", out var sequence))
        {
            documents.AddRange(sequence);
        }

        if (documents.Count > _set.MaxWriteBatchSize)
        {
            return Error(16, "InvalidLength", $"Write batch sizes must be between 1 and {_set.MaxWriteBatchSize}. Got {documents.Count} operations.");
        }

        var ordered = !body.TryGetValue("ordered", out var o) || o.Type != BsonType.Boolean || o.AsBoolean;
        var n = 0;
        var writeErrors = new BsonArray();
        for (var i = 0; i < documents.Count; i++)
        {
            if (_set.Data.Insert(database, name, documents[i]) is { } error)
            {
                writeErrors.Add(new BsonDocument { { "index", i }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "errmsg", error } });
                if (ordered)
                {
                    break;
                }
            }
            else
            {
                n++;
            }
        }

        var reply = new BsonDocument { { "n", n } };
        if (writeErrors.Count > 0)
        {
            reply.Add("writeErrors", writeErrors);
        }

        reply.Add("ok", 1.0);
        return reply;
    }

    private BsonDocument CreateIndexes(string database, BsonDocument body)
    {
        var name = body["createIndexes"].AsString;
        var existed = _set.Data.Find(database, name) is not null;
        if (!existed)
        {
            _set.Data.Create(database, name, new BsonDocument());
        }

        var collection = _set.Data.Find(database, name)!;
        if (collection.Type == "view")
        {
            return Error(166, "CommandNotSupportedOnView", $"Namespace {database}.{name} is a view, not a collection");
        }

        var before = collection.Indexes.Count;
        foreach (var index in body["indexes"].AsArray)
        {
            _set.Data.CreateIndex(database, name, index.AsDocument);
        }

        return new BsonDocument
        {
            { "numIndexesBefore", before },
            { "numIndexesAfter", collection.Indexes.Count },
            { "createdCollectionAutomatically", !existed },
            { "ok", 1.0 },
        };
    }

    private BsonDocument Drop(string database, BsonDocument body)
    {
        var name = body["drop"].AsString;
        var collection = _set.Data.Find(database, name);
        if (collection is null || !_set.Data.Drop(database, name))
        {
            return Error(26, "NamespaceNotFound", "ns not found");
        }

        return new BsonDocument { { "nIndexesWas", collection.Indexes.Count }, { "ns", $"{database}.{name}" }, { "ok", 1.0 } };
    }

    private static BsonDocument CursorReply(string ns, long id, BsonArray batch, string batchName) => new()
    {
        { "cursor", new BsonDocument { { batchName, batch }, { "id", id }, { "ns", ns } } },
        { "ok", 1.0 },
    };

    // Top-level fields only, with equality or $gt/$gte/$lt/$lte/$eq/$ne/$in: enough for tests, the driver check and
    // oplog range queries; not a query engine.
    private static bool Matches(BsonDocument document, BsonDocument filter) =>
        filter.All(f => f.Value.Type == BsonType.Document && f.Value.AsDocument.Count > 0 && f.Value.AsDocument.Elements[0].Name.StartsWith('$')
            ? f.Value.AsDocument.All(o => MatchesOperator(document.TryGetValue(f.Name, out var v) ? v : (BsonValue?)null, o.Name, o.Value))
            : document.TryGetValue(f.Name, out var v) && SameValue(v, f.Value));

    private static bool SameValue(BsonValue left, BsonValue right) =>
        left.Equals(right) || (left.IsNumeric && right.IsNumeric && BsonNumber(left) == BsonNumber(right));

    private static bool MatchesOperator(BsonValue? value, string op, BsonValue operand)
    {
        if (op == "$exists")
        {
            return value is not null == operand.AsBoolean;
        }

        if (value is not { } v)
        {
            return op == "$ne";
        }

        return op switch
        {
            "$eq" => SameValue(v, operand),
            "$ne" => !SameValue(v, operand),
            "$in" => operand.AsArray.Any(o => SameValue(v, o)),
            "$gt" => Compare(v, operand) is > 0,
            "$gte" => Compare(v, operand) is >= 0,
            "$lt" => Compare(v, operand) is < 0,
            "$lte" => Compare(v, operand) is <= 0,
            _ => throw new NotSupportedException($"The simulator does not support {op}."),
        };
    }

    private static int? Compare(BsonValue left, BsonValue right)
    {
        if (left.IsNumeric && right.IsNumeric)
        {
            return BsonNumber(left).CompareTo(BsonNumber(right));
        }

        if (left.Type != right.Type)
        {
            return null;
        }

        return left.Type switch
        {
            BsonType.Timestamp => left.AsTimestamp.CompareTo(right.AsTimestamp),
            BsonType.String => string.CompareOrdinal(left.AsString, right.AsString),
            BsonType.DateTime => left.AsDateTimeMilliseconds.CompareTo(right.AsDateTimeMilliseconds),
            _ => null,
        };
    }

    private static double? Number(BsonDocument document, string name) =>
        document.TryGetValue(name, out var v) && v.IsNumeric ? BsonNumber(v) : null;

    private static double BsonNumber(BsonValue value) => value.Type switch
    {
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => value.AsDouble,
        _ => 0,
    };
}
