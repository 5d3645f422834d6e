using System.Collections;

namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// A list in the property tree. Build it with a collection initializer or a collection expression:
/// <c>new CfnList { subnetA.Ref(), subnetB.Ref() }</c>.
/// </summary>
public sealed class CfnList : CfnNode, IList<CfnNode>, IReadOnlyList<CfnNode>
{
    private readonly List<CfnNode> _items;

    /// <summary>Creates an empty list.</summary>
    public CfnList() => _items = [];

    /// <summary>Creates a list holding the items, in order.</summary>
    /// <param name="items">The items.</param>
    public CfnList(IEnumerable<CfnNode> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items.Select(static i => i ?? CfnScalar.Null)];
    }

    /// <inheritdoc cref="ICollection{T}.Count" />
    public int Count => _items.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc cref="IList{T}.this" />
    public CfnNode this[int index]
    {
        get => _items[index];
        set => _items[index] = value ?? CfnScalar.Null;
    }

    /// <inheritdoc />
    public void Add(CfnNode item) => _items.Add(item ?? CfnScalar.Null);

    /// <summary>Adds several items.</summary>
    /// <param name="items">The items.</param>
    public void AddRange(IEnumerable<CfnNode> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(item);
        }
    }

    /// <inheritdoc />
    public void Clear() => _items.Clear();

    /// <inheritdoc />
    public bool Contains(CfnNode item) => _items.Contains(item);

    /// <inheritdoc />
    public void CopyTo(CfnNode[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public int IndexOf(CfnNode item) => _items.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, CfnNode item) => _items.Insert(index, item ?? CfnScalar.Null);

    /// <inheritdoc />
    public bool Remove(CfnNode item) => _items.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public IEnumerator<CfnNode> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(CfnNode? other) =>
        ReferenceEquals(this, other) || (other is CfnList l && l._items.SequenceEqual(_items));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(typeof(CfnList), Count);

    /// <inheritdoc />
    public override CfnNode DeepClone() => new CfnList(_items.Select(static i => i.DeepClone()));
}
