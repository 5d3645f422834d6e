using System.Text;
using System.Text.RegularExpressions;

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

/// <summary>Applies an ordered list of <see cref="NamespaceRename"/>s: the first that matches wins.</summary>
internal sealed partial class NamespaceRenamer
{
    private readonly List<(Regex From, string To)> _rules = [];

    public NamespaceRenamer(IReadOnlyList<NamespaceRename> renames)
    {
        foreach (var rename in renames)
        {
            if (!rename.From.Contains('.', StringComparison.Ordinal) || !rename.To.Contains('.', StringComparison.Ordinal))
            {
                throw new MongoBackupException(MongoBackupFailureReason.InvalidOptions, $"Rename '{rename.From}' → '{rename.To}': both sides must be 'db.collection' patterns, for example 'ott.*' → 'ott_copy.*'.");
            }

            var pattern = new StringBuilder("^");
            var star = 0;
            foreach (Match part in Parts().Matches(rename.From))
            {
                pattern.Append(part.Value switch
                {
                    "*" => $"(?<star{star++}>.*?)",
                    ['$', .., '$'] when part.Value.Length > 2 => $"(?<v_{part.Value[1..^1]}>.*?)",
                    _ => Regex.Escape(part.Value),
                });
            }

            pattern.Append('$');
            _rules.Add((new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), rename.To));
        }
    }

    public bool IsEmpty => _rules.Count == 0;

    /// <summary>The target namespace of <paramref name="ns"/> (<c>db.coll</c>), unchanged when no rule matches.</summary>
    public string Rename(string ns)
    {
        foreach (var (from, to) in _rules)
        {
            var match = from.Match(ns);
            if (!match.Success)
            {
                continue;
            }

            var result = new StringBuilder();
            var star = 0;
            foreach (Match part in Parts().Matches(to))
            {
                result.Append(part.Value switch
                {
                    "*" => match.Groups[$"star{star++}"].Value,
                    ['$', .., '$'] when part.Value.Length > 2 => match.Groups[$"v_{part.Value[1..^1]}"].Value,
                    _ => part.Value,
                });
            }

            return result.ToString();
        }

        return ns;
    }

    [GeneratedRegex(@"\*|\$[A-Za-z0-9_]+\$|[^*$]+|\$", RegexOptions.CultureInvariant)]
    private static partial Regex Parts();
}
