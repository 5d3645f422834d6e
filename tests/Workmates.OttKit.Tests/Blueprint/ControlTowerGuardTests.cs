using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Tests.Infrastructure;
using Workmates.OttKit.Tests.Rehearsal;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>
/// AWS Control Tower's proactive controls — the cfn-guard rules and the <c>cfn-guard</c> 3.1.1 binary shipped in npm
/// <c>@cdklabs/cdk-validator-cfnguard</c> 0.0.62 (tests/tools) — over every template of both samples and the scaffold.
/// A failing rule passes only where the failing resource carries <c>Metadata: guard: SuppressedRules: [rule]</c>, and
/// every suppressed rule has its reason in docs/security-controls.md. Control Tower evaluates these rules as
/// CloudFormation hooks on resolved properties, so each <c>Fn::ImportValue</c> and each <c>Ref</c> to a stack parameter
/// is first replaced by a string standing for the value (the rules accept a literal ARN or a <c>Ref</c> to a resource of
/// the same template, never an import or a parameter).
/// </summary>
public sealed partial class ControlTowerGuardTests
{
    private const string Package = "@cdklabs/cdk-validator-cfnguard";

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task Every_applicable_control_tower_rule_passes_or_is_suppressed_with_a_documented_reason(string environment)
    {
        var (guard, rulesDirectory) = RequireGuard();
        var ct = TestContext.Current.CancellationToken;
        var set = SampleSpecs.ByName(environment).Synthesize();
        using var folder = new TempFolder();
        var templates = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var stack in set.Stacks)
        {
            var json = stack.Template.ToJsonNode();
            ResolveAsAHook(json, json, (json["Parameters"] as JsonObject)?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? []);
            templates[stack.Name] = json;
            await File.WriteAllTextAsync(Path.Combine(folder.Path, stack.Name + ".json"), json.ToJsonString(), ct);
        }

        var rules = RuleFiles(rulesDirectory, templates.Values);
        var report = await RunGuardAsync(guard, rules, folder.Path, ct);
        var result = Evaluate(report, templates);

        var line = $"{environment}: control tower rules applicable {result.Applicable.Count}, passed {result.Passed.Count}, "
            + $"suppressed {result.Suppressed.Count} ({string.Join(", ", result.Suppressed.Order(StringComparer.Ordinal))}), "
            + $"failed {result.Failed.Count} ({string.Join(", ", result.Failed.Keys.Order(StringComparer.Ordinal))})";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        RehearsalSummary.WriteTo("OTTKIT_GUARD_SUMMARY_DIR", environment, line);

        var undocumented = result.SuppressionsUsed.Where(rule => !DocumentedSuppressions().Contains(rule)).Order(StringComparer.Ordinal).ToArray();
        Assert.True(undocumented.Length == 0,
            $"Suppressed without a reason in docs/security-controls.md (table 'Control Tower proactive controls'): {string.Join(", ", undocumented)}");
        Assert.True(result.Applicable.Count >= 30, $"only {result.Applicable.Count} rules applied: is the rules folder complete?\n{line}");
        var failed = result.Failed.OrderBy(f => f.Key, StringComparer.Ordinal).ToArray();
        Assert.True(failed.Length == 0,
            $"{line}\nUnsuppressed failures (rule: resources):\n"
            + string.Join("\n", failed.Select(f => $"  {f.Key} ({f.Value.Count}): {string.Join(", ", f.Value.Order(StringComparer.Ordinal))}")));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task A_resource_that_breaks_a_rule_fails_the_run_unless_it_carries_the_suppression()
    {
        var (guard, rulesDirectory) = RequireGuard();
        var ct = TestContext.Current.CancellationToken;
        var template = JsonNode.Parse("""
            {"Resources":{"Group":{"Type":"AWS::Logs::LogGroup","Properties":{"RetentionInDays":30}}}}
            """)!.AsObject();
        var templates = new Dictionary<string, JsonObject>(StringComparer.Ordinal) { ["probe"] = template };
        var rule = Path.Combine(rulesDirectory, "cloudwatch", "ct-cloudwatch-pr-3.guard");

        using var folder = new TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "probe.json"), template.ToJsonString(), ct);
        var failing = Evaluate(await RunGuardAsync(guard, [rule], folder.Path, ct), templates);
        Assert.Equal(["cloudwatch_log_group_encrypted_check"], failing.Failed.Keys);
        Assert.Equal(["probe/Group"], failing.Failed["cloudwatch_log_group_encrypted_check"]);

        template["Resources"]!["Group"]!["Metadata"] = JsonNode.Parse("""{"guard":{"SuppressedRules":["cloudwatch_log_group_encrypted_check"]}}""");
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "probe.json"), template.ToJsonString(), ct);
        var suppressed = Evaluate(await RunGuardAsync(guard, [rule], folder.Path, ct), templates);
        Assert.Empty(suppressed.Failed);
        Assert.Equal(["cloudwatch_log_group_encrypted_check"], suppressed.Suppressed);
    }

    private sealed record GuardResult(
        IReadOnlySet<string> Applicable,
        IReadOnlySet<string> Passed,
        IReadOnlySet<string> Suppressed,
        IReadOnlyDictionary<string, List<string>> Failed,
        IReadOnlySet<string> SuppressionsUsed);

    /// <summary>Per rule: passed (no failing resource), suppressed (every failing resource suppresses it) or failed.</summary>
    private static GuardResult Evaluate(JsonArray report, IReadOnlyDictionary<string, JsonObject> templates)
    {
        var applicable = new HashSet<string>(StringComparer.Ordinal);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        var failed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in report)
        {
            var stack = Path.GetFileNameWithoutExtension(file!["name"]!.GetValue<string>());
            var template = templates[stack];
            foreach (var name in file["compliant"]!.AsArray())
            {
                applicable.Add(name!.GetValue<string>());
            }

            foreach (var entry in file["not_compliant"]!.AsArray())
            {
                var rule = entry!["Rule"]!["name"]!.GetValue<string>();
                applicable.Add(rule);
                failing.Add(rule);
                var resources = new SortedSet<string>(StringComparer.Ordinal);
                CollectResources(entry, resources);
                if (resources.Count == 0)
                {
                    resources.Add("<no resource named>");
                }

                foreach (var resource in resources)
                {
                    if (Suppresses(template, resource, rule))
                    {
                        used.Add(rule);
                        continue;
                    }

                    if (!failed.TryGetValue(rule, out var list))
                    {
                        failed[rule] = list = [];
                    }

                    list.Add($"{stack}/{resource}");
                }
            }
        }

        var passed = applicable.Where(r => !failing.Contains(r)).ToHashSet(StringComparer.Ordinal);
        var suppressed = failing.Where(r => !failed.ContainsKey(r)).ToHashSet(StringComparer.Ordinal);
        return new(applicable, passed, suppressed, failed, used);
    }

    private static bool Suppresses(JsonObject template, string resource, string rule) =>
        template["Resources"]?[resource]?["Metadata"]?["guard"]?["SuppressedRules"] is JsonArray list
        && list.Any(r => r is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, rule, StringComparison.Ordinal));

    /// <summary>The logical ids of the resources a failing rule points at: every <c>/Resources/&lt;id&gt;</c> path in its checks.</summary>
    private static void CollectResources(JsonNode? node, ISet<string> resources)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "path" && value is JsonValue v && v.TryGetValue<string>(out var path) && ResourcePath().Match(path) is { Success: true } m)
                    {
                        resources.Add(m.Groups[1].Value);
                    }
                    else
                    {
                        CollectResources(value, resources);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CollectResources(item, resources);
                }

                break;
        }
    }

    /// <summary>
    /// Replaces every <c>{"Fn::ImportValue": "name"}</c> with the string <c>imported:name</c> and every <c>{"Ref": P}</c>
    /// to a parameter with <c>parameter:P</c>, as a hook sees the resolved values.
    /// </summary>
    private static void ResolveAsAHook(JsonNode node, JsonObject template, IReadOnlySet<string> parameters)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToArray())
                {
                    if (Resolved(o[key], parameters) is { } value)
                    {
                        o[key] = value;
                    }
                    else if (o[key] is { } child && !ReferenceEquals(child, template["Parameters"]))
                    {
                        ResolveAsAHook(child, template, parameters);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (Resolved(a[i], parameters) is { } value)
                    {
                        a[i] = value;
                    }
                    else if (a[i] is { } child)
                    {
                        ResolveAsAHook(child, template, parameters);
                    }
                }

                break;
        }
    }

    private static string? Resolved(JsonNode? node, IReadOnlySet<string> parameters) => node switch
    {
        JsonObject { Count: 1 } o when o["Fn::ImportValue"] is JsonValue v && v.TryGetValue<string>(out var export) => "imported:" + export,
        JsonObject { Count: 1 } o when o["Ref"] is JsonValue v && v.TryGetValue<string>(out var name) && parameters.Contains(name) => "parameter:" + name,
        _ => null,
    };

    /// <summary>
    /// The rule files that can apply: each names the resource types it checks, and a file whose types none of the
    /// templates has would only report "skip" (leaving them out keeps the run short on a busy machine).
    /// </summary>
    private static string[] RuleFiles(string rulesDirectory, IEnumerable<JsonObject> templates)
    {
        var types = templates.SelectMany(t => t["Resources"]!.AsObject().Select(r => r.Value!["Type"]!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(rulesDirectory, "*.guard", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 100, $"only {files.Length} rule files under {rulesDirectory}");
        return [.. files.Where(f =>
        {
            var named = ResourceType().Matches(File.ReadAllText(f)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
            return named.Count == 0 || named.Overlaps(types);
        })];
    }

    private static async Task<JsonArray> RunGuardAsync(string guard, IReadOnlyList<string> rules, string data, CancellationToken ct)
    {
        var info = new ProcessStartInfo(guard) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("validate");
        foreach (var rule in rules)
        {
            info.ArgumentList.Add("--rules");
            info.ArgumentList.Add(rule);
        }

        foreach (var argument in new[] { "--data", data, "--output-format", "json", "--structured", "--show-summary", "none" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var output = await stdout;
            // 0: every rule passed or skipped; 19: some rule failed. Anything else is an error of the run itself.
            Assert.True(process.ExitCode is 0 or 19, $"cfn-guard exit code {process.ExitCode}: {await stderr}");
            return JsonNode.Parse(output)!.AsArray();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Rules named in the first column of the "Control Tower proactive controls" table of docs/security-controls.md.</summary>
    private static HashSet<string> DocumentedSuppressions()
    {
        var doc = File.ReadAllText(Path.Combine(SampleSpecs.RepositoryRoot, "docs", "security-controls.md"));
        var start = doc.IndexOf("## Control Tower proactive controls", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/security-controls.md has no '## Control Tower proactive controls' section");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? doc[start..] : doc[start..end];
        return [.. section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => DocumentedRule().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))];
    }

    private static (string Guard, string Rules) RequireGuard()
    {
        var root = Path.Combine(RepositoryPaths.NodeTools, "@cdklabs", "cdk-validator-cfnguard");
        var os = OperatingSystem.IsMacOS() ? "macos" : "ubuntu";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        var guard = Path.Combine(root, "bin", os, arch, "cfn-guard");
        var rules = Path.Combine(root, "rules", "control-tower", "cfn-guard");
        if (File.Exists(guard) && Directory.Exists(rules))
        {
            return (guard, rules);
        }

        var message = $"cfn-guard not found at '{guard}' (npm {Package} 0.0.62). Run 'cd tests/tools && npm ci'.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return (guard, rules);
    }

    [GeneratedRegex(@"^/Resources/([^/]+)")]
    private static partial Regex ResourcePath();

    [GeneratedRegex(@"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")]
    private static partial Regex ResourceType();

    [GeneratedRegex("`([a-z0-9_]+)`")]
    private static partial Regex DocumentedRule();

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ottkit-guard-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
