using System.Buffers.Binary;
using System.Globalization;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>The fixed parts of the archive layout and the small BSON documents of the framing, in mongodump's field order.</summary>
internal static class ArchiveLayout
{
    /// <summary>uint32 <c>0x8199E26D</c>, written little-endian.</summary>
    public const uint Magic = 0x8199E26D;

    /// <summary>Ends the prelude and every block.</summary>
    public const uint Terminator = 0xFFFFFFFF;

    /// <summary>mongorestore rejects a body document length above 16 MiB.</summary>
    public const int MaxDocumentSize = 16 * 1024 * 1024;

    /// <summary>The smallest BSON document.</summary>
    public const int MinDocumentSize = 5;

    public static ReadOnlySpan<byte> MagicBytes => [0x6D, 0xE2, 0x99, 0x81];

    public static ReadOnlySpan<byte> TerminatorBytes => [0xFF, 0xFF, 0xFF, 0xFF];

    public static void WriteHeader(BsonWriter writer, MongoArchiveHeader header)
    {
        writer.WriteStartDocument();
        writer.WriteName("concurrent_collections");
        writer.WriteInt32(header.ConcurrentCollections);
        writer.WriteName("version");
        writer.WriteString(header.FormatVersion);
        writer.WriteName("server_version");
        writer.WriteString(header.ServerVersion);
        writer.WriteName("tool_version");
        writer.WriteString(header.ToolVersion);
        writer.WriteEndDocument();
    }

    public static void WriteCollection(BsonWriter writer, MongoArchiveCollectionEntry collection)
    {
        writer.WriteStartDocument();
        writer.WriteName("db");
        writer.WriteString(collection.Database);
        writer.WriteName("collection");
        writer.WriteString(collection.Collection);
        writer.WriteName("metadata");
        writer.WriteString(collection.Metadata);
        writer.WriteName("size");
        writer.WriteInt32(collection.Size);
        if (collection.Type is not null)
        {
            writer.WriteName("type");
            writer.WriteString(collection.Type);
        }

        writer.WriteEndDocument();
    }

    public static void WriteNamespaceHeader(BsonWriter writer, MongoArchiveNamespace ns, bool eof, ulong crc)
    {
        writer.WriteStartDocument();
        writer.WriteName("db");
        writer.WriteString(ns.Database);
        writer.WriteName("collection");
        writer.WriteString(ns.Collection);
        writer.WriteName("EOF");
        writer.WriteBoolean(eof);
        writer.WriteName("CRC");
        writer.WriteInt64(unchecked((long)crc));
        writer.WriteEndDocument();
    }

    public static MongoArchiveHeader ReadHeader(RawBsonDocument document, long offset)
    {
        var concurrent = 0;
        string version = string.Empty, server = string.Empty, tool = string.Empty;
        foreach (var element in document)
        {
            switch (element.Name)
            {
                case "concurrent_collections":
                    concurrent = element.Value.Type switch
                    {
                        BsonType.Int32 => element.Value.AsInt32,
                        BsonType.Int64 when element.Value.AsInt64 is >= 0 and <= int.MaxValue => (int)element.Value.AsInt64,
                        BsonType.Int64 => throw new MongoArchiveFormatException(
                            string.Create(CultureInfo.InvariantCulture, $"The archive header field 'concurrent_collections' is {element.Value.AsInt64}, outside 0 to {int.MaxValue}"), null, offset),
                        _ => throw WrongType("concurrent_collections", element.Value.Type, "archive header", null, offset),
                    };
                    if (concurrent < 0)
                    {
                        throw new MongoArchiveFormatException(
                            string.Create(CultureInfo.InvariantCulture, $"The archive header field 'concurrent_collections' is {concurrent}, outside 0 to {int.MaxValue}"), null, offset);
                    }

                    break;
                case "version":
                    version = String(element, "archive header", null, offset);
                    break;
                case "server_version":
                    server = String(element, "archive header", null, offset);
                    break;
                case "tool_version":
                    tool = String(element, "archive header", null, offset);
                    break;
                default:
                    break; // Unknown header fields are ignored, as mongorestore does.
            }
        }

        return new MongoArchiveHeader
        {
            ConcurrentCollections = concurrent,
            FormatVersion = version,
            ServerVersion = server,
            ToolVersion = tool,
        };
    }

    public static MongoArchiveCollectionEntry ReadCollection(RawBsonDocument document, long offset)
    {
        string? db = null, collection = null, metadata = null, type = null;
        var size = 0;
        foreach (var element in document)
        {
            switch (element.Name)
            {
                case "db":
                    db = String(element, "collection metadata", null, offset);
                    break;
                case "collection":
                    collection = String(element, "collection metadata", null, offset);
                    break;
                case "metadata":
                    metadata = String(element, "collection metadata", null, offset);
                    break;
                case "type":
                    type = String(element, "collection metadata", null, offset);
                    break;
                case "size":
                    size = element.Value.Type switch
                    {
                        BsonType.Int32 => element.Value.AsInt32,
                        // mongodump writes a Go int (int64); sizes beyond 2 GiB saturate instead of wrapping negative.
                        BsonType.Int64 => (int)Math.Clamp(element.Value.AsInt64, int.MinValue, int.MaxValue),
                        _ => throw WrongType("size", element.Value.Type, "collection metadata", null, offset),
                    };
                    break;
                default:
                    break;
            }
        }

        if (db is null || collection is null)
        {
            throw new MongoArchiveFormatException("A prelude collection entry lacks 'db' or 'collection'", null, offset);
        }

        return new MongoArchiveCollectionEntry
        {
            Database = db,
            Collection = collection,
            Metadata = metadata ?? string.Empty,
            Size = size,
            Type = type,
        };
    }

    public static (MongoArchiveNamespace Namespace, bool Eof, ulong Crc) ReadNamespaceHeader(RawBsonDocument document, long offset)
    {
        string? db = null, collection = null;
        var eof = false;
        ulong crc = 0;
        foreach (var element in document)
        {
            switch (element.Name)
            {
                case "db":
                    db = String(element, "namespace header", null, offset);
                    break;
                case "collection":
                    collection = String(element, "namespace header", null, offset);
                    break;
                case "EOF":
                    eof = element.Value.Type == BsonType.Boolean
                        ? element.Value.AsBoolean
                        : throw WrongType("EOF", element.Value.Type, "namespace header", null, offset);
                    break;
                case "CRC":
                    // mongorestore accepts only int64 here: the CRC's uint64 bit pattern.
                    crc = element.Value.Type == BsonType.Int64
                        ? unchecked((ulong)element.Value.AsInt64)
                        : throw WrongType("CRC", element.Value.Type, "namespace header", null, offset);
                    break;
                default:
                    throw new MongoArchiveFormatException(
                        $"The namespace header has an unknown field '{element.Name}' (only db, collection, EOF and CRC are allowed)", null, offset);
            }
        }

        if (db is null || string.IsNullOrEmpty(collection))
        {
            throw new MongoArchiveFormatException("A namespace header lacks 'db' or has an empty 'collection'", null, offset);
        }

        return (new MongoArchiveNamespace(db, collection), eof, crc);
    }

    public static bool IsTerminator(ReadOnlySpan<byte> prefix) => BinaryPrimitives.ReadUInt32LittleEndian(prefix) == Terminator;

    private static string String(RawBsonElement element, string what, string? ns, long offset) =>
        element.Value.Type == BsonType.String
            ? element.Value.AsString
            : throw WrongType(element.Name, element.Value.Type, what, ns, offset);

    private static MongoArchiveFormatException WrongType(string field, BsonType type, string what, string? ns, long offset) =>
        new($"The {what} field '{field}' is a {type}, not the expected type", ns, offset);
}
