using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>A collection or view (namespace) in the simulator: documents in insertion order and index specifications.</summary>
public sealed class SimulatedNamespace
{
    internal SimulatedNamespace(string database, string name, BsonDocument? options = null)
    {
        Database = database;
        Name = name;
        Options = options ?? new BsonDocument();
        Type = Options.Contains("viewOn") ? "view" : "collection";
        if (Type == "collection")
        {
            Indexes.Add(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });
        }
    }

    /// <summary>The database name.</summary>
    public string Database { get; }

    /// <summary>The collection name.</summary>
    public string Name { get; }

    /// <summary>The collection UUID (<c>info.uuid</c>, oplog <c>ui</c>).</summary>
    public Guid Uuid { get; } = Guid.NewGuid();

    /// <summary>The options given to <c>create</c> (capped, size, validator, collation, viewOn, pipeline…).</summary>
    public BsonDocument Options { get; }

    /// <summary><c>collection</c> or <c>view</c>, as <c>listCollections</c> reports it.</summary>
    public string Type { get; }

    /// <summary>The documents, in insertion order.</summary>
    public List<BsonDocument> Documents { get; } = [];

    /// <summary>Index specifications (<c>v</c>, <c>key</c>, <c>name</c>, options).</summary>
    public List<BsonDocument> Indexes { get; } = [];

    /// <summary>The BSON size of all documents.</summary>
    public long DataSize => Documents.Sum(d => (long)d.ToBson().Length);
}

/// <summary>
/// The data every member serves. Replication is instantaneous here (all members read the same store); lag exists only
/// in the optimes the status commands report, which is what health checks look at. Every write appends an entry to
/// the capped oplog <c>local.oplog.rs</c> (ts, t, v, op, ns, ui, o, o2, wall) as mongod does; when the oplog is larger
/// than <see cref="OplogSizeBytes"/>, its oldest entries are dropped (rollover).
/// </summary>
public sealed class SimulatedDataStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Database, string Collection), SimulatedNamespace> _collections = [];
    private readonly Func<long> _term;
    private readonly SimulatedNamespace _oplog;
    private uint _increment = 1;
    private long _oplogBytes;
    private BsonTimestamp _lastOpTime;

    internal SimulatedDataStore(Func<long> term, DateTimeOffset start)
    {
        _term = term;
        _lastOpTime = new BsonTimestamp((uint)start.ToUnixTimeSeconds(), 1);
        LastWriteDate = start;
        _oplog = new SimulatedNamespace("local", "oplog.rs", new BsonDocument { { "capped", true }, { "size", OplogSizeBytes } });
        _oplog.Indexes.Clear();
        _collections[("local", "oplog.rs")] = _oplog;
    }

    /// <summary>The capped size of the oplog; tests set a tiny one to force a rollover.</summary>
    /// <value>Default 64 MiB.</value>
    public long OplogSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The BSON size of the entries the oplog holds now.</summary>
    public long OplogUsedBytes
    {
        get
        {
            lock (_lock)
            {
                return _oplogBytes;
            }
        }
    }

    /// <summary>The optime of the last write (the primary's applied optime).</summary>
    public BsonTimestamp LastOpTime
    {
        get
        {
            lock (_lock)
            {
                return _lastOpTime;
            }
        }
    }

    /// <summary>The wall time of the last write.</summary>
    public DateTimeOffset LastWriteDate { get; private set; }

    /// <summary>Returns the collection, creating it (and its <c>_id_</c> index) when missing.</summary>
    public SimulatedNamespace GetOrCreate(string database, string collection)
    {
        lock (_lock)
        {
            if (!_collections.TryGetValue((database, collection), out var c))
            {
                c = new SimulatedNamespace(database, collection);
                _collections[(database, collection)] = c;
            }

            return c;
        }
    }

    /// <summary>The collection, or null.</summary>
    public SimulatedNamespace? Find(string database, string collection)
    {
        lock (_lock)
        {
            return _collections.GetValueOrDefault((database, collection));
        }
    }

    /// <summary>A copy of a collection's documents taken under the store's lock (empty when it does not exist).</summary>
    public List<BsonDocument> Snapshot(string database, string collection)
    {
        lock (_lock)
        {
            return _collections.TryGetValue((database, collection), out var c) ? [.. c.Documents] : [];
        }
    }

    /// <summary>Removes a collection or view (writing the oplog entry); false when it did not exist.</summary>
    public bool Drop(string database, string collection)
    {
        lock (_lock)
        {
            if (!_collections.Remove((database, collection), out var dropped))
            {
                return false;
            }

            if (dropped.Type == "view" && _collections.TryGetValue((database, "system.views"), out var views))
            {
                views.Documents.RemoveAll(v => v["_id"].AsString == $"{database}.{collection}");
            }

            AppendOplog("c", $"{database}.$cmd", new BsonDocument("drop", collection), null, dropped.Uuid);
            return true;
        }
    }

    /// <summary>
    /// Renames a collection (<c>renameCollection</c>), keeping its documents, options and indexes; with
    /// <paramref name="dropTarget"/> an existing target is replaced in the same step. Returns an error code and
    /// message, or null.
    /// </summary>
    public (int Code, string Message)? Rename(string fromDatabase, string fromCollection, string toDatabase, string toCollection, bool dropTarget)
    {
        lock (_lock)
        {
            if (!_collections.TryGetValue((fromDatabase, fromCollection), out var source))
            {
                return (26, $"Source collection {fromDatabase}.{fromCollection} does not exist");
            }

            if (source.Type == "view")
            {
                return (20, $"cannot rename view {fromDatabase}.{fromCollection}");
            }

            if (_collections.ContainsKey((toDatabase, toCollection)))
            {
                if (!dropTarget)
                {
                    return (48, $"target namespace exists: {toDatabase}.{toCollection}");
                }

                _collections.Remove((toDatabase, toCollection));
            }

            _collections.Remove((fromDatabase, fromCollection));
            var renamed = new SimulatedNamespace(toDatabase, toCollection, source.Options);
            renamed.Indexes.Clear();
            renamed.Indexes.AddRange(source.Indexes);
            renamed.Documents.AddRange(source.Documents);
            _collections[(toDatabase, toCollection)] = renamed;
            AppendOplog("c", $"{fromDatabase}.$cmd", new BsonDocument { { "renameCollection", $"{fromDatabase}.{fromCollection}" }, { "to", $"{toDatabase}.{toCollection}" }, { "dropTarget", dropTarget } }, null, source.Uuid);
            return null;
        }
    }

    /// <summary>All collections (the oplog included).</summary>
    public IReadOnlyList<SimulatedNamespace> Collections
    {
        get
        {
            lock (_lock)
            {
                return [.. _collections.Values];
            }
        }
    }

    /// <summary>
    /// Creates a collection with options (<c>capped</c>, <c>size</c>, <c>validator</c>, <c>collation</c>…) or a view
    /// (<c>viewOn</c>, <c>pipeline</c>; also recorded in <c>system.views</c>). Returns an error message when the
    /// namespace exists.
    /// </summary>
    public string? Create(string database, string name, BsonDocument options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_lock)
        {
            if (_collections.ContainsKey((database, name)))
            {
                return $"Collection {database}.{name} already exists.";
            }

            var created = new SimulatedNamespace(database, name, options);
            _collections[(database, name)] = created;
            if (created.Type == "view")
            {
                var definition = new BsonDocument { { "_id", $"{database}.{name}" }, { "viewOn", options["viewOn"] }, { "pipeline", options.TryGetValue("pipeline", out var p) ? p : new BsonArray() } };
                if (options.TryGetValue("collation", out var collation))
                {
                    definition.Add("collation", collation);
                }

                GetOrCreate(database, "system.views").Documents.Add(definition);
            }

            var entry = new BsonDocument("create", name);
            foreach (var option in options)
            {
                entry.Add(option.Name, option.Value);
            }

            AppendOplog("c", $"{database}.$cmd", entry, null, created.Type == "view" ? null : created.Uuid);
            return null;
        }
    }

    /// <summary>Adds an index specification (creating the collection when missing); false when the name exists.</summary>
    public bool CreateIndex(string database, string collection, BsonDocument specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        lock (_lock)
        {
            var target = GetOrCreate(database, collection);
            var name = specification["name"].AsString;
            if (target.Indexes.Any(i => i["name"].AsString == name))
            {
                return false;
            }

            var stored = new BsonDocument("v", 2);
            foreach (var element in specification)
            {
                if (element.Name != "v")
                {
                    stored.Add(element.Name, element.Value);
                }
            }

            target.Indexes.Add(stored);
            var entry = new BsonDocument("createIndexes", collection);
            foreach (var element in stored)
            {
                entry.Add(element.Name, element.Value);
            }

            AppendOplog("c", $"{database}.$cmd", entry, null, target.Uuid);
            return true;
        }
    }

    /// <summary>
    /// Inserts one document (adding an ObjectId <c>_id</c> when missing) and appends the oplog entry. Returns an error
    /// message for a duplicate <c>_id</c>.
    /// </summary>
    public string? Insert(string database, string collection, BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_lock)
        {
            if (!document.Contains("_id"))
            {
                var withId = new BsonDocument { { "_id", ObjectId.Create(DateTimeOffset.UtcNow, Environment.ProcessId, Random.Shared.Next(1 << 24)) } };
                foreach (var element in document)
                {
                    withId.Add(element.Name, element.Value);
                }

                document = withId;
            }

            var target = GetOrCreate(database, collection);
            var id = document["_id"];
            if (target.Documents.Any(d => d["_id"].Equals(id)))
            {
                return $"E11000 duplicate key error collection: {database}.{collection} index: _id_ dup key: {{ _id: {id} }}";
            }

            target.Documents.Add(document);
            if (database != "local")
            {
                AppendOplog("i", $"{database}.{collection}", document, null, target.Uuid);
            }

            return null;
        }
    }

    /// <summary>Replaces the document with <paramref name="id"/> (a replacement update); false when there is none.</summary>
    public bool Replace(string database, string collection, BsonValue id, BsonDocument replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        lock (_lock)
        {
            if (Find(database, collection) is not { } target || target.Documents.FindIndex(d => d["_id"].Equals(id)) is var index && index < 0)
            {
                return false;
            }

            var document = WithId(id, replacement);
            target.Documents[index] = document;
            AppendOplog("u", $"{database}.{collection}", document, new BsonDocument("_id", id), target.Uuid);
            return true;
        }
    }

    /// <summary>Deletes the document with <paramref name="id"/>; false when there is none.</summary>
    public bool Delete(string database, string collection, BsonValue id)
    {
        lock (_lock)
        {
            if (Find(database, collection) is not { } target || target.Documents.RemoveAll(d => d["_id"].Equals(id)) == 0)
            {
                return false;
            }

            AppendOplog("d", $"{database}.{collection}", new BsonDocument("_id", id), null, target.Uuid);
            return true;
        }
    }

    /// <summary>
    /// Applies one oplog entry as <c>applyOps</c> does: <c>i</c> is an upsert by <c>_id</c>, <c>u</c> replaces or
    /// applies <c>$set</c>/<c>$unset</c> (and a <c>$v: 2</c> diff's top-level fields) to the document named by
    /// <c>o2._id</c>, <c>d</c> deletes, <c>c</c> runs create/drop/createIndexes/dropIndexes, <c>n</c> does nothing.
    /// Returns an error message, or null.
    /// </summary>
    public string? Apply(BsonDocument entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var op = entry["op"].AsString;
        var ns = entry["ns"].AsString;
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return $"invalid ns '{ns}'";
        }

        var database = ns[..dot];
        var collection = ns[(dot + 1)..];
        var o = entry["o"].AsDocument;
        lock (_lock)
        {
            switch (op)
            {
                case "n":
                    return null;
                case "i":
                    var id = o["_id"];
                    return Replace(database, collection, id, o) ? null : Insert(database, collection, o);
                case "d":
                    Delete(database, collection, o["_id"]);
                    return null;
                case "u":
                    var target = entry["o2"].AsDocument["_id"];
                    var current = Find(database, collection)?.Documents.FirstOrDefault(d => d["_id"].Equals(target));
                    if (current is null)
                    {
                        return null;
                    }

                    Replace(database, collection, target, o.Names.Any(n => n.StartsWith('$')) ? ApplyModifiers(current, o) : o);
                    return null;
                case "c":
                    return ApplyCommand(database, o);
                default:
                    return $"unknown op '{op}'";
            }
        }
    }

    private string? ApplyCommand(string database, BsonDocument command)
    {
        var name = command.Elements[0].Name;
        var collection = command.Elements[0].Value.AsString;
        switch (name)
        {
            case "create":
                var options = new BsonDocument();
                foreach (var element in command)
                {
                    if (element.Name is not ("create" or "idIndex"))
                    {
                        options.Add(element.Name, element.Value);
                    }
                }

                return Create(database, collection, options);
            case "drop":
                Drop(database, collection);
                return null;
            case "createIndexes":
                var specification = new BsonDocument();
                foreach (var element in command)
                {
                    if (element.Name != "createIndexes")
                    {
                        specification.Add(element.Name, element.Value);
                    }
                }

                CreateIndex(database, collection, specification);
                return null;
            case "dropIndexes":
                Find(database, collection)?.Indexes.RemoveAll(i => i["name"].AsString == command["index"].AsString);
                return null;
            default:
                return $"applyOps: command '{name}' is not supported by the simulator";
        }
    }

    private static BsonDocument ApplyModifiers(BsonDocument current, BsonDocument update)
    {
        var result = current.DeepClone();
        var set = update.TryGetValue("$set", out var s) ? s.AsDocument : null;
        var unset = update.TryGetValue("$unset", out var u) ? u.AsDocument : null;
        if (update.TryGetValue("diff", out var diff))
        {
            set = new BsonDocument();
            foreach (var part in new[] { "u", "i" })
            {
                if (diff.AsDocument.TryGetValue(part, out var fields))
                {
                    foreach (var field in fields.AsDocument)
                    {
                        set.Add(field.Name, field.Value);
                    }
                }
            }

            unset = diff.AsDocument.TryGetValue("d", out var d) ? d.AsDocument : null;
        }

        foreach (var field in set ?? [])
        {
            result.Set(field.Name, field.Value);
        }

        foreach (var field in unset ?? [])
        {
            result.Remove(field.Name);
        }

        return result;
    }

    private static BsonDocument WithId(BsonValue id, BsonDocument document)
    {
        var result = new BsonDocument { { "_id", id } };
        foreach (var element in document)
        {
            if (element.Name != "_id")
            {
                result.Add(element.Name, element.Value);
            }
        }

        return result;
    }

    // Caller holds _lock.
    private void AppendOplog(string op, string ns, BsonDocument o, BsonDocument? o2, Guid? ui)
    {
        var now = DateTimeOffset.UtcNow;
        var seconds = (uint)now.ToUnixTimeSeconds();
        _increment = seconds <= _lastOpTime.Seconds ? _increment + 1 : 1;
        _lastOpTime = new BsonTimestamp(Math.Max(seconds, _lastOpTime.Seconds), _increment);
        LastWriteDate = now;
        var entry = new BsonDocument
        {
            { "ts", _lastOpTime },
            { "t", _term() },
            { "v", 2L },
            { "op", op },
            { "ns", ns },
        };
        if (ui is { } uuid)
        {
            entry.Add("ui", BsonValue.FromGuid(uuid));
        }

        entry.Add("o", o);
        if (o2 is not null)
        {
            entry.Add("o2", o2);
        }

        entry.Add("wall", now);
        _oplog.Documents.Add(entry);
        _oplogBytes += entry.ToBson().Length;
        var drop = 0;
        while (_oplogBytes > OplogSizeBytes && drop < _oplog.Documents.Count - 1)
        {
            _oplogBytes -= _oplog.Documents[drop].ToBson().Length;
            drop++;
        }

        if (drop > 0)
        {
            _oplog.Documents.RemoveRange(0, drop);
        }
    }
}
