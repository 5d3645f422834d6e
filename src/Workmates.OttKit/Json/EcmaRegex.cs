using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Json;

/// <summary>A schema <c>pattern</c> compiled for .NET, or the reason it could not be.</summary>
internal sealed record CompiledPattern(string Source, Regex? Regex, string? Problem)
{
    /// <summary>True when the text matches; a pattern that did not compile or timed out never fails a value.</summary>
    public bool IsMatch(string text)
    {
        if (Regex is null)
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }
}

/// <summary>
/// Compiles ECMA-262 patterns (the JSON Schema dialect) to .NET regular expressions once and caches them.
/// The cache belongs to its owner (a schema catalog), never to a static, so nothing leaks between users.
/// </summary>
/// <remarks>
/// <see cref="RegexOptions.ECMAScript"/> is not used: it still lets <c>$</c> match before a final newline and rejects
/// Unicode classes, so the few constructs whose meaning differs are translated instead
/// (<c>$</c> → <c>\z</c>, <c>\d</c>/<c>\w</c> → ASCII classes, <c>.</c> excludes all ECMA line terminators,
/// <c>\u{…}</c>, <c>[^]</c>, identity escapes such as <c>\_</c>, POSIX-style <c>\p{Graph}</c>). The registry schemas
/// were written for cfn-lint's Python engine, so its <c>\A</c>/<c>\Z</c> anchors keep their Python meaning.
/// </remarks>
internal sealed class EcmaRegexCache
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["ASCII"] = @"\x00-\x7F",
        ["Graph"] = @"\x21-\x7E",
        ["Print"] = @"\x20-\x7E",
        ["Alnum"] = "a-zA-Z0-9",
        ["Alpha"] = "a-zA-Z",
        ["Digit"] = "0-9",
        ["Upper"] = "A-Z",
        ["Lower"] = "a-z",
        ["Punct"] = @"!-/:-@\[-`{-~",
        ["Space"] = @" \t\n\x0B\f\r",
        ["XDigit"] = "0-9a-fA-F",
    };

    private static readonly HashSet<char> KnownLetterEscapes = [.. "dDwWsSbBnrtfvcxupPk"];

    private readonly ConcurrentDictionary<string, CompiledPattern> _patterns = new(StringComparer.Ordinal);

    public int Count => _patterns.Count;

    public CompiledPattern Get(string pattern) => _patterns.GetOrAdd(pattern, Compile);

    private static CompiledPattern Compile(string pattern)
    {
        try
        {
            var translated = Translate(pattern);
            return new CompiledPattern(pattern, new Regex(translated, RegexOptions.CultureInvariant, MatchTimeout), null);
        }
        catch (ArgumentException ex)
        {
            return new CompiledPattern(pattern, null, $"pattern '{pattern}' is not a valid regular expression here ({ex.Message}); it is ignored");
        }
    }

    /// <summary>Rewrites the ECMA-only or differently-meant constructs of a pattern into .NET syntax.</summary>
    internal static string Translate(string pattern)
    {
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                switch (next)
                {
                    case 'd':
                        output.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D' when !inClass:
                        output.Append("[^0-9]");
                        break;
                    case 'w':
                        output.Append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]");
                        break;
                    case 'W' when !inClass:
                        output.Append("[^a-zA-Z0-9_]");
                        break;
                    case 'u' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                        {
                            var close = pattern.IndexOf('}', i + 2);
                            if (close < 0 || !int.TryParse(pattern.AsSpan(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var codePoint))
                            {
                                throw new ArgumentException($"bad \\u{{…}} escape at {i}");
                            }

                            foreach (var unit in char.ConvertFromUtf32(codePoint))
                            {
                                output.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                            }

                            i = close;
                            break;
                        }

                    case 'p' or 'P' when i + 1 < pattern.Length && pattern[i + 1] == '{':
                        {
                            var close = pattern.IndexOf('}', i + 2);
                            var name = close < 0 ? string.Empty : pattern[(i + 2)..close];
                            if (PosixClasses.TryGetValue(name, out var range))
                            {
                                var negate = next == 'P';
                                output.Append(inClass ? range : (negate ? "[^" : "[") + range + "]");
                                if (negate && inClass)
                                {
                                    throw new ArgumentException($"\\P{{{name}}} inside a class is not supported");
                                }

                                i = close;
                            }
                            else
                            {
                                output.Append('\\').Append(next);
                            }

                            break;
                        }

                    case '/':
                        output.Append('/');
                        break;
                    case 'Z' when !inClass:
                        // Registry schemas were written against Python (cfn-lint), where \Z ends the input.
                        output.Append(@"\z");
                        break;
                    case 'A' when !inClass:
                        output.Append(@"\A");
                        break;
                    default:
                        // ECMA (without the u flag) reads an unknown escaped letter as the letter itself; .NET rejects it.
                        if (char.IsAsciiLetter(next) && !KnownLetterEscapes.Contains(next))
                        {
                            output.Append(next);
                        }
                        else if (next == '_')
                        {
                            output.Append('_');
                        }
                        else
                        {
                            output.Append('\\').Append(next);
                        }

                        break;
                }

                // In ECMA "[\w-.]" has a literal '-' after a class escape; .NET would read a (broken) range.
                if (inClass && next is 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 'p' or 'P'
                    && i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    output.Append("\\-");
                    i++;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }

                output.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    if (string.CompareOrdinal(pattern, i, "[^]", 0, 3) == 0)
                    {
                        output.Append(@"[\s\S]");
                        i += 2;
                    }
                    else if (string.CompareOrdinal(pattern, i, "[]", 0, 2) == 0)
                    {
                        output.Append("(?!)");
                        i += 1;
                    }
                    else
                    {
                        inClass = true;
                        output.Append(c);
                        if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                        {
                            output.Append('^');
                            i++;
                        }
                    }

                    break;
                case '$':
                    output.Append(@"\z");
                    break;
                case '.':
                    output.Append(@"[^\n\r\u2028\u2029]");
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }
}
