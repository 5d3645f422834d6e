using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Wire;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The status source a health check registered with a connection string uses: it owns one
/// <see cref="MongoReplicaSetClient"/> for the container's lifetime (monitoring connections are reused across runs) and
/// disposes it with the container.
/// </summary>
internal sealed class ConnectionStringStatusSource : IReplicaSetStatusSource, IAsyncDisposable, IDisposable
{
    private readonly MongoReplicaSetClient _client;
    private readonly MongoReplicaSetStatusSource _source;

    public ConnectionStringStatusSource(MongoConnectionString connectionString, TimeProvider timeProvider, ILogger? logger)
    {
        _client = new MongoReplicaSetClient(connectionString, logger);
        _source = new MongoReplicaSetStatusSource(_client, timeProvider);
    }

    public Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken) => _source.ObserveAsync(cancellationToken);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    // A container disposed synchronously still closes the sockets; disposal of the client does not block on the network.
    public void Dispose() => _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
