using System.Globalization;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>How a namespace of a restore reaches its target.</summary>
internal enum RestoreWriteMode
{
    /// <summary>Written to a staging collection, renamed onto the target when everything checked out.</summary>
    Staged,

    /// <summary>Written into the target directly (timeseries; an existing collection merged without --drop).</summary>
    InPlace,

    /// <summary>A view: created after the renames.</summary>
    View,
}

/// <summary>
/// What a failed or cancelled restore had done to the target when it stopped. With the default settings a failure
/// before the commit leaves <see cref="TargetUnchanged"/> true: the data was only in staging collections, which were
/// removed.
/// </summary>
/// <param name="Committed">Target namespaces that were replaced or created in full (renamed from staging, or views created).</param>
/// <param name="NotCommitted">Target namespaces whose staged data was discarded: they are as they were before the restore.</param>
/// <param name="StagingLeft">Staging collections (<c>db.ottkit_restore.…</c>) that could not be removed: drop them.</param>
/// <param name="InsertedInPlace">Documents inserted directly into existing or timeseries targets, per target namespace.</param>
/// <param name="Dropped">Target namespaces dropped in place (timeseries and views under <c>--drop</c>).</param>
/// <param name="CreatedInPlace">Target namespaces created directly (timeseries, and collections whose staging name would be too long).</param>
/// <param name="OplogEntriesApplied">Oplog entries applied (to staging collections, except for namespaces created during the backup).</param>
public sealed record RestoreReport(
    IReadOnlyList<string> Committed,
    IReadOnlyList<string> NotCommitted,
    IReadOnlyList<string> StagingLeft,
    IReadOnlyDictionary<string, long> InsertedInPlace,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<string> CreatedInPlace,
    long OplogEntriesApplied)
{
    /// <summary>Whether the target is exactly as it was before the restore.</summary>
    public bool TargetUnchanged =>
        Committed.Count == 0 && StagingLeft.Count == 0 && Dropped.Count == 0 && CreatedInPlace.Count == 0 && InsertedInPlace.Values.All(n => n == 0);

    /// <summary>One paragraph for a log line or an error message: what changed and how to undo it.</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        if (TargetUnchanged)
        {
            return NotCommitted.Count == 0
                ? "Nothing was written to the target."
                : $"The target is unchanged: the data went only to staging collections, which were removed ({NotCommitted.Count} namespaces not committed: {string.Join(", ", NotCommitted)}).";
        }

        var parts = new List<string>();
        if (Committed.Count > 0)
        {
            parts.Add($"Committed before the failure (replaced or created in full): {string.Join(", ", Committed)}; to undo, restore the previous backup of these namespaces with --drop.");
        }

        if (NotCommitted.Count > 0)
        {
            parts.Add($"Not committed, left as they were: {string.Join(", ", NotCommitted)}.");
        }

        var inPlace = InsertedInPlace.Where(p => p.Value > 0).ToList();
        if (inPlace.Count > 0)
        {
            parts.Add("Written in place (mongorestore-style merge or timeseries): " + string.Join(", ", inPlace.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} +{p.Value} documents"))) + "; to undo, delete the documents whose _id is in the backup, or restore again with --drop.");
        }

        if (CreatedInPlace.Count > 0)
        {
            parts.Add($"Created in place: {string.Join(", ", CreatedInPlace)}; to undo, drop them.");
        }

        if (Dropped.Count > 0)
        {
            parts.Add($"Dropped in place: {string.Join(", ", Dropped)}; restore them again (with --drop) from this or another backup.");
        }

        if (StagingLeft.Count > 0)
        {
            parts.Add($"Staging collections could not be removed (the target was unreachable): {string.Join(", ", StagingLeft)}; drop them, they are not used by anything.");
        }

        return string.Join(" ", parts);
    }
}

/// <summary>The running record of a restore's writes (thread-safe: inserts complete in parallel).</summary>
internal sealed class RestoreWrites
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Database, string Collection)> _staging = new(StringComparer.Ordinal);
    private readonly List<string> _committed = [];
    private readonly List<string> _notCommitted = [];
    private readonly List<string> _stagingLeft = [];
    private readonly Dictionary<string, long> _inPlace = new(StringComparer.Ordinal);
    private readonly List<string> _dropped = [];
    private readonly List<string> _created = [];
    private long _oplog;

    /// <summary>A short id naming this run's staging collections.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public void Staging(string database, string collection, string target)
    {
        lock (_lock)
        {
            _staging[target] = (database, collection);
        }
    }

    public void Committed(string database, string collection, string target)
    {
        _ = database;
        _ = collection;
        lock (_lock)
        {
            _staging.Remove(target);
            _committed.Add(target);
        }
    }

    public void ViewCreated(string target)
    {
        lock (_lock)
        {
            _committed.Add(target);
        }
    }

    public void CreatedInPlace(string target)
    {
        lock (_lock)
        {
            _created.Add(target);
        }
    }

    public void InsertedInPlace(string target, long documents)
    {
        lock (_lock)
        {
            _inPlace[target] = _inPlace.GetValueOrDefault(target) + documents;
        }
    }

    public void Dropped(string target)
    {
        lock (_lock)
        {
            _dropped.Add(target);
        }
    }

    public void OplogApplied(long entries) => Interlocked.Add(ref _oplog, entries);

    /// <summary>Drops every staging collection not yet renamed; those that cannot be dropped are reported.</summary>
    public async Task RemoveStagingAsync(MongoDriverClient client, ILogger logger)
    {
        List<KeyValuePair<string, (string Database, string Collection)>> pending;
        lock (_lock)
        {
            pending = [.. _staging];
            _staging.Clear();
        }

        foreach (var (target, (database, collection)) in pending)
        {
            try
            {
                // Not the caller's token: a cancelled restore still cleans up (bounded by the client's timeouts).
                _ = await client.DropAsync(database, collection, CancellationToken.None).ConfigureAwait(false);
                lock (_lock)
                {
                    _notCommitted.Add(target);
                }
            }
            catch (Exception e) when (e is MongoConnectionException or MongoCommandException or MongoServerSelectionException or MongoAuthenticationException or IOException or TimeoutException)
            {
                RestoreLog.StagingNotRemoved(logger, $"{database}.{collection}", e.Message);
                lock (_lock)
                {
                    _notCommitted.Add(target);
                    _stagingLeft.Add($"{database}.{collection}");
                }
            }
        }
    }

    public RestoreReport Report()
    {
        lock (_lock)
        {
            return new RestoreReport([.. _committed], [.. _notCommitted], [.. _stagingLeft], new Dictionary<string, long>(_inPlace, StringComparer.Ordinal), [.. _dropped], [.. _created], Interlocked.Read(ref _oplog));
        }
    }
}

/// <summary>Restore log messages.</summary>
internal static partial class RestoreLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Error, Message = "Restore of backup {BackupId} failed: {Report}")]
    public static partial void RestoreFailed(ILogger logger, string backupId, string report);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Staging collection {Namespace} could not be removed: {Error}")]
    public static partial void StagingNotRemoved(ILogger logger, string @namespace, string error);
}
