namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// A restore rename, as mongorestore's <c>--nsFrom</c>/<c>--nsTo</c>: <see cref="From"/> matches source namespaces
/// (<c>db.coll</c>, <c>*</c> for any run of characters except nothing special, <c>$name$</c> for a named part) and
/// <see cref="To"/> rebuilds the target from the same parts, e.g. <c>ott.*</c> → <c>ott_copy.*</c> or
/// <c>$db$.videos</c> → <c>$db$.videos_old</c>.
/// </summary>
/// <param name="From">Source pattern.</param>
/// <param name="To">Target pattern using the same <c>*</c> (in order) and <c>$name$</c> parts.</param>
public sealed record NamespaceRename(string From, string To);

/// <summary>
/// The runners' namespace selection: the archive's <see cref="Archive.NamespaceFilter"/> (mongorestore's nsInclude,
/// nsExclude, nsFrom/nsTo rules), with patterns checked up front and refused as <see cref="MongoBackupException"/>
/// (<see cref="MongoBackupFailureReason.InvalidOptions"/>) naming the fix.
/// </summary>
internal static class BackupNamespaces
{
    public static Archive.NamespaceFilter Filter(IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<NamespaceRename>? renames = null)
    {
        foreach (var pattern in include.Concat(exclude))
        {
            if (string.IsNullOrWhiteSpace(pattern) || !pattern.Contains('.', StringComparison.Ordinal))
            {
                throw new MongoBackupException(MongoBackupFailureReason.InvalidOptions, $"Namespace pattern '{pattern}' must be 'db.collection', with * as a wildcard: for example 'ott.*' or '*.videos'.");
            }
        }

        foreach (var rename in renames ?? [])
        {
            if (!rename.From.Contains('.', StringComparison.Ordinal) || !rename.To.Contains('.', StringComparison.Ordinal))
            {
                throw new MongoBackupException(MongoBackupFailureReason.InvalidOptions, $"Rename '{rename.From}' → '{rename.To}': both sides must be 'db.collection' patterns, for example 'ott.*' → 'ott_copy.*'.");
            }
        }

        try
        {
            return new Archive.NamespaceFilter(include, exclude, renames?.Select(r => KeyValuePair.Create(r.From, r.To)));
        }
        catch (ArgumentException ex)
        {
            throw new MongoBackupException(MongoBackupFailureReason.InvalidOptions, ex.Message, innerException: ex);
        }
    }
}
