using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>
/// Reads YAML into a <see cref="SpecNode"/> tree without interpreting scalars: typing follows the YAML 1.2 core schema
/// later, in the binder, so <c>on</c>, <c>yes</c> and <c>no</c> stay strings (the YAML 1.1 "Norway problem").
/// </summary>
internal static class YamlSpecReader
{
    public static SpecNode? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new SpecSyntaxException(Inner(ex), (int)ex.Start.Line, (int)ex.Start.Column);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw new SpecSyntaxException("the file holds more than one YAML document; a spec is one document", (int)second.Start.Line, (int)second.Start.Column);
        }

        return Convert(stream.Documents[0].RootNode);
    }

    private static string Inner(YamlException ex)
    {
        // YamlDotNet wraps the cause (for example "Duplicate key") in a generic message.
        var message = ex.InnerException is { } inner ? inner.Message : ex.Message;
        return message.Trim();
    }

    private static SpecNode Convert(YamlNode node)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        switch (node)
        {
            case YamlScalarNode scalar:
                return new SpecScalar(scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded, line, column);
            case YamlSequenceNode sequence:
                return new SpecSequence(sequence.Children.Select(Convert).ToArray(), line, column);
            case YamlMappingNode mapping:
                var entries = new List<SpecMapEntry>(mapping.Children.Count);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode keyScalar || keyScalar.Value is null)
                    {
                        throw new SpecSyntaxException("mapping keys must be plain strings", (int)key.Start.Line, (int)key.Start.Column);
                    }

                    if (!seen.Add(keyScalar.Value))
                    {
                        throw new SpecSyntaxException($"duplicate key '{keyScalar.Value}'", (int)key.Start.Line, (int)key.Start.Column);
                    }

                    entries.Add(new SpecMapEntry(keyScalar.Value, (int)key.Start.Line, (int)key.Start.Column, Convert(value)));
                }

                return new SpecMapping(entries, line, column);
            default:
                throw new SpecSyntaxException($"unsupported YAML node {node.NodeType}", line, column);
        }
    }
}
