namespace Workmates.OttKit.Json;

/// <summary>Finds the allowed name a misspelt one most likely meant (case slips, prefixes, small typos).</summary>
internal static class NameSuggestion
{
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var score = Score(given, candidate);
            if (score < bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return bestScore == int.MaxValue ? null : best;
    }

    private static int Score(string given, string candidate)
    {
        if (given.Equals(candidate, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (given.Length >= 3 && candidate.Length >= 3
            && (candidate.StartsWith(given, StringComparison.OrdinalIgnoreCase) || given.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)))
        {
            return 1 + Math.Abs(candidate.Length - given.Length);
        }

        var distance = Distance(given.ToUpperInvariant(), candidate.ToUpperInvariant());
        return distance <= Math.Max(2, given.Length / 3) ? 1000 + distance : int.MaxValue;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
