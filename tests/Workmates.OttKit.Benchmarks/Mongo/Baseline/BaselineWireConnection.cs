using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Benchmarks.Mongo.Baseline;

/// <summary>
/// BASELINE ONLY (benchmark project, never shipped): the previous hand-written client's read path, frozen from commit
/// 1587301 (<c>MongoWireConnection.RoundTripAsync</c>, <c>MongoReplicaSetClient.CursorAsync</c> and <c>ReadBatch</c>),
/// reduced to a direct, unauthenticated, uncompressed connection. See README.md in this folder.
/// </summary>
internal sealed class BaselineWireConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly MessageReader _reader;
    private readonly MessageWriter _writer;
    private readonly string _address;
    private int _nextRequestId;
    private int _maxMessageSize = OpMsgCodec.DefaultMaxMessageSize;

    private BaselineWireConnection(string address, Socket socket, Stream stream)
    {
        _address = address;
        _socket = socket;
        _stream = stream;
        _reader = new MessageReader(stream);
        _writer = new MessageWriter(stream);
    }

    public static async Task<BaselineWireConnection> OpenAsync(MongoServerAddress server, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port, cancellationToken).ConfigureAwait(false);
        var connection = new BaselineWireConnection(server.ToString(), socket, new NetworkStream(socket, ownsSocket: true));
        var hello = new BsonDocument
        {
            { "hello", 1 },
            { "helloOk", true },
            { "client", new BsonDocument { { "driver", new BsonDocument { { "name", "ottkit-wire-baseline" }, { "version", "1587301" } } }, { "os", new BsonDocument("type", "Linux") } } },
        };
        var reply = (await connection.RunCommandAsync("admin", hello, cancellationToken).ConfigureAwait(false)).ToBsonDocument();
        if (reply.TryGetValue("maxMessageSizeBytes", out var max) && max.IsNumeric)
        {
            connection._maxMessageSize = (int)max.ToDouble();
        }

        return connection;
    }

    public async Task<RawBsonDocument> RunCommandAsync(string database, BsonDocument command, CancellationToken cancellationToken)
    {
        command.Set("$db", database);
        var body = command.ToBson();
        var requestId = Interlocked.Increment(ref _nextRequestId);
        await _writer.WriteOpMsgAsync(requestId, OpMsgFlags.None, body, [], cancellationToken).ConfigureAwait(false);
        var reply = await _reader.ReadMessageAsync(_maxMessageSize, cancellationToken).ConfigureAwait(false);
        if (reply.ResponseTo != requestId)
        {
            throw new InvalidDataException($"The reply answers request {reply.ResponseTo}, not {requestId}.");
        }

        var ok = reply.Body["ok"];
        if (!(ok.Type == BsonType.Double ? ok.AsDouble == 1 : ok.Type == BsonType.Int32 && ok.AsInt32 == 1))
        {
            throw new InvalidOperationException($"{command.Elements[0].Name} failed on {_address}: {reply.Body.ToBsonDocument().ToExtendedJson(ExtendedJsonMode.Relaxed)}");
        }

        return reply.Body;
    }

    /// <summary>The old <c>CursorAsync</c>: the first batch, then <c>getMore</c> until the cursor id is 0.</summary>
    public async IAsyncEnumerable<MongoRawBatch> CursorAsync(string database, string collection, BsonDocument command, int? batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Direct connection to a non-primary: the old client said secondaryPreferred, or the server refuses reads.
        command.Set("$readPreference", new BsonDocument("mode", "secondaryPreferred"));
        var batch = ReadBatch(await RunCommandAsync(database, command, cancellationToken).ConfigureAwait(false), "firstBatch", _address);
        yield return batch;
        while (batch.CursorId != 0)
        {
            var getMore = new BsonDocument { { "getMore", batch.CursorId }, { "collection", CollectionOf(batch.Namespace, collection) } };
            if (batchSize is { } size)
            {
                getMore.Add("batchSize", size);
            }

            batch = ReadBatch(await RunCommandAsync(database, getMore, cancellationToken).ConfigureAwait(false), "nextBatch", _address);
            yield return batch;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _writer.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    private static string CollectionOf(string ns, string fallback)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? fallback : ns[(dot + 1)..];
    }

    private static MongoRawBatch ReadBatch(RawBsonDocument reply, string batchName, string server)
    {
        var cursor = reply["cursor"].AsDocument;
        var id = cursor["id"].Type == BsonType.Int64 ? cursor["id"].AsInt64 : cursor["id"].AsInt32;
        var ns = cursor.TryGetValue("ns", out var n) && n.Type == BsonType.String ? n.AsString : string.Empty;
        var documents = new List<RawBsonDocument>();
        foreach (var element in cursor[batchName].AsArray)
        {
            documents.Add(element.Value.AsDocument);
        }

        return new MongoRawBatch(documents, id, server, ns);
    }
}
