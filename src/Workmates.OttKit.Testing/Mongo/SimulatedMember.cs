using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>One member of the simulated set: a loopback listener and the member's scenario knobs.</summary>
public sealed partial class SimulatedMember : IAsyncDisposable
{
    private readonly ReplicaSetSimulator _set;
    private readonly ConcurrentDictionary<int, TcpClient> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _nextConnectionId;

    internal SimulatedMember(ReplicaSetSimulator set, int index, SimulatedMemberState state)
    {
        _set = set;
        Index = index;
        State = state;
        StartedAt = DateTimeOffset.UtcNow;
        ElectionDate = StartedAt;
    }

    /// <summary>The member <c>_id</c>.</summary>
    public int Index { get; }

    /// <summary>The TCP port (fixed once listening).</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>, as it appears in <c>hello</c> and the config.</summary>
    public string Name => $"127.0.0.1:{Port}";

    /// <summary>The replica-set state.</summary>
    public SimulatedMemberState State { get; set; }

    /// <summary>How far this member's optime trails the last write.</summary>
    public TimeSpan Lag { get; set; }

    /// <summary>How old the other members' last heartbeat from this member is (replSetGetStatus <c>lastHeartbeatRecv</c>).</summary>
    public TimeSpan HeartbeatAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A delay before every reply: the slow member.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Member tags, e.g. <c>az</c>.</summary>
    public Dictionary<string, string> Tags { get; } = [];

    /// <summary>A hidden member: not in other members' <c>hello</c> hosts, priority 0, <c>hidden: true</c> in its own.</summary>
    public bool Hidden { get; set; }

    /// <summary>Votes in elections.</summary>
    public int Votes { get; set; } = 1;

    /// <summary>Election priority.</summary>
    public double Priority { get; set; } = 1;

    /// <summary>When the member process started (uptime).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the member last became primary.</summary>
    public DateTimeOffset ElectionDate { get; set; }

    /// <summary>Whether the listener accepts connections.</summary>
    public bool IsReachable => _listener is not null;

    /// <summary>When the member became unreachable (its last heartbeat as others saw it).</summary>
    public DateTimeOffset? UnreachableSince { get; private set; }

    /// <summary>Kills the member now: the listener stops and every open connection is dropped mid-stream.</summary>
    public void Kill() => StopListening();

    /// <summary>Stops the listener and drops connections.</summary>
    public async ValueTask DisposeAsync()
    {
        StopListening();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    internal void Listen()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        UnreachableSince = null;
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, token), CancellationToken.None);
    }

    internal void StopListening()
    {
        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        _listener = null;
        UnreachableSince = DateTimeOffset.UtcNow;
        _stopping.Cancel();
        listener.Stop();
        foreach (var (id, client) in _connections)
        {
            client.Dispose();
            _connections.TryRemove(id, out _);
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _nextConnectionId);
            _connections[id] = client;
            _ = Task.Run(() => ServeAsync(id, client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(int connectionId, TcpClient client, CancellationToken cancellationToken)
    {
        var session = new ConnectionSession(connectionId);
        try
        {
            client.NoDelay = true;
            Stream stream = client.GetStream();
            if (_set.TlsCertificate is { } certificate)
            {
                var ssl = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
                stream = ssl;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var request = await SimulatorFrames.ReadAsync(stream, cancellationToken);
                if (request is null)
                {
                    return;
                }

                var reply = WithErrorLabels(request.Body, Handle(session, request));
                if (ResponseDelay > TimeSpan.Zero)
                {
                    await Task.Delay(ResponseDelay, cancellationToken);
                }

                if (request.MoreToCome)
                {
                    continue;
                }

                if (request.OpCode == SimulatorFrames.OpQuery)
                {
                    await SimulatorFrames.WriteReplyAsync(stream, request.RequestId, reply, cancellationToken);
                }
                else
                {
                    await SimulatorFrames.WriteMsgAsync(stream, request.RequestId, reply, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException or System.Security.Authentication.AuthenticationException)
        {
            // the client went away or the member was stopped
        }
        finally
        {
            _connections.TryRemove(connectionId, out _);
            client.Dispose();
        }
    }

    private sealed class ConnectionSession(int id)
    {
        public int Id { get; } = id;

        public SimulatedUser? User { get; set; }

        public ScramServerConversation? Conversation { get; set; }

        public bool Compression { get; set; }
    }

    // The codes mongod 8 treats as retryable for writes (the Retryable Writes spec's list).
    private static readonly HashSet<int> s_retryableCodes = [6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436];

    // Inside a transaction: WriteConflict, LockTimeout, NoSuchTransaction.
    private static readonly HashSet<int> s_transientInTransactionCodes = [24, 112, 251];

    /// <summary>
    /// As mongod 8 does: a failed retryable write (the command carries <c>txnNumber</c>) with a retryable code gets
    /// <c>errorLabels: ["RetryableWriteError"]</c>; the same failure inside a transaction (<c>autocommit: false</c>) gets
    /// <c>TransientTransactionError</c> instead. Drivers retry on the label, not on the code.
    /// </summary>
    /// <remarks>
    /// In a transaction mongod also labels WriteConflict (112), LockTimeout (24) and NoSuchTransaction (251) as
    /// <c>TransientTransactionError</c>; <c>commitTransaction</c> and <c>abortTransaction</c> are retryable writes
    /// themselves, so their retryable failures get <c>RetryableWriteError</c> (Transactions spec), never the transient label.
    /// </remarks>
    private static BsonDocument WithErrorLabels(BsonDocument command, BsonDocument reply)
    {
        if (!reply.TryGetValue("ok", out var ok) || ok.Type != BsonType.Double || ok.AsDouble != 0.0
            || !reply.TryGetValue("code", out var code) || code.Type != BsonType.Int32)
        {
            return reply;
        }

        var inTransaction = command.TryGetValue("autocommit", out var autocommit) && autocommit.Type == BsonType.Boolean && !autocommit.AsBoolean;
        var ending = command.Count > 0 && command.Elements[0].Name is "commitTransaction" or "abortTransaction";
        if (inTransaction && !ending && s_transientInTransactionCodes.Contains(code.AsInt32))
        {
            reply.Add("errorLabels", new BsonArray { "TransientTransactionError" });
            return reply;
        }

        if (!s_retryableCodes.Contains(code.AsInt32))
        {
            return reply;
        }

        if (inTransaction && !ending)
        {
            reply.Add("errorLabels", new BsonArray { "TransientTransactionError" });
        }
        else if (command.Contains("txnNumber"))
        {
            reply.Add("errorLabels", new BsonArray { "RetryableWriteError" });
        }

        return reply;
    }

    private static BsonDocument Error(int code, string codeName, string message) =>
        new() { { "ok", 0.0 }, { "errmsg", message }, { "code", code }, { "codeName", codeName } };
}
