using System.Globalization;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// YAML scalar rules. Reading follows the YAML 1.2 core schema (only true/false are booleans). Writing is
/// conservative: any string that a YAML 1.1 or 1.2 parser could resolve to something other than a string
/// (yes, on, ~, 0123, 1e3, 2010-09-09, 1:30…) is quoted, because AWS and other tools may use either.
/// </summary>
internal static partial class YamlScalars
{
    private static readonly HashSet<string> AmbiguousWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "<<", "=",
    };

    public static bool NeedsQuotes(string value) =>
        value.Length == 0
        || AmbiguousWords.Contains(value)
        || (LooksNumericStart(value) && (NumberLike().IsMatch(value) || Sexagesimal().IsMatch(value) || Timestamp().IsMatch(value)))
        || SpecialFloat().IsMatch(value);

    private static bool LooksNumericStart(string value)
    {
        var c = value[0];
        return char.IsAsciiDigit(c) || c is '-' or '+' or '.';
    }

    /// <summary>Resolves an untagged plain scalar with the YAML 1.2 core schema.</summary>
    public static CfnScalar ResolvePlain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return CfnScalar.Null;
            case "true" or "True" or "TRUE":
                return CfnScalar.Of(true);
            case "false" or "False" or "FALSE":
                return CfnScalar.Of(false);
        }

        if (CoreInteger().IsMatch(value))
        {
            return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? CfnScalar.Of(integer)
                : CfnScalar.Of(double.Parse(value, CultureInfo.InvariantCulture));
        }

        if (value.StartsWith("0o", StringComparison.Ordinal) && CoreOctal().IsMatch(value))
        {
            return CfnScalar.Of(Convert.ToInt64(value[2..], 8));
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && CoreHex().IsMatch(value))
        {
            return CfnScalar.Of(long.Parse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        if (CoreFloat().IsMatch(value))
        {
            return CfnScalar.Of(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return value switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => CfnScalar.Of(double.PositiveInfinity),
            "-.inf" or "-.Inf" or "-.INF" => CfnScalar.Of(double.NegativeInfinity),
            ".nan" or ".NaN" or ".NAN" => CfnScalar.Of(double.NaN),
            _ => CfnScalar.Of(value),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreInteger();

    [GeneratedRegex(@"^0o[0-7]{1,21}$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreOctal();

    [GeneratedRegex(@"^0x[0-9a-fA-F]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreHex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CoreFloat();

    // YAML 1.1 and 1.2 numbers, with underscores, hex/octal/binary prefixes, and bare exponents (1e3).
    [GeneratedRegex(@"^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Sexagesimal();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecialFloat();
}
