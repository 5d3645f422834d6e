using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// One BSON value of any type, as a 24-byte struct union: scalars (numbers, dates, ObjectIds, timestamps, booleans) are
/// stored inline without allocation; strings, documents, arrays, binary data and the rare Decimal128 hold a reference.
/// </summary>
public readonly struct BsonValue : IEquatable<BsonValue>
{
    private readonly object? _ref;
    private readonly ulong _lo;
    // The type lives in the top byte of _hi; the low 32 bits carry the last 4 bytes of an ObjectId.
    private readonly ulong _hi;

    private BsonValue(BsonType type, object? reference, ulong lo, uint hi)
    {
        _ref = reference;
        _lo = lo;
        _hi = ((ulong)type << 56) | hi;
    }

    /// <summary>The BSON type of the value. <c>default(BsonValue)</c> is <see cref="BsonType.Null"/>.</summary>
    public BsonType Type => RawType == BsonType.EndOfDocument ? BsonType.Null : RawType;

    /// <summary>The BSON null value.</summary>
    public static BsonValue Null => new(BsonType.Null, null, 0, 0);

    /// <summary>The deprecated BSON undefined value.</summary>
    public static BsonValue Undefined => new(BsonType.Undefined, null, 0, 0);

    /// <summary>MinKey.</summary>
    public static BsonValue MinKey => new(BsonType.MinKey, null, 0, 0);

    /// <summary>MaxKey.</summary>
    public static BsonValue MaxKey => new(BsonType.MaxKey, null, 0, 0);

    /// <summary>Whether the value is BSON null.</summary>
    public bool IsNull => Type == BsonType.Null;

    /// <summary>Creates a double.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDouble(double value) => new(BsonType.Double, null, (ulong)BitConverter.DoubleToInt64Bits(value), 0);

    /// <summary>Creates a string.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromString(string value) => new(BsonType.String, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates an embedded document.</summary>
    /// <param name="value">The document.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDocument(BsonDocument value) => new(BsonType.Document, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates an array.</summary>
    /// <param name="value">The array.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromArray(BsonArray value) => new(BsonType.Array, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates binary data. The array is owned by the value afterwards (not copied).</summary>
    /// <param name="subtype">The subtype.</param>
    /// <param name="data">The payload (for <see cref="BsonBinarySubtype.OldBinary"/>, without the inner length).</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromBinary(BsonBinarySubtype subtype, byte[] data) =>
        new(BsonType.Binary, data ?? throw new ArgumentNullException(nameof(data)), (ulong)subtype, 0);

    /// <summary>Creates a UUID (binary subtype 4, RFC 4122 byte order).</summary>
    /// <param name="value">The UUID.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromGuid(Guid value) => FromBinary(BsonBinarySubtype.Uuid, value.ToByteArray(bigEndian: true));

    /// <summary>Creates an ObjectId.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromObjectId(ObjectId value)
    {
        Span<byte> bytes = stackalloc byte[12];
        value.WriteTo(bytes);
        return new(BsonType.ObjectId, null, BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
    }

    /// <summary>Creates a boolean.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromBoolean(bool value) => new(BsonType.Boolean, null, value ? 1UL : 0UL, 0);

    /// <summary>Creates a UTC datetime from milliseconds since the Unix epoch (the full int64 range is allowed).</summary>
    /// <param name="millisecondsSinceEpoch">Milliseconds since 1970-01-01T00:00:00Z.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDateTimeMilliseconds(long millisecondsSinceEpoch) => new(BsonType.DateTime, null, (ulong)millisecondsSinceEpoch, 0);

    /// <summary>Creates a UTC datetime (truncated to milliseconds).</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDateTime(DateTimeOffset value) => FromDateTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <summary>Creates a regular expression (options are sorted, as BSON requires).</summary>
    /// <param name="value">The regular expression.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromRegularExpression(BsonRegularExpression value) =>
        new(BsonType.RegularExpression, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates a deprecated DBPointer.</summary>
    /// <param name="value">The pointer.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDBPointer(BsonDBPointer value) => new(BsonType.DBPointer, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates JavaScript code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromJavaScript(string code) => new(BsonType.JavaScript, code ?? throw new ArgumentNullException(nameof(code)), 0, 0);

    /// <summary>Creates a deprecated symbol.</summary>
    /// <param name="symbol">The symbol text.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromSymbol(string symbol) => new(BsonType.Symbol, symbol ?? throw new ArgumentNullException(nameof(symbol)), 0, 0);

    /// <summary>Creates deprecated JavaScript code with scope.</summary>
    /// <param name="value">Code and scope.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromJavaScriptWithScope(BsonJavaScriptWithScope value) =>
        new(BsonType.JavaScriptWithScope, value ?? throw new ArgumentNullException(nameof(value)), 0, 0);

    /// <summary>Creates an int32.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromInt32(int value) => new(BsonType.Int32, null, (ulong)(long)value, 0);

    /// <summary>Creates a replication timestamp.</summary>
    /// <param name="value">The timestamp.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromTimestamp(BsonTimestamp value) => new(BsonType.Timestamp, null, value.Value, 0);

    /// <summary>Creates an int64.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromInt64(long value) => new(BsonType.Int64, null, (ulong)value, 0);

    /// <summary>Creates a Decimal128.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The BSON value.</returns>
    public static BsonValue FromDecimal128(Decimal128 value) => new(BsonType.Decimal128, value, 0, 0);

    /// <summary>The double; throws for any other type.</summary>
    public double AsDouble => Type == BsonType.Double ? BitConverter.Int64BitsToDouble((long)_lo) : throw WrongType(BsonType.Double);

    /// <summary>The string; throws for any other type.</summary>
    public string AsString => Type == BsonType.String ? (string)_ref! : throw WrongType(BsonType.String);

    /// <summary>The embedded document; throws for any other type.</summary>
    public BsonDocument AsDocument => Type == BsonType.Document ? (BsonDocument)_ref! : throw WrongType(BsonType.Document);

    /// <summary>The array; throws for any other type.</summary>
    public BsonArray AsArray => Type == BsonType.Array ? (BsonArray)_ref! : throw WrongType(BsonType.Array);

    /// <summary>The binary subtype; throws when the value is not binary.</summary>
    public BsonBinarySubtype BinarySubtype => Type == BsonType.Binary ? (BsonBinarySubtype)_lo : throw WrongType(BsonType.Binary);

    /// <summary>The binary payload; throws when the value is not binary.</summary>
    public ReadOnlyMemory<byte> AsBinary => Type == BsonType.Binary ? (byte[])_ref! : throw WrongType(BsonType.Binary);

    /// <summary>The UUID of a subtype-4 binary; throws for anything else.</summary>
    public Guid AsGuid => Type == BsonType.Binary && (BsonBinarySubtype)_lo == BsonBinarySubtype.Uuid && ((byte[])_ref!).Length == 16
        ? new Guid((byte[])_ref!, bigEndian: true)
        : throw new InvalidCastException("The value is not a 16-byte binary of subtype 4 (UUID).");

    /// <summary>The ObjectId; throws for any other type.</summary>
    public ObjectId AsObjectId
    {
        get
        {
            if (Type != BsonType.ObjectId)
            {
                throw WrongType(BsonType.ObjectId);
            }

            Span<byte> bytes = stackalloc byte[12];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, _lo);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], (uint)_hi);
            return new ObjectId(bytes);
        }
    }

    /// <summary>The boolean; throws for any other type.</summary>
    public bool AsBoolean => Type == BsonType.Boolean ? _lo != 0 : throw WrongType(BsonType.Boolean);

    /// <summary>The datetime as milliseconds since the Unix epoch; throws for any other type.</summary>
    public long AsDateTimeMilliseconds => Type == BsonType.DateTime ? (long)_lo : throw WrongType(BsonType.DateTime);

    /// <summary>The datetime as a <see cref="DateTimeOffset"/> (UTC); throws when not a datetime or out of its range.</summary>
    public DateTimeOffset AsDateTime => DateTimeOffset.FromUnixTimeMilliseconds(AsDateTimeMilliseconds);

    /// <summary>The regular expression; throws for any other type.</summary>
    public BsonRegularExpression AsRegularExpression =>
        Type == BsonType.RegularExpression ? (BsonRegularExpression)_ref! : throw WrongType(BsonType.RegularExpression);

    /// <summary>The DBPointer; throws for any other type.</summary>
    public BsonDBPointer AsDBPointer => Type == BsonType.DBPointer ? (BsonDBPointer)_ref! : throw WrongType(BsonType.DBPointer);

    /// <summary>The JavaScript code; throws for any other type.</summary>
    public string AsJavaScript => Type == BsonType.JavaScript ? (string)_ref! : throw WrongType(BsonType.JavaScript);

    /// <summary>The symbol text; throws for any other type.</summary>
    public string AsSymbol => Type == BsonType.Symbol ? (string)_ref! : throw WrongType(BsonType.Symbol);

    /// <summary>The code with scope; throws for any other type.</summary>
    public BsonJavaScriptWithScope AsJavaScriptWithScope =>
        Type == BsonType.JavaScriptWithScope ? (BsonJavaScriptWithScope)_ref! : throw WrongType(BsonType.JavaScriptWithScope);

    /// <summary>The int32; throws for any other type.</summary>
    public int AsInt32 => Type == BsonType.Int32 ? (int)(long)_lo : throw WrongType(BsonType.Int32);

    /// <summary>The timestamp; throws for any other type.</summary>
    public BsonTimestamp AsTimestamp => Type == BsonType.Timestamp ? BsonTimestamp.FromValue(_lo) : throw WrongType(BsonType.Timestamp);

    /// <summary>The int64; throws for any other type.</summary>
    public long AsInt64 => Type == BsonType.Int64 ? (long)_lo : throw WrongType(BsonType.Int64);

    /// <summary>The Decimal128; throws for any other type.</summary>
    public Decimal128 AsDecimal128 => Type == BsonType.Decimal128 ? (Decimal128)_ref! : throw WrongType(BsonType.Decimal128);

    /// <summary>Whether the value is numeric (int32, int64, double or Decimal128).</summary>
    public bool IsNumeric => Type is BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128;

    /// <summary>Int32, int64 or an integral double as an int64 (what servers send for counts and flags); throws otherwise.</summary>
    /// <returns>The integer.</returns>
    public long ToInt64() => Type switch
    {
        BsonType.Int32 or BsonType.Int64 => (long)_lo,
        BsonType.Double when AsDouble is >= long.MinValue and < 9.2233720368547758E+18 && Math.Floor(AsDouble) == AsDouble => (long)AsDouble,
        _ => throw new InvalidCastException($"A {Type} value is not an integer."),
    };

    /// <summary>Int32, int64 or double as a double; throws otherwise.</summary>
    /// <returns>The number.</returns>
    public double ToDouble() => Type switch
    {
        BsonType.Int32 or BsonType.Int64 => (long)_lo,
        BsonType.Double => AsDouble,
        _ => throw new InvalidCastException($"A {Type} value is not a number."),
    };

    /// <summary>Whether the value is truthy the way the server reads command flags (<c>ok: 1</c>, <c>ok: 1.0</c>, <c>true</c>).</summary>
    /// <returns>Truthiness.</returns>
    public bool ToBoolean() => Type switch
    {
        BsonType.Boolean => _lo != 0,
        BsonType.Int32 or BsonType.Int64 => _lo != 0,
        BsonType.Double => AsDouble != 0 && !double.IsNaN(AsDouble),
        BsonType.Null or BsonType.Undefined => false,
        _ => true,
    };

    internal BsonType RawType => (BsonType)(_hi >> 56);

    internal object? Reference => _ref;

    internal ulong Low => _lo;

    internal uint High => (uint)_hi;

    internal static BsonValue Raw(BsonType type, object? reference, ulong lo, uint hi) => new(type, reference, lo, hi);

#pragma warning disable CA2225 // Named alternates exist as the From* factories.
    /// <summary>Converts an int32.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(int value) => FromInt32(value);

    /// <summary>Converts an int64.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(long value) => FromInt64(value);

    /// <summary>Converts a double.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(double value) => FromDouble(value);

    /// <summary>Converts a boolean.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(bool value) => FromBoolean(value);

    /// <summary>Converts a string (null becomes BSON null).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(string? value) => value is null ? Null : FromString(value);

    /// <summary>Converts an ObjectId.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(ObjectId value) => FromObjectId(value);

    /// <summary>Converts a Decimal128.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(Decimal128 value) => FromDecimal128(value);

    /// <summary>Converts an instant to a UTC datetime (milliseconds).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(DateTimeOffset value) => FromDateTime(value);

    /// <summary>Converts a timestamp.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(BsonTimestamp value) => FromTimestamp(value);

    /// <summary>Converts a document (null becomes BSON null).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(BsonDocument? value) => value is null ? Null : FromDocument(value);

    /// <summary>Converts an array (null becomes BSON null).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(BsonArray? value) => value is null ? Null : FromArray(value);

    /// <summary>Converts a regular expression (null becomes BSON null).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator BsonValue(BsonRegularExpression? value) => value is null ? Null : FromRegularExpression(value);
#pragma warning restore CA2225

    /// <summary>Deep equality: same type and same value (doubles and decimals compare by bits, binary by content).</summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether equal.</returns>
    public bool Equals(BsonValue other)
    {
        if (Type != other.Type)
        {
            return false;
        }

        return Type switch
        {
            BsonType.String or BsonType.JavaScript or BsonType.Symbol => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
            BsonType.Document => ((BsonDocument)_ref!).Equals((BsonDocument)other._ref!),
            BsonType.Array => ((BsonArray)_ref!).Equals((BsonArray)other._ref!),
            BsonType.Binary => _lo == other._lo && ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!),
            BsonType.RegularExpression or BsonType.DBPointer or BsonType.JavaScriptWithScope or BsonType.Decimal128 => Equals(_ref, other._ref),
            _ => _lo == other._lo && (uint)_hi == (uint)other._hi,
        };
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is BsonValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Type switch
    {
        BsonType.String or BsonType.JavaScript or BsonType.Symbol => HashCode.Combine(Type, ((string)_ref!).GetHashCode(StringComparison.Ordinal)),
        BsonType.Document or BsonType.Array or BsonType.Binary => HashCode.Combine(Type),
        BsonType.RegularExpression or BsonType.DBPointer or BsonType.JavaScriptWithScope or BsonType.Decimal128 => HashCode.Combine(Type, _ref),
        _ => HashCode.Combine(Type, _lo, (uint)_hi),
    };

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether equal.</returns>
    public static bool operator ==(BsonValue left, BsonValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>Whether different.</returns>
    public static bool operator !=(BsonValue left, BsonValue right) => !left.Equals(right);

    /// <summary>Strings and integers as plain text; every other value as relaxed Extended JSON.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Type switch
    {
        BsonType.String => (string)_ref!,
        BsonType.Int32 => AsInt32.ToString(CultureInfo.InvariantCulture),
        BsonType.Int64 => AsInt64.ToString(CultureInfo.InvariantCulture),
        _ => ExtendedJson.WriteValue(this, ExtendedJsonMode.Relaxed),
    };

    private InvalidCastException WrongType(BsonType expected) => new($"The BSON value is {Type}, not {expected}.");
}
