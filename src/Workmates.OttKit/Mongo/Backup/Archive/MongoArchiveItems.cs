namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>One thing read from an archive by <see cref="MongoArchiveReader.ReadAsync"/>, in stream order.</summary>
/// <param name="Offset">Byte offset in the uncompressed archive where the item starts.</param>
public abstract record MongoArchiveItem(long Offset);

/// <summary>The prelude: the header and every collection entry (with its metadata JSON). Always the first item.</summary>
/// <param name="Prelude">The header and the collection entries.</param>
/// <param name="Offset">Always 0.</param>
public sealed record MongoArchivePreludeItem(MongoArchivePrelude Prelude, long Offset) : MongoArchiveItem(Offset);

/// <summary>
/// A batch of whole BSON documents of one namespace, back to back. <see cref="Documents"/> points into the reader's
/// buffer: it is valid only until the enumeration moves on, so copy or consume it first.
/// </summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Documents">The documents' bytes (length prefixes included).</param>
/// <param name="DocumentCount">Number of documents in <see cref="Documents"/>.</param>
/// <param name="Offset">Archive offset of the first document.</param>
public sealed record MongoArchiveDocumentsItem(MongoArchiveNamespace Namespace, ReadOnlyMemory<byte> Documents, int DocumentCount, long Offset)
    : MongoArchiveItem(Offset);

/// <summary>The EOF block of a namespace, read after its stored CRC-64 matched the documents (else the read fails).</summary>
/// <param name="Summary">Documents, bytes and CRC of the namespace.</param>
/// <param name="Offset">Archive offset of the EOF header.</param>
public sealed record MongoArchiveNamespaceEndItem(MongoArchiveNamespaceSummary Summary, long Offset) : MongoArchiveItem(Offset);

/// <summary>How a <see cref="MongoArchiveReader"/> takes its input.</summary>
public enum MongoArchiveCompression
{
    /// <summary>Gzip when the stream starts with <c>1F 8B</c>, plain otherwise.</summary>
    Auto,

    /// <summary>A plain archive (<c>mongodump --archive</c>).</summary>
    None,

    /// <summary>A gzip-wrapped archive (<c>mongodump --archive --gzip</c>).</summary>
    Gzip,
}

/// <summary>Options of a <see cref="MongoArchiveReader"/>.</summary>
public sealed record MongoArchiveReaderOptions
{
    /// <summary>Plain, gzip, or detect from the first bytes.</summary>
    /// <value>Default: <see cref="MongoArchiveCompression.Auto"/>.</value>
    public MongoArchiveCompression Compression { get; init; } = MongoArchiveCompression.Auto;

    /// <summary>Documents are handed out in batches of about this many bytes (a larger document is a batch of its own).</summary>
    /// <value>Default: 1 MiB.</value>
    public int BatchSizeBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Parse every prelude entry's metadata JSON and fail on invalid text, as mongorestore does before restoring.
    /// The oplog entry (empty metadata) is exempt.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ValidateMetadata { get; init; } = true;

    /// <summary>Fail when a data namespace has no prelude entry (other than a timeseries entry's buckets namespace).</summary>
    /// <value>Default: <see langword="true"/>, as mongorestore.</value>
    public bool RequirePreludeEntries { get; init; } = true;
}
