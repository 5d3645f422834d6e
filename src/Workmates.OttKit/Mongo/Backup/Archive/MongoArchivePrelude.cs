namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>The archive header document that follows the magic number.</summary>
public sealed record MongoArchiveHeader
{
    /// <summary>The archive format version mongodump writes (<c>"0.1"</c>).</summary>
    public const string CurrentFormatVersion = "0.1";

    /// <summary>Collections dumped in parallel (<c>concurrent_collections</c>, mongodump's <c>-j</c>).</summary>
    /// <value>Default: 4, as mongodump.</value>
    public int ConcurrentCollections { get; init; } = 4;

    /// <summary>Archive format version (<c>version</c>).</summary>
    /// <value>Default: <see cref="CurrentFormatVersion"/>.</value>
    public string FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Version of the server dumped (<c>server_version</c>), for example <c>7.0.16</c>.</summary>
    public required string ServerVersion { get; init; }

    /// <summary>Version of the tool that wrote the archive (<c>tool_version</c>).</summary>
    public required string ToolVersion { get; init; }
}

/// <summary>
/// One prelude entry: a collection the archive carries, with its <c>metadata.json</c> text. mongorestore requires an
/// EOF block for every entry (for a timeseries entry, for its <c>system.buckets.</c> namespace on servers before 8.3).
/// </summary>
public sealed record MongoArchiveCollectionEntry
{
    /// <summary>Database name (<c>db</c>); empty for the oplog entry.</summary>
    public required string Database { get; init; }

    /// <summary>Collection name (<c>collection</c>).</summary>
    public required string Collection { get; init; }

    /// <summary>The <c>metadata.json</c> text (options, indexes, uuid…), stored as a BSON string; empty for the oplog.
    /// Build it with <see cref="MongoCollectionMetadata.ToJson"/>.</summary>
    public string Metadata { get; init; } = string.Empty;

    /// <summary>The <c>size</c> field: mongodump always writes 0.</summary>
    public int Size { get; init; }

    /// <summary>
    /// The <c>type</c> field as <c>listCollections</c> reports it (<c>collection</c>, <c>view</c>, <c>timeseries</c>;
    /// <c>""</c> for the oplog); <see langword="null"/> leaves the field out, as tools before 100.x did.
    /// </summary>
    public string? Type { get; init; }

    /// <summary>The namespace of the entry.</summary>
    public MongoArchiveNamespace Namespace => new(Database, Collection);

    /// <summary>The prelude entry mongodump writes for <c>--oplog</c>: <c>{db: "", collection: "oplog", metadata: "", size: 0, type: ""}</c>.</summary>
    /// <returns>The entry.</returns>
    public static MongoArchiveCollectionEntry ForOplog() => new()
    {
        Database = string.Empty,
        Collection = MongoArchiveNamespace.Oplog.Collection,
        Type = string.Empty,
    };

    /// <summary>A prelude entry for a collection, view or timeseries collection.</summary>
    /// <param name="database">Database name.</param>
    /// <param name="metadata">Options and indexes; its <see cref="MongoCollectionMetadata.CollectionName"/> names the collection.</param>
    /// <returns>The entry; <see cref="Type"/> is the metadata's type (<c>collection</c> when it has none).</returns>
    public static MongoArchiveCollectionEntry For(string database, MongoCollectionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(metadata);
        return new MongoArchiveCollectionEntry
        {
            Database = database,
            Collection = metadata.CollectionName
                ?? throw new ArgumentException("The metadata must name the collection (CollectionName).", nameof(metadata)),
            Metadata = metadata.ToJson(),
            Type = metadata.Type ?? MongoCollectionMetadata.CollectionType,
        };
    }

    /// <summary>Parses <see cref="Metadata"/> (options, indexes, uuid…).</summary>
    /// <returns>The metadata, or <see langword="null"/> when the entry has none (the oplog entry).</returns>
    /// <exception cref="Workmates.OttKit.Mongo.Bson.BsonFormatException">The metadata is not valid JSON.</exception>
    public MongoCollectionMetadata? ParseMetadata() => Metadata.Length == 0 ? null : MongoCollectionMetadata.Parse(Metadata);

    /// <summary>
    /// The namespaces whose EOF satisfies this entry: the entry itself, and for a timeseries collection also its
    /// <c>system.buckets.&lt;collection&gt;</c> namespace (where servers before 8.3 keep, and mongodump dumps, the data).
    /// </summary>
    /// <returns>One or two namespaces.</returns>
    public IReadOnlyList<MongoArchiveNamespace> DataNamespaces() =>
        Type == MongoCollectionMetadata.TimeseriesType
            ? [Namespace, new MongoArchiveNamespace(Database, "system.buckets." + Collection)]
            : [Namespace];
}

/// <summary>The archive prelude: the header and the collection entries, in file order.</summary>
/// <param name="Header">The header document.</param>
/// <param name="Collections">The collection entries.</param>
public sealed record MongoArchivePrelude(MongoArchiveHeader Header, IReadOnlyList<MongoArchiveCollectionEntry> Collections);
