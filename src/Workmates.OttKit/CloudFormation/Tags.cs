using System.Collections;

namespace Workmates.OttKit.CloudFormation;

/// <summary>One resource tag.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value (a literal or an intrinsic).</param>
public sealed record Tag(string Key, Value<string> Value);

/// <summary>
/// The <c>Tags</c> property most resources share: a list of <c>Key</c>/<c>Value</c> pairs, written sorted by key
/// (ordinal) so output does not depend on the order tags were added. Converts implicitly to a property node:
/// <c>["Tags"] = new Tags { ["team"] = "media", ["Environment"] = env.Ref() }</c>.
/// </summary>
public sealed class Tags : IEnumerable<Tag>
{
    private readonly SortedDictionary<string, Value<string>> _tags = new(StringComparer.Ordinal);

    /// <summary>The number of tags.</summary>
    public int Count => _tags.Count;

    /// <summary>Gets or sets a tag value; setting an existing key replaces it.</summary>
    /// <param name="key">The tag key.</param>
    public Value<string> this[string key]
    {
        get => _tags[key];
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            ArgumentNullException.ThrowIfNull(value);
            _tags[key] = value;
        }
    }

    /// <summary>Converts the tags to the list-of-Key/Value property node.</summary>
    /// <param name="tags">The tags.</param>
    public static implicit operator CfnNode(Tags tags) => tags is null ? CfnScalar.Null : tags.ToNode();

    /// <summary>Adds a tag; adding a key twice throws.</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="value">The tag value.</param>
    public void Add(string key, Value<string> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_tags.TryAdd(key, value))
        {
            throw new ArgumentException($"The tag '{key}' is already set.", nameof(key));
        }
    }

    /// <summary>The list-of-Key/Value property node, sorted by key.</summary>
    /// <returns>A new list.</returns>
    public CfnList ToNode() => [.. _tags.Select(static t => new CfnObject { ["Key"] = t.Key, ["Value"] = t.Value })];

    /// <inheritdoc />
    public IEnumerator<Tag> GetEnumerator() => _tags.Select(static t => new Tag(t.Key, t.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
