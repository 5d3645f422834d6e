using System.Globalization;
using System.Text;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Pipelines;

/// <summary>A node of a workflow document: a mapping, a sequence or a scalar.</summary>
internal abstract class WorkflowNode
{
    public static implicit operator WorkflowNode(string value) => WorkflowScalar.Of(value);

    public static implicit operator WorkflowNode(bool value) => WorkflowScalar.Of(value);

    public static implicit operator WorkflowNode(int value) => WorkflowScalar.Of(value);
}

/// <summary>An ordered mapping; entries keep insertion order so output is deterministic.</summary>
internal sealed class WorkflowMap : WorkflowNode, IEnumerable<WorkflowEntry>
{
    private readonly List<WorkflowEntry> entries = [];

    public IReadOnlyList<WorkflowEntry> Entries => entries;

    public WorkflowNode this[string key]
    {
        set => Add(key, value);
    }

    public void Add(string key, WorkflowNode value, string? comment = null)
    {
        if (entries.Exists(e => string.Equals(e.Key, key, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Duplicate workflow key '{key}'.");
        }

        entries.Add(new WorkflowEntry(key, value, comment));
    }

    public IEnumerator<WorkflowEntry> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One mapping entry; <paramref name="Comment"/> is written after a scalar value (<c># v5.0.0</c>).</summary>
internal sealed record WorkflowEntry(string Key, WorkflowNode Value, string? Comment);

/// <summary>A sequence.</summary>
internal sealed class WorkflowList(IReadOnlyList<WorkflowNode> items) : WorkflowNode
{
    public IReadOnlyList<WorkflowNode> Items { get; } = items;
}

/// <summary>A scalar: a string (quoted when any YAML parser could read it as something else), a boolean or an integer.</summary>
internal sealed class WorkflowScalar : WorkflowNode
{
    private WorkflowScalar(string text, bool isString)
    {
        Text = text;
        IsString = isString;
    }

    public string Text { get; }

    public bool IsString { get; }

    public static WorkflowScalar Of(string value) => new(value, isString: true);

    public static WorkflowScalar Of(bool value) => new(value ? "true" : "false", isString: false);

    public static WorkflowScalar Of(int value) => new(value.ToString(CultureInfo.InvariantCulture), isString: false);
}

/// <summary>
/// Writes a <see cref="WorkflowNode"/> tree as block YAML the way GitHub workflows are usually written
/// (two-space indent, sequences indented under their key, multi-line scripts as literal blocks). Strings that a
/// YAML 1.1 or 1.2 parser could resolve to a boolean, number, null or date (<c>on</c>, <c>yes</c>, <c>20</c>,
/// <c>3.0</c>) are single-quoted, so GitHub's parser and schema validators read the same types.
/// </summary>
internal static class WorkflowYamlWriter
{
    public static string Write(IReadOnlyList<string> headerComments, WorkflowMap root)
    {
        var text = new StringBuilder();
        foreach (var line in headerComments)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        WriteMapBody(text, root, indent: 0, firstLinePrefix: null);
        return text.ToString();
    }

    private static void WriteMapBody(StringBuilder text, WorkflowMap map, int indent, string? firstLinePrefix)
    {
        var first = true;
        foreach (var entry in map)
        {
            if (first && firstLinePrefix is not null)
            {
                text.Append(firstLinePrefix);
            }
            else
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append(Scalar(entry.Key)).Append(':');
            WriteValue(text, entry.Value, indent, entry.Comment);
        }
    }

    private static void WriteValue(StringBuilder text, WorkflowNode value, int indent, string? comment)
    {
        switch (value)
        {
            case WorkflowScalar scalar when scalar.IsString && scalar.Text.Contains('\n', StringComparison.Ordinal):
                WriteLiteral(text, scalar.Text, indent + 2);
                break;
            case WorkflowScalar scalar:
                text.Append(' ').Append(scalar.IsString ? Scalar(scalar.Text) : scalar.Text);
                AppendComment(text, comment);
                text.Append('\n');
                break;
            case WorkflowMap { Entries.Count: 0 }:
                text.Append(" {}\n");
                break;
            case WorkflowMap map:
                text.Append('\n');
                WriteMapBody(text, map, indent + 2, firstLinePrefix: null);
                break;
            case WorkflowList { Items.Count: 0 }:
                text.Append(" []\n");
                break;
            case WorkflowList list:
                text.Append('\n');
                WriteListBody(text, list, indent + 2);
                break;
            default:
                throw new InvalidOperationException($"Unknown workflow node {value.GetType().Name}.");
        }
    }

    private static void WriteListBody(StringBuilder text, WorkflowList list, int indent)
    {
        foreach (var item in list.Items)
        {
            switch (item)
            {
                case WorkflowMap { Entries.Count: > 0 } map:
                    WriteMapBody(text, map, indent + 2, firstLinePrefix: new string(' ', indent) + "- ");
                    break;
                case WorkflowScalar { IsString: true } scalar when !scalar.Text.Contains('\n', StringComparison.Ordinal):
                    text.Append(' ', indent).Append("- ").Append(Scalar(scalar.Text)).Append('\n');
                    break;
                case WorkflowScalar { IsString: false } scalar:
                    text.Append(' ', indent).Append("- ").Append(scalar.Text).Append('\n');
                    break;
                default:
                    throw new InvalidOperationException("Workflow lists hold non-empty mappings or one-line scalars only.");
            }
        }
    }

    private static void WriteLiteral(StringBuilder text, string value, int indent)
    {
        // "|" keeps one final newline; "|-" strips it. Scripts always end with a newline, other text may not.
        var body = value.EndsWith('\n') ? value[..^1] : value;
        text.Append(value.EndsWith('\n') ? " |\n" : " |-\n");
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0)
            {
                text.Append(' ', indent).Append(line);
            }

            text.Append('\n');
        }
    }

    private static void AppendComment(StringBuilder text, string? comment)
    {
        if (!string.IsNullOrEmpty(comment))
        {
            text.Append(" # ").Append(comment);
        }
    }

    /// <summary>A string as a plain scalar when every YAML parser reads it back as that string, else single-quoted.</summary>
    internal static string Scalar(string value) =>
        NeedsQuotes(value) ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;

    private static bool NeedsQuotes(string value)
    {
        if (YamlScalars.NeedsQuotes(value) || value != value.Trim() || value.Contains('\n', StringComparison.Ordinal))
        {
            return true;
        }

        // Indicators that start a non-plain scalar, and sequences that end a plain one.
        return "-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal)
            || value.Contains(": ", StringComparison.Ordinal)
            || value.Contains(" #", StringComparison.Ordinal)
            || value.EndsWith(':')
            || value.Contains('\t', StringComparison.Ordinal)
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
