using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Reads a mongodump archive (plain or gzip-wrapped) as a stream of typed items: the prelude, batches of raw documents
/// per namespace, and each namespace's end once its CRC-64/XZ has been checked. Documents are never decoded: only their
/// length prefixes and final bytes are read. Enforces what mongorestore enforces (magic, header fields, length bounds,
/// no reopened namespace, no consecutive terminators, one EOF per prelude entry), and fails with a
/// <see cref="MongoArchiveFormatException"/> naming the namespace and offset. Memory stays at about one batch plus the
/// largest document.
/// </summary>
public sealed class MongoArchiveReader : IAsyncDisposable
{
    private const int InitialBufferSize = 256 * 1024;

    private readonly Stream _source;
    private readonly MongoArchiveReaderOptions _options;
    private readonly Dictionary<MongoArchiveNamespace, NamespaceState> _namespaces = [];
    private readonly List<MongoArchiveNamespaceSummary> _ended = [];
    private Stream _input;
    private GZipStream? _gzip;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _base;
    private int _batchStart;
    private int _batchCount;
    private long _batchOffset;
    private bool _started;

    /// <summary>Creates a reader; nothing is read until <see cref="ReadAsync"/> is enumerated.</summary>
    /// <param name="source">The archive bytes; not disposed by the reader.</param>
    /// <param name="options">Options; defaults when <see langword="null"/>.</param>
    public MongoArchiveReader(Stream source, MongoArchiveReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _input = source;
        _options = options ?? new MongoArchiveReaderOptions();
        if (_options.BatchSizeBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.BatchSizeBytes, "BatchSizeBytes must be positive.");
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Bytes of the uncompressed archive consumed so far.</summary>
    public long Position => _base + _start;

    /// <summary>Whether the input turned out to be gzip-compressed.</summary>
    public bool IsGzip => _gzip is not null;

    /// <summary>
    /// SHA-256 (lowercase hex) of the uncompressed prelude bytes as read (magic number, header, entries, terminator),
    /// once read; compare it with <see cref="BackupManifest.PreludeSha256"/> before acting on the prelude.
    /// </summary>
    public string? PreludeSha256 { get; private set; }

    /// <summary>The prelude, once read.</summary>
    public MongoArchivePrelude? Prelude { get; private set; }

    /// <summary>The namespaces whose EOF block was read and whose CRC matched, in archive order.</summary>
    public IReadOnlyList<MongoArchiveNamespaceSummary> CompletedNamespaces => _ended;

    /// <summary>
    /// Reads the archive to its end. Enumerate once. A <see cref="MongoArchiveDocumentsItem"/>'s memory is valid only
    /// until the next item is requested.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The items in stream order, the <see cref="MongoArchivePreludeItem"/> first.</returns>
    /// <exception cref="MongoArchiveFormatException">The archive is malformed, truncated, or a CRC does not match.</exception>
    public async IAsyncEnumerable<MongoArchiveItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("An archive reader reads its stream once.");
        }

        _started = true;
        await OpenInputAsync(cancellationToken).ConfigureAwait(false);
        var prelude = await ReadPreludeAsync(cancellationToken).ConfigureAwait(false);
        Prelude = prelude;
        var expected = ExpectedNamespaces(prelude);
        yield return new MongoArchivePreludeItem(prelude, 0);

        while (await EnsureAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (!await EnsureAsync(4, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated("a namespace header", null);
            }

            var headerOffset = Position;
            if (ArchiveLayout.IsTerminator(Available))
            {
                throw new MongoArchiveFormatException("Consecutive terminators (a block without a namespace header) are not allowed", null, headerOffset);
            }

            var header = await ReadDocumentAsync("namespace header", null, cancellationToken).ConfigureAwait(false);
            var (ns, eof, crc) = ArchiveLayout.ReadNamespaceHeader(header, headerOffset);
            var state = StateOf(ns, expected, headerOffset);
            if (eof)
            {
                yield return ReadEof(state, crc, headerOffset, await EnsureAsync(4, cancellationToken).ConfigureAwait(false));
                continue;
            }

            ResetBatch();
            while (true)
            {
                if (_end - _start < 4)
                {
                    if (TakeBatch(state) is { } partial)
                    {
                        yield return partial;
                    }

                    if (!await EnsureAsync(4, cancellationToken).ConfigureAwait(false))
                    {
                        throw Truncated("a document or terminator", ns);
                    }

                    ResetBatch();
                }

                if (ArchiveLayout.IsTerminator(Available))
                {
                    if (TakeBatch(state) is { } last)
                    {
                        yield return last;
                    }

                    _start += 4;
                    break;
                }

                var length = CheckDocumentLength(BinaryPrimitives.ReadInt32LittleEndian(Available), ns);
                if (_end - _start < length)
                {
                    if (TakeBatch(state) is { } partial)
                    {
                        yield return partial;
                    }

                    if (!await EnsureAsync(length, cancellationToken).ConfigureAwait(false))
                    {
                        throw Truncated("a document", ns);
                    }

                    ResetBatch();
                }

                if (_buffer[_start + length - 1] != 0)
                {
                    throw new MongoArchiveFormatException("A document does not end with a zero byte", ns.ToString(), Position);
                }

                _start += length;
                _batchCount++;
                if (_start - _batchStart >= _options.BatchSizeBytes && TakeBatch(state) is { } full)
                {
                    yield return full;
                    ResetBatch();
                }
            }
        }

        var missing = prelude.Collections
            .Where(c => !c.DataNamespaces().Any(n => _namespaces.TryGetValue(n, out var s) && s.Ended))
            .Select(c => c.Namespace.ToString())
            .ToList();
        if (missing.Count > 0)
        {
            throw new MongoArchiveFormatException(
                $"The archive finished before all collections were seen (no EOF block for {string.Join(", ", missing)}): it is truncated", null, Position);
        }
    }

    /// <summary>Returns the read buffer and ends the gzip stream; the source stream stays open.</summary>
    /// <returns>A completed task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_gzip is not null)
        {
            await _gzip.DisposeAsync().ConfigureAwait(false);
            _gzip = null;
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    private static HashSet<MongoArchiveNamespace> ExpectedNamespaces(MongoArchivePrelude prelude) =>
        prelude.Collections.SelectMany(c => c.DataNamespaces()).ToHashSet();

    private async ValueTask OpenInputAsync(CancellationToken cancellationToken)
    {
        switch (_options.Compression)
        {
            case MongoArchiveCompression.Gzip:
                _gzip = new GZipStream(_source, CompressionMode.Decompress, leaveOpen: true);
                _input = _gzip;
                break;
            case MongoArchiveCompression.Auto:
                if (await EnsureAsync(2, cancellationToken).ConfigureAwait(false) && _buffer[_start] == 0x1F && _buffer[_start + 1] == 0x8B)
                {
                    var peeked = Available.ToArray();
                    _gzip = new GZipStream(new PrefixedReadStream(peeked, _source), CompressionMode.Decompress, leaveOpen: false);
                    _input = _gzip;
                    _start = _end = 0;
                    _base = 0;
                }

                break;
            default:
                break;
        }
    }

    private async ValueTask<MongoArchivePrelude> ReadPreludeAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(4, cancellationToken).ConfigureAwait(false))
        {
            throw Truncated("the magic number", null);
        }

        if (!Available[..4].SequenceEqual(ArchiveLayout.MagicBytes))
        {
            var found = BinaryPrimitives.ReadUInt32LittleEndian(Available).ToString("X8", CultureInfo.InvariantCulture);
            throw new MongoArchiveFormatException($"Not a mongodump archive: the magic number is 0x{found}, expected 0x8199E26D", null, 0);
        }

        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(ArchiveLayout.MagicBytes);
        _start += 4;
        var headerDocument = await ReadDocumentAsync("archive header", null, cancellationToken).ConfigureAwait(false);
        hash.AppendData(headerDocument.Bytes.Span);
        var header = ArchiveLayout.ReadHeader(headerDocument, 4);
        var collections = new List<MongoArchiveCollectionEntry>();
        while (true)
        {
            if (!await EnsureAsync(4, cancellationToken).ConfigureAwait(false))
            {
                throw Truncated("the prelude", null);
            }

            if (ArchiveLayout.IsTerminator(Available))
            {
                hash.AppendData(ArchiveLayout.TerminatorBytes);
                _start += 4;
                break;
            }

            var offset = Position;
            var entryDocument = await ReadDocumentAsync("prelude entry", null, cancellationToken).ConfigureAwait(false);
            hash.AppendData(entryDocument.Bytes.Span);
            var entry = ArchiveLayout.ReadCollection(entryDocument, offset);
            if (_options.ValidateMetadata && entry.Metadata.Length > 0)
            {
                try
                {
                    _ = MongoCollectionMetadata.Parse(entry.Metadata);
                }
                catch (BsonFormatException ex)
                {
                    throw new MongoArchiveFormatException($"The prelude metadata JSON is not valid ({ex.Message})", entry.Namespace.ToString(), offset, ex);
                }
            }

            collections.Add(entry);
        }

        PreludeSha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return new MongoArchivePrelude(header, collections);
    }

    private MongoArchiveNamespaceEndItem ReadEof(NamespaceState state, ulong storedCrc, long headerOffset, bool terminatorAvailable)
    {
        var ns = state.Namespace;
        if (!terminatorAvailable)
        {
            throw Truncated("the terminator of an EOF block", ns);
        }

        if (!ArchiveLayout.IsTerminator(Available))
        {
            throw new MongoArchiveFormatException("An EOF block must be followed by a terminator, not documents", ns.ToString(), Position);
        }

        _start += 4;
        if (state.Crc != storedCrc)
        {
            throw new MongoArchiveFormatException(
                $"CRC-64 mismatch: the EOF header stores 0x{storedCrc:X16} but the {state.Documents} documents ({state.Bytes} bytes) give 0x{state.Crc:X16}",
                ns.ToString(),
                headerOffset);
        }

        state.Ended = true;
        var summary = new MongoArchiveNamespaceSummary(ns, state.Documents, state.Bytes, state.Crc);
        _ended.Add(summary);
        return new MongoArchiveNamespaceEndItem(summary, headerOffset);
    }

    private NamespaceState StateOf(MongoArchiveNamespace ns, HashSet<MongoArchiveNamespace> expected, long offset)
    {
        if (_options.RequirePreludeEntries && !expected.Contains(ns))
        {
            throw new MongoArchiveFormatException("The namespace has no entry in the archive prelude", ns.ToString(), offset);
        }

        if (!_namespaces.TryGetValue(ns, out var state))
        {
            state = new NamespaceState(ns);
            _namespaces.Add(ns, state);
        }
        else if (state.Ended)
        {
            throw new MongoArchiveFormatException("The namespace appears again after its EOF block", ns.ToString(), offset);
        }

        return state;
    }

    private void ResetBatch()
    {
        _batchStart = _start;
        _batchCount = 0;
        _batchOffset = Position;
    }

    private MongoArchiveDocumentsItem? TakeBatch(NamespaceState state)
    {
        if (_batchCount == 0)
        {
            return null;
        }

        var bytes = _buffer.AsMemory(_batchStart, _start - _batchStart);
        state.Crc = Crc64Xz.Append(state.Crc, bytes.Span);
        state.Documents += _batchCount;
        state.Bytes += bytes.Length;
        var item = new MongoArchiveDocumentsItem(state.Namespace, bytes, _batchCount, _batchOffset);
        _batchCount = 0;
        _batchStart = _start;
        _batchOffset = Position;
        return item;
    }

    private int CheckDocumentLength(int length, MongoArchiveNamespace? ns)
    {
        if (length < ArchiveLayout.MinDocumentSize || length > ArchiveLayout.MaxDocumentSize)
        {
            throw new MongoArchiveFormatException(
                $"Invalid document length {length} (below 5 or above 16 MiB): the archive is corrupt", ns?.ToString(), Position);
        }

        return length;
    }

    private async ValueTask<RawBsonDocument> ReadDocumentAsync(string what, MongoArchiveNamespace? ns, CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(4, cancellationToken).ConfigureAwait(false))
        {
            throw Truncated(what, ns);
        }

        var length = CheckDocumentLength(BinaryPrimitives.ReadInt32LittleEndian(Available), ns);
        if (!await EnsureAsync(length, cancellationToken).ConfigureAwait(false))
        {
            throw Truncated(what, ns);
        }

        RawBsonDocument document;
        try
        {
            document = RawBsonDocument.Create(_buffer.AsMemory(_start, length));
        }
        catch (BsonFormatException ex)
        {
            throw new MongoArchiveFormatException($"The {what} is not a valid BSON document ({ex.Message})", ns?.ToString(), Position, ex);
        }

        _start += length;
        return document;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from <see cref="_start"/>; false at the end of the stream.</summary>
    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(count, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            Shift();
        }
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            Shift();
        }

        while (_end - _start < count)
        {
            int read;
            try
            {
                read = await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new MongoArchiveFormatException($"The gzip stream is corrupt ({ex.Message})", null, Position, ex);
            }

            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }

    private void Shift()
    {
        _base += _start;
        _end -= _start;
        _start = 0;
    }

    private MongoArchiveFormatException Truncated(string what, MongoArchiveNamespace? ns) =>
        new($"The archive ends in the middle of {what}: it is truncated", ns?.ToString(), Position);

    private sealed class NamespaceState(MongoArchiveNamespace ns)
    {
        public MongoArchiveNamespace Namespace { get; } = ns;

        public ulong Crc { get; set; }

        public long Documents { get; set; }

        public long Bytes { get; set; }

        public bool Ended { get; set; }
    }
}
