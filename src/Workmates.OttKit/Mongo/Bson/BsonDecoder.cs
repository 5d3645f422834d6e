using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// Decodes BSON bytes into the owning model. Every length is checked against the enclosing document before it is used,
/// so a hostile length can neither read past the input nor cause an allocation larger than the input.
/// </summary>
internal ref struct BsonDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private readonly BsonNameTable? _names;

    // Elements of the documents being decoded are gathered on pooled stacks and copied once into exactly sized arrays.
    private BsonElement[] _elements;
    private int _elementTop;
    private int _elementHigh;
    private BsonValue[] _values;
    private int _valueTop;
    private int _valueHigh;

    private BsonDecoder(ReadOnlySpan<byte> data, BsonReadOptions options)
    {
        _data = data;
        _maxDepth = options.MaxDepth;
        _names = options.NameTable;
        _elements = [];
        _values = [];
    }

    public static BsonDocument DecodeTopLevel(ReadOnlySpan<byte> bson, BsonReadOptions options)
    {
        CheckTopLevelLength(bson);
        return DecodeAt(bson, 0, bson.Length, 1, options);
    }

    public static BsonDocument DecodeAt(ReadOnlySpan<byte> data, int start, int limit, int depth, BsonReadOptions options)
    {
        var decoder = new BsonDecoder(data, options);
        try
        {
            return decoder.ReadDocument(start, limit, depth);
        }
        finally
        {
            decoder.ReturnBuffers();
        }
    }

    public static BsonValue DecodeValueAt(ReadOnlySpan<byte> data, BsonType type, int valueOffset, int limit, int depth, BsonReadOptions options)
    {
        var decoder = new BsonDecoder(data, options);
        try
        {
            var p = valueOffset;
            return decoder.ReadValue(type, ref p, limit, depth, valueOffset);
        }
        finally
        {
            decoder.ReturnBuffers();
        }
    }

    public static void CheckTopLevelLength(ReadOnlySpan<byte> bson)
    {
        if (bson.Length < 5)
        {
            throw new BsonFormatException($"A BSON document is at least 5 bytes; got {bson.Length}.", 0);
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bson);
        if (length != bson.Length)
        {
            throw new BsonFormatException($"The document declares {length} bytes but {bson.Length} were given.", 0);
        }
    }

    /// <summary>Checks a document header and returns the offset one past its end.</summary>
    public static int CheckDocument(ReadOnlySpan<byte> data, int start, int limit, int depth, int maxDepth)
    {
        if (depth > maxDepth)
        {
            throw new BsonFormatException($"Documents are nested deeper than the limit of {maxDepth}.", start);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new BsonFormatException("Documents are nested too deeply for the remaining stack of this thread.", start);
        }

        if (limit - start < 5)
        {
            throw new BsonFormatException("An embedded document needs at least 5 bytes but the enclosing document ends first.", start);
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data[start..]);
        if (length < 5 || length > limit - start)
        {
            throw new BsonFormatException($"Document length {length} is below 5 or runs past the enclosing document ({limit - start} bytes left).", start);
        }

        var end = start + length;
        if (data[end - 1] != 0)
        {
            throw new BsonFormatException("The document does not end with a 0x00 terminator.", end - 1);
        }

        return end;
    }

    /// <summary>Finds the NUL ending a C string that starts at <paramref name="p"/>; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CStringLength(ReadOnlySpan<byte> data, int p, int limit)
    {
        var length = data[p..limit].IndexOf((byte)0);
        if (length < 0)
        {
            throw new BsonFormatException("A field name or C string has no 0x00 terminator inside its document.", p);
        }

        return length;
    }

    /// <summary>Checks a length-prefixed string at <paramref name="p"/>; returns the content length (without the NUL).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StringLength(ReadOnlySpan<byte> data, int p, int limit)
    {
        if (limit - p < 5)
        {
            throw new BsonFormatException("A string needs at least 5 bytes but its document ends first.", p);
        }

        var n = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
        if (n < 1 || n > limit - p - 4)
        {
            throw new BsonFormatException($"String length {n} is below 1 or runs past its document.", p);
        }

        if (data[p + 3 + n] != 0)
        {
            throw new BsonFormatException("A string does not end with a 0x00 terminator.", p + 3 + n);
        }

        return n - 1;
    }

    /// <summary>Checks a binary value at <paramref name="p"/>; returns the offset and length of the payload.</summary>
    public static (int Offset, int Length) BinaryPayload(ReadOnlySpan<byte> data, int p, int limit)
    {
        if (limit - p < 5)
        {
            throw new BsonFormatException("A binary value needs at least 5 bytes but its document ends first.", p);
        }

        var n = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
        if (n < 0 || n > limit - p - 5)
        {
            throw new BsonFormatException($"Binary length {n} is negative or runs past its document.", p);
        }

        if (data[p + 4] == (byte)BsonBinarySubtype.OldBinary)
        {
            // Subtype 2 repeats the payload length inside the payload.
            var inner = n >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(data[(p + 5)..]) : -1;
            if (inner != n - 4)
            {
                throw new BsonFormatException($"Old binary (subtype 2) inner length {inner} does not equal the outer length {n} minus 4.", p + 5);
            }

            return (p + 9, n - 4);
        }

        return (p + 5, n);
    }

    /// <summary>Checks a JavaScript-with-scope value; returns (code offset, code length, scope offset, end).</summary>
    public static (int CodeOffset, int CodeLength, int ScopeOffset, int End) CodeWithScope(ReadOnlySpan<byte> data, int p, int limit)
    {
        if (limit - p < 4)
        {
            throw new BsonFormatException("A code-with-scope value needs a length but its document ends first.", p);
        }

        var total = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
        if (total < 14 || total > limit - p)
        {
            throw new BsonFormatException($"Code-with-scope length {total} is below 14 or runs past its document.", p);
        }

        var end = p + total;
        var codeLength = StringLength(data, p + 4, end);
        var scopeOffset = p + 4 + 4 + codeLength + 1;
        if (end - scopeOffset < 5 || BinaryPrimitives.ReadInt32LittleEndian(data[scopeOffset..]) != end - scopeOffset)
        {
            throw new BsonFormatException("The code-with-scope scope document does not exactly fill the rest of the value.", scopeOffset);
        }

        return (p + 8, codeLength, scopeOffset, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Need(int p, int count, int limit)
    {
        if (limit - p < count)
        {
            throw new BsonFormatException($"A value needs {count} bytes but its document ends first.", p);
        }
    }

    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, int offset)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new BsonFormatException("Invalid UTF-8 in a string or field name.", offset + Math.Max(0, ex.Index));
        }
    }

    public static BsonFormatException UnknownType(byte type, int offset) =>
        new($"Unknown BSON element type 0x{type:X2}.", offset);

    private void ReturnBuffers()
    {
        if (_elements.Length > 0)
        {
            Array.Clear(_elements, 0, Math.Max(_elementHigh, _elementTop));
            ArrayPool<BsonElement>.Shared.Return(_elements);
            _elements = [];
        }

        if (_values.Length > 0)
        {
            Array.Clear(_values, 0, Math.Max(_valueHigh, _valueTop));
            ArrayPool<BsonValue>.Shared.Return(_values);
            _values = [];
        }
    }

    private BsonDocument ReadDocument(int start, int limit, int depth)
    {
        var data = _data;
        var end = CheckDocument(data, start, limit, depth, _maxDepth);
        var last = end - 1;
        var mark = _elementTop;
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

                break;
            }

            p++;
            var nameLength = CStringLength(data, p, last);
            var nameBytes = data.Slice(p, nameLength);
            var name = _names is null ? DecodeUtf8(nameBytes, p) : _names.GetOrAdd(nameBytes, p);
            p += nameLength + 1;
            var value = ReadValue((BsonType)type, ref p, last, depth, typeOffset);
            if (_elementTop == _elements.Length)
            {
                GrowElements();
            }

            _elements[_elementTop++] = new BsonElement(name, value);
        }

        var count = _elementTop - mark;
        _elementHigh = Math.Max(_elementHigh, _elementTop);
        var elements = count == 0 ? [] : _elements.AsSpan(mark, count).ToArray();
        _elementTop = mark;
        return new BsonDocument(elements, count);
    }

    private BsonArray ReadArray(int start, int limit, int depth)
    {
        var data = _data;
        var end = CheckDocument(data, start, limit, depth, _maxDepth);
        var last = end - 1;
        var mark = _valueTop;
        var p = start + 4;
        while (true)
        {
            var typeOffset = p;
            var type = data[p];
            if (type == 0)
            {
                if (p != last)
                {
                    throw new BsonFormatException("A 0x00 terminator appears before the declared end of the array.", p);
                }

                break;
            }

            p++;

            // Array keys are implied by position; the stored keys are skipped (but must be valid C strings).
            var nameLength = CStringLength(data, p, last);
            var key = data.Slice(p, nameLength);
            if (!System.Text.Ascii.IsValid(key) && !Utf8IsValid(key))
            {
                throw new BsonFormatException("Invalid UTF-8 in an array key.", p);
            }

            p += nameLength + 1;
            var value = ReadValue((BsonType)type, ref p, last, depth, typeOffset);
            if (_valueTop == _values.Length)
            {
                GrowValues();
            }

            _values[_valueTop++] = value;
        }

        var count = _valueTop - mark;
        _valueHigh = Math.Max(_valueHigh, _valueTop);
        var values = count == 0 ? [] : _values.AsSpan(mark, count).ToArray();
        _valueTop = mark;
        return new BsonArray(values, count);
    }

    private void GrowElements()
    {
        var bigger = ArrayPool<BsonElement>.Shared.Rent(Math.Max(64, _elements.Length * 2));
        if (_elements.Length > 0)
        {
            _elements.AsSpan(0, _elementTop).CopyTo(bigger);
            Array.Clear(_elements, 0, Math.Max(_elementHigh, _elementTop));
            ArrayPool<BsonElement>.Shared.Return(_elements);
        }

        _elements = bigger;
    }

    private void GrowValues()
    {
        var bigger = ArrayPool<BsonValue>.Shared.Rent(Math.Max(64, _values.Length * 2));
        if (_values.Length > 0)
        {
            _values.AsSpan(0, _valueTop).CopyTo(bigger);
            Array.Clear(_values, 0, Math.Max(_valueHigh, _valueTop));
            ArrayPool<BsonValue>.Shared.Return(_values);
        }

        _values = bigger;
    }

    public static bool Utf8IsValid(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private BsonValue ReadValue(BsonType type, ref int p, int limit, int depth, int typeOffset)
    {
        var data = _data;
        switch (type)
        {
            case BsonType.Double:
            case BsonType.DateTime:
            case BsonType.Int64:
            case BsonType.Timestamp:
            {
                Need(p, 8, limit);
                var bits = BinaryPrimitives.ReadUInt64LittleEndian(data[p..]);
                p += 8;
                return BsonValue.Raw(type, null, bits, 0);
            }

            case BsonType.String:
            case BsonType.JavaScript:
            case BsonType.Symbol:
            {
                var n = StringLength(data, p, limit);
                var text = DecodeUtf8(data.Slice(p + 4, n), p + 4);
                p += n + 5;
                return BsonValue.Raw(type, text, 0, 0);
            }

            case BsonType.Document:
            {
                var document = ReadDocument(p, limit, depth + 1);
                p += BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
                return BsonValue.Raw(type, document, 0, 0);
            }

            case BsonType.Array:
            {
                var array = ReadArray(p, limit, depth + 1);
                p += BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
                return BsonValue.Raw(type, array, 0, 0);
            }

            case BsonType.Binary:
            {
                var (offset, length) = BinaryPayload(data, p, limit);
                var subtype = data[p + 4];
                var bytes = data.Slice(offset, length).ToArray();
                p = offset + length;
                return BsonValue.Raw(type, bytes, subtype, 0);
            }

            case BsonType.Undefined:
            case BsonType.Null:
            case BsonType.MinKey:
            case BsonType.MaxKey:
                return BsonValue.Raw(type, null, 0, 0);

            case BsonType.ObjectId:
            {
                Need(p, 12, limit);
                var lo = BinaryPrimitives.ReadUInt64LittleEndian(data[p..]);
                var hi = BinaryPrimitives.ReadUInt32LittleEndian(data[(p + 8)..]);
                p += 12;
                return BsonValue.Raw(type, null, lo, hi);
            }

            case BsonType.Boolean:
            {
                Need(p, 1, limit);
                var b = data[p];
                if (b > 1)
                {
                    throw new BsonFormatException($"A boolean must be 0x00 or 0x01, not 0x{b:X2}.", p);
                }

                p++;
                return BsonValue.Raw(type, null, b, 0);
            }

            case BsonType.RegularExpression:
            {
                var patternLength = CStringLength(data, p, limit);
                var pattern = DecodeUtf8(data.Slice(p, patternLength), p);
                p += patternLength + 1;
                var optionsLength = CStringLength(data, p, limit);
                var options = DecodeUtf8(data.Slice(p, optionsLength), p);
                p += optionsLength + 1;
                return BsonValue.FromRegularExpression(new BsonRegularExpression(pattern, options));
            }

            case BsonType.DBPointer:
            {
                var n = StringLength(data, p, limit);
                var ns = DecodeUtf8(data.Slice(p + 4, n), p + 4);
                p += n + 5;
                Need(p, 12, limit);
                var id = new ObjectId(data.Slice(p, 12));
                p += 12;
                return BsonValue.FromDBPointer(new BsonDBPointer(ns, id));
            }

            case BsonType.JavaScriptWithScope:
            {
                var (codeOffset, codeLength, scopeOffset, end) = CodeWithScope(data, p, limit);
                var code = DecodeUtf8(data.Slice(codeOffset, codeLength), codeOffset);
                var scope = ReadDocument(scopeOffset, end, depth + 1);
                p = end;
                return BsonValue.FromJavaScriptWithScope(new BsonJavaScriptWithScope(code, scope));
            }

            case BsonType.Int32:
            {
                Need(p, 4, limit);
                var value = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
                p += 4;
                return BsonValue.Raw(type, null, (ulong)(long)value, 0);
            }

            case BsonType.Decimal128:
            {
                Need(p, 16, limit);
                var lo = BinaryPrimitives.ReadUInt64LittleEndian(data[p..]);
                var hi = BinaryPrimitives.ReadUInt64LittleEndian(data[(p + 8)..]);
                p += 16;
                return BsonValue.FromDecimal128(new Decimal128(hi, lo));
            }

            default:
                throw UnknownType((byte)type, typeOffset);
        }
    }
}
