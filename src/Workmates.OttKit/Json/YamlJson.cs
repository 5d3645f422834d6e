using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workmates.OttKit.Json;

/// <summary>
/// Converts YAML to a <see cref="JsonNode"/> tree with YAML 1.2 core-schema typing: only <c>true</c>/<c>false</c> are
/// booleans and only numeric-looking plain scalars are numbers, so the workflow key <c>on</c> (a boolean in YAML 1.1)
/// stays the string "on". Quoted and block scalars are always strings.
/// </summary>
internal static partial class YamlJson
{
    /// <summary>Parses the first document of a YAML text; null for an empty document.</summary>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static JsonNode? Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    /// <summary>Converts one YAML node (and everything under it).</summary>
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : key.ToString();

            // YAML forbids duplicate keys; if a document has them anyway the last one wins, as in most loaders.
            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null && tag != "?")
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" or "!" => JsonValue.Create(text),
                "tag:yaml.org,2002:null" => null,
                _ => ResolvePlain(text) ?? JsonValue.Create(text),
            };
        }

        if (scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any)
        {
            return JsonValue.Create(text);
        }

        return text is "" or "~" or "null" or "Null" or "NULL" ? null : ResolvePlain(text) ?? JsonValue.Create(text);
    }

    /// <summary>YAML 1.2 core schema: booleans and numbers; anything else is not resolved (stays a string).</summary>
    private static JsonValue? ResolvePlain(string text)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return JsonValue.Create(whole);
            }

            return decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? JsonValue.Create(big) : null;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            return JsonValue.Create(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text.AsSpan(2).IndexOfAnyExceptInRange('0', '7') < 0)
        {
            return JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
        }

        // Infinity and NaN have no JSON form; they stay strings.
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return null;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
