using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>Reads JSON values the way JSON Schema sees them (numbers by value, integers as whole numbers).</summary>
internal static class JsonValues
{
    public static JsonValueKind KindOf(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => node.GetValueKind(),
    };

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? s))
        {
            value = s;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Gets a JSON number as a double, whatever CLR type the <see cref="JsonValue"/> wraps.</summary>
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out JsonElement element))
        {
            return element.TryGetDouble(out value);
        }

        if (v.TryGetValue(out double d)) { value = d; return true; }
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        if (v.TryGetValue(out ulong ul)) { value = ul; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out short sh)) { value = sh; return true; }
        if (v.TryGetValue(out byte b)) { value = b; return true; }
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool IsInteger(double value) => !double.IsInfinity(value) && Math.Floor(value) == value;

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryGetBoolean(JsonNode? node, out bool value)
    {
        value = false;
        if (node is not JsonValue v)
        {
            return false;
        }

        var kind = v.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            value = kind == JsonValueKind.True;
            return true;
        }

        return false;
    }

    /// <summary>Number of Unicode code points (what JSON Schema lengths count), not UTF-16 units.</summary>
    public static int CodePointLength(string text)
    {
        var count = text.Length;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>JSON Schema equality: numbers by value (1 equals 1.0), objects regardless of key order.</summary>
    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        var kind = KindOf(left);
        if (kind != KindOf(right))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return TryGetNumber(left, out var a) && TryGetNumber(right, out var b) && a.Equals(b);
            case JsonValueKind.String:
                return TryGetString(left, out var s1) && TryGetString(right, out var s2) && string.Equals(s1, s2, StringComparison.Ordinal);
            case JsonValueKind.Array:
                {
                    var x = (JsonArray)left!;
                    var y = (JsonArray)right!;
                    if (x.Count != y.Count)
                    {
                        return false;
                    }

                    for (var i = 0; i < x.Count; i++)
                    {
                        if (!DeepEquals(x[i], y[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.Object:
                {
                    var x = (JsonObject)left!;
                    var y = (JsonObject)right!;
                    if (x.Count != y.Count)
                    {
                        return false;
                    }

                    foreach (var (key, value) in x)
                    {
                        if (!y.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    /// <summary>A short rendering of a value for messages (strings unquoted, long values cut).</summary>
    public static string Describe(JsonNode? node)
    {
        if (TryGetString(node, out var s))
        {
            return Truncate(s);
        }

        return node is null ? "null" : Truncate(node.ToJsonString());
    }

    public static string Truncate(string text, int max = 80) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    public static string DescribeKind(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => TryGetNumber(node, out var d) && IsInteger(d) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>Joins names for a message, cutting long lists.</summary>
    public static string JoinNames(IEnumerable<string> names, int max = 40)
    {
        var builder = new StringBuilder();
        var count = 0;
        foreach (var name in names)
        {
            if (count == max)
            {
                builder.Append(", …");
                break;
            }

            if (count > 0)
            {
                builder.Append(", ");
            }

            builder.Append(name);
            count++;
        }

        return builder.ToString();
    }
}
