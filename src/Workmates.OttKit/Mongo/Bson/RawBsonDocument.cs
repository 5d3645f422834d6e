using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// A zero-copy view of one BSON document over memory the caller owns. <see cref="Create"/> validates the whole structure
/// once (lengths, terminators, types, UTF-8, nesting depth) without allocating; afterwards fields are looked up and
/// enumerated by walking the bytes, and nothing is decoded unless asked for. This is the type of the backup path.
/// </summary>
public readonly struct RawBsonDocument
{
    private readonly ReadOnlyMemory<byte> _bytes;

    internal RawBsonDocument(ReadOnlyMemory<byte> trustedBytes)
    {
        _bytes = trustedBytes;
    }

    /// <summary>The bytes of the document (length prefix through terminator).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The document length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>The number of elements (walks the document).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var unused in this)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>The value of the first element named <paramref name="name"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <exception cref="KeyNotFoundException">No such field.</exception>
    public RawBsonValue this[string name] =>
        TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The document has no field '{name}'.");

    /// <summary>Validates the structure of exactly one document and wraps it without copying.</summary>
    /// <param name="bson">The bytes of one document (the declared length must equal the memory length).</param>
    /// <param name="options">Limits; <see cref="BsonReadOptions.Default"/> when null.</param>
    /// <returns>The view.</returns>
    /// <exception cref="BsonFormatException">The bytes are not one well-formed document.</exception>
    public static RawBsonDocument Create(ReadOnlyMemory<byte> bson, BsonReadOptions? options = null)
    {
        var span = bson.Span;
        BsonDecoder.CheckTopLevelLength(span);
        BsonValidator.ValidateDocument(span, 0, span.Length, 1, (options ?? BsonReadOptions.Default).MaxDepth);
        return new RawBsonDocument(bson);
    }

    /// <summary>
    /// Reads the declared length of the document that starts <paramref name="prefix"/> (for splitting a stream of
    /// concatenated documents such as a mongodump .bson file) and checks it against a maximum.
    /// </summary>
    /// <param name="prefix">At least 4 bytes.</param>
    /// <param name="maxDocumentSize">The largest acceptable size (16 MiB + 16 KiB is the server limit for a stored document).</param>
    /// <returns>The declared length.</returns>
    /// <exception cref="BsonFormatException">Fewer than 4 bytes, or a length below 5 or above the maximum.</exception>
    public static int ReadDeclaredLength(ReadOnlySpan<byte> prefix, int maxDocumentSize = (16 * 1024 * 1024) + (16 * 1024))
    {
        if (prefix.Length < 4)
        {
            throw new BsonFormatException("A document length needs 4 bytes.", 0);
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 5 || length > maxDocumentSize)
        {
            throw new BsonFormatException($"Declared document length {length} is below 5 or above the maximum {maxDocumentSize}.", 0);
        }

        return length;
    }

    /// <summary>Looks up the first element named <paramref name="name"/> by comparing UTF-8 bytes; nothing is decoded.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>Whether the field exists.</returns>
    public bool TryGetValue(string name, out RawBsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var max = Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[]? rented = null;
        var buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var utf8 = buffer[..Encoding.UTF8.GetBytes(name, buffer)];
            return TryGetValue(utf8, out value);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Looks up the first element whose UTF-8 name equals <paramref name="utf8Name"/>.</summary>
    /// <param name="utf8Name">The field name as UTF-8 (e.g. a <c>"name"u8</c> literal).</param>
    /// <param name="value">The value when found.</param>
    /// <returns>Whether the field exists.</returns>
    public bool TryGetValue(ReadOnlySpan<byte> utf8Name, out RawBsonValue value)
    {
        foreach (var element in this)
        {
            if (element.NameUtf8.SequenceEqual(utf8Name))
            {
                value = element.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Decodes the whole document into the owning model.</summary>
    /// <returns>The document.</returns>
    public BsonDocument ToBsonDocument() => _bytes.IsEmpty
        ? new BsonDocument()
        : BsonDecoder.DecodeAt(_bytes.Span, 0, _bytes.Length, 1, BsonReadOptions.Default with { MaxDepth = int.MaxValue });

    /// <summary>Relaxed Extended JSON of the document (decodes it).</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToBsonDocument().ToExtendedJson();

    /// <summary>Enumerates the elements in order without allocating.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_bytes);

    /// <summary>A struct enumerator over the elements of a validated document.</summary>
    public struct Enumerator
    {
        private readonly ReadOnlyMemory<byte> _bytes;
        private int _next;
        private RawBsonElement _current;

        internal Enumerator(ReadOnlyMemory<byte> bytes)
        {
            _bytes = bytes;
            _next = bytes.IsEmpty ? -1 : 4;
            _current = default;
        }

        /// <summary>The current element.</summary>
        public readonly RawBsonElement Current => _current;

        /// <summary>Advances to the next element.</summary>
        /// <returns>Whether there is one.</returns>
        public bool MoveNext()
        {
            if (_next < 0)
            {
                return false;
            }

            var span = _bytes.Span;
            var type = span[_next];
            if (type == 0)
            {
                _next = -1;
                return false;
            }

            var nameOffset = _next + 1;
            var nameLength = span[nameOffset..].IndexOf((byte)0);
            var valueOffset = nameOffset + nameLength + 1;
            var valueEnd = BsonValidator.ValueEnd(span, (BsonType)type, valueOffset);
            _current = new RawBsonElement(_bytes, nameOffset, nameLength, new RawBsonValue(_bytes, (BsonType)type, valueOffset, valueEnd));
            _next = valueEnd;
            return true;
        }
    }
}

/// <summary>One element of a <see cref="RawBsonDocument"/>: the name bytes and a view of the value.</summary>
public readonly struct RawBsonElement
{
    private readonly ReadOnlyMemory<byte> _document;
    private readonly int _nameOffset;
    private readonly int _nameLength;

    internal RawBsonElement(ReadOnlyMemory<byte> document, int nameOffset, int nameLength, RawBsonValue value)
    {
        _document = document;
        _nameOffset = nameOffset;
        _nameLength = nameLength;
        Value = value;
    }

    /// <summary>The field name as UTF-8 bytes (no allocation).</summary>
    public ReadOnlySpan<byte> NameUtf8 => _document.Span.Slice(_nameOffset, _nameLength);

    /// <summary>The field name (allocates a string).</summary>
    public string Name => Encoding.UTF8.GetString(NameUtf8);

    /// <summary>The value.</summary>
    public RawBsonValue Value { get; }
}

/// <summary>A view of one value inside a validated <see cref="RawBsonDocument"/>; accessors decode only that value.</summary>
public readonly struct RawBsonValue
{
    private readonly ReadOnlyMemory<byte> _document;
    private readonly int _offset;
    private readonly int _end;

    internal RawBsonValue(ReadOnlyMemory<byte> document, BsonType type, int offset, int end)
    {
        _document = document;
        Type = type;
        _offset = offset;
        _end = end;
    }

    /// <summary>The BSON type.</summary>
    public BsonType Type { get; }

    /// <summary>The encoded value bytes (without type byte and name).</summary>
    public ReadOnlyMemory<byte> RawBytes => _document[_offset.._end];

    private ReadOnlySpan<byte> Span => _document.Span[_offset.._end];

    /// <summary>The int32; throws for another type.</summary>
    public int AsInt32 => Type == BsonType.Int32 ? BinaryPrimitives.ReadInt32LittleEndian(Span) : throw WrongType(BsonType.Int32);

    /// <summary>The int64; throws for another type.</summary>
    public long AsInt64 => Type == BsonType.Int64 ? BinaryPrimitives.ReadInt64LittleEndian(Span) : throw WrongType(BsonType.Int64);

    /// <summary>The double; throws for another type.</summary>
    public double AsDouble => Type == BsonType.Double ? BinaryPrimitives.ReadDoubleLittleEndian(Span) : throw WrongType(BsonType.Double);

    /// <summary>The boolean; throws for another type.</summary>
    public bool AsBoolean => Type == BsonType.Boolean ? Span[0] != 0 : throw WrongType(BsonType.Boolean);

    /// <summary>The datetime in milliseconds since the epoch; throws for another type.</summary>
    public long AsDateTimeMilliseconds => Type == BsonType.DateTime ? BinaryPrimitives.ReadInt64LittleEndian(Span) : throw WrongType(BsonType.DateTime);

    /// <summary>The timestamp; throws for another type.</summary>
    public BsonTimestamp AsTimestamp => Type == BsonType.Timestamp ? BsonTimestamp.FromValue(BinaryPrimitives.ReadUInt64LittleEndian(Span)) : throw WrongType(BsonType.Timestamp);

    /// <summary>The ObjectId; throws for another type.</summary>
    public ObjectId AsObjectId => Type == BsonType.ObjectId ? new ObjectId(Span) : throw WrongType(BsonType.ObjectId);

    /// <summary>The Decimal128; throws for another type.</summary>
    public Decimal128 AsDecimal128 => Type == BsonType.Decimal128
        ? new Decimal128(BinaryPrimitives.ReadUInt64LittleEndian(Span[8..]), BinaryPrimitives.ReadUInt64LittleEndian(Span))
        : throw WrongType(BsonType.Decimal128);

    /// <summary>The UTF-8 bytes of a string, JavaScript or symbol value (no NUL, no allocation).</summary>
    public ReadOnlySpan<byte> AsStringUtf8 => Type is BsonType.String or BsonType.JavaScript or BsonType.Symbol
        ? Span[4..^1]
        : throw WrongType(BsonType.String);

    /// <summary>A string, JavaScript or symbol value (allocates); throws for another type.</summary>
    public string AsString => Encoding.UTF8.GetString(AsStringUtf8);

    /// <summary>An embedded document; throws for another type.</summary>
    public RawBsonDocument AsDocument => Type == BsonType.Document ? new RawBsonDocument(RawBytes) : throw WrongType(BsonType.Document);

    /// <summary>An array, viewed as a document whose keys are "0", "1", …; throws for another type.</summary>
    public RawBsonDocument AsArray => Type == BsonType.Array ? new RawBsonDocument(RawBytes) : throw WrongType(BsonType.Array);

    /// <summary>The binary subtype; throws for another type.</summary>
    public BsonBinarySubtype BinarySubtype => Type == BsonType.Binary ? (BsonBinarySubtype)Span[4] : throw WrongType(BsonType.Binary);

    /// <summary>The binary payload (for subtype 2 without the inner length), without copying; throws for another type.</summary>
    public ReadOnlyMemory<byte> AsBinary
    {
        get
        {
            if (Type != BsonType.Binary)
            {
                throw WrongType(BsonType.Binary);
            }

            var (offset, length) = BsonDecoder.BinaryPayload(_document.Span, _offset, _end);
            return _document.Slice(offset, length);
        }
    }

    /// <summary>Decodes this value into the owning model.</summary>
    /// <returns>The value.</returns>
    public BsonValue ToBsonValue() =>
        BsonDecoder.DecodeValueAt(_document.Span, Type, _offset, _end, 1, BsonReadOptions.Default with { MaxDepth = int.MaxValue });

    /// <summary>Relaxed Extended JSON of the value.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToBsonValue().ToString();

    private InvalidCastException WrongType(BsonType expected) => new($"The BSON value is {Type}, not {expected}.");
}
