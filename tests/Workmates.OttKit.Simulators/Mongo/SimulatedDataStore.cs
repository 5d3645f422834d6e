using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>A collection (namespace) in the simulator: documents in insertion order and index specifications.</summary>
public sealed class SimulatedNamespace
{
    internal SimulatedNamespace(string database, string name)
    {
        Database = database;
        Name = name;
        Indexes.Add(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });
    }

    /// <summary>The database name.</summary>
    public string Database { get; }

    /// <summary>The collection name.</summary>
    public string Name { get; }

    /// <summary>The documents, in insertion order.</summary>
    public List<BsonDocument> Documents { get; } = [];

    /// <summary>Index specifications (<c>v</c>, <c>key</c>, <c>name</c>, options).</summary>
    public List<BsonDocument> Indexes { get; } = [];

    /// <summary>The BSON size of all documents.</summary>
    public long DataSize => Documents.Sum(d => (long)d.ToBson().Length);
}

/// <summary>
/// The data every member serves. Replication is instantaneous here (all members read the same store); lag exists only
/// in the optimes the status commands report, which is what health checks look at.
/// </summary>
public sealed class SimulatedDataStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Database, string Collection), SimulatedNamespace> _collections = [];
    private readonly Func<long> _term;
    private uint _increment;
    private BsonTimestamp _lastOpTime;

    internal SimulatedDataStore(Func<long> term, DateTimeOffset start)
    {
        _term = term;
        _lastOpTime = new BsonTimestamp((uint)start.ToUnixTimeSeconds(), 1);
        LastWriteDate = start;
        GetOrCreate("local", "oplog.rs");
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

    /// <summary>Removes a collection; false when it did not exist.</summary>
    public bool Drop(string database, string collection)
    {
        lock (_lock)
        {
            return _collections.Remove((database, collection));
        }
    }

    /// <summary>All collections.</summary>
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
                var now = DateTimeOffset.UtcNow;
                var seconds = (uint)now.ToUnixTimeSeconds();
                _increment = seconds == _lastOpTime.Seconds ? _increment + 1 : 1;
                _lastOpTime = new BsonTimestamp(Math.Max(seconds, _lastOpTime.Seconds), _increment);
                LastWriteDate = now;
                GetOrCreate("local", "oplog.rs").Documents.Add(new BsonDocument
                {
                    { "ts", _lastOpTime },
                    { "t", _term() },
                    { "v", 2L },
                    { "op", "i" },
                    { "ns", $"{database}.{collection}" },
                    { "o", document },
                    { "wall", now },
                });
            }

            return null;
        }
    }
}
