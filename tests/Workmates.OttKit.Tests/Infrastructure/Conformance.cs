using System.Reflection;

namespace Workmates.OttKit.Tests.Infrastructure;

/// <summary>
/// Locates the conformance data beside the repository (<c>../shared/conformance</c>), overridable with
/// <c>OTTKIT_CONFORMANCE_DIR</c>. The data is never copied into the repository. When it is missing the test
/// fails under <c>CI=true</c> and is reported as skipped elsewhere, never as a silent pass.
/// </summary>
internal static class Conformance
{
    public static string Root => Require(string.Empty);

    /// <summary>Returns the full path of a folder or file under the conformance root, or fails/skips when absent.</summary>
    public static string Require(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(ConfiguredRoot, relativePath));
        if (Directory.Exists(path) || File.Exists(path))
        {
            return path;
        }

        var message = $"Conformance data not found at '{path}'. Set OTTKIT_CONFORMANCE_DIR to the shared/conformance folder.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return path;
    }

    /// <summary>Lists files under a conformance folder for data-driven theories; empty when the data is absent.</summary>
    public static IEnumerable<string> Files(string relativeFolder, string searchPattern)
    {
        var folder = Path.Combine(ConfiguredRoot, relativeFolder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, searchPattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];
    }

    /// <summary><c>OTTKIT_CONFORMANCE_DIR</c>, else the folder recorded at build time (<c>../shared/conformance</c>).</summary>
    private static string ConfiguredRoot
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("OTTKIT_CONFORMANCE_DIR");
            return string.IsNullOrWhiteSpace(root) ? AssemblyMetadata("OttKitConformanceDir") ?? string.Empty : root;
        }
    }

    internal static string? AssemblyMetadata(string key) =>
        typeof(Conformance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value;
}

/// <summary>Paths inside the repository checkout.</summary>
internal static class RepositoryPaths
{
    public static string Root =>
        Environment.GetEnvironmentVariable("OTTKIT_REPOSITORY_ROOT")
        ?? Conformance.AssemblyMetadata("OttKitRepositoryRoot")
        ?? throw new InvalidOperationException("Repository root unknown.");

    /// <summary>The node_modules folder of tests/tools, installed by test.sh.</summary>
    public static string NodeTools =>
        Environment.GetEnvironmentVariable("OTTKIT_TOOLS_DIR") ?? Path.Combine(Root, "tests", "tools", "node_modules");
}
