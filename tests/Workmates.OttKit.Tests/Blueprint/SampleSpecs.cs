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

    public static EnvironmentSpec ByName(string name) => name == "blacksheep" ? Blacksheep() : Owl270();
}
