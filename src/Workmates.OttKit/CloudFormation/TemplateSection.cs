using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// One section of a template (Parameters, Mappings, Conditions, Resources or Outputs): entries keyed by logical ID,
/// in insertion order so output is deterministic. Adding an ID twice throws <see cref="DuplicateLogicalIdException"/>.
/// </summary>
/// <typeparam name="T">The entry type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named after the template section it models.")]
public sealed class TemplateSection<T> : IReadOnlyDictionary<string, T>
    where T : class
{
    private readonly OrderedDictionary<string, T> _entries = new(StringComparer.Ordinal);

    private readonly Func<T, string>? _logicalIdOf;

    internal TemplateSection(string name, Func<T, string>? logicalIdOf = null)
    {
        Name = name;
        _logicalIdOf = logicalIdOf;
    }

    /// <summary>The section name as it appears in the template, e.g. <c>Resources</c>.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _entries.Keys;

    /// <inheritdoc />
    public IEnumerable<T> Values => _entries.Values;

    /// <inheritdoc />
    public T this[string key] => _entries.TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"{Name} has no entry '{key}'.");

    /// <summary>Adds an entry.</summary>
    /// <param name="logicalId">The logical ID.</param>
    /// <param name="entry">The entry.</param>
    /// <exception cref="DuplicateLogicalIdException">The ID is already used in this section.</exception>
    /// <exception cref="ArgumentException">The entry carries a different logical ID.</exception>
    public void Add(string logicalId, T entry)
    {
        ArgumentNullException.ThrowIfNull(logicalId);
        ArgumentNullException.ThrowIfNull(entry);
        if (_logicalIdOf is not null && !string.Equals(_logicalIdOf(entry), logicalId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{Name}.{logicalId}: the entry's own logical ID is '{_logicalIdOf(entry)}'; add it under that ID.", nameof(logicalId));
        }

        if (!_entries.TryAdd(logicalId, entry))
        {
            throw new DuplicateLogicalIdException(Name, logicalId);
        }
    }

    /// <summary>Removes an entry.</summary>
    /// <param name="logicalId">The logical ID.</param>
    /// <returns>True when it was present.</returns>
    public bool Remove(string logicalId) => _entries.Remove(logicalId);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value) => _entries.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal bool SequenceEquals(TemplateSection<T> other, Func<T, T, bool> equals)
    {
        if (other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            var (key, value) = _entries.GetAt(i);
            var (otherKey, otherValue) = other._entries.GetAt(i);
            if (!string.Equals(key, otherKey, StringComparison.Ordinal) || !equals(value, otherValue))
            {
                return false;
            }
        }

        return true;
    }
}
