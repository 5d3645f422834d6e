using System.Collections.Concurrent;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>
/// A small pool of authenticated connections to one server. Connections from an older generation (the pool was
/// cleared after a network error) and broken ones are disposed instead of being reused.
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentStack<MongoWireConnection> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly MongoServerAddress _server;
    private readonly ConnectionSettings _settings;
    private readonly TimeSpan? _maxIdleTime;
    private readonly int _maxPoolSize;
    private int _generation;
    private bool _disposed;

    public ConnectionPool(string address, ConnectionSettings settings, int maxPoolSize, TimeSpan? maxIdleTime, int generation)
    {
        Address = address;
        _server = MongoServerAddress.Parse(address);
        _settings = settings;
        _maxPoolSize = Math.Max(1, maxPoolSize);
        _maxIdleTime = maxIdleTime;
        _generation = generation;
        _slots = new SemaphoreSlim(_maxPoolSize, _maxPoolSize);
    }

    public string Address { get; }

    public int Generation => Volatile.Read(ref _generation);

    public int IdleCount => _idle.Count;

    /// <summary>Moves the pool to a newer generation: idle and checked-out connections of older ones are discarded.</summary>
    public void AdvanceTo(int generation)
    {
        int current;
        while ((current = Volatile.Read(ref _generation)) < generation)
        {
            Interlocked.CompareExchange(ref _generation, generation, current);
        }
    }

    public async Task<MongoWireConnection> RentAsync(TimeSpan waitTimeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _slots.WaitAsync(waitTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new MongoConnectionException(Address, $"no pooled connection became free within {waitTimeout.TotalMilliseconds:0} ms (maxPoolSize {_maxPoolSize})", new TimeoutException("The connection pool is exhausted."));
        }

        try
        {
            while (_idle.TryPop(out var connection))
            {
                if (IsReusable(connection))
                {
                    return connection;
                }

                await connection.DisposeAsync().ConfigureAwait(false);
            }

            return await MongoWireConnection.OpenAsync(_server, _settings, Generation, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public async ValueTask ReturnAsync(MongoWireConnection connection)
    {
        try
        {
            if (_disposed || !IsReusable(connection))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                connection.LastUsed = DateTimeOffset.UtcNow;
                _idle.Push(connection);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool IsReusable(MongoWireConnection connection) =>
        !connection.IsBroken
        && connection.Generation == Generation
        && (_maxIdleTime is not { } idle || idle <= TimeSpan.Zero || DateTimeOffset.UtcNow - connection.LastUsed < idle);
}

/// <summary>
/// Checks one server with <c>hello</c> on its own unauthenticated connection every heartbeat, or at once when server
/// selection asks, and feeds the result to the topology.
/// </summary>
internal sealed class ServerMonitor : IAsyncDisposable
{
    private static readonly TimeSpan MinHeartbeatInterval = TimeSpan.FromMilliseconds(500);

    private readonly MongoServerAddress _server;
    private readonly ConnectionSettings _settings;
    private readonly TimeSpan _heartbeat;
    private readonly Action<string, HelloResult?, TimeSpan?, string?> _report;
    private readonly SemaphoreSlim _checkNow = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ServerMonitor(string address, ConnectionSettings settings, TimeSpan heartbeat, Action<string, HelloResult?, TimeSpan?, string?> report)
    {
        Address = address;
        _server = MongoServerAddress.Parse(address);
        // Monitors never authenticate and time out checks after connectTimeoutMS.
        _settings = settings with { Credential = null, SocketTimeout = settings.ConnectTimeout, Compressors = [] };
        _heartbeat = heartbeat < MinHeartbeatInterval ? MinHeartbeatInterval : heartbeat;
        _report = report;
    }

    public string Address { get; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    public void RequestCheck()
    {
        try
        {
            if (_checkNow.CurrentCount == 0)
            {
                _checkNow.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // a check is already requested
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
        _checkNow.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        MongoWireConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    HelloResult hello;
                    if (connection is null)
                    {
                        connection = await MongoWireConnection.OpenAsync(_server, _settings, 0, stop).ConfigureAwait(false);
                        hello = connection.Hello;
                    }
                    else
                    {
                        var body = await connection.RunCommandAsync("admin", new Bson.BsonDocument { { "hello", 1 }, { "helloOk", true } }, null, stop).ConfigureAwait(false);
                        hello = HelloReply.ToHelloResult(body.ToBsonDocument());
                    }

                    _report(Address, hello, System.Diagnostics.Stopwatch.GetElapsedTime(started), null);
                }
                catch (Exception e) when (!stop.IsCancellationRequested && e is MongoConnectionException or MongoCommandException or MongoAuthenticationException or OperationCanceledException)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }

                    _report(Address, null, null, e.Message);
                }

                await _checkNow.WaitAsync(_heartbeat, stop).ConfigureAwait(false);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (elapsed < MinHeartbeatInterval)
                {
                    await Task.Delay(MinHeartbeatInterval - elapsed, stop).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Disposed. A heartbeat in flight may end as a timeout or connection error rather than a cancellation;
            // either way the monitor is shutting down and the failure must not escape DisposeAsync.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
