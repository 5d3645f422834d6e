namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Reads the current state of a replica set (<c>replSetGetStatus</c>, <c>replSetGetConfig</c>, <c>serverStatus</c> and the
/// oplog span). The connection-string registration implements it over the official driver; the health check resolves it from dependency injection, keyed by the
/// health-check name first and unkeyed otherwise.
/// </summary>
/// <remarks>
/// <c>replSetGetStatus</c>, <c>replSetGetConfig</c> and <c>serverStatus</c> need only the <c>clusterMonitor</c> role. When
/// the server answers "Unauthorized" (code 13) to them, throw <see cref="MongoNotAuthorizedException"/> so that the check
/// can say which role to grant. Reading the first and last oplog entries also needs <c>read</c> on the <c>local</c>
/// database; without it, leave <see cref="ReplicaSetObservation.Oplog"/> null (the oplog rule then reports "not
/// evaluated") rather than failing the whole observation.
/// </remarks>
public interface IReplicaSetStatusSource
{
    /// <summary>Takes one observation of the replica set.</summary>
    /// <param name="cancellationToken">Cancelled when the caller gives up or the check's own timeout expires.</param>
    /// <returns>The observation, with <see cref="ReplicaSetObservation.ObservedAt"/> set to the observer's clock.</returns>
    /// <exception cref="MongoNotAuthorizedException">The user lacks a privilege the commands need.</exception>
    Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken);
}
