using System.Buffers.Binary;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>Validates BSON structure without allocating, and measures values inside validated documents.</summary>
internal static class BsonValidator
{
    /// <summary>Validates the document at <paramref name="start"/>; returns the offset one past its end.</summary>
    public static int ValidateDocument(ReadOnlySpan<byte> data, int start, int limit, int depth, int maxDepth)
    {
        var end = BsonDecoder.CheckDocument(data, start, limit, depth, maxDepth);
        var last = end - 1;
        var p = start + 4;
        while (true)
        {
            var typeOffset = p;
            var type = data[p];
            if (type == 0)
            {
                if (p != last)
                {
                    throw new BsonFormatException("A 0x00 terminator appears before the declared end of the document.", p);
                }

                return end;
            }

            p++;
            var nameLength = BsonDecoder.CStringLength(data, p, last);
            RequireUtf8(data.Slice(p, nameLength), p);
            p += nameLength + 1;
            p = ValidateValue(data, (BsonType)type, p, last, depth, maxDepth, typeOffset);
        }
    }

    /// <summary>The end offset of a value inside an already validated document.</summary>
    public static int ValueEnd(ReadOnlySpan<byte> data, BsonType type, int p) => type switch
    {
        BsonType.Double or BsonType.DateTime or BsonType.Int64 or BsonType.Timestamp => p + 8,
        BsonType.String or BsonType.JavaScript or BsonType.Symbol => p + 4 + BinaryPrimitives.ReadInt32LittleEndian(data[p..]),
        BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope => p + BinaryPrimitives.ReadInt32LittleEndian(data[p..]),
        BsonType.Binary => p + 5 + BinaryPrimitives.ReadInt32LittleEndian(data[p..]),
        BsonType.Undefined or BsonType.Null or BsonType.MinKey or BsonType.MaxKey => p,
        BsonType.ObjectId => p + 12,
        BsonType.Boolean => p + 1,
        BsonType.RegularExpression => SkipCString(data, SkipCString(data, p)),
        BsonType.DBPointer => p + 4 + BinaryPrimitives.ReadInt32LittleEndian(data[p..]) + 12,
        BsonType.Int32 => p + 4,
        BsonType.Decimal128 => p + 16,
        _ => throw BsonDecoder.UnknownType((byte)type, p),
    };

    private static int SkipCString(ReadOnlySpan<byte> data, int p) => p + data[p..].IndexOf((byte)0) + 1;

    private static void RequireUtf8(ReadOnlySpan<byte> bytes, int offset)
    {
        if (!BsonDecoder.Utf8IsValid(bytes))
        {
            throw new BsonFormatException("Invalid UTF-8 in a string or field name.", offset);
        }
    }

    private static int ValidateValue(ReadOnlySpan<byte> data, BsonType type, int p, int limit, int depth, int maxDepth, int typeOffset)
    {
        switch (type)
        {
            case BsonType.Double:
            case BsonType.DateTime:
            case BsonType.Int64:
            case BsonType.Timestamp:
                BsonDecoder.Need(p, 8, limit);
                return p + 8;
            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
            {
                var n = BsonDecoder.StringLength(data, p, limit);
                RequireUtf8(data.Slice(p + 4, n), p + 4);
                return p + n + 5;
            }

            case BsonType.Document:
            case BsonType.Array:
                return ValidateDocument(data, p, limit, depth + 1, maxDepth);
            case BsonType.Binary:
            {
                var (offset, length) = BsonDecoder.BinaryPayload(data, p, limit);
                return offset + length;
            }

            case BsonType.Undefined:
            case BsonType.Null:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return p;
            case BsonType.ObjectId:
                BsonDecoder.Need(p, 12, limit);
                return p + 12;
            case BsonType.Boolean:
                BsonDecoder.Need(p, 1, limit);
                if (data[p] > 1)
                {
                    throw new BsonFormatException($"A boolean must be 0x00 or 0x01, not 0x{data[p]:X2}.", p);
                }

                return p + 1;
            case BsonType.RegularExpression:
            {
                for (var i = 0; i < 2; i++)
                {
                    var n = BsonDecoder.CStringLength(data, p, limit);
                    RequireUtf8(data.Slice(p, n), p);
                    p += n + 1;
                }

                return p;
            }

            case BsonType.DBPointer:
            {
                var n = BsonDecoder.StringLength(data, p, limit);
                RequireUtf8(data.Slice(p + 4, n), p + 4);
                p += n + 5;
                BsonDecoder.Need(p, 12, limit);
                return p + 12;
            }

            case BsonType.JavaScriptWithScope:
            {
                var (codeOffset, codeLength, scopeOffset, end) = BsonDecoder.CodeWithScope(data, p, limit);
                RequireUtf8(data.Slice(codeOffset, codeLength), codeOffset);
                ValidateDocument(data, scopeOffset, end, depth + 1, maxDepth);
                return end;
            }

            case BsonType.Int32:
                BsonDecoder.Need(p, 4, limit);
                return p + 4;
            case BsonType.Decimal128:
                BsonDecoder.Need(p, 16, limit);
                return p + 16;
            default:
                throw BsonDecoder.UnknownType((byte)type, typeOffset);
        }
    }
}
