namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The memory of one registered replica-set health check across runs (health-check instances are created per run).
/// Evaluating and advancing happen under one lock so that concurrent runs see a consistent history.
/// </summary>
internal sealed class ReplicaSetHealthState
{
    private readonly Lock _gate = new();
    private ReplicaSetHealthHistory _history = ReplicaSetHealthHistory.Empty;

    public ReplicaSetHealthHistory History
    {
        get
        {
            lock (_gate)
            {
                return _history;
            }
        }
    }

    public ReplicaSetHealthReport Evaluate(ReplicaSetObservation observation, ReplicaSetHealthCheckOptions options)
    {
        lock (_gate)
        {
            var report = ReplicaSetHealthEvaluator.Evaluate(observation, options, _history);
            _history = _history.Advance(observation, options);
            return report;
        }
    }
}
