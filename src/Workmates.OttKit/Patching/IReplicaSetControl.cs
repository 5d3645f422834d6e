using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Patching;

/// <summary>What the patch runner needs of the replica set: its status (the health check's observation) and a step-down.</summary>
public interface IReplicaSetControl
{
    /// <summary>Takes one observation (<c>replSetGetStatus</c>, <c>replSetGetConfig</c>…), as the health check does.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The observation.</returns>
    Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken);

    /// <summary>Runs <c>replSetStepDown</c> on the primary.</summary>
    /// <param name="stepDownPeriod">How long the old primary may not be re-elected (<c>stepDownSecs</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the primary answered (or dropped the connection, as a stepping-down mongod does).</returns>
    Task StepDownAsync(TimeSpan stepDownPeriod, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IReplicaSetControl"/> over a connection string (the <c>admin</c> or <c>clusterManager</c> user's:
/// <c>replSetStepDown</c> needs the <c>replSetStateChange</c> action, the status commands <c>clusterMonitor</c>).
/// </summary>
public sealed class MongoReplicaSetControl : IReplicaSetControl, IAsyncDisposable
{
    private readonly MongoDriverClient _client;
    private readonly ConnectionStringStatusSource _status;

    /// <summary>Connects (lazily) to the replica set.</summary>
    /// <param name="connectionString">The set's connection string.</param>
    /// <param name="timeProvider">The clock of the observations.</param>
    /// <param name="logger">A logger; none when null.</param>
    public MongoReplicaSetControl(MongoConnectionString connectionString, TimeProvider? timeProvider = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var time = timeProvider ?? TimeProvider.System;
        _client = new MongoDriverClient(connectionString, logger, time);
        _status = new ConnectionStringStatusSource(_client, time);
    }

    /// <inheritdoc/>
    public Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken) => _status.ObserveAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task StepDownAsync(TimeSpan stepDownPeriod, CancellationToken cancellationToken)
    {
        var command = new BsonDocument { { "replSetStepDown", (int)Math.Max(10, stepDownPeriod.TotalSeconds) } };
        try
        {
            await _client.RunCommandAsync("admin", command, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MongoConnectionException)
        {
            // mongod closes its connections when it steps down; the new state is read by the next observation.
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
