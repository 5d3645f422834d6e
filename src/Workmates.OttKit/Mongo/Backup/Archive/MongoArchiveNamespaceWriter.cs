using System.Buffers;
using System.Buffers.Binary;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Writes the documents of one namespace into a <see cref="MongoArchiveWriter"/>. Feed it raw batches (for example the
/// documents of a <c>getMore</c> reply) with <see cref="WriteDocumentsAsync"/>; only the length prefixes are read. The
/// bytes are copied, so the caller may reuse its buffer as soon as the call returns. Not thread-safe: one producer per
/// namespace; different namespaces may be written concurrently.
/// </summary>
public sealed class MongoArchiveNamespaceWriter
{
    private readonly MongoArchiveWriter _archive;
    private readonly int _segmentSize;
    private byte[]? _buffer;
    private int _capacity;
    private int _length;
    private long _documents;
    private long _bytes;
    private ulong _crc;
    private volatile bool _completed;

    internal MongoArchiveNamespaceWriter(MongoArchiveWriter archive, MongoArchiveNamespace ns, int segmentSize)
    {
        _archive = archive;
        Namespace = ns;
        _segmentSize = segmentSize;
    }

    /// <summary>The namespace written.</summary>
    public MongoArchiveNamespace Namespace { get; }

    /// <summary>Documents accepted so far.</summary>
    public long Documents => Interlocked.Read(ref _documents);

    /// <summary>BSON bytes accepted so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>CRC-64/XZ of the bytes queued so far, computed per segment (final once <see cref="CompleteAsync"/> returned).</summary>
    public ulong Crc64 => _crc;

    /// <summary>Whether <see cref="CompleteAsync"/> has queued the EOF block.</summary>
    public bool IsCompleted => _completed;

    /// <summary>
    /// Appends whole BSON documents. Waits (asynchronously) while the writer's queue is full.
    /// </summary>
    /// <param name="documents">One or more complete documents back to back; only their length prefixes and final bytes are checked.</param>
    /// <param name="cancellationToken">Cancels the wait for queue space.</param>
    /// <returns>A task that completes when the bytes are copied (the caller's buffer is free again).</returns>
    /// <exception cref="ArgumentException">The bytes are not whole documents (a length below 5 or above 16 MiB, past the end, or no final zero byte).</exception>
    /// <exception cref="InvalidOperationException">The namespace is completed, or the archive writer failed or was completed.</exception>
    public async ValueTask WriteDocumentsAsync(ReadOnlyMemory<byte> documents, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        _archive.ThrowIfFailed();
        var offset = 0;
        while (offset < documents.Length)
        {
            _buffer ??= Rent(_segmentSize);
            var end = ScanRun(documents.Span, offset, _capacity - _length, out var count, out var nextLength);
            if (end == offset)
            {
                if (_length > 0)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A document larger than a segment gets a segment of its own.
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = Rent(nextLength);
                }

                continue;
            }

            Append(documents.Span[offset..end], count);
            offset = end;
            if (_length == _capacity)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Queues the documents still buffered and the namespace's EOF block with its CRC.</summary>
    /// <param name="cancellationToken">Cancels the wait for queue space.</param>
    /// <returns>A task that completes when the EOF block is queued.</returns>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_length > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        await _archive.EnqueueAsync(new ArchiveSegment(this, null, 0, Eof: true), cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <summary>The end of the run of whole documents from <paramref name="offset"/> that fits in <paramref name="space"/> bytes.</summary>
    private int ScanRun(ReadOnlySpan<byte> documents, int offset, int space, out int count, out int nextLength)
    {
        count = 0;
        nextLength = 0;
        var end = offset;
        while (end < documents.Length)
        {
            if (documents.Length - end < 4)
            {
                throw Malformed($"{documents.Length - end} trailing bytes are not a document", end);
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(documents[end..]);
            if (length < ArchiveLayout.MinDocumentSize || length > ArchiveLayout.MaxDocumentSize)
            {
                throw Malformed($"document length {length} is below 5 or above 16 MiB", end);
            }

            if (length > documents.Length - end)
            {
                throw Malformed($"document length {length} runs past the end of the batch", end);
            }

            if (documents[end + length - 1] != 0)
            {
                throw Malformed("the document does not end with a zero byte", end);
            }

            if (end - offset + length > space)
            {
                nextLength = length;
                break;
            }

            end += length;
            count++;
        }

        return end;
    }

    private void Append(ReadOnlySpan<byte> run, int count)
    {
        run.CopyTo(_buffer.AsSpan(_length));
        _length += run.Length;
        Interlocked.Add(ref _bytes, run.Length);
        Interlocked.Add(ref _documents, count);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // Once per segment rather than per document: one long run is 2-5x cheaper than hundreds of ~300-byte ones.
        _crc = Crc64Xz.Append(_crc, _buffer.AsSpan(0, _length));
        var segment = new ArchiveSegment(this, _buffer, _length, Eof: false);
        _buffer = null;
        _length = 0;
        await _archive.EnqueueAsync(segment, cancellationToken).ConfigureAwait(false);
    }

    private byte[] Rent(int capacity)
    {
        _capacity = Math.Max(capacity, _segmentSize);
        return ArrayPool<byte>.Shared.Rent(_capacity);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException($"Namespace '{Namespace}' is completed; its EOF block is already queued.");
        }
    }

    private ArgumentException Malformed(string what, int offset) =>
        new($"Not whole BSON documents for namespace '{Namespace}': {what} (at offset {offset} of the batch).");
}
