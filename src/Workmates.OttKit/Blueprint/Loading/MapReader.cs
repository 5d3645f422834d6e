using System.Collections.Immutable;
using System.Globalization;

namespace Workmates.OttKit.Blueprint.Loading;

/// <summary>Reads the known keys of one mapping; <see cref="Finish"/> reports every key nobody asked for.</summary>
internal sealed class MapReader(SpecBinder binder, SpecMapping mapping, string path)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    private SpecNode? Get(string key)
    {
        _known.Add(key);
        foreach (var entry in mapping.Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return entry.Value is SpecScalar { IsNull: true } ? null : entry.Value;
            }
        }

        return null;
    }

    public string? String(string key)
    {
        var node = Get(key);
        return node is null ? null : Scalar(node, PathOf(key));
    }

    public string RequiredString(string key)
    {
        var value = String(key);
        if (value is null)
        {
            binder.Problem(PathOf(key), mapping, $"missing required key '{key}'");
        }

        return value ?? string.Empty;
    }

    public int? Int(string key)
    {
        var node = Get(key);
        return node is null ? null : ToInt(node, PathOf(key));
    }

    public int RequiredInt(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            binder.Problem(PathOf(key), mapping, $"missing required key '{key}'");
            return 0;
        }

        return ToInt(node, PathOf(key)) ?? 0;
    }

    public bool? Bool(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        // YAML 1.2 core schema: only true/false (any case form) are booleans; yes/no/on/off are strings.
        if (node is SpecScalar { Quoted: false, Text: "true" or "True" or "TRUE" })
        {
            return true;
        }

        if (node is SpecScalar { Quoted: false, Text: "false" or "False" or "FALSE" })
        {
            return false;
        }

        var shown = node is SpecScalar s ? $"'{s.Text}'" : node.Kind;
        binder.Problem(PathOf(key), node, $"expected true or false, found {shown} (YAML 1.2: yes/no/on/off are strings)");
        return null;
    }

    public TEnum? Enum<TEnum>(string key, IReadOnlyDictionary<string, TEnum> names)
        where TEnum : struct
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (names.TryGetValue(text, out var value))
        {
            return value;
        }

        binder.Problem(PathOf(key), Get(key)!, $"unknown value '{text}'; expected one of: {string.Join(", ", names.Keys)}");
        return null;
    }

    public DateTimeOffset UtcTime(string key)
    {
        var text = RequiredString(key);
        if (text.Length == 0)
        {
            return default;
        }

        var node = Get(key)!;
        var match = SpecBinder.IsoTimestamp().Match(text);
        if (!match.Success || !DateTimeOffset.TryParse(text, SpecBinder.Invariant, DateTimeStyles.AssumeUniversal, out var value))
        {
            binder.Problem(PathOf(key), node, $"'{text}' is not an ISO 8601 UTC time; write it like 2020-11-02T04:00:00Z");
            return default;
        }

        var offset = match.Groups["offset"];
        if (!offset.Success)
        {
            binder.Problem(PathOf(key), node, $"'{text}' has no time zone; local times are ambiguous, write UTC with a trailing Z");
            return default;
        }

        if (value.Offset != TimeSpan.Zero)
        {
            var utc = value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", SpecBinder.Invariant);
            binder.Problem(PathOf(key), node, $"'{text}' is not UTC; write {utc}");
            return default;
        }

        return value;
    }

    public DateOnly? Date(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", SpecBinder.Invariant, DateTimeStyles.None, out var value))
        {
            return value;
        }

        binder.Problem(PathOf(key), Get(key)!, $"'{text}' is not a date; write it like 2027-01-31 (year-month-day)");
        return null;
    }

    public T? Object<T>(string key, Func<MapReader, T> read)
        where T : class
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not SpecMapping child)
        {
            binder.Problem(PathOf(key), node, $"expected a mapping, found {node.Kind}");
            return null;
        }

        var reader = new MapReader(binder, child, PathOf(key));
        var value = read(reader);
        reader.Finish();
        return value;
    }

    public IReadOnlyList<T>? List<T>(string key, Func<SpecNode, string, T?> read)
        where T : class
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not SpecSequence sequence)
        {
            binder.Problem(PathOf(key), node, $"expected a list, found {node.Kind}");
            return null;
        }

        var items = new List<T>(sequence.Items.Count);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (read(sequence.Items[i], $"{PathOf(key)}[{i}]") is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    public IReadOnlyList<string>? StringList(string key) => List(key, (n, p) => Scalar(n, p));

    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not SpecMapping child)
        {
            binder.Problem(PathOf(key), node, $"expected a mapping of names to values, found {node.Kind}");
            return null;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var entry in child.Entries)
        {
            if (Scalar(entry.Value, $"{PathOf(key)}.{entry.Key}") is { } value)
            {
                builder[entry.Key] = value;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Reports every key that no reader asked for, suggesting the closest known key.</summary>
    public void Finish()
    {
        foreach (var entry in mapping.Entries)
        {
            if (_known.Contains(entry.Key))
            {
                continue;
            }

            var suggestion = _known.OrderBy(k => Distance(k, entry.Key)).ThenBy(k => k, StringComparer.Ordinal).FirstOrDefault();
            var hint = suggestion is not null && Distance(suggestion, entry.Key) <= Math.Max(2, entry.Key.Length / 3)
                ? $"did you mean '{suggestion}'?"
                : $"known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
            binder.Problem(PathOf(entry.Key), entry.Line, entry.Column, $"unknown key '{entry.Key}'; {hint}");
        }
    }

    private string? Scalar(SpecNode node, string at)
    {
        if (node is SpecScalar scalar)
        {
            return scalar.IsNull ? null : scalar.Text;
        }

        binder.Problem(at, node, $"expected a single value, found {node.Kind}");
        return null;
    }

    private int? ToInt(SpecNode node, string at)
    {
        if (node is SpecScalar { Quoted: false, Text: { } text } && SpecBinder.CoreInteger().IsMatch(text)
            && int.TryParse(text, NumberStyles.AllowLeadingSign, SpecBinder.Invariant, out var value))
        {
            return value;
        }

        var shown = node is SpecScalar s ? $"{(s.Quoted ? "the string " : string.Empty)}'{s.Text}'" : node.Kind;
        binder.Problem(at, node, $"expected a whole number, found {shown}");
        return null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
