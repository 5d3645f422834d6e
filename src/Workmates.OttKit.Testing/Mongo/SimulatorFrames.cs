using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>One request as the simulator received it: the command body, document sequences and how to answer.</summary>
internal sealed record SimulatorRequest(int RequestId, int OpCode, bool MoreToCome, bool SecondaryOk, BsonDocument Body, IReadOnlyDictionary<string, List<BsonDocument>> Sequences, bool WasCompressed);

/// <summary>
/// The simulator's own framing, written independently of the library's client so the two cannot share a bug:
/// OP_MSG (2013), legacy OP_QUERY (2004) for drivers that send their first <c>hello</c> that way, and zlib OP_COMPRESSED.
/// </summary>
internal static class SimulatorFrames
{
    public const int OpReply = 1;
    public const int OpQuery = 2004;
    public const int OpCompressed = 2012;
    public const int OpMsg = 2013;
    private const int MaxMessage = 48_000_000;

    public static async Task<SimulatorRequest?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[16];
        try
        {
            await stream.ReadExactlyAsync(header, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 16 || length > MaxMessage)
        {
            throw new InvalidDataException($"Bad message length {length}.");
        }

        var message = new byte[length];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(16), cancellationToken);
        var compressed = false;
        if (BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(12)) == OpCompressed)
        {
            message = Decompress(message);
            compressed = true;
        }

        var requestId = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(4));
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(12));
        return opCode switch
        {
            OpMsg => ParseMsg(message, requestId, compressed),
            OpQuery => ParseQuery(message, requestId),
            _ => throw new InvalidDataException($"The simulator does not speak op code {opCode}."),
        };
    }

    public static async Task WriteMsgAsync(Stream stream, int responseTo, BsonDocument body, CancellationToken cancellationToken)
    {
        var bson = body.ToBson();
        var message = new byte[16 + 4 + 1 + bson.Length];
        WriteHeader(message, responseTo, OpMsg);
        message[20] = 0;
        bson.CopyTo(message, 21);
        await stream.WriteAsync(message, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static async Task WriteReplyAsync(Stream stream, int responseTo, BsonDocument body, CancellationToken cancellationToken)
    {
        var bson = body.ToBson();
        var message = new byte[16 + 4 + 8 + 4 + 4 + bson.Length];
        WriteHeader(message, responseTo, OpReply);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), 8); // responseFlags: AwaitCapable
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(32), 1); // numberReturned
        bson.CopyTo(message, 36);
        await stream.WriteAsync(message, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static void WriteHeader(byte[] message, int responseTo, int opCode)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), Random.Shared.Next());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
    }

    private static SimulatorRequest ParseMsg(byte[] message, int requestId, bool compressed)
    {
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(16));
        var end = message.Length - ((flags & 1) != 0 ? 4 : 0);
        BsonDocument? body = null;
        var sequences = new Dictionary<string, List<BsonDocument>>(StringComparer.Ordinal);
        var p = 20;
        while (p < end)
        {
            var kind = message[p++];
            if (kind == 0)
            {
                var len = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(p));
                body = BsonDocument.FromBson(message.AsSpan(p, len));
                p += len;
            }
            else if (kind == 1)
            {
                var size = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(p));
                var sectionEnd = p + size;
                var q = p + 4;
                var nul = Array.IndexOf(message, (byte)0, q);
                var identifier = Encoding.UTF8.GetString(message, q, nul - q);
                q = nul + 1;
                var documents = new List<BsonDocument>();
                while (q < sectionEnd)
                {
                    var len = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(q));
                    documents.Add(BsonDocument.FromBson(message.AsSpan(q, len)));
                    q += len;
                }

                sequences[identifier] = documents;
                p = sectionEnd;
            }
            else
            {
                throw new InvalidDataException($"Unknown section kind {kind}.");
            }
        }

        return new SimulatorRequest(requestId, OpMsg, (flags & 2) != 0, false, body ?? throw new InvalidDataException("No body section."), sequences, compressed);
    }

    private static SimulatorRequest ParseQuery(byte[] message, int requestId)
    {
        var flags = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(16));
        var nul = Array.IndexOf(message, (byte)0, 20);
        var collection = Encoding.UTF8.GetString(message, 20, nul - 20);
        var p = nul + 1 + 8; // numberToSkip, numberToReturn
        var len = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(p));
        var query = BsonDocument.FromBson(message.AsSpan(p, len));
        if (query.TryGetValue("$query", out var wrapped) && wrapped.Type == BsonType.Document)
        {
            query = wrapped.AsDocument;
        }

        var database = collection.Split('.')[0];
        query.Set("$db", database);
        return new SimulatorRequest(requestId, OpQuery, false, (flags & 4) != 0, query, new Dictionary<string, List<BsonDocument>>(), false);
    }

    private static byte[] Decompress(byte[] message)
    {
        var originalOpCode = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(16));
        var size = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(20));
        var compressor = message[24];
        var result = new byte[16 + size];
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length);
        message.AsSpan(4, 8).CopyTo(result.AsSpan(4));
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(12), originalOpCode);
        if (compressor == 0)
        {
            message.AsSpan(25).CopyTo(result.AsSpan(16));
        }
        else if (compressor == 2)
        {
            using var zlib = new ZLibStream(new MemoryStream(message, 25, message.Length - 25), CompressionMode.Decompress);
            zlib.ReadExactly(result.AsSpan(16));
        }
        else
        {
            throw new InvalidDataException($"Compressor {compressor} is not simulated.");
        }

        return result;
    }
}
