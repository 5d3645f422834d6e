namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// Cumulative counters behind the <see cref="BackupProgress"/> events of a backup or a restore, updated from parallel
/// dumpers or inserters; each event carries the totals at the moment it is reported.
/// </summary>
/// <param name="sink">Where events go, or <see langword="null"/> to count without reporting.</param>
internal sealed class ProgressCounter(IProgress<BackupProgress>? sink)
{
    private long _documents;
    private long _bytes;
    private int _done;

    /// <summary>Namespaces to process (the <see cref="BackupProgress.NamespacesTotal"/> of later events).</summary>
    public int Total { get; set; }

    /// <summary>Adds processed documents and their uncompressed BSON bytes (thread-safe; reports nothing).</summary>
    /// <param name="documents">Documents processed.</param>
    /// <param name="bytes">Their BSON bytes.</param>
    public void Add(long documents, long bytes)
    {
        Interlocked.Add(ref _documents, documents);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Counts one finished namespace and reports it.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="message">The human line.</param>
    /// <param name="ns">The namespace that finished.</param>
    public void NamespaceDone(BackupStage stage, string message, string ns)
    {
        Interlocked.Increment(ref _done);
        Report(stage, message, ns);
    }

    /// <summary>Reports an event with the current totals.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="message">The human line.</param>
    /// <param name="ns">The namespace the event is about, or <see langword="null"/>.</param>
    public void Report(BackupStage stage, string message, string? ns) =>
        sink?.Report(new BackupProgress(stage, message, ns, Interlocked.Read(ref _documents), Interlocked.Read(ref _bytes), Volatile.Read(ref _done), Total));
}
