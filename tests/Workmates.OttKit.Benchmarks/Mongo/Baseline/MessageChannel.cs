using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Workmates.OttKit.Benchmarks.Mongo.Baseline;

/// <summary>
/// Writes OP_MSG messages to a stream through one fixed pooled buffer: the length is computed first, fields are
/// copied in, and the buffer is flushed whenever it fills. The CRC-32C is computed over each flushed chunk.
/// </summary>
internal sealed class MessageWriter : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _position;
    private uint _crc;
    private bool _checksumming;

    public MessageWriter(Stream stream, int bufferSize = 16 * 1024)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    public async ValueTask WriteOpMsgAsync(int requestId, OpMsgFlags flags, ReadOnlyMemory<byte> body, IReadOnlyList<DocumentSequence> sequences, CancellationToken cancellationToken)
    {
        var checksum = (flags & OpMsgFlags.ChecksumPresent) != 0;
        var length = OpMsgCodec.MessageLength(body.Length, sequences, checksum);
        _crc = Crc32C.Initial;
        _checksumming = checksum;
        await EnsureAsync(MessageHeader.Length + sizeof(uint) + 1, cancellationToken).ConfigureAwait(false);
        WriteInt32(length);
        WriteInt32(requestId);
        WriteInt32(0); // responseTo
        WriteInt32((int)OpCode.Msg);
        WriteInt32((int)flags);
        _buffer[_position++] = 0; // section kind 0: body
        await WriteBytesAsync(body, cancellationToken).ConfigureAwait(false);
        foreach (var sequence in sequences)
        {
            await EnsureAsync(1 + sizeof(int), cancellationToken).ConfigureAwait(false);
            _buffer[_position++] = 1; // section kind 1: document sequence
            WriteInt32(sequence.PayloadLength);
            await WriteBytesAsync(Encoding.UTF8.GetBytes(sequence.Identifier + "\0"), cancellationToken).ConfigureAwait(false);
            foreach (var document in sequence.Documents)
            {
                await WriteBytesAsync(document.Bytes, cancellationToken).ConfigureAwait(false);
            }
        }

        if (checksum)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            _checksumming = false; // the checksum does not cover itself
            WriteInt32((int)Crc32C.Finish(_crc));
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes an OP_COMPRESSED (zlib) wrapping an OP_MSG. The compressed bytes have to exist before the header can be
    /// written, so this path builds the message in memory.
    /// </summary>
    public async ValueTask WriteCompressedOpMsgAsync(int requestId, OpMsgFlags flags, ReadOnlyMemory<byte> body, IReadOnlyList<DocumentSequence> sequences, int compressionLevel, CancellationToken cancellationToken)
    {
        using var plain = new MemoryStream();
        using (var inner = new MessageWriter(plain))
        {
            await inner.WriteOpMsgAsync(requestId, flags & ~OpMsgFlags.ChecksumPresent, body, sequences, cancellationToken).ConfigureAwait(false);
        }

        var uncompressed = plain.GetBuffer().AsMemory(MessageHeader.Length, (int)plain.Length - MessageHeader.Length);
        using var compressed = new MemoryStream();
        var level = compressionLevel switch
        {
            0 => CompressionLevel.NoCompression,
            >= 1 and <= 3 => CompressionLevel.Fastest,
            9 => CompressionLevel.SmallestSize,
            _ => CompressionLevel.Optimal,
        };
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            await zlib.WriteAsync(uncompressed, cancellationToken).ConfigureAwait(false);
        }

        var length = MessageHeader.Length
            + sizeof(int) // originalOpcode
            + sizeof(int) // uncompressedSize
            + 1 // compressorId
            + (int)compressed.Length;
        await EnsureAsync(MessageHeader.Length + 9, cancellationToken).ConfigureAwait(false);
        WriteInt32(length);
        WriteInt32(requestId);
        WriteInt32(0);
        WriteInt32((int)OpCode.Compressed);
        WriteInt32((int)OpCode.Msg);
        WriteInt32(uncompressed.Length);
        _buffer[_position++] = OpMsgCodec.ZlibCompressorId;
        await WriteBytesAsync(compressed.GetBuffer().AsMemory(0, (int)compressed.Length), cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += sizeof(int);
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_buffer.Length - _position < count)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_position == _buffer.Length)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var count = Math.Min(data.Length, _buffer.Length - _position);
            data.Span[..count].CopyTo(_buffer.AsSpan(_position));
            _position += count;
            data = data[count..];
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_position == 0)
        {
            return;
        }

        if (_checksumming)
        {
            _crc = Crc32C.Append(_crc, _buffer.AsSpan(0, _position));
        }

        await _stream.WriteAsync(_buffer.AsMemory(0, _position), cancellationToken).ConfigureAwait(false);
        _position = 0;
    }
}

/// <summary>
/// Reads messages from a stream through one fixed pooled buffer. The header is checked against maxMessageSizeBytes
/// before the message is allocated; each message then gets its own array because raw batches outlive the buffer.
/// </summary>
internal sealed class MessageReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MessageReader(Stream stream, int bufferSize = 16 * 1024)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    public async ValueTask<OpMsgMessage> ReadMessageAsync(int maxMessageSize, CancellationToken cancellationToken)
    {
        await EnsureAsync(MessageHeader.Length, cancellationToken).ConfigureAwait(false);
        var header = OpMsgCodec.ReadHeader(_buffer.AsSpan(_start, MessageHeader.Length), maxMessageSize);
        var message = new byte[header.MessageLength];
        var buffered = Math.Min(header.MessageLength, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(message);
        _start += buffered;
        if (buffered < message.Length)
        {
            await _stream.ReadExactlyAsync(message.AsMemory(buffered), cancellationToken).ConfigureAwait(false);
        }

        return header.OpCode switch
        {
            OpCode.Msg => OpMsgCodec.Decode(message),
            OpCode.Compressed => OpMsgCodec.Decode(Decompress(message, maxMessageSize)),
            _ => throw new InvalidDataException($"Unexpected op code {(int)header.OpCode} in a reply."),
        };
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Turns an OP_COMPRESSED into the original message (header rebuilt with the original op code).</summary>
    internal static byte[] Decompress(byte[] compressed, int maxMessageSize)
    {
        const int Prefix = MessageHeader.Length + sizeof(int) + sizeof(int) + 1;
        if (compressed.Length < Prefix)
        {
            throw new InvalidDataException("The OP_COMPRESSED is shorter than its fixed fields.");
        }

        var originalOpCode = BinaryPrimitives.ReadInt32LittleEndian(compressed.AsSpan(16));
        var uncompressedSize = BinaryPrimitives.ReadInt32LittleEndian(compressed.AsSpan(20));
        var compressorId = compressed[24];
        if (uncompressedSize < 0 || uncompressedSize > maxMessageSize - MessageHeader.Length)
        {
            throw new InvalidDataException($"The OP_COMPRESSED declares {uncompressedSize} uncompressed bytes, beyond maxMessageSizeBytes.");
        }

        // Refuse a declared size the payload cannot produce before allocating it: no more memory than was received
        // times deflate's maximum expansion (1032:1) plus a little slack.
        var payloadLength = compressed.Length - Prefix;
        var producible = compressorId switch
        {
            0 => payloadLength,
            OpMsgCodec.ZlibCompressorId => (payloadLength * 1032L) + 1024,
            _ => throw new InvalidDataException($"Unsupported compressor id {compressorId}; this client negotiates zlib only."),
        };
        if (uncompressedSize > producible)
        {
            throw new InvalidDataException($"The OP_COMPRESSED declares {uncompressedSize} uncompressed bytes; its {payloadLength}-byte payload cannot hold them.");
        }

        var message = new byte[MessageHeader.Length + uncompressedSize];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        compressed.AsSpan(4, 8).CopyTo(message.AsSpan(4));
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), originalOpCode);
        var payload = compressed.AsSpan(Prefix);
        switch (compressorId)
        {
            case 0:
                if (payload.Length != uncompressedSize)
                {
                    throw new InvalidDataException("The uncompressed OP_COMPRESSED payload has the wrong size.");
                }

                payload.CopyTo(message.AsSpan(MessageHeader.Length));
                break;
            case OpMsgCodec.ZlibCompressorId:
                try
                {
                    using (var zlib = new ZLibStream(new MemoryStream(compressed, Prefix, compressed.Length - Prefix, writable: false), CompressionMode.Decompress))
                    {
                        var target = message.AsSpan(MessageHeader.Length);
                        var read = 0;
                        int n;
                        while (read < target.Length && (n = zlib.Read(target[read..])) > 0)
                        {
                            read += n;
                        }

                        if (read != target.Length || zlib.ReadByte() != -1)
                        {
                            throw new InvalidDataException("The zlib OP_COMPRESSED payload does not match its declared size.");
                        }
                    }
                }
                catch (IOException e)
                {
                    // ZLibException: the deflate stream is damaged.
                    throw new InvalidDataException($"The zlib OP_COMPRESSED payload is damaged: {e.Message}", e);
                }

                break;
            default:
                throw new InvalidDataException($"Unsupported compressor id {compressorId}; this client negotiates zlib only.");
        }

        return message;
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The server closed the connection.");
            }

            _end += read;
        }
    }
}

/// <summary>
/// A cancellation source reused across operations of one connection: linked to the caller's token per operation and
/// cancelled after the operation's timeout, so the two causes can be told apart afterwards.
/// </summary>
internal sealed class ResettableTimeout : IDisposable
{
    private CancellationTokenSource _source = new();
    private CancellationTokenRegistration _registration;

    public CancellationToken Start(TimeSpan? timeout, CancellationToken callerToken)
    {
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
        }

        if (timeout is { } t && t != Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(t);
        }

        if (callerToken.CanBeCanceled)
        {
            _registration = callerToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source);
        }

        return _source.Token;
    }

    public void Stop()
    {
        _registration.Dispose();
        _registration = default;
        _source.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }
}
