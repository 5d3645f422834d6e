using System.Text;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>
/// Approved-file snapshots of both samples: every template (YAML) and the manifest, compared as text with the files
/// under <c>Blueprint/Approved/&lt;sample&gt;/</c>. A difference fails with the first differing line. To accept a
/// deliberate change, run the tests with <c>OTTKIT_APPROVE=1</c>: the files are rewritten, then review the diff in git.
/// </summary>
public sealed class ApprovedTemplateTests
{
    private static string ApprovedFolder(string sample) =>
        Path.Combine(SampleSpecs.RepositoryRoot, "tests", "Workmates.OttKit.Tests", "Blueprint", "Approved", sample);

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public async Task Sample_TemplatesAndManifest_MatchTheApprovedFiles(string sample)
    {
        var set = SampleSpecs.ByName(sample).Synthesize();
        var received = set.Stacks.ToDictionary(s => s.Name + ".yaml", s => s.Template.ToYaml(), StringComparer.Ordinal);
        received["manifest.json"] = set.ToManifestJson();
        var folder = ApprovedFolder(sample);

        if (Environment.GetEnvironmentVariable("OTTKIT_APPROVE") == "1")
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            await set.WriteToAsync(folder, TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine($"approved {received.Count} files in {folder}");
            return;
        }

        var failures = new List<string>();
        var approvedFiles = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal) : [];
        foreach (var (file, text) in received.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!approvedFiles.Remove(file))
            {
                failures.Add($"{file}: no approved file");
                continue;
            }

            var approved = File.ReadAllText(Path.Combine(folder, file), Encoding.UTF8);
            if (!string.Equals(approved, text, StringComparison.Ordinal))
            {
                failures.Add($"{file}: {FirstDifference(approved, text)}");
            }
        }

        failures.AddRange(approvedFiles.Order(StringComparer.Ordinal).Select(f => $"{f}: approved but no longer synthesized"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {received.Count} files compared, {failures.Count} differ");
        Assert.True(failures.Count == 0, $"{string.Join("\n", failures)}\nIf the change is intended, re-run with OTTKIT_APPROVE=1 and review the diff.");
    }

    private static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, r.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < r.Length ? r[i] : "<end>";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"line {i + 1}: approved '{left}', received '{right}'";
            }
        }

        return "same lines, different line endings";
    }
}
