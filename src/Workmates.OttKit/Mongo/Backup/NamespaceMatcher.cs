using System.Text;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// mongodump/mongorestore's <c>--nsInclude</c>/<c>--nsExclude</c>: <c>db.coll</c> patterns where <c>*</c> matches any
/// run of characters (so <c>ott.*</c> is every collection of <c>ott</c>, <c>*.videos</c> every <c>videos</c>) and
/// <c>\*</c> a literal star. No include pattern means everything; an exclude wins over an include.
/// </summary>
internal sealed class NamespaceMatcher
{
    private readonly List<Regex> _include;
    private readonly List<Regex> _exclude;

    public NamespaceMatcher(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        _include = [.. include.Select(Compile)];
        _exclude = [.. exclude.Select(Compile)];
    }

    public bool Includes(string database, string collection)
    {
        var ns = $"{database}.{collection}";
        return (_include.Count == 0 || _include.Any(r => r.IsMatch(ns))) && !_exclude.Any(r => r.IsMatch(ns));
    }

    private static Regex Compile(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || !pattern.Contains('.', StringComparison.Ordinal))
        {
            throw new MongoBackupException(MongoBackupFailureReason.InvalidOptions, $"Namespace pattern '{pattern}' must be 'db.collection', with * as a wildcard: for example 'ott.*' or '*.videos'.");
        }

        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(@"\*");
                i++;
            }
            else
            {
                regex.Append(pattern[i] == '*' ? ".*" : Regex.Escape(pattern[i].ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
