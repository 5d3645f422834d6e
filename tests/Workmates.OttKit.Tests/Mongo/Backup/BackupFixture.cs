using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>Shared arrangements of the backup and restore tests: simulated sets with data, options, comparisons.</summary>
internal static class BackupFixture
{
    public const string User = "backup";
    public const string Password = "backup-Pass1";
    private const string FastOptions = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=5000&connectTimeoutMS=2000&socketTimeoutMS=10000";

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static ReplicaSetSimulator StartSet(int members = 3)
    {
        var simulator = ReplicaSetSimulator.Start(members);
        simulator.AddUser(User, Password);
        return simulator;
    }

    public static string Uri(ReplicaSetSimulator simulator) => simulator.ConnectionString(User, Password, FastOptions);

    public static MongoConnectionString ConnectionString(ReplicaSetSimulator simulator) => MongoConnectionString.Parse(Uri(simulator));

    public static BackupOptions BackupOptions(ReplicaSetSimulator simulator, IProgress<BackupProgress>? progress = null) => new()
    {
        ConnectionString = ConnectionString(simulator),
        Prefix = "tests/mongo",
        BatchSize = 7,
        ExpectedDuration = TimeSpan.Zero,
        ParallelCollections = 3,
        Progress = progress,
    };

    public static RestoreOptions RestoreOptions(ReplicaSetSimulator target, string backupId = "latest") => new()
    {
        ConnectionString = ConnectionString(target),
        Prefix = "tests/mongo",
        BackupId = backupId,
        BatchDocuments = 5,
    };

    /// <summary>One document with a value of every BSON type.</summary>
    public static BsonDocument EveryType(int id) => new()
    {
        { "_id", id },
        { "double", 1.5 + id },
        { "string", $"héllo {id} ✓" },
        { "document", new BsonDocument { { "nested", new BsonDocument("deep", id) } } },
        { "array", new BsonArray { 1, "two", new BsonDocument("three", 3), new BsonArray { 4 } } },
        { "binary", BsonValue.FromBinary(BsonBinarySubtype.Generic, [1, 2, 3, (byte)id]) },
        { "uuid", BsonValue.FromGuid(new Guid(id, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)) },
        { "undefined", BsonValue.Undefined },
        { "objectId", ObjectId.Parse("0123456789abcdef0123456" + (id % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        { "bool", id % 2 == 0 },
        { "date", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + id) },
        { "null", BsonValue.Null },
        { "regex", new BsonRegularExpression("^a.*b$", "im") },
        { "dbPointer", BsonValue.FromDBPointer(new BsonDBPointer("ott.videos", ObjectId.Parse("0123456789abcdef01234567"))) },
        { "javascript", BsonValue.FromJavaScript("function () { return 1; }") },
        { "symbol", BsonValue.FromSymbol("sym") },
        { "javascriptWithScope", BsonValue.FromJavaScriptWithScope(new BsonJavaScriptWithScope("x + y", new BsonDocument { { "x", 1 }, { "y", 2 } })) },
        { "int32", id },
        { "timestamp", new BsonTimestamp(1_700_000_000, (uint)id) },
        { "int64", long.MaxValue - id },
        { "decimal128", Decimal128.Parse("1234.5678E-3") },
        { "minKey", BsonValue.MinKey },
        { "maxKey", BsonValue.MaxKey },
    };

    /// <summary>Two databases with every BSON type, indexes of every kind, collection options and a view.</summary>
    public static void Seed(ReplicaSetSimulator simulator)
    {
        var data = simulator.Data;
        data.Create("ott", "videos", new BsonDocument { { "collation", new BsonDocument { { "locale", "fr" }, { "strength", 2 } } } });
        for (var i = 0; i < 40; i++)
        {
            data.Insert("ott", "videos", EveryType(i));
        }

        data.CreateIndex("ott", "videos", new BsonDocument { { "key", new BsonDocument("string", 1) }, { "name", "string_1" }, { "unique", true } });
        data.CreateIndex("ott", "videos", new BsonDocument { { "key", new BsonDocument { { "int32", 1 }, { "date", -1 } } }, { "name", "int32_1_date_-1" } });
        data.CreateIndex("ott", "videos", new BsonDocument { { "key", new BsonDocument("date", 1) }, { "name", "date_ttl" }, { "expireAfterSeconds", 3600 } });
        data.CreateIndex("ott", "videos", new BsonDocument { { "key", new BsonDocument("double", 1) }, { "name", "double_partial" }, { "partialFilterExpression", new BsonDocument("bool", true) } });

        data.Create("ott", "events", new BsonDocument { { "capped", true }, { "size", 1_048_576L }, { "max", 1000 } });
        for (var i = 0; i < 25; i++)
        {
            data.Insert("ott", "events", new BsonDocument { { "_id", i }, { "kind", "play" }, { "at", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + i) } });
        }

        data.Create("ott", "users", new BsonDocument
        {
            { "validator", new BsonDocument("$jsonSchema", new BsonDocument { { "bsonType", "object" }, { "required", new BsonArray { "email" } } }) },
            { "validationLevel", "strict" },
            { "validationAction", "error" },
        });
        for (var i = 0; i < 12; i++)
        {
            data.Insert("ott", "users", new BsonDocument { { "_id", ObjectId.Create(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), 7, i) }, { "email", $"user{i}@example.com" } });
        }

        data.Create("ott", "playable", new BsonDocument { { "viewOn", "videos" }, { "pipeline", new BsonArray { new BsonDocument("$match", new BsonDocument("bool", true)) } } });

        data.Create("billing", "invoices", new BsonDocument());
        for (var i = 0; i < 9; i++)
        {
            data.Insert("billing", "invoices", new BsonDocument { { "_id", $"inv-{i}" }, { "amount", Decimal128.Parse($"{i}.99") } });
        }

        data.Create("billing", "empty", new BsonDocument());
        data.Insert("config", "system.sessions", new BsonDocument("_id", 1));
    }

    /// <summary>The user namespaces (not local/config, not system.*) of a set, as comparable text.</summary>
    public static SortedDictionary<string, string> Describe(ReplicaSetSimulator simulator, Func<string, string>? rename = null)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var ns in simulator.Data.Collections)
        {
            if (ns.Database is "local" or "config" or "admin" || ns.Name.StartsWith("system.", StringComparison.Ordinal))
            {
                continue;
            }

            var documents = simulator.Data.Snapshot(ns.Database, ns.Name)
                .Select(d => Convert.ToHexString(d.ToBson()))
                .Order(StringComparer.Ordinal);
            var indexes = ns.Indexes.Select(i => i.ToExtendedJson(ExtendedJsonMode.Canonical)).Order(StringComparer.Ordinal);
            var name = rename?.Invoke($"{ns.Database}.{ns.Name}") ?? $"{ns.Database}.{ns.Name}";
            result[name] = $"type={ns.Type}\noptions={ns.Options.ToExtendedJson(ExtendedJsonMode.Canonical)}\nindexes={string.Join("|", indexes)}\ndocuments={string.Join("\n", documents)}";
        }

        return result;
    }

    public static void AssertSameData(ReplicaSetSimulator expected, ReplicaSetSimulator actual, Func<string, string>? rename = null)
    {
        var want = Describe(expected, rename);
        var got = Describe(actual);
        Assert.Equal(want.Keys, got.Keys);
        foreach (var (ns, description) in want)
        {
            Assert.True(description == got[ns], $"{ns} differs.\nexpected:\n{description}\nactual:\n{got[ns]}");
        }
    }

    /// <summary>Records progress events synchronously (Progress&lt;T&gt; posts to the pool).</summary>
    internal sealed class ProgressLog : IProgress<BackupProgress>
    {
        private readonly Lock _gate = new();
        private readonly List<BackupProgress> _events = [];

        public IReadOnlyList<BackupProgress> Events
        {
            get
            {
                lock (_gate)
                {
                    return [.. _events];
                }
            }
        }

        public void Report(BackupProgress value)
        {
            lock (_gate)
            {
                _events.Add(value);
            }
        }
    }
}
