namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// A mongodump archive that cannot be read or trusted: bad magic, a truncated stream, a malformed header or document
/// length, a namespace reopened after its end, or a CRC-64 that does not match the documents. Carries the namespace (when
/// one was being read) and the byte offset in the uncompressed archive.
/// </summary>
public sealed class MongoArchiveFormatException : OttKitMongoException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public MongoArchiveFormatException()
        : this("Malformed mongodump archive.")
    {
    }

    /// <summary>Creates the exception with a message and no position.</summary>
    /// <param name="message">What is wrong.</param>
    public MongoArchiveFormatException(string message)
        : base(message)
    {
        Offset = -1;
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public MongoArchiveFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates the exception for a failure at a position in the archive.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="namespaceName">The namespace (<c>db.collection</c>) being read, or <see langword="null"/>.</param>
    /// <param name="offset">Byte offset in the uncompressed archive, -1 when unknown.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public MongoArchiveFormatException(string message, string? namespaceName, long offset, Exception? innerException = null)
        : base(Describe(message, namespaceName, offset), innerException)
    {
        Namespace = namespaceName;
        Offset = offset;
    }

    /// <summary>The namespace (<c>db.collection</c>) being read when the fault was found, or <see langword="null"/>.</summary>
    public string? Namespace { get; }

    /// <summary>Byte offset in the uncompressed archive where the fault was found; -1 when unknown.</summary>
    public long Offset { get; }

    private static string Describe(string message, string? namespaceName, long offset)
    {
        var where = namespaceName is null ? string.Empty : $" in namespace '{namespaceName}'";
        var at = offset >= 0 ? $" at archive offset {offset}" : string.Empty;
        return $"{message}{where}{at}.";
    }
}
