using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// Writes BSON straight into a pooled buffer: document and array lengths are reserved and back-patched on close, so
/// nothing is measured twice. Use it for command documents (<see cref="WriteName(string)"/> then a value method), or
/// <see cref="WriteDocument(BsonDocument)"/> for the model. Not thread-safe; dispose to return the buffer to the pool.
/// </summary>
public sealed class BsonWriter : IDisposable
{
    /// <summary>Deepest nesting the writer accepts (anything the reader accepts; guards against cyclic models).</summary>
    public const int MaxDepth = BsonReadOptions.DepthCeiling;

    private int[] _starts = new int[8];
    private int[] _arrayIndex = new int[8];
    private byte[] _buffer;
    private int _position;
    private int _depth;
    private int _pendingType = -1;

    /// <summary>Creates a writer with a pooled buffer of at least <paramref name="initialCapacity"/> bytes.</summary>
    /// <param name="initialCapacity">Initial buffer size.</param>
    public BsonWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>The bytes written so far (valid until the next write, <see cref="Reset"/> or <see cref="Dispose"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>The number of bytes written.</summary>
    public int Length => _position;

    /// <summary>The current nesting depth (0 outside any document).</summary>
    public int Depth => _depth;

    /// <summary>Discards everything written, keeping the buffer.</summary>
    public void Reset()
    {
        _position = 0;
        _depth = 0;
        _pendingType = -1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Starts a document: the top-level one, or an embedded one after <see cref="WriteName(string)"/>/in an array.</summary>
    public void WriteStartDocument() => StartContainer(BsonType.Document, isArray: false);

    /// <summary>Ends the current document and back-patches its length.</summary>
    public void WriteEndDocument() => EndContainer(isArray: false);

    /// <summary>Starts an array value; its elements are written without names.</summary>
    public void WriteStartArray() => StartContainer(BsonType.Array, isArray: true);

    /// <summary>Ends the current array and back-patches its length.</summary>
    public void WriteEndArray() => EndContainer(isArray: true);

    /// <summary>Writes the name of the next element of the current document.</summary>
    /// <param name="name">The field name (no NUL characters).</param>
    public void WriteName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        WriteName(name.AsSpan());
    }

    /// <summary>Writes the name of the next element of the current document.</summary>
    /// <param name="name">The field name (no NUL characters).</param>
    public void WriteName(ReadOnlySpan<char> name)
    {
        if (_depth == 0 || _arrayIndex[_depth] >= 0 || _pendingType >= 0)
        {
            throw new InvalidOperationException("WriteName is only valid inside a document, before each value.");
        }

        _pendingType = _position;
        EnsureCapacity(2 + Encoding.UTF8.GetMaxByteCount(name.Length));
        _buffer[_position++] = 0;
        WriteCStringUnchecked(name, "field name");
    }

    /// <summary>Writes an element: name then value.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value.</param>
    public void Write(string name, BsonValue value)
    {
        WriteName(name);
        WriteValue(value);
    }

    /// <summary>Writes a double.</summary>
    /// <param name="value">The value.</param>
    public void WriteDouble(double value)
    {
        BeginValue(BsonType.Double, 8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>Writes a string.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(ReadOnlySpan<char> value)
    {
        BeginValue(BsonType.String, 0);
        WriteStringBody(value);
    }

    /// <summary>Writes a string from UTF-8 bytes (validated).</summary>
    /// <param name="utf8">The value as UTF-8.</param>
    public void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("The string is not valid UTF-8.", nameof(utf8));
        }

        BeginValue(BsonType.String, utf8.Length + 5);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), utf8.Length + 1);
        utf8.CopyTo(_buffer.AsSpan(_position + 4));
        _buffer[_position + 4 + utf8.Length] = 0;
        _position += utf8.Length + 5;
    }

    /// <summary>Writes binary data.</summary>
    /// <param name="subtype">The subtype.</param>
    /// <param name="data">The payload (for subtype 2 the inner length is added).</param>
    public void WriteBinary(BsonBinarySubtype subtype, ReadOnlySpan<byte> data)
    {
        var old = subtype == BsonBinarySubtype.OldBinary;
        var length = data.Length + (old ? 4 : 0);
        BeginValue(BsonType.Binary, length + 5);
        var span = _buffer.AsSpan(_position);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        span[4] = (byte)subtype;
        var offset = 5;
        if (old)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[5..], data.Length);
            offset = 9;
        }

        data.CopyTo(span[offset..]);
        _position += length + 5;
    }

    /// <summary>Writes an ObjectId.</summary>
    /// <param name="value">The value.</param>
    public void WriteObjectId(ObjectId value)
    {
        BeginValue(BsonType.ObjectId, 12);
        value.WriteTo(_buffer.AsSpan(_position));
        _position += 12;
    }

    /// <summary>Writes a boolean.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value)
    {
        BeginValue(BsonType.Boolean, 1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Writes a UTC datetime.</summary>
    /// <param name="millisecondsSinceEpoch">Milliseconds since the Unix epoch.</param>
    public void WriteDateTime(long millisecondsSinceEpoch) => WriteFixed64(BsonType.DateTime, (ulong)millisecondsSinceEpoch);

    /// <summary>Writes null.</summary>
    public void WriteNull() => BeginValue(BsonType.Null, 0);

    /// <summary>Writes the deprecated undefined value.</summary>
    public void WriteUndefined() => BeginValue(BsonType.Undefined, 0);

    /// <summary>Writes MinKey.</summary>
    public void WriteMinKey() => BeginValue(BsonType.MinKey, 0);

    /// <summary>Writes MaxKey.</summary>
    public void WriteMaxKey() => BeginValue(BsonType.MaxKey, 0);

    /// <summary>Writes a regular expression.</summary>
    /// <param name="value">Pattern and (sorted) options.</param>
    public void WriteRegularExpression(BsonRegularExpression value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeginValue(BsonType.RegularExpression, 0);
        EnsureCapacity(Encoding.UTF8.GetMaxByteCount(value.Pattern.Length + value.Options.Length) + 2);
        WriteCStringUnchecked(value.Pattern, "regular expression pattern");
        WriteCStringUnchecked(value.Options, "regular expression options");
    }

    /// <summary>Writes a deprecated DBPointer.</summary>
    /// <param name="value">The pointer.</param>
    public void WriteDBPointer(BsonDBPointer value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeginValue(BsonType.DBPointer, 0);
        WriteStringBody(value.Namespace);
        EnsureCapacity(12);
        value.Id.WriteTo(_buffer.AsSpan(_position));
        _position += 12;
    }

    /// <summary>Writes JavaScript code.</summary>
    /// <param name="code">The code.</param>
    public void WriteJavaScript(ReadOnlySpan<char> code)
    {
        BeginValue(BsonType.JavaScript, 0);
        WriteStringBody(code);
    }

    /// <summary>Writes a deprecated symbol.</summary>
    /// <param name="symbol">The symbol.</param>
    public void WriteSymbol(ReadOnlySpan<char> symbol)
    {
        BeginValue(BsonType.Symbol, 0);
        WriteStringBody(symbol);
    }

    /// <summary>Writes deprecated JavaScript code with scope.</summary>
    /// <param name="value">Code and scope.</param>
    public void WriteJavaScriptWithScope(BsonJavaScriptWithScope value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeginValue(BsonType.JavaScriptWithScope, 4);
        var start = _position;
        _position += 4;
        WriteStringBody(value.Code);
        EncodeDocument(value.Scope, _depth + 1);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
    }

    /// <summary>Writes an int32.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt32(int value)
    {
        BeginValue(BsonType.Int32, 4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    /// <summary>Writes a replication timestamp.</summary>
    /// <param name="value">The timestamp.</param>
    public void WriteTimestamp(BsonTimestamp value) => WriteFixed64(BsonType.Timestamp, value.Value);

    /// <summary>Writes an int64.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt64(long value) => WriteFixed64(BsonType.Int64, (ulong)value);

    /// <summary>Writes a Decimal128.</summary>
    /// <param name="value">The value.</param>
    public void WriteDecimal128(Decimal128 value)
    {
        BeginValue(BsonType.Decimal128, 16);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value.Low);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position + 8), value.High);
        _position += 16;
    }

    /// <summary>Writes an already encoded document as a value (or as the top-level document), after checking its structure.</summary>
    /// <param name="document">A validated raw document.</param>
    public void WriteRawDocument(RawBsonDocument document)
    {
        var bytes = document.Bytes.Span;
        if (_depth == 0)
        {
            EnsureCapacity(bytes.Length);
        }
        else
        {
            BeginValue(BsonType.Document, bytes.Length);
        }

        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>Writes a model document: the top-level one, or as a value after a name/in an array.</summary>
    /// <param name="document">The document.</param>
    public void WriteDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (_depth > 0)
        {
            BeginValue(BsonType.Document, 0);
        }

        EncodeDocument(document, _depth + 1);
    }

    /// <summary>Writes a model array as a value.</summary>
    /// <param name="array">The array.</param>
    public void WriteArray(BsonArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        BeginValue(BsonType.Array, 0);
        EncodeArray(array, _depth + 1);
    }

    /// <summary>Writes any value.</summary>
    /// <param name="value">The value.</param>
    public void WriteValue(BsonValue value)
    {
        BeginValue(value.Type, 0);
        EncodeValueBody(value, _depth + 1);
    }

    private void WriteFixed64(BsonType type, ulong value)
    {
        BeginValue(type, 8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    private void StartContainer(BsonType type, bool isArray)
    {
        if (_depth == 0)
        {
            if (isArray)
            {
                throw new InvalidOperationException("The top-level value must be a document.");
            }

            EnsureCapacity(5);
        }
        else
        {
            BeginValue(type, 5);
        }

        if (_depth == MaxDepth)
        {
            throw new InvalidOperationException($"Documents may not nest deeper than {MaxDepth}.");
        }

        _depth++;
        if (_depth == _starts.Length)
        {
            Array.Resize(ref _starts, _depth * 2);
            Array.Resize(ref _arrayIndex, _depth * 2);
        }

        _starts[_depth] = _position;
        _arrayIndex[_depth] = isArray ? 0 : -1;
        _position += 4;
    }

    private void EndContainer(bool isArray)
    {
        if (_depth == 0 || (_arrayIndex[_depth] >= 0) != isArray || _pendingType >= 0)
        {
            throw new InvalidOperationException(isArray ? "No array is open (or a name has no value)." : "No document is open (or a name has no value).");
        }

        EnsureCapacity(1);
        _buffer[_position++] = 0;
        var start = _starts[_depth];
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
        _depth--;
    }

    /// <summary>Writes the type byte of the next element (after its name, or with an index name inside arrays).</summary>
    private void BeginValue(BsonType type, int valueBytes)
    {
        if (_pendingType >= 0)
        {
            _buffer[_pendingType] = (byte)type;
            _pendingType = -1;
            EnsureCapacity(valueBytes);
            return;
        }

        if (_depth == 0 || _arrayIndex[_depth] < 0)
        {
            throw new InvalidOperationException(_depth == 0 ? "Start a document before writing values." : "Write a name before each value in a document.");
        }

        EnsureCapacity(12 + valueBytes);
        _buffer[_position++] = (byte)type;
        WriteIndexName(_arrayIndex[_depth]++);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteIndexName(int index)
    {
        if (index < 10)
        {
            _buffer[_position] = (byte)('0' + index);
            _buffer[_position + 1] = 0;
            _position += 2;
            return;
        }

        index.TryFormat(_buffer.AsSpan(_position), out var written, default, CultureInfo.InvariantCulture);
        _buffer[_position + written] = 0;
        _position += written + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);

        var required = (long)_position + count;
        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException("The BSON output would exceed the maximum array size.");
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(required, (long)_buffer.Length * 2));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _position).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Writes a C string (capacity must already be ensured).</summary>
    private void WriteCStringUnchecked(ReadOnlySpan<char> text, string what)
    {
        var destination = _buffer.AsSpan(_position);
        if (Utf8.FromUtf16(text, destination, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new ArgumentException($"The {what} is not valid UTF-16 (lone surrogate).", nameof(text));
        }

        if (destination[..written].Contains((byte)0))
        {
            throw new ArgumentException($"A BSON {what} cannot contain a NUL character.", nameof(text));
        }

        destination[written] = 0;
        _position += written + 1;
    }

    /// <summary>Writes an int32-length-prefixed, NUL-terminated UTF-8 string.</summary>
    private void WriteStringBody(ReadOnlySpan<char> text)
    {
        EnsureCapacity((text.Length * 3) + 5);
        var destination = _buffer.AsSpan(_position + 4);
        int written;
        if (text.Length <= destination.Length && Ascii.FromUtf16(text, destination, out written) == OperationStatus.Done)
        {
            // ASCII fast path: one vectorized narrowing copy.
        }
        else if (Utf8.FromUtf16(text, destination, out _, out written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            throw new ArgumentException("The string is not valid UTF-16 (lone surrogate).", nameof(text));
        }

        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), written + 1);
        destination[written] = 0;
        _position += written + 5;
    }

    private void EncodeDocument(BsonDocument document, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InvalidOperationException($"Documents may not nest deeper than {MaxDepth} (is the document cyclic?).");
        }

        EnsureCapacity(5);
        var start = _position;
        _position += 4;
        foreach (ref readonly var element in document.Elements)
        {
            var name = element.Name;
            var value = element.Value;
            EnsureCapacity((name.Length * 3) + 2 + 16);
            var typeOffset = _position++;
            var destination = _buffer.AsSpan(_position);
            if (Ascii.FromUtf16(name, destination, out var written) != OperationStatus.Done)
            {
                _position--;
                _buffer[_position++] = 0;
                WriteCStringUnchecked(name, "field name");
            }
            else
            {
                if (destination[..written].Contains((byte)0))
                {
                    throw new ArgumentException("A BSON field name cannot contain a NUL character.", nameof(document));
                }

                destination[written] = 0;
                _position += written + 1;
            }

            var type = value.RawType == BsonType.EndOfDocument ? BsonType.Null : value.RawType;
            _buffer[typeOffset] = (byte)type;
            EncodeValueBody(value, depth);
        }

        EnsureCapacity(1);
        _buffer[_position++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
    }

    private void EncodeArray(BsonArray array, int depth)
    {
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InvalidOperationException($"Documents may not nest deeper than {MaxDepth} (is the array cyclic?).");
        }

        EnsureCapacity(5);
        var start = _position;
        _position += 4;
        var index = 0;
        foreach (ref readonly var value in array.Values)
        {
            EnsureCapacity(12 + 16);
            var type = value.RawType == BsonType.EndOfDocument ? BsonType.Null : value.RawType;
            _buffer[_position++] = (byte)type;
            WriteIndexName(index++);
            EncodeValueBody(value, depth);
        }

        EnsureCapacity(1);
        _buffer[_position++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
    }

    /// <summary>Writes the value bytes (type and name are already written). Callers ensured 16 spare bytes.</summary>
    private void EncodeValueBody(in BsonValue value, int depth)
    {
        switch (value.RawType)
        {
            case BsonType.Double:
            case BsonType.DateTime:
            case BsonType.Int64:
            case BsonType.Timestamp:
                EnsureCapacity(8);
                BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value.Low);
                _position += 8;
                break;
            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
                WriteStringBody((string)value.Reference!);
                break;
            case BsonType.Document:
                EncodeDocument((BsonDocument)value.Reference!, depth + 1);
                break;
            case BsonType.Array:
                EncodeArray((BsonArray)value.Reference!, depth + 1);
                break;
            case BsonType.Binary:
            {
                var data = (byte[])value.Reference!;
                var subtype = (byte)value.Low;
                var old = subtype == (byte)BsonBinarySubtype.OldBinary;
                var length = data.Length + (old ? 4 : 0);
                EnsureCapacity(length + 9);
                var span = _buffer.AsSpan(_position);
                BinaryPrimitives.WriteInt32LittleEndian(span, length);
                span[4] = subtype;
                var offset = 5;
                if (old)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[5..], data.Length);
                    offset = 9;
                }

                data.CopyTo(span[offset..]);
                _position += length + 5;
                break;
            }

            case BsonType.ObjectId:
                EnsureCapacity(12);
                BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value.Low);
                BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position + 8), value.High);
                _position += 12;
                break;
            case BsonType.Boolean:
                EnsureCapacity(1);
                _buffer[_position++] = value.Low != 0 ? (byte)1 : (byte)0;
                break;
            case BsonType.RegularExpression:
            {
                var regex = (BsonRegularExpression)value.Reference!;
                EnsureCapacity(Encoding.UTF8.GetMaxByteCount(regex.Pattern.Length + regex.Options.Length) + 2);
                WriteCStringUnchecked(regex.Pattern, "regular expression pattern");
                WriteCStringUnchecked(regex.Options, "regular expression options");
                break;
            }

            case BsonType.DBPointer:
            {
                var pointer = (BsonDBPointer)value.Reference!;
                WriteStringBody(pointer.Namespace);
                EnsureCapacity(12);
                pointer.Id.WriteTo(_buffer.AsSpan(_position));
                _position += 12;
                break;
            }

            case BsonType.JavaScriptWithScope:
            {
                var code = (BsonJavaScriptWithScope)value.Reference!;
                EnsureCapacity(4);
                var start = _position;
                _position += 4;
                WriteStringBody(code.Code);
                EncodeDocument(code.Scope, depth + 1);
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
                break;
            }

            case BsonType.Int32:
                EnsureCapacity(4);
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), (int)value.Low);
                _position += 4;
                break;
            case BsonType.Decimal128:
            {
                var decimal128 = (Decimal128)value.Reference!;
                EnsureCapacity(16);
                BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), decimal128.Low);
                BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position + 8), decimal128.High);
                _position += 16;
                break;
            }
            default:
                // Null, undefined, MinKey, MaxKey and default(BsonValue) have no value bytes.
                break;
        }
    }
}
