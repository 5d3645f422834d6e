namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>A namespace as the archive names it: database and collection, kept apart (a database name may be empty).</summary>
/// <param name="Database">Database name; empty for the oplog slice.</param>
/// <param name="Collection">Collection name.</param>
public readonly record struct MongoArchiveNamespace(string Database, string Collection)
{
    /// <summary>
    /// The namespace that carries <c>mongodump --oplog</c> data in an archive: database <c>""</c>, collection <c>"oplog"</c>.
    /// Stock <c>mongorestore --oplogReplay</c> finds the oplog only under this name (not under <c>local.oplog.rs</c>).
    /// </summary>
    public static MongoArchiveNamespace Oplog { get; } = new(string.Empty, "oplog");

    /// <summary>Whether this is the oplog namespace of <c>--oplog</c> (<see cref="Oplog"/>).</summary>
    public bool IsOplog => Database.Length == 0 && Collection == "oplog";

    /// <summary>The namespace as <c>db.collection</c> (the oplog is <c>.oplog</c>).</summary>
    /// <returns>The full name.</returns>
    public override string ToString() => $"{Database}.{Collection}";
}
