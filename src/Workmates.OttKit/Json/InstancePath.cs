using System.Buffers;
using System.Text;

namespace Workmates.OttKit.Json;

/// <summary>
/// The location inside the instance being evaluated, kept as a stack of segments so that descending costs
/// nothing and text is only built when an error is reported.
/// </summary>
internal sealed class InstancePath
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(".[]' \t\r\n\"");
    private readonly List<(string? Name, int Index)> _segments = [];

    public void Push(string name) => _segments.Add((name, -1));

    public void Push(int index) => _segments.Add((null, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public override string ToString()
    {
        if (_segments.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var (name, index) in _segments)
        {
            if (name is null)
            {
                builder.Append('[').Append(index).Append(']');
            }
            else
            {
                AppendProperty(builder, name);
            }
        }

        return builder.ToString();
    }

    /// <summary>Appends <c>.name</c>, or <c>['a.b']</c> when the name would be ambiguous in dotted form.</summary>
    public static void AppendProperty(StringBuilder builder, string name)
    {
        if (name.Length > 0 && name.AsSpan().IndexOfAny(NeedsQuoting) < 0)
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(name);
        }
        else
        {
            builder.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }

    /// <summary>Joins a prefix path (for example <c>Resources.Bucket.Properties</c>) and a relative one.</summary>
    public static string Combine(string prefix, string relative)
    {
        if (relative.Length == 0)
        {
            return prefix;
        }

        if (prefix.Length == 0)
        {
            return relative;
        }

        return relative[0] == '[' ? prefix + relative : prefix + "." + relative;
    }
}
