using System.Text.RegularExpressions;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// No construct reads the whole spec (issue 17): only the composition root (<c>PlatformGraph</c>) and the props mapper
/// (<c>ConstructProps</c>) may name <c>EnvironmentSpec</c>, <c>ctx.Spec</c> or <c>PlatformContext</c> (the former
/// carrier of the spec, deleted when the last builder got its own props; the name stays in the scan so it cannot
/// come back). Every other builder takes <c>(PlatformNaming, StackScope, XProps, handles…)</c>.
/// </summary>
public sealed partial class ConstructSpecIsolationTests
{
    /// <summary>The composition root and the one mapping from the spec to each construct's props.</summary>
    private static readonly string[] CompositionRoot = ["PlatformGraph.cs", "ConstructProps.cs"];

    private static string ConstructsFolder => Path.Combine(RepositoryPaths.Root, "src", "Workmates.OttKit", "Constructs");

    [GeneratedRegex(@"\bEnvironmentSpec\b|\bctx\.Spec\b|\bPlatformContext\b")]
    private static partial Regex SpecReach();

    private static IEnumerable<string> FilesReachingTheSpec() =>
        Directory.EnumerateFiles(ConstructsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => SpecReach().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(ConstructsFolder, f).Replace('\\', '/'));

    [Fact]
    public void No_construct_outside_the_composition_root_reaches_the_spec()
    {
        var offenders = FilesReachingTheSpec().Except(CompositionRoot).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            offenders.Count == 0,
            $"These construct files name EnvironmentSpec, ctx.Spec or PlatformContext: {string.Join(", ", offenders)}. "
            + "Give the builder its own props record, mapped in ConstructProps, and take PlatformNaming instead.");
        Assert.All(CompositionRoot, f => Assert.Contains(f, FilesReachingTheSpec()));
    }

    [Fact]
    public void The_scan_sees_a_spec_reach()
    {
        // The pattern itself: a builder naming the spec is caught, the spec-free naming is not.
        Assert.Matches(SpecReach(), "var database = ctx.Spec.Database;");
        Assert.Matches(SpecReach(), "public static Foo Build(PlatformContext ctx, StackScope scope)");
        Assert.DoesNotMatch(SpecReach(), "public static Foo Build(PlatformNaming naming, StackScope scope, FooProps props)");
        Assert.Contains("NetworkBuilder.cs", Directory.EnumerateFiles(ConstructsFolder).Select(Path.GetFileName));
    }
}
