using System.Text.Json;

namespace Workmates.OttKit.Tests.Mongo.Bson;

/// <summary>
/// Compares JSON texts structurally (whitespace and escaping ignored, key order kept), as the BSON corpus asks.
/// Integral number tokens compare by text; other numbers by the bits of their double value, so 1 ≠ 1.0 and 0.0 ≠ -0.0.
/// </summary>
internal static class JsonAssert
{
    public static bool SemanticallyEqual(string expected, string actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        return Equal(a.RootElement, b.RootElement);
    }

    private static bool Equal(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var left = a.EnumerateObject().ToList();
                var right = b.EnumerateObject().ToList();
                return left.Count == right.Count && left.Zip(right).All(p => p.First.Name == p.Second.Name && Equal(p.First.Value, p.Second.Value));
            }

            case JsonValueKind.Array:
            {
                var left = a.EnumerateArray().ToList();
                var right = b.EnumerateArray().ToList();
                return left.Count == right.Count && left.Zip(right).All(p => Equal(p.First, p.Second));
            }

            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Number:
            {
                var ra = a.GetRawText();
                var rb = b.GetRawText();
                var integralA = ra.IndexOfAny(['.', 'e', 'E']) < 0;
                var integralB = rb.IndexOfAny(['.', 'e', 'E']) < 0;
                if (integralA != integralB)
                {
                    return false;
                }

                return integralA
                    ? ra == rb
                    : BitConverter.DoubleToInt64Bits(a.GetDouble()) == BitConverter.DoubleToInt64Bits(b.GetDouble());
            }

            default:
                return true;
        }
    }
}
