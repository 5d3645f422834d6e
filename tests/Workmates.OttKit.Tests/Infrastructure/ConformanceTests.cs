namespace Workmates.OttKit.Tests.Infrastructure;

public sealed class ConformanceTests
{
    [Fact]
    public void Conformance_root_holds_every_suite_the_tests_read()
    {
        var root = Conformance.Root;

        foreach (var suite in new[] { "aws-models", "cloudformation-schemas", "github-workflow", "mongodb" })
        {
            Assert.True(Directory.Exists(Path.Combine(root, suite)), $"missing conformance suite '{suite}' under {root}");
        }
    }

    [Fact]
    public void Conformance_data_is_not_copied_into_the_repository()
    {
        var copies = Directory.EnumerateFiles(RepositoryPaths.Root, "*.json", SearchOption.AllDirectories)
            .Where(p => !p.Contains("node_modules", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p).StartsWith("aws-", StringComparison.Ordinal) || Path.GetFileName(p) == "service-2.json");

        Assert.Empty(copies);
    }
}
