using System.Collections;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// An ordered object in the property tree. Keys keep insertion order so output is deterministic. Build it with a
/// collection initializer: <c>new CfnObject { ["BucketName"] = Fn.Sub("${AWS::StackName}-assets") }</c>.
/// </summary>
public sealed class CfnObject : CfnNode, IEnumerable<KeyValuePair<string, CfnNode>>
{
    private readonly OrderedDictionary<string, CfnNode> _entries = new(StringComparer.Ordinal);

    /// <summary>Creates an empty object.</summary>
    public CfnObject()
    {
    }

    /// <summary>Creates an object from entries, in order.</summary>
    /// <param name="entries">The entries; a repeated key throws.</param>
    public CfnObject(IEnumerable<KeyValuePair<string, CfnNode>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            Add(key, value);
        }
    }

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys, in order.</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>Gets or sets an entry; setting an existing key replaces its value in place.</summary>
    /// <param name="key">The key.</param>
    public CfnNode this[string key]
    {
        get => _entries.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"The object has no key '{key}'.");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            _entries[key] = value ?? CfnScalar.Null;
        }
    }

    /// <summary>Adds an entry; adding a key twice throws.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Add(string key, CfnNode value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_entries.TryAdd(key, value ?? CfnScalar.Null))
        {
            throw new ArgumentException($"The object already has the key '{key}'.", nameof(key));
        }
    }

    /// <summary>Tells whether the key is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when present.</returns>
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <summary>Gets a value when present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>True when present.</returns>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out CfnNode value) =>
        _entries.TryGetValue(key, out value);

    /// <summary>Removes an entry.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when it was present.</returns>
    public bool Remove(string key) => _entries.Remove(key);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, CfnNode>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(CfnNode? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not CfnObject o || o.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            var (key, value) = _entries.GetAt(i);
            var (otherKey, otherValue) = o._entries.GetAt(i);
            if (!string.Equals(key, otherKey, StringComparison.Ordinal) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        foreach (var key in _entries.Keys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override CfnNode DeepClone() => new CfnObject(_entries.Select(static e => KeyValuePair.Create(e.Key, e.Value.DeepClone())));
}
