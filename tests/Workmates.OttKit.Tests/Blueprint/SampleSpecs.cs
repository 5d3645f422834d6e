using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>The two sample customers' spec files, read from the repository's samples folder.</summary>
internal static class SampleSpecs
{
    public static string RepositoryRoot => RepositoryPaths.Root;

    public static EnvironmentSpec Blacksheep() => EnvironmentSpec.Load(Path.Combine(RepositoryRoot, "samples", "Blacksheep", "blacksheep.yaml"));

    public static EnvironmentSpec Owl270() => EnvironmentSpec.Load(Path.Combine(RepositoryRoot, "samples", "Owl270", "owl270.yaml"));

    public static TheoryData<string> Names => ["blacksheep", "owl270"];

    /// <summary>The environments the rehearsal proves: both samples and a customer scaffolded with <c>ottkit new</c>.</summary>
    public static TheoryData<string> Rehearsed => ["blacksheep", "owl270", "scaffold"];

    public static EnvironmentSpec ByName(string name) => name switch
    {
        "blacksheep" => Blacksheep(),
        "scaffold" => Scaffold(),
        _ => Owl270(),
    };

    /// <summary>
    /// The spec <c>ottkit new acme-tv</c> writes, with every commented-out section turned on (<c>media</c>,
    /// <c>adminAccess</c>, <c>ci</c>, <c>liveEvents</c>, <c>scheduledScaling</c>, <c>weakenings</c>, a service's
    /// <c>secrets</c>): a <c># key:</c> line and the <c>#   </c> lines under it lose their <c># </c>; explanations stay.
    /// </summary>
    public static EnvironmentSpec Scaffold() => EnvironmentSpec.Parse(ScaffoldYaml(), "acme-tv.yaml");

    /// <summary>The spec file's text: a sample's file as committed, or the scaffold with every section on.</summary>
    public static string Yaml(string name) => name switch
    {
        "blacksheep" => File.ReadAllText(Path.Combine(RepositoryRoot, "samples", "Blacksheep", "blacksheep.yaml")),
        "scaffold" => ScaffoldYaml(),
        _ => File.ReadAllText(Path.Combine(RepositoryRoot, "samples", "Owl270", "owl270.yaml")),
    };

    private static string ScaffoldYaml()
    {
        var lines = SpecScaffold.Spec("acme-tv").Split('\n');
        var result = new List<string>(lines.Length);
        var indent = -1;
        foreach (var line in lines)
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var body = hash >= 0 && line[..hash].Trim().Length == 0 ? line[(hash + 1)..] : null;
            if (body is not null && body.StartsWith(' ') && body.TrimStart().Length > 0 && char.IsAsciiLetterLower(body.TrimStart()[0])
                && body.TrimEnd().EndsWith(':') && !body.TrimStart().Contains(' ', StringComparison.Ordinal))
            {
                indent = hash;   // "# media:" / "    # secrets:": a commented-out section starts
                result.Add(line[..hash] + body[1..]);
                continue;
            }

            if (indent >= 0 && hash == indent && body is not null && body.StartsWith("   ", StringComparison.Ordinal) && !body.TrimStart().StartsWith('#'))
            {
                result.Add(line[..hash] + body[1..]);
                continue;
            }

            if (body is null || hash != indent)
            {
                indent = -1;
            }

            result.Add(line);
        }

        return string.Join('\n', result);
    }
}
