using System.Buffers.Binary;
using System.Text;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Mongo.Baseline;

/// <summary>OP_MSG flag bits. Bits 0–15 are required: a peer must reject a message with an unknown one set.</summary>
[Flags]
internal enum OpMsgFlags : uint
{
    None = 0,
    ChecksumPresent = 1 << 0,
    MoreToCome = 1 << 1,
    ExhaustAllowed = 1 << 16,
}

/// <summary>The wire op codes this client reads or writes.</summary>
internal enum OpCode
{
    Reply = 1,
    Query = 2004,
    Compressed = 2012,
    Msg = 2013,
}

/// <summary>The 16-byte standard message header.</summary>
internal readonly record struct MessageHeader(int MessageLength, int RequestId, int ResponseTo, OpCode OpCode)
{
    public const int Length = 16;
}

/// <summary>A kind-1 section: documents under one identifier (e.g. <c>documents</c> for insert).</summary>
internal sealed record DocumentSequence(string Identifier, IReadOnlyList<RawBsonDocument> Documents)
{
    /// <summary>Section bytes after the kind byte: int32 size, cstring identifier, documents.</summary>
    public int PayloadLength => sizeof(int) + Encoding.UTF8.GetByteCount(Identifier) + 1 + Documents.Sum(d => d.Length);
}

/// <summary>One decoded OP_MSG: the body (kind 0) and any document sequences (kind 1). The memory is owned by it.</summary>
internal sealed record OpMsgMessage(int RequestId, int ResponseTo, OpMsgFlags Flags, RawBsonDocument Body, IReadOnlyList<DocumentSequence> Sequences)
{
    public bool MoreToCome => (Flags & OpMsgFlags.MoreToCome) != 0;
}

/// <summary>Pure OP_MSG framing: header validation, section parsing, checksum verification and length arithmetic.</summary>
internal static class OpMsgCodec
{
    /// <summary>The server default for <c>maxMessageSizeBytes</c>; used until <c>hello</c> says otherwise.</summary>
    public const int DefaultMaxMessageSize = 48_000_000;

    /// <summary>The zlib compressor id in OP_COMPRESSED.</summary>
    public const byte ZlibCompressorId = 2;

    private const OpMsgFlags KnownFlags = OpMsgFlags.ChecksumPresent | OpMsgFlags.MoreToCome | OpMsgFlags.ExhaustAllowed;

    // header + flagBits + kind byte + the smallest document (5 bytes)
    private const int MinimumOpMsgLength = MessageHeader.Length + sizeof(uint) + 1 + 5;

    /// <summary>
    /// Reads and checks the header before anything else is read, so a hostile length is refused without allocating it.
    /// </summary>
    public static MessageHeader ReadHeader(ReadOnlySpan<byte> header, int maxMessageSize)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var opCode = (OpCode)BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (length < MessageHeader.Length + 1 || length > maxMessageSize)
        {
            throw new InvalidDataException($"The message length {length} is outside 17..{maxMessageSize} (maxMessageSizeBytes).");
        }

        if (opCode is not (OpCode.Msg or OpCode.Compressed or OpCode.Reply))
        {
            throw new InvalidDataException($"Unexpected op code {(int)opCode}; this client speaks OP_MSG.");
        }

        return new MessageHeader(length, BinaryPrimitives.ReadInt32LittleEndian(header[4..]), BinaryPrimitives.ReadInt32LittleEndian(header[8..]), opCode);
    }

    /// <summary>The total OP_MSG length for a body and sequences.</summary>
    public static int MessageLength(int bodyLength, IReadOnlyList<DocumentSequence> sequences, bool checksum)
    {
        long length = MessageHeader.Length
            + sizeof(uint) // flagBits
            + 1 + bodyLength; // kind 0 + body
        foreach (var sequence in sequences)
        {
            length += 1 + sequence.PayloadLength; // kind 1 + size, identifier, documents
        }

        length += checksum ? sizeof(uint) : 0;
        return length > int.MaxValue ? throw new InvalidOperationException("The message exceeds 2 GiB.") : (int)length;
    }

    /// <summary>Decodes a whole OP_MSG (header included), verifying the checksum when the flag says one is present.</summary>
    public static OpMsgMessage Decode(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < MinimumOpMsgLength || BinaryPrimitives.ReadInt32LittleEndian(span) != span.Length)
        {
            throw new InvalidDataException("The OP_MSG is shorter than its header or its declared length does not match.");
        }

        var header = new MessageHeader(span.Length, BinaryPrimitives.ReadInt32LittleEndian(span[4..]), BinaryPrimitives.ReadInt32LittleEndian(span[8..]), (OpCode)BinaryPrimitives.ReadInt32LittleEndian(span[12..]));
        if (header.OpCode != OpCode.Msg)
        {
            throw new InvalidDataException($"Expected OP_MSG (2013), got op code {(int)header.OpCode}.");
        }

        var flags = (OpMsgFlags)BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        var unknownRequired = (uint)(flags & ~KnownFlags) & 0xFFFF;
        if (unknownRequired != 0)
        {
            throw new InvalidDataException($"The OP_MSG sets unknown required flag bits 0x{unknownRequired:x4}.");
        }

        var end = span.Length;
        if ((flags & OpMsgFlags.ChecksumPresent) != 0)
        {
            end -= sizeof(uint);
            var expected = BinaryPrimitives.ReadUInt32LittleEndian(span[end..]);
            var actual = Crc32C.Compute(span[..end]);
            if (expected != actual)
            {
                throw new InvalidDataException($"The OP_MSG checksum 0x{expected:x8} does not match the content (CRC-32C 0x{actual:x8}).");
            }
        }

        RawBsonDocument? body = null;
        var sequences = new List<DocumentSequence>();
        var p = MessageHeader.Length + sizeof(uint);
        while (p < end)
        {
            var kind = span[p++];
            switch (kind)
            {
                case 0:
                    if (body is not null)
                    {
                        throw new InvalidDataException("The OP_MSG has more than one body section.");
                    }

                    var docLength = DocumentLength(span, p, end);
                    body = Document(message, p, docLength);
                    p += docLength;
                    break;
                case 1:
                    p = ReadSequence(message, p, end, sequences);
                    break;
                default:
                    throw new InvalidDataException($"Unknown OP_MSG section kind {kind}.");
            }
        }

        return body is { } b
            ? new OpMsgMessage(header.RequestId, header.ResponseTo, flags, b, sequences)
            : throw new InvalidDataException("The OP_MSG has no body section.");
    }

    private static int ReadSequence(ReadOnlyMemory<byte> message, int p, int end, List<DocumentSequence> sequences)
    {
        var span = message.Span;
        if (end - p < sizeof(int))
        {
            throw new InvalidDataException("A document sequence is truncated.");
        }

        var size = BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
        if (size < sizeof(int) + 1 || size > end - p)
        {
            throw new InvalidDataException($"A document sequence declares {size} bytes; {end - p} remain.");
        }

        var sectionEnd = p + size;
        var q = p + sizeof(int);
        var nul = span[q..sectionEnd].IndexOf((byte)0);
        if (nul < 0)
        {
            throw new InvalidDataException("A document sequence identifier is not terminated.");
        }

        var identifier = Encoding.UTF8.GetString(span.Slice(q, nul));
        q += nul + 1;
        var documents = new List<RawBsonDocument>();
        while (q < sectionEnd)
        {
            var length = DocumentLength(span, q, sectionEnd);
            documents.Add(Document(message, q, length));
            q += length;
        }

        sequences.Add(new DocumentSequence(identifier, documents));
        return sectionEnd;
    }

    private static int DocumentLength(ReadOnlySpan<byte> span, int p, int end)
    {
        if (end - p < 5)
        {
            throw new InvalidDataException("A document in the OP_MSG is truncated.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(span[p..]);
        return length < 5 || length > end - p
            ? throw new InvalidDataException($"A document in the OP_MSG declares {length} bytes; {end - p} remain.")
            : length;
    }

    private static RawBsonDocument Document(ReadOnlyMemory<byte> message, int offset, int length)
    {
        try
        {
            return RawBsonDocument.Create(message.Slice(offset, length));
        }
        catch (BsonFormatException e)
        {
            throw new InvalidDataException($"A document in the OP_MSG is malformed: {e.Message}", e);
        }
    }
}
