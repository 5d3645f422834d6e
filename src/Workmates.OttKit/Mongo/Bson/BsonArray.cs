using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>An owning, mutable BSON array. Keys are implied ("0", "1", …) and written on encode.</summary>
public sealed class BsonArray : IReadOnlyList<BsonValue>, IEquatable<BsonArray>
{
    private BsonValue[] _items;
    private int _count;

    /// <summary>Creates an empty array.</summary>
    public BsonArray()
    {
        _items = [];
    }

    /// <summary>Creates an empty array with room for <paramref name="capacity"/> values.</summary>
    /// <param name="capacity">Initial capacity.</param>
    public BsonArray(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _items = capacity == 0 ? [] : new BsonValue[capacity];
    }

    internal BsonArray(BsonValue[] values, int count)
    {
        _items = values;
        _count = count;
    }

    /// <summary>Creates an array holding the given values.</summary>
    /// <param name="values">The values.</param>
    public BsonArray(IEnumerable<BsonValue> values)
        : this()
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            Add(value);
        }
    }

    /// <summary>The number of values.</summary>
    public int Count => _count;

    /// <summary>The values in order.</summary>
    public ReadOnlySpan<BsonValue> Values => _items.AsSpan(0, _count);

    /// <summary>The value at a position.</summary>
    /// <param name="index">Zero-based position.</param>
    public BsonValue this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _items[index];
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            _items[index] = value;
        }
    }

    /// <summary>Appends a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>This array, for chaining.</returns>
    public BsonArray Add(BsonValue value)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        _items[_count++] = value;
        return this;
    }

    /// <summary>Removes the value at a position.</summary>
    /// <param name="index">Zero-based position.</param>
    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        Array.Copy(_items, index + 1, _items, index, _count - index - 1);
        _items[--_count] = default;
    }

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public BsonArray DeepClone()
    {
        var copy = new BsonArray(_count);
        for (var i = 0; i < _count; i++)
        {
            copy.Add(BsonDocument.DeepClone(_items[i]));
        }

        return copy;
    }

    /// <summary>Deep, order-sensitive equality.</summary>
    /// <param name="other">The other array.</param>
    /// <returns>Whether equal.</returns>
    public bool Equals([NotNullWhen(true)] BsonArray? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._count != _count)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            if (!_items[i].Equals(other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BsonArray);

    /// <inheritdoc />
    public override int GetHashCode() => _count;

    /// <summary>Relaxed Extended JSON.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ExtendedJson.WriteValue(this, ExtendedJsonMode.Relaxed);

    /// <inheritdoc />
    public IEnumerator<BsonValue> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
