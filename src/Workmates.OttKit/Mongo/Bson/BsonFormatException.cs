namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// BSON bytes (or Extended JSON text) that are not well formed: a length past the end, a missing terminator, an unknown
/// type, invalid UTF-8, nesting deeper than the limit, or an Extended JSON wrapper of the wrong shape.
/// </summary>
public sealed class BsonFormatException : OttKitMongoException
{
    /// <summary>Creates the exception with a message and no offset.</summary>
    public BsonFormatException()
        : this("Malformed BSON.", -1)
    {
    }

    /// <summary>Creates the exception with a message and no offset.</summary>
    /// <param name="message">What is wrong.</param>
    public BsonFormatException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public BsonFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates the exception for a failure at a byte offset.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">Byte offset from the start of the outermost document (or input), -1 when unknown.</param>
    public BsonFormatException(string message, long offset)
        : base(offset >= 0 ? $"{message} (at byte offset {offset})" : message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset of the failure from the start of the outermost BSON document; -1 for Extended JSON (the message names the JSON path or line) and when unknown.</summary>
    public long Offset { get; }
}
