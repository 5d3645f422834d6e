using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>The JSON types a <c>type</c> keyword allows.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}

/// <summary><c>type</c>: a string or an array of type names; an integer is a number with no fraction.</summary>
internal sealed class TypeKeyword(JsonTypes allowed, string display) : SchemaKeyword
{
    public JsonTypes Allowed => allowed;

    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (Matches(instance, evaluation.Dialect.LenientScalars))
        {
            return true;
        }

        if (evaluation.Collecting)
        {
            evaluation.Report("type", $"expected {display} but found {Found(instance)}; write {Article(display)} {display} value");
        }

        return false;
    }

    private static string Found(JsonNode? instance) => instance switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => $"{JsonValues.DescribeKind(instance)} '{JsonValues.Describe(instance)}'",
    };

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private bool Matches(JsonNode? instance, bool lenient)
    {
        switch (JsonValues.KindOf(instance))
        {
            case JsonValueKind.Object:
                return (allowed & JsonTypes.Object) != 0;
            case JsonValueKind.Array:
                return (allowed & JsonTypes.Array) != 0;
            case JsonValueKind.Null:
                return (allowed & JsonTypes.Null) != 0;
            case JsonValueKind.True:
            case JsonValueKind.False:
                return (allowed & JsonTypes.Boolean) != 0 || (lenient && (allowed & JsonTypes.String) != 0);
            case JsonValueKind.Number:
                if ((allowed & JsonTypes.Number) != 0 || (lenient && (allowed & JsonTypes.String) != 0))
                {
                    return true;
                }

                return (allowed & JsonTypes.Integer) != 0 && JsonValues.TryGetNumber(instance, out var n) && JsonValues.IsInteger(n);
            case JsonValueKind.String:
                if ((allowed & JsonTypes.String) != 0)
                {
                    return true;
                }

                if (!lenient)
                {
                    return false;
                }

                JsonValues.TryGetString(instance, out var text);
                if ((allowed & JsonTypes.Boolean) != 0 && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }

                if ((allowed & (JsonTypes.Number | JsonTypes.Integer)) != 0 && JsonValues.TryParseNumber(text, out var parsed))
                {
                    return (allowed & JsonTypes.Number) != 0 || JsonValues.IsInteger(parsed);
                }

                return false;
            default:
                return false;
        }
    }
}

/// <summary><c>enum</c> (and <c>const</c>, an enum of one): the value must equal one of the listed values.</summary>
internal sealed class EnumKeyword : SchemaKeyword
{
    private readonly JsonNode?[] _values;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _scalarTexts = new(StringComparer.Ordinal);
    private readonly bool _hasNonStrings;
    private readonly string _name;

    public EnumKeyword(JsonNode?[] values, string name)
    {
        _values = values;
        _name = name;
        foreach (var value in values)
        {
            if (JsonValues.TryGetString(value, out var s))
            {
                _strings.Add(s);
                _scalarTexts.Add(s);
            }
            else
            {
                _hasNonStrings = true;
                if (ScalarText(value) is { } text)
                {
                    _scalarTexts.Add(text);
                }
            }
        }
    }

    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        var isString = JsonValues.TryGetString(instance, out var s);
        if (isString && (_strings.Contains(s) || evaluation.Dialect.IsDeployTimeString(s)))
        {
            return true;
        }

        if (_hasNonStrings)
        {
            foreach (var value in _values)
            {
                if (JsonValues.DeepEquals(value, instance))
                {
                    return true;
                }
            }
        }

        if (evaluation.Dialect.LenientScalars && ScalarText(instance) is { } text && _scalarTexts.Contains(text))
        {
            return true;
        }

        if (evaluation.Collecting)
        {
            var allowed = JsonValues.JoinNames(_values.Select(JsonValues.Describe));
            var message = _values.Length == 1
                ? $"value '{JsonValues.Describe(instance)}' must be '{allowed}'"
                : $"value '{JsonValues.Describe(instance)}' is not one of: {allowed}";
            if (isString && _values.Length > 1 && NameSuggestion.Closest(s, _strings) is { } closest)
            {
                message += $" (did you mean '{closest}'?)";
            }

            evaluation.Report(_name, message);
        }

        return false;
    }

    /// <summary>The text CloudFormation would see for a scalar: "80" and 80 are the same, as are "true" and true.</summary>
    private static string? ScalarText(JsonNode? node)
    {
        if (JsonValues.TryGetString(node, out var s))
        {
            if (JsonValues.TryParseNumber(s, out var parsed))
            {
                return parsed.ToString(CultureInfo.InvariantCulture);
            }

            return s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? s.ToUpperInvariant()
                : s;
        }

        if (JsonValues.TryGetNumber(node, out var n))
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }

        return JsonValues.TryGetBoolean(node, out var b) ? (b ? "TRUE" : "FALSE") : null;
    }
}

/// <summary><c>minLength</c>/<c>maxLength</c>, counted in Unicode code points.</summary>
internal sealed class LengthKeyword(int? min, int? max) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (!JsonValues.TryGetString(instance, out var s) || evaluation.Dialect.IsDeployTimeString(s))
        {
            return true;
        }

        // Cheap bounds on UTF-16 length first: code points are between Length/2 and Length.
        if ((min is null || s.Length / 2 >= min) && (max is null || s.Length <= max))
        {
            return true;
        }

        var length = JsonValues.CodePointLength(s);
        if (min is { } lo && length < lo)
        {
            evaluation.Report("minLength", $"value '{JsonValues.Describe(s)}' is {length} characters long; it must be at least {lo}");
            return false;
        }

        if (max is { } hi && length > hi)
        {
            evaluation.Report("maxLength", $"value '{JsonValues.Describe(s)}' is {length} characters long; it must be at most {hi}");
            return false;
        }

        return true;
    }
}

/// <summary><c>pattern</c>: an ECMA-262 regular expression, compiled once through the owner's cache.</summary>
internal sealed class PatternKeyword(CompiledPattern pattern) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (!JsonValues.TryGetString(instance, out var s) || evaluation.Dialect.IsDeployTimeString(s) || pattern.IsMatch(s))
        {
            return true;
        }

        evaluation.Report("pattern", $"value '{JsonValues.Describe(s)}' does not match the pattern {pattern.Source}");
        return false;
    }
}

/// <summary><c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>multipleOf</c>.</summary>
internal sealed class RangeKeyword(double? minimum, double? maximum, double? exclusiveMinimum, double? exclusiveMaximum, double? multipleOf) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (!JsonValues.TryGetNumber(instance, out var n)
            && !(evaluation.Dialect.LenientScalars && JsonValues.TryGetString(instance, out var s) && JsonValues.TryParseNumber(s, out n)))
        {
            return true;
        }

        string? problem = null;
        if (minimum is { } min && n < min)
        {
            problem = $"value {Format(n)} is below the minimum {Format(min)}";
        }
        else if (exclusiveMinimum is { } xmin && n <= xmin)
        {
            problem = $"value {Format(n)} must be greater than {Format(xmin)}";
        }
        else if (maximum is { } max && n > max)
        {
            problem = $"value {Format(n)} is above the maximum {Format(max)}";
        }
        else if (exclusiveMaximum is { } xmax && n >= xmax)
        {
            problem = $"value {Format(n)} must be less than {Format(xmax)}";
        }
        else if (multipleOf is { } step && step > 0 && !JsonValues.IsInteger(Math.Round(n / step, 9)))
        {
            problem = $"value {Format(n)} must be a multiple of {Format(step)}";
        }

        if (problem is null)
        {
            return true;
        }

        evaluation.Report("range", problem);
        return false;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
