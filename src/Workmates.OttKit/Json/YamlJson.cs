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
    /// <param name="yaml">The YAML text.</param>
    /// <param name="localTag">
    /// Optional handler for local tags (<c>!Ref</c>, <c>!Sub</c>…): given the tag and the node converted without it,
    /// returns the node to use, or null to keep the untagged value.
    /// </param>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static JsonNode? Parse(string yaml, Func<string, JsonNode?, JsonNode?>? localTag = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, localTag);
    }

    /// <summary>Converts one YAML node (and everything under it).</summary>
    public static JsonNode? Convert(YamlNode node, Func<string, JsonNode?, JsonNode?>? localTag = null)
    {
        JsonNode? converted = node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping, localTag),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, localTag))]),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => null,
        };

        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (localTag is not null && tag is { Length: > 1 } && tag[0] == '!' && tag[1] != '!')
        {
            return localTag(tag, converted) ?? converted;
        }

        return converted;
    }

    private static JsonObject ConvertMapping(YamlMappingNode mapping, Func<string, JsonNode?, JsonNode?>? localTag)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : key.ToString();

            // YAML forbids duplicate keys; if a document has them anyway the last one wins, as in most loaders.
            result[name] = Convert(value, localTag);
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
                _ when tag.StartsWith('!') && !tag.StartsWith("!!", StringComparison.Ordinal) && scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any => JsonValue.Create(text),
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
