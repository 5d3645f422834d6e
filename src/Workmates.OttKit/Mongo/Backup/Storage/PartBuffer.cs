using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// The bytes of one part, held in pooled 1 MiB chunks so a part may exceed the largest array and a reused buffer
/// keeps its chunks between parts.
/// </summary>
internal sealed class PartBuffer : IDisposable
{
    public const int ChunkSize = 1024 * 1024;
    private readonly List<byte[]> _chunks = [];

    /// <summary>Bytes held.</summary>
    public long Length { get; private set; }

    /// <summary>Bytes of chunk memory this buffer holds (its footprint).</summary>
    public long CapacityBytes => (long)_chunks.Count * ChunkSize;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var chunkIndex = (int)(Length / ChunkSize);
            var offset = (int)(Length % ChunkSize);
            if (chunkIndex == _chunks.Count)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            }

            var count = Math.Min(ChunkSize - offset, data.Length);
            data[..count].CopyTo(_chunks[chunkIndex].AsSpan(offset, count));
            Length += count;
            data = data[count..];
        }
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="position"/>.</summary>
    public void CopyTo(long position, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var chunkIndex = (int)(position / ChunkSize);
            var offset = (int)(position % ChunkSize);
            var count = Math.Min(ChunkSize - offset, destination.Length);
            _chunks[chunkIndex].AsSpan(offset, count).CopyTo(destination);
            position += count;
            destination = destination[count..];
        }
    }

    /// <summary>
    /// The part's CRC-32C (Castagnoli, as S3's <c>x-amz-checksum-crc32c</c>): base64 of the 4 bytes in big-endian
    /// order. Hardware-accelerated (System.IO.Hashing), about a tenth of a SHA-256's cost.
    /// </summary>
    public string ComputeCrc32CBase64()
    {
        var hash = new Crc32(Crc32ParameterSet.Crc32C);
        var remaining = Length;
        foreach (var chunk in _chunks)
        {
            if (remaining == 0)
            {
                break;
            }

            var count = (int)Math.Min(ChunkSize, remaining);
            hash.Append(chunk.AsSpan(0, count));
            remaining -= count;
        }

        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, hash.GetCurrentHashAsUInt32());
        return Convert.ToBase64String(value);
    }

    /// <summary>A seekable read-only view (the SDK rewinds it to sign and to retry); it does not own the buffer.</summary>
    public Stream OpenRead() => new PartBufferReadStream(this);

    /// <summary>Empties the buffer and keeps its chunks for the next part.</summary>
    public void Reset() => Length = 0;

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
        Length = 0;
    }

    private sealed class PartBufferReadStream(PartBuffer buffer) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => buffer.Length;

        public override long Position
        {
            get => _position;
            set => _position = Math.Clamp(value, 0, buffer.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            var count = (int)Math.Min(destination.Length, buffer.Length - _position);
            if (count <= 0)
            {
                return 0;
            }

            buffer.CopyTo(_position, destination[..count]);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(destination.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                SeekOrigin.End => buffer.Length + offset,
                _ => throw new ArgumentOutOfRangeException(nameof(origin)),
            };
            return _position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// At most <see cref="Capacity"/> part buffers exist at once: renting waits (asynchronously) until one is returned,
/// which is what keeps a fast producer from growing memory.
/// </summary>
internal sealed class PartBufferPool(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);
    private readonly Lock _gate = new();
    private readonly Stack<PartBuffer> _free = new();
    private readonly List<PartBuffer> _all = [];
    private int _inUse;
    private int _peakInUse;

    public int Capacity { get; } = capacity;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    public int PeakInUse
    {
        get
        {
            lock (_gate)
            {
                return _peakInUse;
            }
        }
    }

    /// <summary>Chunk memory held by every buffer created so far.</summary>
    public long AllocatedBytes
    {
        get
        {
            lock (_gate)
            {
                return _all.Sum(b => b.CapacityBytes);
            }
        }
    }

    public async ValueTask<PartBuffer> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _inUse++;
            _peakInUse = Math.Max(_peakInUse, _inUse);
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }

            buffer = new PartBuffer();
            _all.Add(buffer);
            return buffer;
        }
    }

    public void Return(PartBuffer buffer)
    {
        buffer.Reset();
        lock (_gate)
        {
            _inUse--;
            _free.Push(buffer);
        }

        _slots.Release();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var buffer in _all)
            {
                buffer.Dispose();
            }

            _all.Clear();
            _free.Clear();
        }

        _slots.Dispose();
    }
}
