using System.Runtime.InteropServices;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// Moves the project's <see cref="RawBsonDocument"/> through the official driver without decoding it: a read copies the
/// document's bytes out of the driver's buffer in one block, a write hands the bytes to the driver's writer as they are.
/// The project's own codec then walks the bytes (archive path) or decodes them (small command replies).
/// </summary>
internal sealed class RawDocumentSerializer : SerializerBase<RawBsonDocument>
{
    /// <summary>The one instance (the serializer holds no state).</summary>
    public static RawDocumentSerializer Instance { get; } = new();

    /// <inheritdoc/>
    public override RawBsonDocument Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = context.Reader.ReadRawBsonDocument();
        var bytes = new byte[buffer.Length];
        buffer.GetBytes(0, bytes, 0, bytes.Length);
        return RawBsonDocument.Create(bytes);
    }

    /// <inheritdoc/>
    public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, RawBsonDocument value)
    {
        using var slice = Slice(value);
        context.Writer.WriteRawBsonDocument(slice);
    }

    /// <summary>The driver's raw document over the same bytes (no copy when the bytes sit in an array).</summary>
    /// <param name="document">The document.</param>
    /// <returns>A driver document that owns a read-only slice of the bytes; dispose it after use.</returns>
    public static MongoDB.Bson.RawBsonDocument Wrap(RawBsonDocument document) => new(Slice(document));

    private static IByteBuffer Slice(RawBsonDocument document)
    {
        var bytes = MemoryMarshal.TryGetArray(document.Bytes, out var segment) && segment.Array is not null
            ? segment
            : new ArraySegment<byte>(document.Bytes.ToArray());
        // The slice keeps the buffer alive; the buffer holds no pooled memory, so it needs no disposal of its own.
        var buffer = new ByteArrayBuffer(bytes.Array!, bytes.Offset + bytes.Count, isReadOnly: true);
        return bytes.Offset == 0 ? buffer : buffer.GetSlice(bytes.Offset, bytes.Count);
    }
}
