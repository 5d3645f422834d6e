using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// One cursor batch as the server sent it: each document is a <see cref="RawBsonDocument"/> view into the reply's
/// bytes, never decoded. The views stay valid for as long as the batch is referenced.
/// </summary>
public sealed class MongoRawBatch
{
    internal MongoRawBatch(IReadOnlyList<RawBsonDocument> documents, long cursorId, string server, string ns)
    {
        Documents = documents;
        CursorId = cursorId;
        Server = server;
        Namespace = ns;
    }

    /// <summary>The documents of the batch, in server order.</summary>
    public IReadOnlyList<RawBsonDocument> Documents { get; }

    /// <summary>The cursor id after this batch; 0 when the cursor is exhausted.</summary>
    public long CursorId { get; }

    /// <summary>The server the cursor lives on (<c>host:port</c>).</summary>
    public string Server { get; }

    /// <summary>The cursor namespace (<c>database.collection</c>).</summary>
    public string Namespace { get; }

    /// <summary>The total BSON size of the documents.</summary>
    public long ByteCount => Documents.Sum(d => (long)d.Length);
}

/// <summary>The outcome of <see cref="MongoDriverClient.InsertAsync"/>.</summary>
/// <param name="InsertedCount">Documents the server reported inserted (<c>n</c> summed).</param>
/// <param name="CommandCount">How many <c>insert</c> commands the documents were split into.</param>
public sealed record MongoInsertResult(long InsertedCount, int CommandCount);

/// <summary>The outcome of an unordered insert: what went in and which documents failed.</summary>
/// <param name="InsertedCount">Documents the server reported inserted.</param>
/// <param name="CommandCount">How many <c>insert</c> commands were sent.</param>
/// <param name="WriteErrors">Per-document failures.</param>
internal sealed record MongoUnorderedInsertResult(long InsertedCount, int CommandCount, IReadOnlyList<MongoWriteError> WriteErrors);

/// <summary>One document a write command refused.</summary>
/// <param name="Index">Index of the document in the caller's list.</param>
/// <param name="Code">Server error code (11000 for a duplicate key).</param>
/// <param name="Message">Server message.</param>
internal sealed record MongoWriteError(int Index, int Code, string Message);

/// <summary>Splits documents into <c>insert</c> commands that respect maxWriteBatchSize and maxMessageSizeBytes.</summary>
internal static class InsertBatching
{
    /// <summary>
    /// Returns (start, count) ranges. <paramref name="fixedOverhead"/> is the message length with an empty document
    /// sequence (header, flags, command body, section header).
    /// </summary>
    public static List<(int Start, int Count)> Split(IReadOnlyList<int> documentLengths, int maxCount, int maxMessageSize, int maxDocumentSize, int fixedOverhead)
    {
        ArgumentNullException.ThrowIfNull(documentLengths);
        var batches = new List<(int Start, int Count)>();
        var start = 0;
        long bytes = fixedOverhead;
        for (var i = 0; i < documentLengths.Count; i++)
        {
            var length = documentLengths[i];
            if (length > maxDocumentSize)
            {
                throw new ArgumentException($"Document {i} is {length} bytes, more than the server's maxBsonObjectSize ({maxDocumentSize}). Split or shrink it.", nameof(documentLengths));
            }

            var count = i - start;
            if (count > 0 && (count >= maxCount || bytes + length > maxMessageSize))
            {
                batches.Add((start, count));
                start = i;
                bytes = fixedOverhead;
            }

            bytes += length;
        }

        if (documentLengths.Count > start)
        {
            batches.Add((start, documentLengths.Count - start));
        }

        return batches;
    }
}
