namespace Workmates.OttKit.Mongo.Bson;

/// <summary>The element type byte of a BSON element, as defined by the BSON specification.</summary>
#pragma warning disable CA1028, CA1720 // The wire format fixes a byte; the member names are the BSON specification's type names.
public enum BsonType : byte
{
    /// <summary>Marks the end of a document (0x00); never the type of a value.</summary>
    EndOfDocument = 0x00,

    /// <summary>64-bit IEEE 754 binary floating point (0x01).</summary>
    Double = 0x01,

    /// <summary>UTF-8 string (0x02).</summary>
    String = 0x02,

    /// <summary>Embedded document (0x03).</summary>
    Document = 0x03,

    /// <summary>Array, encoded as a document with keys "0", "1", … (0x04).</summary>
    Array = 0x04,

    /// <summary>Binary data with a subtype (0x05).</summary>
    Binary = 0x05,

    /// <summary>Undefined (0x06, deprecated).</summary>
    Undefined = 0x06,

    /// <summary>12-byte ObjectId (0x07).</summary>
    ObjectId = 0x07,

    /// <summary>Boolean (0x08).</summary>
    Boolean = 0x08,

    /// <summary>UTC datetime, milliseconds since the Unix epoch (0x09).</summary>
    DateTime = 0x09,

    /// <summary>Null (0x0A).</summary>
    Null = 0x0A,

    /// <summary>Regular expression: pattern and sorted options (0x0B).</summary>
    RegularExpression = 0x0B,

    /// <summary>DBPointer: namespace and ObjectId (0x0C, deprecated).</summary>
    DBPointer = 0x0C,

    /// <summary>JavaScript code (0x0D).</summary>
    JavaScript = 0x0D,

    /// <summary>Symbol (0x0E, deprecated).</summary>
    Symbol = 0x0E,

    /// <summary>JavaScript code with a scope document (0x0F, deprecated).</summary>
    JavaScriptWithScope = 0x0F,

    /// <summary>32-bit signed integer (0x10).</summary>
    Int32 = 0x10,

    /// <summary>Replication timestamp: seconds and increment (0x11).</summary>
    Timestamp = 0x11,

    /// <summary>64-bit signed integer (0x12).</summary>
    Int64 = 0x12,

    /// <summary>IEEE 754-2008 128-bit decimal floating point, BID encoding (0x13).</summary>
    Decimal128 = 0x13,

    /// <summary>MaxKey: compares above every other value (0x7F).</summary>
    MaxKey = 0x7F,

    /// <summary>MinKey: compares below every other value (0xFF).</summary>
    MinKey = 0xFF,
}
#pragma warning restore CA1028, CA1720

/// <summary>The subtype byte of a BSON binary value.</summary>
#pragma warning disable CA1028 // The wire format fixes the underlying type to a byte.
public enum BsonBinarySubtype : byte
#pragma warning restore CA1028
{
    /// <summary>Generic binary data (0x00).</summary>
    Generic = 0x00,

    /// <summary>Function (0x01).</summary>
    Function = 0x01,

    /// <summary>Old binary (0x02, deprecated): the payload repeats its length in an inner int32.</summary>
    OldBinary = 0x02,

    /// <summary>Legacy UUID (0x03, byte order driver-specific).</summary>
    UuidLegacy = 0x03,

    /// <summary>RFC 4122 UUID (0x04).</summary>
    Uuid = 0x04,

    /// <summary>MD5 digest (0x05).</summary>
    Md5 = 0x05,

    /// <summary>Client-side field level encryption payload (0x06).</summary>
    Encrypted = 0x06,

    /// <summary>Compressed time-series column (0x07).</summary>
    Column = 0x07,

    /// <summary>Sensitive data that must not be logged (0x08).</summary>
    Sensitive = 0x08,

    /// <summary>Dense vector: dtype byte, padding byte, packed elements (0x09).</summary>
    Vector = 0x09,

    /// <summary>First user-defined subtype (0x80); 0x80–0xFF are all user-defined.</summary>
    UserDefined = 0x80,
}
