using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>
/// Reads YAML into a <see cref="SpecNode"/> tree without interpreting scalars: typing follows the YAML 1.2 core schema
/// later, in the binder, so <c>on</c>, <c>yes</c> and <c>no</c> stay strings (the YAML 1.1 "Norway problem").
/// </summary>
/// <remarks>
/// The tree is built from parser events with an explicit stack, so nesting costs no call-stack depth, and within
/// <see cref="SpecLimits"/>: nesting deeper than <see cref="SpecLimits.MaxDepth"/> and aliases that would expand the
/// document beyond <see cref="SpecLimits.MaxExpandedNodes"/> nodes (a "billion laughs" alias bomb) are syntax errors
/// at the offending position. An alias shares the anchored node; it is never copied.
/// </remarks>
internal static class YamlSpecReader
{
    public static SpecNode? Read(string text)
    {
        SpecLimits.CheckLength(text);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadDocument(parser);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw new SpecSyntaxException("the file holds more than one YAML document; a spec is one document", Line(second.Start), Column(second.Start));
            }

            parser.Consume<StreamEnd>();
            return root;
        }
        catch (YamlException ex)
        {
            throw new SpecSyntaxException(Inner(ex), Line(ex.Start), Column(ex.Start));
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed plain scalars (found by the fuzz suite) instead of a
            // YamlException; it is still a syntax error of the text, at the parser's last position.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new SpecSyntaxException($"the YAML is malformed after this point ({ex.Message})", Math.Max(1, Line(at)), Math.Max(1, Column(at)));
        }
    }

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);

    private static string Inner(YamlException ex)
    {
        // YamlDotNet wraps the cause (for example "Duplicate key") in a generic message.
        var message = ex.InnerException is { } inner ? inner.Message : ex.Message;
        return message.Trim();
    }

    private static SpecNode ReadDocument(IParser parser)
    {
        var anchors = new Dictionary<string, (SpecNode Node, long Size)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        long expanded = 0;
        while (true)
        {
            var current = parser.Consume<ParsingEvent>();
            SpecNode node;
            long size;
            switch (current)
            {
                case Scalar scalar:
                    node = new SpecScalar(scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded, Line(scalar.Start), Column(scalar.Start));
                    size = 1;
                    Remember(anchors, scalar.Anchor, node, size);
                    break;
                case SequenceStart start:
                    Push(stack, new Frame(isMapping: false, start.Anchor, Line(start.Start), Column(start.Start)));
                    continue;
                case MappingStart start:
                    Push(stack, new Frame(isMapping: true, start.Anchor, Line(start.Start), Column(start.Start)));
                    continue;
                case SequenceEnd or MappingEnd:
                    var frame = stack.Pop();
                    if (frame.PendingKey is { } dangling)
                    {
                        throw new SpecSyntaxException($"the key '{dangling.Key}' has no value", dangling.Line, dangling.Column);
                    }

                    node = frame.IsMapping ? new SpecMapping(frame.Entries, frame.Line, frame.Column) : new SpecSequence(frame.Items, frame.Line, frame.Column);
                    size = frame.Size;
                    Remember(anchors, frame.Anchor, node, size);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw new SpecSyntaxException($"the alias '*{alias.Value.Value}' names no anchor defined before it", Line(alias.Start), Column(alias.Start));
                    }

                    (node, size) = anchored;
                    break;
                default:
                    throw new SpecSyntaxException($"unsupported YAML event {current.GetType().Name}", Line(current.Start), Column(current.Start));
            }

            expanded += size;
            if (expanded > SpecLimits.MaxExpandedNodes)
            {
                throw new SpecSyntaxException(
                    string.Create(CultureInfo.InvariantCulture, $"the document expands to more than {SpecLimits.MaxExpandedNodes:N0} nodes once its aliases are resolved (an alias bomb?); write the repeated values out or alias fewer nested levels"),
                    Line(current.Start),
                    Column(current.Start));
            }

            if (stack.Count == 0)
            {
                return node;
            }

            stack.Peek().Add(node, size);
        }
    }

    private static void Push(Stack<Frame> stack, Frame frame)
    {
        if (stack.Count >= SpecLimits.MaxDepth)
        {
            throw new SpecSyntaxException($"the document nests lists and mappings deeper than {SpecLimits.MaxDepth} levels; a spec needs far fewer", frame.Line, frame.Column);
        }

        stack.Push(frame);
    }

    private static void Remember(Dictionary<string, (SpecNode Node, long Size)> anchors, AnchorName anchor, SpecNode node, long size)
    {
        if (!anchor.IsEmpty)
        {
            // A redefined anchor applies from here on, as in YAML.
            anchors[anchor.Value] = (node, size);
        }
    }

    /// <summary>A list or mapping being read.</summary>
    private sealed class Frame(bool isMapping, AnchorName anchor, int line, int column)
    {
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

        public bool IsMapping { get; } = isMapping;

        public AnchorName Anchor { get; } = anchor;

        public int Line { get; } = line;

        public int Column { get; } = column;

        public List<SpecNode> Items { get; } = [];

        public List<SpecMapEntry> Entries { get; } = [];

        public SpecMapEntry? PendingKey { get; private set; }

        public long Size { get; private set; } = 1;

        public void Add(SpecNode node, long size)
        {
            Size += size;
            if (!IsMapping)
            {
                Items.Add(node);
                return;
            }

            if (PendingKey is { } key)
            {
                Entries.Add(key with { Value = node });
                PendingKey = null;
                return;
            }

            if (node is not SpecScalar { Text: { } text })
            {
                throw new SpecSyntaxException("mapping keys must be plain strings", node.Line, node.Column);
            }

            if (!_keys.Add(text))
            {
                throw new SpecSyntaxException($"duplicate key '{text}'", node.Line, node.Column);
            }

            PendingKey = new SpecMapEntry(text, node.Line, node.Column, node);
        }
    }
}
