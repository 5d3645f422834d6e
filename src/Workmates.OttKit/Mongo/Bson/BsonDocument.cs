using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Workmates.OttKit.Mongo.Bson;

/// <summary>
/// An owning, mutable, ordered BSON document for commands and small documents. Field order is preserved; duplicate names
/// read from the wire are kept (BSON allows them) and name lookup returns the first. For large documents that only pass
/// through (backups), use <see cref="RawBsonDocument"/> instead.
/// </summary>
public sealed class BsonDocument : IEnumerable<BsonElement>, IEquatable<BsonDocument>
{
    private BsonElement[] _elements;
    private int _count;

    /// <summary>Creates an empty document.</summary>
    public BsonDocument()
    {
        _elements = [];
    }

    /// <summary>Creates an empty document with room for <paramref name="capacity"/> elements.</summary>
    /// <param name="capacity">Initial capacity.</param>
    public BsonDocument(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _elements = capacity == 0 ? [] : new BsonElement[capacity];
    }

    internal BsonDocument(BsonElement[] elements, int count)
    {
        _elements = elements;
        _count = count;
    }

    /// <summary>Creates a document holding one element.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value.</param>
    public BsonDocument(string name, BsonValue value)
        : this(4)
    {
        Add(name, value);
    }

    /// <summary>The number of elements.</summary>
    public int Count => _count;

    /// <summary>The elements in order.</summary>
    public ReadOnlySpan<BsonElement> Elements => _elements.AsSpan(0, _count);

    /// <summary>The field names in order.</summary>
    public IEnumerable<string> Names => this.Select(e => e.Name);

    /// <summary>The value of the first element named <paramref name="name"/>; setting replaces it or appends.</summary>
    /// <param name="name">The field name.</param>
    /// <exception cref="KeyNotFoundException">No such field (on get).</exception>
    public BsonValue this[string name]
    {
        get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The document has no field '{name}'.");
        set => Set(name, value);
    }

    /// <summary>The element at a position.</summary>
    /// <param name="index">Zero-based position.</param>
    public BsonElement this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _elements[index];
        }
    }

    /// <summary>Decodes a BSON document (the span must hold exactly one document).</summary>
    /// <param name="bson">The bytes.</param>
    /// <param name="options">Limits; <see cref="BsonReadOptions.Default"/> when null.</param>
    /// <returns>The document.</returns>
    /// <exception cref="BsonFormatException">The bytes are not one well-formed BSON document.</exception>
    public static BsonDocument FromBson(ReadOnlySpan<byte> bson, BsonReadOptions? options = null) =>
        BsonDecoder.DecodeTopLevel(bson, options ?? BsonReadOptions.Default);

    /// <summary>Parses canonical or relaxed Extended JSON (v2, plus the legacy forms the specification accepts).</summary>
    /// <param name="json">The JSON text of one object.</param>
    /// <param name="options">Parse options; defaults when null.</param>
    /// <returns>The document.</returns>
    /// <exception cref="BsonFormatException">The text is not valid Extended JSON.</exception>
    public static BsonDocument ParseExtendedJson(string json, ExtendedJsonReadOptions? options = null) =>
        ExtendedJson.ParseDocument(json, options ?? ExtendedJsonReadOptions.Default);

    /// <summary>Appends an element (no duplicate check, as BSON allows duplicates).</summary>
    /// <param name="name">The field name (no NUL characters).</param>
    /// <param name="value">The value.</param>
    /// <returns>This document, for chaining.</returns>
    public BsonDocument Add(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        AddUnchecked(name, value);
        return this;
    }

    /// <summary>Replaces the value of the first element named <paramref name="name"/>, or appends it.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This document, for chaining.</returns>
    public BsonDocument Set(string name, BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = IndexOf(name);
        if (index >= 0)
        {
            _elements[index] = new BsonElement(name, value);
        }
        else
        {
            AddUnchecked(name, value);
        }

        return this;
    }

    /// <summary>Removes every element named <paramref name="name"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>Whether anything was removed.</returns>
    public bool Remove(string name)
    {
        var write = 0;
        for (var read = 0; read < _count; read++)
        {
            if (!string.Equals(_elements[read].Name, name, StringComparison.Ordinal))
            {
                _elements[write++] = _elements[read];
            }
        }

        var removed = write != _count;
        Array.Clear(_elements, write, _count - write);
        _count = write;
        return removed;
    }

    /// <summary>Whether a field exists.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>Whether it exists.</returns>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Looks up the first element named <paramref name="name"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">Its value when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGetValue(string name, out BsonValue value)
    {
        var index = IndexOf(name);
        value = index >= 0 ? _elements[index].Value : default;
        return index >= 0;
    }

    /// <summary>The position of the first element named <paramref name="name"/>, or -1.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The index or -1.</returns>
    public int IndexOf(string name)
    {
        var elements = _elements;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(elements[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Encodes the document as BSON.</summary>
    /// <returns>A new array holding the document.</returns>
    public byte[] ToBson()
    {
        using var writer = new BsonWriter();
        writer.WriteDocument(this);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Formats the document as Extended JSON.</summary>
    /// <param name="mode">Canonical (type-preserving) or relaxed (readable).</param>
    /// <returns>The JSON text.</returns>
    public string ToExtendedJson(ExtendedJsonMode mode = ExtendedJsonMode.Relaxed) => ExtendedJson.Write(this, mode);

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public BsonDocument DeepClone()
    {
        var copy = new BsonDocument(_count);
        for (var i = 0; i < _count; i++)
        {
            copy.AddUnchecked(_elements[i].Name, DeepClone(_elements[i].Value));
        }

        return copy;
    }

    /// <summary>Relaxed Extended JSON.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToExtendedJson();

    /// <summary>Deep, order-sensitive equality.</summary>
    /// <param name="other">The other document.</param>
    /// <returns>Whether equal.</returns>
    public bool Equals([NotNullWhen(true)] BsonDocument? other)
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
            if (!string.Equals(_elements[i].Name, other._elements[i].Name, StringComparison.Ordinal) || !_elements[i].Value.Equals(other._elements[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BsonDocument);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        for (var i = 0; i < _count; i++)
        {
            hash.Add(_elements[i].Name, StringComparer.Ordinal);
            hash.Add(_elements[i].Value.Type);
        }

        return hash.ToHashCode();
    }

    /// <summary>A struct enumerator over the elements.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<BsonElement> IEnumerable<BsonElement>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _elements[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<BsonElement>)this).GetEnumerator();

    internal void AddUnchecked(string name, BsonValue value)
    {
        if (_count == _elements.Length)
        {
            Array.Resize(ref _elements, Math.Max(4, _count * 2));
        }

        _elements[_count++] = new BsonElement(name, value);
    }

    internal static BsonValue DeepClone(BsonValue value) => value.Type switch
    {
        BsonType.Document => value.AsDocument.DeepClone(),
        BsonType.Array => value.AsArray.DeepClone(),
        BsonType.Binary => BsonValue.FromBinary(value.BinarySubtype, value.AsBinary.ToArray()),
        BsonType.JavaScriptWithScope => BsonValue.FromJavaScriptWithScope(new BsonJavaScriptWithScope(value.AsJavaScriptWithScope.Code, value.AsJavaScriptWithScope.Scope.DeepClone())),
        _ => value,
    };

    /// <summary>Enumerates the elements of a document without allocating.</summary>
    public struct Enumerator
    {
        private readonly BsonDocument _document;
        private int _index;

        internal Enumerator(BsonDocument document)
        {
            _document = document;
            _index = -1;
        }

        /// <summary>The current element.</summary>
        public readonly BsonElement Current => _document._elements[_index];

        /// <summary>Advances to the next element.</summary>
        /// <returns>Whether there is one.</returns>
        public bool MoveNext() => ++_index < _document._count;
    }
}
