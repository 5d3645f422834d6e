using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// One socket to one server: TCP or TLS, OP_MSG framing, the <c>hello</c> handshake and SCRAM authentication.
/// Not thread-safe: a pool lends it to one operation at a time. Any I/O failure breaks it for good.
/// </summary>
internal sealed class MongoWireConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly MessageReader _reader;
    private readonly MessageWriter _writer;
    private readonly ResettableTimeout _timeout = new();
    private readonly ConnectionSettings _settings;
    private int _nextRequestId;
    private bool _compress;

    private MongoWireConnection(string address, Socket socket, Stream stream, ConnectionSettings settings, int generation)
    {
        Address = address;
        _socket = socket;
        _stream = stream;
        _settings = settings;
        Generation = generation;
        _reader = new MessageReader(stream);
        _writer = new MessageWriter(stream);
    }

    /// <summary>The server, <c>host:port</c> (normalised).</summary>
    public string Address { get; }

    /// <summary>The pool generation the connection was created in.</summary>
    public int Generation { get; }

    /// <summary>Whether an I/O failure, timeout or cancellation has broken the connection.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>The handshake reply.</summary>
    public HelloResult Hello { get; private set; } = new();

    public int MaxBsonObjectSize { get; private set; } = HelloReply.DefaultMaxBsonObjectSize;

    public int MaxMessageSize { get; private set; } = OpMsgCodec.DefaultMaxMessageSize;

    public int MaxWriteBatchSize { get; private set; } = HelloReply.DefaultMaxWriteBatchSize;

    /// <summary>When the connection was last returned to its pool, for idle expiry.</summary>
    public DateTimeOffset LastUsed { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Connects, negotiates TLS, runs <c>hello</c> and authenticates when the settings carry a credential.</summary>
    public static async Task<MongoWireConnection> OpenAsync(MongoServerAddress server, ConnectionSettings settings, int generation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(settings);
        var address = ServerDescription.Normalize(server.ToString())!;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, connectTimeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (settings.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(settings.SslOptions(server.Host), connectTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or AuthenticationException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw e is OperationCanceledException
                ? new MongoConnectionException(address, $"connecting timed out after {settings.ConnectTimeout.TotalMilliseconds:0} ms (connectTimeoutMS)", new TimeoutException("connect timed out", e))
                : new MongoConnectionException(address, $"connecting failed: {e.Message}", e);
        }

        var connection = new MongoWireConnection(address, socket, stream, settings, generation);
        try
        {
            await connection.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs one command and returns the reply body, throwing <see cref="MongoCommandException"/> when it is not ok.
    /// The body's memory belongs to the caller (raw batches point into it).
    /// </summary>
    public async Task<RawBsonDocument> RunCommandAsync(string database, BsonDocument command, IReadOnlyList<DocumentSequence>? sequences, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var reply = await RoundTripAsync(database, command, sequences ?? [], timeout ?? _settings.SocketTimeout, cancellationToken).ConfigureAwait(false);
        CommandErrors.ThrowIfFailed(command.Elements[0].Name, reply.Body);
        return reply.Body;
    }

    /// <summary>
    /// Runs a write command and returns the reply body; it throws on <c>ok: 0</c> and on a write-concern error, but
    /// leaves <c>writeErrors</c> to the caller (unordered inserts report them per document).
    /// </summary>
    public async Task<RawBsonDocument> RunWriteCommandAsync(string database, BsonDocument command, IReadOnlyList<DocumentSequence> sequences, CancellationToken cancellationToken)
    {
        var reply = await RoundTripAsync(database, command, sequences, _settings.SocketTimeout, cancellationToken).ConfigureAwait(false);
        CommandErrors.ThrowIfFailed(command.Elements[0].Name, reply.Body, includeWriteErrors: false);
        return reply.Body;
    }

    /// <summary>Sends a command with <c>moreToCome</c> set: the server sends no reply (used for fire-and-forget writes).</summary>
    public async Task SendWithoutReplyAsync(string database, BsonDocument command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Set("$db", database);
        var token = _timeout.Start(_settings.SocketTimeout, cancellationToken);
        try
        {
            await _writer.WriteOpMsgAsync(NextRequestId(), OpMsgFlags.MoreToCome, command.ToBson(), [], token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            throw Fail(e, _settings.SocketTimeout, cancellationToken);
        }
        finally
        {
            _timeout.Stop();
        }
    }

    /// <summary>Breaks the connection: it will be disposed rather than reused.</summary>
    public void Break()
    {
        if (IsBroken)
        {
            return;
        }

        IsBroken = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already closed by the peer
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        _reader.Dispose();
        _writer.Dispose();
        _timeout.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task<OpMsgMessage> RoundTripAsync(string database, BsonDocument command, IReadOnlyList<DocumentSequence> sequences, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (IsBroken)
        {
            throw new MongoConnectionException(Address, "the connection is broken and cannot be reused", null);
        }

        command.Set("$db", database);
        var body = command.ToBson();
        var requestId = NextRequestId();
        var token = _timeout.Start(timeout, cancellationToken);
        try
        {
            if (_compress && !IsUncompressible(command.Elements[0].Name))
            {
                await _writer.WriteCompressedOpMsgAsync(requestId, OpMsgFlags.None, body, sequences, _settings.ZlibCompressionLevel, token).ConfigureAwait(false);
            }
            else
            {
                await _writer.WriteOpMsgAsync(requestId, OpMsgFlags.None, body, sequences, token).ConfigureAwait(false);
            }

            var reply = await _reader.ReadMessageAsync(MaxMessageSize, token).ConfigureAwait(false);
            if (reply.ResponseTo != requestId)
            {
                throw new InvalidDataException($"The reply answers request {reply.ResponseTo}, not {requestId}.");
            }

            return reply;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            throw Fail(e, timeout, cancellationToken);
        }
        finally
        {
            _timeout.Stop();
        }
    }

    private static bool IsTransportFailure(Exception e) =>
        e is OperationCanceledException or IOException or SocketException or InvalidDataException or ObjectDisposedException or AuthenticationException;

    private Exception Fail(Exception e, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Break();
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The operation was cancelled by the caller; the connection was closed.", e, cancellationToken);
        }

        return e switch
        {
            OperationCanceledException => new MongoConnectionException(Address, $"no reply within {timeout?.TotalMilliseconds ?? 0:0} ms (socketTimeoutMS)", new TimeoutException("The server did not reply in time.", e)),
            InvalidDataException => new MongoConnectionException(Address, $"protocol violation: {e.Message}", e),
            _ => new MongoConnectionException(Address, $"I/O failed: {e.Message}", e),
        };
    }

    private int NextRequestId() => Interlocked.Increment(ref _nextRequestId);

    // The compression spec keeps the handshake and authentication commands uncompressed.
    private static bool IsUncompressible(string commandName) =>
        commandName is "hello" or "isMaster" or "ismaster" or "saslStart" or "saslContinue" or "getnonce" or "authenticate"
            or "createUser" or "updateUser" or "copydbSaslStart" or "copydbgetnonce" or "copydb";

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var hello = new BsonDocument
        {
            { "hello", 1 },
            { "helloOk", true },
            { "client", _settings.ClientMetadata() },
        };
        var zlib = _settings.Compressors.Contains("zlib", StringComparer.OrdinalIgnoreCase);
        if (zlib)
        {
            hello.Add("compression", new BsonArray { "zlib" });
        }

        var credential = _settings.Credential;
        ScramConversation? speculative = null;
        if (credential is not null)
        {
            if (AuthenticationHandshake.SaslSupportedMechsRequest(credential) is { } mechs)
            {
                hello.Add("saslSupportedMechs", mechs);
            }

            if (AuthenticationHandshake.Speculative(credential) is { } start)
            {
                speculative = start.Conversation;
                hello.Add("speculativeAuthenticate", SaslStartDocument(start.Command));
            }
        }

        var body = await RunCommandAsync("admin", hello, null, cancellationToken, _settings.ConnectTimeout).ConfigureAwait(false);
        var reply = body.ToBsonDocument();
        Hello = HelloReply.ToHelloResult(reply);
        MaxBsonObjectSize = BsonNumbers.Int32(reply, "maxBsonObjectSize") ?? MaxBsonObjectSize;
        MaxMessageSize = BsonNumbers.Int32(reply, "maxMessageSizeBytes") ?? MaxMessageSize;
        MaxWriteBatchSize = BsonNumbers.Int32(reply, "maxWriteBatchSize") ?? MaxWriteBatchSize;
        if (credential is not null)
        {
            if (speculative is not null && reply.TryGetValue("speculativeAuthenticate", out var spec) && spec.Type == BsonType.Document)
            {
                await ContinueSaslAsync(credential, speculative, spec.AsDocument, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
            }
        }

        _compress = zlib && reply.TryGetValue("compression", out var c) && c.Type == BsonType.Array
            && c.AsArray.Any(x => x.Type == BsonType.String && x.AsString == "zlib");
    }

    private async Task AuthenticateAsync(MongoCredential credential, CancellationToken cancellationToken)
    {
        var mechanism = AuthenticationHandshake.ChooseMechanism(credential, Hello.SaslSupportedMechs);
        if (mechanism is not (ScramConversation.Sha1 or ScramConversation.Sha256))
        {
            throw new MongoAuthenticationException(mechanism, credential.Username, $"The {mechanism} mechanism is not implemented by this client; use SCRAM-SHA-256 or SCRAM-SHA-1.");
        }

        var conversation = ScramConversation.Start(credential, mechanism);
        var start = SaslStartDocument(AuthenticationHandshake.SaslStart(conversation, credential));
        var reply = await RunAuthCommandAsync(credential, mechanism, start, cancellationToken).ConfigureAwait(false);
        await ContinueSaslAsync(credential, conversation, reply, cancellationToken).ConfigureAwait(false);
    }

    private async Task ContinueSaslAsync(MongoCredential credential, ScramConversation conversation, BsonDocument reply, CancellationToken cancellationToken)
    {
        // Each server reply carries the next payload; the conversation verifies the final one (server signature).
        while (true)
        {
            var payload = reply.TryGetValue("payload", out var p) && p.Type == BsonType.Binary ? p.AsBinary : ReadOnlyMemory<byte>.Empty;
            var done = reply.TryGetValue("done", out var d) && d.Type == BsonType.Boolean && d.AsBoolean;
            var next = conversation.IsComplete ? null : conversation.Continue(payload.Span);
            if (done)
            {
                if (!conversation.IsComplete)
                {
                    throw new MongoAuthenticationException(conversation.Mechanism, credential.Username, $"{conversation.Mechanism} authentication of '{credential.Username}' failed: the server ended the conversation before proving it knows the key.");
                }

                return;
            }

            if (!reply.TryGetValue("conversationId", out var id))
            {
                throw new MongoAuthenticationException(conversation.Mechanism, credential.Username, "The server's SASL reply has no conversationId.");
            }

            var command = new BsonDocument
            {
                { "saslContinue", 1 },
                { "conversationId", id },
                { "payload", BsonValue.FromBinary(BsonBinarySubtype.Generic, next ?? []) },
            };
            reply = await RunAuthCommandAsync(credential, conversation.Mechanism, command, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BsonDocument> RunAuthCommandAsync(MongoCredential credential, string mechanism, BsonDocument command, CancellationToken cancellationToken)
    {
        try
        {
            var body = await RunCommandAsync(credential.Source, command, null, cancellationToken, _settings.ConnectTimeout).ConfigureAwait(false);
            return body.ToBsonDocument();
        }
        catch (MongoCommandException e)
        {
            throw new MongoAuthenticationException(mechanism, credential.Username, $"{mechanism} authentication of '{credential.Username}' on '{credential.Source}' failed: the server answered {e.CodeName ?? "an error"} ({e.Code}): {e.ServerMessage}");
        }
    }

    private static BsonDocument SaslStartDocument(SaslStartCommand start)
    {
        var document = new BsonDocument
        {
            { "saslStart", 1 },
            { "mechanism", start.Mechanism },
            { "payload", BsonValue.FromBinary(BsonBinarySubtype.Generic, start.Payload) },
        };
        if (start.SkipEmptyExchange)
        {
            document.Add("options", new BsonDocument("skipEmptyExchange", true));
        }

        document.Add("db", start.Database);
        return document;
    }
}

/// <summary>Turns server error replies into <see cref="MongoCommandException"/>.</summary>
internal static class CommandErrors
{
    public static void ThrowIfFailed(string commandName, RawBsonDocument body, bool includeWriteErrors = true)
    {
        if (body.TryGetValue("ok", out var ok) && IsOne(ok))
        {
            if (includeWriteErrors && body.TryGetValue("writeErrors", out var writeErrors) && writeErrors.Type == BsonType.Array)
            {
                foreach (var element in writeErrors.AsArray)
                {
                    var error = element.Value.AsDocument.ToBsonDocument();
                    throw new MongoCommandException(commandName, BsonNumbers.Int32(error, "code") ?? 0, Str(error, "codeName"), Str(error, "errmsg"), []);
                }
            }

            if (body.TryGetValue("writeConcernError", out var wce) && wce.Type == BsonType.Document)
            {
                var error = wce.AsDocument.ToBsonDocument();
                throw new MongoCommandException(commandName, BsonNumbers.Int32(error, "code") ?? 0, Str(error, "codeName"), Str(error, "errmsg"), Labels(body.ToBsonDocument()));
            }

            return;
        }

        var reply = body.ToBsonDocument();
        throw new MongoCommandException(commandName, BsonNumbers.Int32(reply, "code") ?? 0, Str(reply, "codeName"), Str(reply, "errmsg"), Labels(reply));
    }

    private static bool IsOne(RawBsonValue ok) => ok.Type switch
    {
        BsonType.Double => ok.AsDouble == 1,
        BsonType.Int32 => ok.AsInt32 == 1,
        BsonType.Int64 => ok.AsInt64 == 1,
        BsonType.Boolean => ok.AsBoolean,
        _ => false,
    };

    private static string? Str(BsonDocument doc, string name) => doc.TryGetValue(name, out var v) && v.Type == BsonType.String ? v.AsString : null;

    private static List<string> Labels(BsonDocument doc) =>
        doc.TryGetValue("errorLabels", out var v) && v.Type == BsonType.Array ? v.AsArray.Where(x => x.Type == BsonType.String).Select(x => x.AsString).ToList() : [];
}
