using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Testing;

public static partial class Rehearsal
{
    /// <summary><c>dotnet tool install</c> options that take a value (every other option is a flag).</summary>
    private static readonly HashSet<string> ToolOptionsWithValue = new(StringComparer.Ordinal)
    {
        "--version", "--add-source", "--configfile", "--framework", "--tool-path", "--tool-manifest", "-v", "--verbosity", "-a", "--arch",
    };

    /// <summary>
    /// Every finding of the workflow-sources check (issue 13, seams 7 and 8): each generated workflow must live in a
    /// repository the spec declares and check out only declared repositories (<c>ci.owner</c> with
    /// <c>ci.repositories</c>, <see cref="PipelineGenerator.DeclaredRepositories"/>), and must install <c>ottkit</c> and
    /// check out OttKit's source exactly as the spec's <c>ci.tool</c> names them
    /// (<see cref="PipelineGenerator.ToolSource(EnvironmentSpec, PipelineSpec?)"/>, which the generator writes them from).
    /// </summary>
    /// <param name="spec">The valid spec the workflows were generated from.</param>
    /// <param name="workflows">The generated workflows (as the rehearsal reads them).</param>
    /// <param name="pipelines">The pipeline options they were generated with; null for the defaults.</param>
    /// <returns>Findings of kind <c>workflow</c>; empty when every source is the declared one.</returns>
    internal static List<RehearsalFinding> WorkflowSourceFindings(EnvironmentSpec spec, IReadOnlyList<WorkflowFile> workflows, PipelineSpec? pipelines = null)
    {
        var findings = new List<RehearsalFinding>();
        var declared = PipelineGenerator.DeclaredRepositories(spec, pipelines);
        var tool = PipelineGenerator.ToolSource(spec, pipelines);
        var declaredText = string.Join(", ", declared);
        var repositoryFix = spec.Ci is { } ci
            ? $"the CI roles trust exactly ci.owner '{ci.Owner}' with ci.repositories [{string.Join(", ", ci.Repositories)}]"
            : $"without a ci section the workflows belong in the repositories the pipeline options resolve to";
        var versionOrigin = spec.Ci?.Tool.Version is not null ? "ci.tool.version" : "the OttKit version that synthesized the workflows (ci.tool.version unset)";
        var expectedFeed = tool.Feed is { } named ? $"'{named}' (ci.tool.feed)" : "the public NuGet gallery (ci.tool.feed unset: no --add-source)";
        const string Regenerate = "regenerate the workflows with `ottkit synth` and copy them unchanged (a generated file that differs is an OttKit bug)";

        bool IsDeclared(string repository) => declared.Contains(repository, StringComparer.OrdinalIgnoreCase);

        foreach (var file in workflows)
        {
            var where = $"{file.Repository}/{file.Path}";
            if (!IsDeclared(file.Repository))
            {
                findings.Add(new("workflow", where,
                    $"the workflow lives in repository '{file.Repository}', which the spec does not declare (declared: {declaredText}); {repositoryFix}, so its jobs could never assume the CI roles. "
                    + $"Fix: put the workflow in a declared repository, or add '{file.Repository.Split('/')[^1]}' to ci.repositories (under ci.owner) if it is the environment's."));
            }

            var jobs = YamlJson.Parse(file.Content)?["jobs"] as JsonObject ?? [];
            var sourceCheckouts = 0;
            foreach (var (job, body) in jobs)
            {
                var installed = false;
                foreach (var step in (body?["steps"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var name = step["name"]?.GetValue<string>() ?? step["uses"]?.GetValue<string>() ?? "(unnamed)";
                    var subject = $"{where} job '{job}' step '{name}'";
                    if (step["uses"]?.GetValue<string>() is { } uses && uses.StartsWith("actions/checkout@", StringComparison.Ordinal))
                    {
                        var repository = step["with"]?["repository"]?.GetValue<string>();
                        var path = step["with"]?["path"]?.GetValue<string>();
                        if (string.Equals(path, tool.SourcePath, StringComparison.Ordinal) || string.Equals(repository, tool.SourceRepository, StringComparison.OrdinalIgnoreCase))
                        {
                            sourceCheckouts++;
                            if (!string.Equals(repository, tool.SourceRepository, StringComparison.OrdinalIgnoreCase))
                            {
                                findings.Add(new("workflow", subject,
                                    $"checks OttKit's source out from '{repository ?? "(the workflow's own repository)"}', expected '{tool.SourceRepository}': the backup image would be built from source no OttKit release publishes. Fix: {Regenerate}."));
                            }

                            var reference = step["with"]?["ref"]?.GetValue<string>();
                            if (!string.Equals(reference, tool.SourceRef, StringComparison.Ordinal))
                            {
                                findings.Add(new("workflow", subject,
                                    $"checks OttKit's source out at ref '{reference ?? "(the default branch)"}', expected '{tool.SourceRef}' (the release tag of {versionOrigin}, {tool.Version}): the backup image would run another library than the installed ottkit {tool.Version}. Fix: {Regenerate}."));
                            }
                        }
                        else if (repository is not null && !IsDeclared(repository))
                        {
                            findings.Add(new("workflow", subject,
                                $"checks out repository '{repository}', which the spec does not declare (declared: {declaredText}): no such repository of the environment exists, so the job fails at checkout. "
                                + $"Fix: {repositoryFix}; check out one of those (a repository of ci.owner), or {Regenerate}."));
                        }

                        continue;
                    }

                    var script = step["run"]?.GetValue<string>();
                    foreach (var install in ToolInstalls(script))
                    {
                        installed |= string.Equals(install.PackageId, tool.PackageId, StringComparison.OrdinalIgnoreCase);
                        var found = $"`{install.Line}`";
                        if (!string.Equals(install.PackageId, tool.PackageId, StringComparison.OrdinalIgnoreCase))
                        {
                            findings.Add(new("workflow", subject, $"installs package '{install.PackageId}' ({found}), expected '{tool.PackageId}', the package OttKit releases the ottkit tool as. Fix: {Regenerate}."));
                            continue;
                        }

                        if (!string.Equals(install.Version, tool.Version, StringComparison.Ordinal))
                        {
                            findings.Add(new("workflow", subject,
                                $"installs {tool.PackageId} version '{install.Version ?? "(none: the latest)"}' ({found}), expected '{tool.Version}' ({versionOrigin}). Fix: pin ci.tool.version to a released version and {Regenerate}."));
                        }

                        var expectedFeeds = tool.Feed is { } feed ? new[] { feed } : [];
                        if (!install.Feeds.SequenceEqual(expectedFeeds, StringComparer.Ordinal))
                        {
                            findings.Add(new("workflow", subject,
                                $"installs {tool.PackageId} from {(install.Feeds.Count == 0 ? "the public NuGet gallery (no --add-source)" : string.Join(", ", install.Feeds.Select(f => $"'{f}'")))} ({found}), "
                                + $"expected {expectedFeed}: nothing the spec names publishes the tool there. Fix: name the feed the release workflow publishes to in ci.tool.feed (or remove it for the public gallery) and {Regenerate}."));
                        }
                    }

                    if (!installed && OttKitCommands(script).Any())
                    {
                        findings.Add(new("workflow", subject,
                            $"runs ottkit, but no step of the job installs {tool.PackageId} {tool.Version} before it: the command is not found on a fresh runner. Fix: {Regenerate}."));
                    }
                }
            }

            if (file.Kind == WorkflowKind.BackupImage && sourceCheckouts == 0)
            {
                findings.Add(new("workflow", where,
                    $"builds the backup image from '{tool.SourcePath}' but no step checks OttKit's source out there (expected actions/checkout of '{tool.SourceRepository}' at '{tool.SourceRef}'). Fix: {Regenerate}."));
            }
        }

        return findings;
    }

    /// <summary>The <c>dotnet tool install</c>/<c>update</c> command lines of a step's script, parsed.</summary>
    private static IEnumerable<ToolInstall> ToolInstalls(string? script)
    {
        if (script is null)
        {
            yield break;
        }

        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()))
        {
            var words = Words().Matches(line).Select(m => m.Value.Trim('\'', '"')).ToList();
            var at = words.FindIndex(w => w == "tool");
            if (at < 1 || words[at - 1] != "dotnet" || at + 1 >= words.Count || words[at + 1] is not ("install" or "update"))
            {
                continue;
            }

            string? package = null;
            string? version = null;
            var feeds = new List<string>();
            for (var i = at + 2; i < words.Count; i++)
            {
                var (option, value) = words[i].Split('=', 2) is [var o, var v] && o.StartsWith('-') ? (o, (string?)v) : (words[i], null);
                if (ToolOptionsWithValue.Contains(option))
                {
                    value ??= i + 1 < words.Count ? words[++i] : null;
                    switch (option)
                    {
                        case "--version":
                            version = value;
                            break;
                        case "--add-source" or "--configfile" when value is not null:
                            feeds.Add(value);
                            break;
                    }
                }
                else if (!option.StartsWith('-'))
                {
                    package ??= option;
                }
            }

            yield return new ToolInstall(line, package ?? "(none)", version, feeds);
        }
    }

    private sealed record ToolInstall(string Line, string PackageId, string? Version, IReadOnlyList<string> Feeds);
}
