using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Workmates.OttKit.CloudFormation;

/// <summary>Reads JSON or YAML template text (short-form tags included) into a <see cref="Template"/>.</summary>
public static class TemplateReader
{
    /// <summary>Reads a template, detecting JSON (first non-blank character <c>{</c>) or YAML.</summary>
    /// <param name="text">The template body.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateFormatException">The text is not a well-formed template.</exception>
    public static Template Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        return trimmed.Length > 0 && trimmed[0] == '{' ? ReadJson(text) : ReadYaml(text);
    }

    /// <summary>Reads a JSON template.</summary>
    /// <param name="json">The template body.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateFormatException">The text is not a well-formed template.</exception>
    public static Template ReadJson(string json) => TemplateDocumentReader.FromNode(ParseJsonTree(json));

    /// <summary>Reads a YAML template; short-form tags and YAML 1.2 core-schema scalars are understood.</summary>
    /// <param name="yaml">The template body.</param>
    /// <returns>The template.</returns>
    /// <exception cref="TemplateFormatException">The text is not a well-formed template.</exception>
    public static Template ReadYaml(string yaml) => TemplateDocumentReader.FromNode(ParseYamlTree(yaml));

    /// <summary>Reads JSON text into a property tree (single-key <c>Ref</c>/<c>Condition</c>/<c>Fn::*</c> objects become intrinsics).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="TemplateFormatException">The text is not well-formed JSON.</exception>
    public static CfnNode ParseJsonTree(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000, CommentHandling = JsonCommentHandling.Skip });
            return FromJson(document.RootElement, string.Empty);
        }
        catch (JsonException e)
        {
            throw new TemplateFormatException(string.Empty, "The template is not valid JSON: " + e.Message, e.LineNumber + 1, e);
        }
    }

    /// <summary>Reads YAML text into a property tree (short-form tags become intrinsics).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="TemplateFormatException">The text is not well-formed YAML.</exception>
    public static CfnNode ParseYamlTree(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                throw new TemplateFormatException(string.Empty, "The template is empty.");
            }

            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, CfnNode>(StringComparer.Ordinal);
            var root = ReadYamlNode(parser, string.Empty, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                throw new TemplateFormatException(string.Empty, "The text holds more than one YAML document; a template is exactly one.");
            }

            return root;
        }
        catch (YamlException e)
        {
            throw new TemplateFormatException(string.Empty, "The template is not valid YAML: " + e.Message, e.Start.Line, e);
        }
    }

    private static CfnNode FromJson(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new CfnObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (obj.ContainsKey(property.Name))
                    {
                        throw new TemplateFormatException(Join(path, property.Name), "the key appears twice in the same object; keep one.");
                    }

                    obj.Add(property.Name, FromJson(property.Value, Join(path, property.Name)));
                }

                return AsIntrinsic(obj);
            case JsonValueKind.Array:
                var list = new CfnList();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJson(item, $"{path}[{index++}]"));
                }

                return list;
            case JsonValueKind.String:
                return CfnScalar.Of(element.GetString()!);
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                return raw.AsSpan().IndexOfAny(".eE") < 0 && element.TryGetInt64(out var integer)
                    ? CfnScalar.Of(integer)
                    : CfnScalar.Of(element.GetDouble());
            case JsonValueKind.True:
                return CfnScalar.Of(true);
            case JsonValueKind.False:
                return CfnScalar.Of(false);
            default:
                return CfnScalar.Null;
        }
    }

    // {"Ref": "X"}, {"Condition": "X"} and {"Fn::Name": arg} are intrinsic calls; anything else is data.
    private static CfnNode AsIntrinsic(CfnObject obj)
    {
        if (obj.Count != 1)
        {
            return obj;
        }

        var (key, value) = obj.First();
        if (key.StartsWith("Fn::", StringComparison.Ordinal) && key.Length > 4)
        {
            return new Intrinsic(key, NormalizeArgument(key, value));
        }

        return key is "Ref" or "Condition" && value is CfnScalar { Kind: CfnScalarKind.String } ? new Intrinsic(key, value) : obj;
    }

    // Fn::GetAtt's "A.B" string form means the same as ["A", "B"]; keep one canonical shape.
    private static CfnNode NormalizeArgument(string name, CfnNode argument)
    {
        if (name == "Fn::GetAtt" && argument is CfnScalar { Kind: CfnScalarKind.String } dotted)
        {
            var text = dotted.StringValue!;
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && dot < text.Length - 1 ? new CfnList { text[..dot], text[(dot + 1)..] } : argument;
        }

        return argument;
    }

    private static CfnNode ReadYamlNode(IParser parser, string path, Dictionary<string, CfnNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new TemplateFormatException(path, $"the alias *{alias.Value} has no anchor before it.", alias.Start.Line);
        }

        CfnNode node;
        AnchorName anchor;
        TagName tag;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor;
            tag = scalar.Tag;
            node = ScalarNode(scalar, path);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            anchor = sequenceStart.Anchor;
            tag = sequenceStart.Tag;
            var list = new CfnList();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Add(ReadYamlNode(parser, $"{path}[{list.Count}]", anchors));
            }

            node = list;
        }
        else if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            anchor = mappingStart.Anchor;
            tag = mappingStart.Tag;
            var obj = new CfnObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                var keyNode = ReadYamlNode(parser, path, anchors);
                if (keyNode is not CfnScalar keyScalar || keyScalar.Kind == CfnScalarKind.Null)
                {
                    throw new TemplateFormatException(path, "a mapping key must be a plain string.", keyEvent?.Start.Line);
                }

                var key = keyScalar.Text!;
                var childPath = Join(path, key);
                if (obj.ContainsKey(key))
                {
                    throw new TemplateFormatException(childPath, "the key appears twice in the same mapping; keep one.", keyEvent?.Start.Line);
                }

                obj.Add(key, ReadYamlNode(parser, childPath, anchors));
            }

            node = tag.IsEmpty ? AsIntrinsic(obj) : obj;
        }
        else
        {
            throw new TemplateFormatException(path, $"unexpected YAML event {parser.Current?.GetType().Name}.", parser.Current?.Start.Line);
        }

        if (!tag.IsEmpty && !tag.IsNonSpecific)
        {
            node = ApplyTag(tag.Value, node, path, parser.Current?.Start.Line);
        }

        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    private static CfnScalar ScalarNode(Scalar scalar, string path)
    {
        if (!scalar.Tag.IsEmpty)
        {
            // A tagged scalar is text; standard tags are resolved in ApplyTag.
            return CfnScalar.Of(scalar.Value);
        }

        return scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(scalar.Value) : CfnScalar.Of(scalar.Value);
    }

    private static CfnNode ApplyTag(string tag, CfnNode node, string path, long? line)
    {
        const string Standard = "tag:yaml.org,2002:";
        if (tag.StartsWith(Standard, StringComparison.Ordinal))
        {
            var text = (node as CfnScalar)?.Text;
            return tag[Standard.Length..] switch
            {
                "str" => node,
                "map" or "seq" => node,
                "null" => CfnScalar.Null,
                "bool" when text is "true" or "false" => CfnScalar.Of(text == "true"),
                "int" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => CfnScalar.Of(i),
                "float" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => CfnScalar.Of(d),
                _ => throw new TemplateFormatException(path, $"the value does not match its tag !!{tag[Standard.Length..]}.", line),
            };
        }

        if (!tag.StartsWith('!') || tag.Length < 2)
        {
            throw new TemplateFormatException(path, $"the tag '{tag}' is not a CloudFormation function; use !Ref, !Sub, !GetAtt….", line);
        }

        var shortName = tag[1..];
        var name = shortName is "Ref" or "Condition" ? shortName : "Fn::" + shortName;
        return new Intrinsic(name, NormalizeArgument(name, node));
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
