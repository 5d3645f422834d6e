using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>The two Extended JSON v2 output formats.</summary>
public enum ExtendedJsonMode
{
    /// <summary>Type-preserving: every number and date is wrapped (<c>{"$numberInt": "1"}</c>).</summary>
    Canonical,

    /// <summary>Readable: int32, int64 and finite doubles are plain numbers, dates in 1970–9999 are ISO-8601 strings.</summary>
    Relaxed,
}

/// <summary>Options for reading Extended JSON.</summary>
public sealed record ExtendedJsonReadOptions
{
    /// <summary>Specification-strict defaults.</summary>
    public static ExtendedJsonReadOptions Default { get; } = new();

    /// <summary>Largest <see cref="MaxDepth"/> accepted: deeper input would only exhaust the stack.</summary>
    public const int MaxDepthCeiling = 1000;

    private readonly int _maxDepth = 100;

    /// <summary>Maximum nesting of documents and arrays (the top-level document is depth 1).</summary>
    /// <value>Default: 100 (BSON documents from mongod nest at most 100 levels deep); 1 to <see cref="MaxDepthCeiling"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">Below 1 or above <see cref="MaxDepthCeiling"/>.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxDepthCeiling);
            _maxDepth = value;
        }
    }

    /// <summary>
    /// Accept the legacy <c>{"$date": &lt;milliseconds&gt;}</c> written by older shells and tools. The Extended JSON v2
    /// specification (and its test corpus) rejects it, so it is off by default; turn it on to read old exports.
    /// </summary>
    public bool AcceptNumericDate { get; init; }
}

/// <summary>Reads and writes MongoDB Extended JSON v2 (canonical and relaxed), plus the legacy forms the specification accepts.</summary>
public static class ExtendedJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
        MaxDepth = 1024,
    };

    private static readonly string[] SingleKeyWrappers =
    [
        "$oid", "$symbol", "$numberInt", "$numberLong", "$numberDouble", "$numberDecimal", "$uuid", "$timestamp",
        "$regularExpression", "$dbPointer", "$date", "$minKey", "$maxKey", "$undefined",
    ];

    /// <summary>Formats a document as Extended JSON.</summary>
    /// <param name="document">The document.</param>
    /// <param name="mode">Canonical or relaxed.</param>
    /// <returns>The JSON text.</returns>
    public static string Write(BsonDocument document, ExtendedJsonMode mode)
    {
        ArgumentNullException.ThrowIfNull(document);
        return WriteValue(BsonValue.FromDocument(document), mode);
    }

    /// <summary>Formats any value as Extended JSON.</summary>
    /// <param name="value">The value.</param>
    /// <param name="mode">Canonical or relaxed.</param>
    /// <returns>The JSON text.</returns>
    public static string WriteValue(BsonValue value, ExtendedJsonMode mode)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteValue(writer, value, mode, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a value as Extended JSON into a <see cref="Utf8JsonWriter"/>.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="mode">Canonical or relaxed.</param>
    public static void WriteValue(Utf8JsonWriter writer, BsonValue value, ExtendedJsonMode mode)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer, value, mode, 0);
    }

    /// <summary>Parses one Extended JSON object into a document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">Options; <see cref="ExtendedJsonReadOptions.Default"/> when null.</param>
    /// <returns>The document.</returns>
    /// <exception cref="BsonFormatException">The text is not valid JSON or not valid Extended JSON.</exception>
    public static BsonDocument ParseDocument(string json, ExtendedJsonReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= ExtendedJsonReadOptions.Default;
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = (2 * options.MaxDepth) + 4 });
        }
        catch (JsonException ex)
        {
            throw new BsonFormatException($"Not valid JSON: {ex.Message}", ex);
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BsonFormatException("Extended JSON for a document must be a JSON object.", 0);
            }

            BsonValue value;
            try
            {
                value = new Parser(options).ConvertObject(root, 1, Parser.JsonPath.Root);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json refuses to decode a string holding a lone surrogate escape ("\uD800") as UTF-16.
                throw new BsonFormatException($"Invalid Extended JSON: a string or key is not valid Unicode (a lone surrogate escape such as \uD800): {ex.Message}", ex);
            }

            return value.Type == BsonType.Document
                ? value.AsDocument
                : throw new BsonFormatException($"The top-level JSON object is a {value.Type} wrapper, not a document.", 0);
        }
    }

    internal static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 ? text : text + ".0";
    }

    private static void WriteValue(Utf8JsonWriter w, BsonValue value, ExtendedJsonMode mode, int depth)
    {
        var relaxed = mode == ExtendedJsonMode.Relaxed;
        switch (value.Type)
        {
            case BsonType.Double:
            {
                var d = value.AsDouble;
                if (relaxed && double.IsFinite(d))
                {
                    w.WriteRawValue(FormatDouble(d));
                }
                else
                {
                    WriteWrapper(w, "$numberDouble", FormatDouble(d));
                }

                break;
            }

            case BsonType.String:
                w.WriteStringValue(value.AsString);
                break;
            case BsonType.Document:
                WriteDocument(w, value.AsDocument, mode, depth + 1);
                break;
            case BsonType.Array:
                if (depth > 1000)
                {
                    throw new InvalidOperationException("The value nests too deeply to format.");
                }

                w.WriteStartArray();
                foreach (var item in value.AsArray.Values)
                {
                    WriteValue(w, item, mode, depth + 1);
                }

                w.WriteEndArray();
                break;
            case BsonType.Binary:
                w.WriteStartObject();
                w.WriteStartObject("$binary");
                w.WriteBase64String("base64", value.AsBinary.Span);
                w.WriteString("subType", ((byte)value.BinarySubtype).ToString("x2", CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case BsonType.Undefined:
                w.WriteStartObject();
                w.WriteBoolean("$undefined", true);
                w.WriteEndObject();
                break;
            case BsonType.ObjectId:
                WriteWrapper(w, "$oid", value.AsObjectId.ToString());
                break;
            case BsonType.Boolean:
                w.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.DateTime:
            {
                var ms = value.AsDateTimeMilliseconds;
                w.WriteStartObject();
                if (relaxed && ms >= 0 && ms <= 253402300799999L)
                {
                    var utc = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
                    var format = utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                    w.WriteString("$date", utc.ToString(format, CultureInfo.InvariantCulture));
                }
                else
                {
                    w.WritePropertyName("$date");
                    WriteWrapper(w, "$numberLong", ms.ToString(CultureInfo.InvariantCulture));
                }

                w.WriteEndObject();
                break;
            }

            case BsonType.Null:
                w.WriteNullValue();
                break;
            case BsonType.RegularExpression:
            {
                var regex = value.AsRegularExpression;
                w.WriteStartObject();
                w.WriteStartObject("$regularExpression");
                w.WriteString("pattern", regex.Pattern);
                w.WriteString("options", regex.Options);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            }

            case BsonType.DBPointer:
            {
                var pointer = value.AsDBPointer;
                w.WriteStartObject();
                w.WriteStartObject("$dbPointer");
                w.WriteString("$ref", pointer.Namespace);
                w.WritePropertyName("$id");
                WriteWrapper(w, "$oid", pointer.Id.ToString());
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            }

            case BsonType.JavaScript:
                WriteWrapper(w, "$code", value.AsJavaScript);
                break;
            case BsonType.Symbol:
                WriteWrapper(w, "$symbol", value.AsSymbol);
                break;
            case BsonType.JavaScriptWithScope:
            {
                var code = value.AsJavaScriptWithScope;
                w.WriteStartObject();
                w.WriteString("$code", code.Code);
                w.WritePropertyName("$scope");
                WriteDocument(w, code.Scope, mode, depth + 1);
                w.WriteEndObject();
                break;
            }

            case BsonType.Int32:
                if (relaxed)
                {
                    w.WriteNumberValue(value.AsInt32);
                }
                else
                {
                    WriteWrapper(w, "$numberInt", value.AsInt32.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case BsonType.Timestamp:
            {
                var ts = value.AsTimestamp;
                w.WriteStartObject();
                w.WriteStartObject("$timestamp");
                w.WriteNumber("t", ts.Seconds);
                w.WriteNumber("i", ts.Increment);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            }

            case BsonType.Int64:
                if (relaxed)
                {
                    w.WriteNumberValue(value.AsInt64);
                }
                else
                {
                    WriteWrapper(w, "$numberLong", value.AsInt64.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case BsonType.Decimal128:
                WriteWrapper(w, "$numberDecimal", value.AsDecimal128.ToString());
                break;
            case BsonType.MinKey:
                w.WriteStartObject();
                w.WriteNumber("$minKey", 1);
                w.WriteEndObject();
                break;
            case BsonType.MaxKey:
                w.WriteStartObject();
                w.WriteNumber("$maxKey", 1);
                w.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"Unknown BSON type {value.Type}.");
        }
    }

    private static void WriteDocument(Utf8JsonWriter w, BsonDocument document, ExtendedJsonMode mode, int depth)
    {
        if (depth > 1000)
        {
            throw new InvalidOperationException("The document nests too deeply to format.");
        }

        w.WriteStartObject();
        foreach (var element in document.Elements)
        {
            w.WritePropertyName(element.Name);
            WriteValue(w, element.Value, mode, depth);
        }

        w.WriteEndObject();
    }

    private static void WriteWrapper(Utf8JsonWriter w, string key, string text)
    {
        w.WriteStartObject();
        w.WriteString(key, text);
        w.WriteEndObject();
    }

    private sealed class Parser(ExtendedJsonReadOptions options)
    {
        public BsonValue ConvertObject(JsonElement obj, int depth, JsonPath path)
        {
            if (depth > options.MaxDepth)
            {
                throw Error(path, $"documents nest deeper than the limit of {options.MaxDepth}");
            }

            var count = 0;
            string? wrapper = null;
            var hasBinary = false;
            var hasCode = false;
            var hasRegex = false;
            foreach (var property in obj.EnumerateObject())
            {
                count++;
                var name = property.Name;
                if (name.Length > 1 && name[0] == '$')
                {
                    hasBinary |= name == "$binary";
                    hasCode |= name == "$code";
                    hasRegex |= name == "$regex";
                    if (wrapper is null && Array.IndexOf(SingleKeyWrappers, name) >= 0)
                    {
                        wrapper = name;
                    }
                }
            }

            if (hasBinary)
            {
                return ParseBinary(obj, count, path);
            }

            if (hasCode)
            {
                return ParseCode(obj, count, depth, path);
            }

            if (wrapper is not null)
            {
                if (count != 1)
                {
                    throw Error(path, $"'{wrapper}' must be the only key of its object");
                }

                return ParseWrapper(wrapper, obj.GetProperty(wrapper), depth, path.Key(wrapper));
            }

            if (hasRegex && TryParseLegacyRegex(obj, count, path, out var regex))
            {
                return regex;
            }

            var document = new BsonDocument(count);
            foreach (var property in obj.EnumerateObject())
            {
                var name = property.Name;
                if (name.Contains('\0', StringComparison.Ordinal))
                {
                    throw Error(path, "a key contains a NUL character, which BSON cannot store");
                }

                document.AddUnchecked(name, Convert(property.Value, depth, path.Key(name)));
            }

            return BsonValue.FromDocument(document);
        }

        private static BsonFormatException Error(JsonPath path, string message) =>
            new($"Invalid Extended JSON at {path}: {message}.");

        /// <summary>
        /// Where a value is, built only when an error needs it: one small link per level instead of a path string per
        /// element (which made deep, wide input quadratic in memory).
        /// </summary>
        public sealed class JsonPath
        {
            private readonly JsonPath? _parent;
            private readonly string? _key;
            private readonly int _index;

            private JsonPath(JsonPath? parent, string? key, int index)
            {
                _parent = parent;
                _key = key;
                _index = index;
            }

            public static JsonPath Root { get; } = new(null, null, -1);

            public JsonPath Key(string key) => new(this, key, -1);

            public JsonPath Index(int index) => new(this, null, index);

            public override string ToString()
            {
                var segments = new List<JsonPath>();
                for (var at = this; at is not null; at = at._parent)
                {
                    segments.Add(at);
                }

                var text = new StringBuilder("$");
                for (var i = segments.Count - 2; i >= 0; i--)
                {
                    var segment = segments[i];
                    if (segment._key is { } key)
                    {
                        text.Append('.').Append(key);
                    }
                    else
                    {
                        text.Append('[').Append(segment._index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    }
                }

                return text.ToString();
            }
        }

        private static string RequireString(JsonElement value, JsonPath path, string what) =>
            value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(path, $"{what} must be a string, not {value.ValueKind}");

        private static string NoNul(string text, JsonPath path, string what) =>
            text.Contains('\0', StringComparison.Ordinal) ? throw Error(path, $"{what} contains a NUL character") : text;

        private BsonValue Convert(JsonElement value, int depth, JsonPath path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    return ConvertObject(value, depth + 1, path);
                case JsonValueKind.Array:
                {
                    if (depth + 1 > options.MaxDepth)
                    {
                        throw Error(path, $"documents nest deeper than the limit of {options.MaxDepth}");
                    }

                    var array = new BsonArray(value.GetArrayLength());
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        array.Add(Convert(item, depth + 1, path.Index(i)));
                        i++;
                    }

                    return BsonValue.FromArray(array);
                }

                case JsonValueKind.String:
                    return BsonValue.FromString(value.GetString()!);
                case JsonValueKind.Number:
                    return ConvertNumber(value);
                case JsonValueKind.True:
                    return BsonValue.FromBoolean(true);
                case JsonValueKind.False:
                    return BsonValue.FromBoolean(false);
                default:
                    return BsonValue.Null;
            }
        }

        private static BsonValue ConvertNumber(JsonElement value)
        {
            var raw = value.GetRawText();
            if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
            {
                if (value.TryGetInt32(out var i))
                {
                    return BsonValue.FromInt32(i);
                }

                if (value.TryGetInt64(out var l))
                {
                    return BsonValue.FromInt64(l);
                }
            }

            return BsonValue.FromDouble(value.GetDouble());
        }

        private BsonValue ParseWrapper(string key, JsonElement value, int depth, JsonPath path)
        {
            switch (key)
            {
                case "$oid":
                    return ObjectId.TryParse(RequireString(value, path, "$oid"), out var id)
                        ? BsonValue.FromObjectId(id)
                        : throw Error(path, "$oid must be 24 hexadecimal digits");
                case "$symbol":
                    return BsonValue.FromSymbol(RequireString(value, path, "$symbol"));
                case "$numberInt":
                    return int.TryParse(RequireString(value, path, "$numberInt"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                        ? BsonValue.FromInt32(i)
                        : throw Error(path, "$numberInt must be a 32-bit integer in a string");
                case "$numberLong":
                    return long.TryParse(RequireString(value, path, "$numberLong"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                        ? BsonValue.FromInt64(l)
                        : throw Error(path, "$numberLong must be a 64-bit integer in a string");
                case "$numberDouble":
                    return BsonValue.FromDouble(ParseDouble(RequireString(value, path, "$numberDouble"), path));
                case "$numberDecimal":
                    return Decimal128.TryParse(RequireString(value, path, "$numberDecimal"), out var dec)
                        ? BsonValue.FromDecimal128(dec)
                        : throw Error(path, "$numberDecimal is not a representable decimal");
                case "$uuid":
                    return Guid.TryParseExact(RequireString(value, path, "$uuid"), "D", out var guid)
                        ? BsonValue.FromGuid(guid)
                        : throw Error(path, "$uuid must be 8-4-4-4-12 hexadecimal digits");
                case "$timestamp":
                    return ParseTimestamp(value, path);
                case "$regularExpression":
                    return ParseRegularExpression(value, path);
                case "$dbPointer":
                    return ParseDBPointer(value, depth, path);
                case "$date":
                    return ParseDate(value, path);
                case "$minKey":
                case "$maxKey":
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var one) && one == 1
                        ? (key == "$minKey" ? BsonValue.MinKey : BsonValue.MaxKey)
                        : throw Error(path, $"{key} must be the number 1");
                default: // "$undefined"
                    return value.ValueKind == JsonValueKind.True ? BsonValue.Undefined : throw Error(path, "$undefined must be true");
            }
        }

        private static double ParseDouble(string text, JsonPath path) => text switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d
                : throw Error(path, $"'{text}' is not a $numberDouble"),
        };

        private static BsonValue ParseTimestamp(JsonElement value, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "$timestamp must be an object {t, i}");
            }

            uint? t = null;
            uint? i = null;
            foreach (var property in value.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetUInt32(out var n))
                {
                    throw Error(path, $"$timestamp.{property.Name} must be an unsigned 32-bit number");
                }

                switch (property.Name)
                {
                    case "t" when t is null:
                        t = n;
                        break;
                    case "i" when i is null:
                        i = n;
                        break;
                    default:
                        throw Error(path, $"unexpected key '{property.Name}' in $timestamp");
                }
            }

            return t is { } seconds && i is { } increment
                ? BsonValue.FromTimestamp(new BsonTimestamp(seconds, increment))
                : throw Error(path, "$timestamp needs both t and i");
        }

        private static BsonValue ParseRegularExpression(JsonElement value, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "$regularExpression must be an object {pattern, options}");
            }

            string? pattern = null;
            string? flags = null;
            foreach (var property in value.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "pattern" when pattern is null:
                        pattern = NoNul(RequireString(property.Value, path, "pattern"), path, "pattern");
                        break;
                    case "options" when flags is null:
                        flags = NoNul(RequireString(property.Value, path, "options"), path, "options");
                        break;
                    default:
                        throw Error(path, $"unexpected key '{property.Name}' in $regularExpression");
                }
            }

            return pattern is not null && flags is not null
                ? BsonValue.FromRegularExpression(new BsonRegularExpression(pattern, flags))
                : throw Error(path, "$regularExpression needs both pattern and options");
        }

        private static bool TryParseLegacyRegex(JsonElement obj, int count, JsonPath path, out BsonValue regex)
        {
            regex = default;
            var pattern = obj.GetProperty("$regex");
            if (pattern.ValueKind != JsonValueKind.String)
            {
                return false; // {"$regex": {...}} is the query operator, an ordinary document.
            }

            var flags = string.Empty;
            if (count == 2 && obj.TryGetProperty("$options", out var options) && options.ValueKind == JsonValueKind.String)
            {
                flags = options.GetString()!;
            }
            else if (count != 1)
            {
                return false;
            }

            regex = BsonValue.FromRegularExpression(new BsonRegularExpression(
                NoNul(pattern.GetString()!, path, "$regex"), NoNul(flags, path, "$options")));
            return true;
        }

        private BsonValue ParseDBPointer(JsonElement value, int depth, JsonPath path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "$dbPointer must be an object {$ref, $id}");
            }

            string? ns = null;
            ObjectId? id = null;
            foreach (var property in value.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "$ref" when ns is null:
                        ns = RequireString(property.Value, path, "$ref");
                        break;
                    case "$id" when id is null:
                    {
                        var converted = Convert(property.Value, depth, path.Key("$id"));
                        id = converted.Type == BsonType.ObjectId ? converted.AsObjectId : throw Error(path, "$dbPointer.$id must be an $oid");
                        break;
                    }

                    default:
                        throw Error(path, $"unexpected key '{property.Name}' in $dbPointer");
                }
            }

            return ns is not null && id is { } oid
                ? BsonValue.FromDBPointer(new BsonDBPointer(ns, oid))
                : throw Error(path, "$dbPointer needs both $ref and $id");
        }

        private BsonValue ParseDate(JsonElement value, JsonPath path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                {
                    var text = value.GetString()!;
                    return text.Contains('T', StringComparison.Ordinal) &&
                           DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
                        ? BsonValue.FromDateTimeMilliseconds(instant.ToUnixTimeMilliseconds())
                        : throw Error(path, $"'{text}' is not an ISO-8601 date-time");
                }

                case JsonValueKind.Object:
                {
                    var count = 0;
                    foreach (var unused in value.EnumerateObject())
                    {
                        count++;
                    }

                    if (count == 1 && value.TryGetProperty("$numberLong", out var ms) && ms.ValueKind == JsonValueKind.String &&
                        long.TryParse(ms.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis))
                    {
                        return BsonValue.FromDateTimeMilliseconds(millis);
                    }

                    throw Error(path, "$date must be an ISO-8601 string or {\"$numberLong\": \"<ms>\"}");
                }

                case JsonValueKind.Number when options.AcceptNumericDate && value.TryGetInt64(out var legacy):
                    return BsonValue.FromDateTimeMilliseconds(legacy);
                default:
                    throw Error(path, "$date must be an ISO-8601 string or {\"$numberLong\": \"<ms>\"} (numeric dates need AcceptNumericDate)");
            }
        }

        private static BsonValue ParseBinary(JsonElement obj, int count, JsonPath path)
        {
            var binary = obj.GetProperty("$binary");
            string base64;
            string subtypeText;
            if (binary.ValueKind == JsonValueKind.Object)
            {
                if (count != 1)
                {
                    throw Error(path, "$binary must be the only key of its object");
                }

                string? b = null;
                string? s = null;
                foreach (var property in binary.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "base64" when b is null:
                            b = RequireString(property.Value, path, "$binary.base64");
                            break;
                        case "subType" when s is null:
                            s = RequireString(property.Value, path, "$binary.subType");
                            break;
                        default:
                            throw Error(path, $"unexpected key '{property.Name}' in $binary");
                    }
                }

                base64 = b ?? throw Error(path, "$binary needs base64");
                subtypeText = s ?? throw Error(path, "$binary needs subType");
            }
            else if (binary.ValueKind == JsonValueKind.String && count == 2 && obj.TryGetProperty("$type", out var type))
            {
                // Legacy form: {"$binary": "<base64>", "$type": "<hex>"}.
                base64 = binary.GetString()!;
                subtypeText = RequireString(type, path, "$type");
            }
            else
            {
                throw Error(path, "$binary must be {\"base64\": ..., \"subType\": ...} or the legacy {\"$binary\": ..., \"$type\": ...}");
            }

            if (subtypeText.Length is < 1 or > 2 || !byte.TryParse(subtypeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var subtype))
            {
                throw Error(path, $"binary subType '{subtypeText}' must be one or two hexadecimal digits");
            }

            var bytes = new byte[(base64.Length * 3 / 4) + 3];
            if (!System.Convert.TryFromBase64String(base64, bytes, out var written))
            {
                throw Error(path, "binary payload is not valid base64");
            }

            return BsonValue.FromBinary((BsonBinarySubtype)subtype, bytes.AsSpan(0, written).ToArray());
        }

        private BsonValue ParseCode(JsonElement obj, int count, int depth, JsonPath path)
        {
            var code = RequireString(obj.GetProperty("$code"), path, "$code");
            if (count == 1)
            {
                return BsonValue.FromJavaScript(code);
            }

            if (count == 2 && obj.TryGetProperty("$scope", out var scope))
            {
                if (scope.ValueKind != JsonValueKind.Object)
                {
                    throw Error(path, "$scope must be a document");
                }

                var converted = ConvertObject(scope, depth + 1, path.Key("$scope"));
                return converted.Type == BsonType.Document
                    ? BsonValue.FromJavaScriptWithScope(new BsonJavaScriptWithScope(code, converted.AsDocument))
                    : throw Error(path, "$scope must be a document");
            }

            throw Error(path, "$code may only be accompanied by $scope");
        }
    }
}
