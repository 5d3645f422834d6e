using System.Text;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Chooses and renames the namespaces of a restore, as mongorestore's <c>--nsInclude</c>, <c>--nsExclude</c>,
/// <c>--nsFrom</c> and <c>--nsTo</c>. Patterns are <c>db.collection</c> with <c>*</c> wild cards that match their
/// smallest valid occurrence; <c>\*</c>, <c>\$</c> and <c>\\</c> are literal. A rename's <c>*</c> wild cards map in order
/// to the <c>*</c> of its target; <c>$name$</c> captures a part that the target may use anywhere, any number of times.
/// Includes are applied before excludes (no include means every namespace), both to the namespace as dumped; the first
/// rename whose source matches renames it.
/// </summary>
public sealed class NamespaceFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly Regex[] _includes;
    private readonly Regex[] _excludes;
    private readonly (Regex From, Replacement To)[] _renames;

    /// <summary>Creates a filter.</summary>
    /// <param name="include">Patterns of namespaces to restore (<c>--nsInclude</c>); empty or <see langword="null"/> for all.</param>
    /// <param name="exclude">Patterns of namespaces to skip (<c>--nsExclude</c>).</param>
    /// <param name="renames">Pairs of <c>--nsFrom</c>/<c>--nsTo</c> patterns, applied in order.</param>
    /// <exception cref="ArgumentException">A pattern is malformed (names the option, its position and the fix).</exception>
    public NamespaceFilter(
        IEnumerable<string>? include = null,
        IEnumerable<string>? exclude = null,
        IEnumerable<KeyValuePair<string, string>>? renames = null)
    {
        Include = include?.ToArray() ?? [];
        Exclude = exclude?.ToArray() ?? [];
        Renames = renames?.ToArray() ?? [];
        _includes = Include.Select((p, i) => Compile(p, $"nsInclude[{i}]", out _, out _)).ToArray();
        _excludes = Exclude.Select((p, i) => Compile(p, $"nsExclude[{i}]", out _, out _)).ToArray();
        _renames = Renames.Select((r, i) =>
        {
            var from = Compile(r.Key, $"nsFrom[{i}]", out var stars, out var variables);
            return (from, Replacement.Parse(r.Value, $"nsTo[{i}]", stars, variables));
        }).ToArray();
    }

    /// <summary>A filter that keeps every namespace under its own name.</summary>
    public static NamespaceFilter All { get; } = new();

    /// <summary>The include patterns.</summary>
    public IReadOnlyList<string> Include { get; }

    /// <summary>The exclude patterns.</summary>
    public IReadOnlyList<string> Exclude { get; }

    /// <summary>The rename pairs (source pattern, target pattern).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Renames { get; }

    /// <summary>Whether a namespace is restored (included and not excluded).</summary>
    /// <param name="ns">The namespace as dumped, <c>db.collection</c>.</param>
    /// <returns><see langword="true"/> to restore it.</returns>
    public bool Includes(string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return (_includes.Length == 0 || _includes.Any(r => r.IsMatch(ns))) && !_excludes.Any(r => r.IsMatch(ns));
    }

    /// <summary>The name a namespace is restored under (itself when no rename matches).</summary>
    /// <param name="ns">The namespace as dumped, <c>db.collection</c>.</param>
    /// <returns>The target namespace.</returns>
    public string Rename(string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        foreach (var (from, to) in _renames)
        {
            var match = from.Match(ns);
            if (match.Success)
            {
                return to.Apply(match);
            }
        }

        return ns;
    }

    /// <summary>Where a namespace of the archive goes: <see langword="null"/> when it is filtered out, else its (renamed) target.</summary>
    /// <param name="ns">The namespace as dumped.</param>
    /// <returns>The target, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">A rename produced a name without a database part.</exception>
    public MongoArchiveNamespace? Map(MongoArchiveNamespace ns)
    {
        var name = ns.ToString();
        if (!Includes(name))
        {
            return null;
        }

        var target = Rename(name);
        if (ReferenceEquals(target, name))
        {
            return ns;
        }

        var dot = target.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < target.Length - 1
            ? new MongoArchiveNamespace(target[..dot], target[(dot + 1)..])
            : throw new ArgumentException($"Renaming '{name}' gives '{target}', which is not 'db.collection'; fix the --nsTo pattern.", nameof(ns));
    }

    /// <summary>Compiles a pattern to an anchored regular expression with lazy wild cards.</summary>
    private static Regex Compile(string pattern, string option, out int stars, out HashSet<string> variables)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        stars = 0;
        variables = [];
        if (pattern.Length == 0)
        {
            throw new ArgumentException($"{option} is empty; give a namespace pattern such as 'db.*'.", nameof(pattern));
        }

        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    if (++i == pattern.Length)
                    {
                        throw new ArgumentException($"{option} '{pattern}' ends with a lone backslash; escape it as '\\\\'.", nameof(pattern));
                    }

                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '*':
                    stars++;
                    regex.Append("(.*?)");
                    break;
                case '$':
                    var close = pattern.IndexOf('$', i + 1);
                    if (close < 0)
                    {
                        throw new ArgumentException($"{option} '{pattern}' has an unclosed '$' variable; write '$name$', or '\\$' for a literal dollar.", nameof(pattern));
                    }

                    var name = pattern[(i + 1)..close];
                    if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit))
                    {
                        throw new ArgumentException($"{option} '{pattern}' has an invalid variable '${name}$'; use letters and digits only.", nameof(pattern));
                    }

                    if (!variables.Add(name))
                    {
                        throw new ArgumentException($"{option} '{pattern}' uses '${name}$' twice; each variable is captured once.", nameof(pattern));
                    }

                    regex.Append("(?<v").Append(name).Append(">.*?)");
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, MatchTimeout);
    }

    /// <summary>A target pattern: literal parts, positional wild cards and named variables.</summary>
    private sealed class Replacement
    {
        private readonly List<(string? Literal, int Star, string? Variable)> _parts = [];

        public static Replacement Parse(string pattern, string option, int sourceStars, HashSet<string> sourceVariables)
        {
            ArgumentNullException.ThrowIfNull(pattern);
            var replacement = new Replacement();
            var literal = new StringBuilder();
            var stars = 0;
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\' && i + 1 < pattern.Length)
                {
                    literal.Append(pattern[++i]);
                }
                else if (c == '*')
                {
                    replacement.Flush(literal);
                    replacement._parts.Add((null, ++stars, null));
                }
                else if (c == '$')
                {
                    var close = pattern.IndexOf('$', i + 1);
                    var name = close < 0 ? string.Empty : pattern[(i + 1)..close];
                    if (!sourceVariables.Contains(name))
                    {
                        throw new ArgumentException(
                            $"{option} '{pattern}' uses a variable the matching --nsFrom does not capture ('${name}$'); capture it there or escape the dollar as '\\$'.",
                            nameof(pattern));
                    }

                    replacement.Flush(literal);
                    replacement._parts.Add((null, 0, name));
                    i = close;
                }
                else
                {
                    literal.Append(c);
                }
            }

            replacement.Flush(literal);
            if (stars != sourceStars)
            {
                throw new ArgumentException(
                    $"{option} '{pattern}' has {stars} '*' wild cards but the matching --nsFrom has {sourceStars}; they pair up in order, so give both the same number.",
                    nameof(pattern));
            }

            return replacement;
        }

        public string Apply(Match match)
        {
            var result = new StringBuilder();
            foreach (var (literal, star, variable) in _parts)
            {
                result.Append(literal ?? (variable is not null ? match.Groups["v" + variable].Value : match.Groups[star].Value));
            }

            return result.ToString();
        }

        private void Flush(StringBuilder literal)
        {
            if (literal.Length > 0)
            {
                _parts.Add((literal.ToString(), 0, null));
                literal.Clear();
            }
        }
    }
}
