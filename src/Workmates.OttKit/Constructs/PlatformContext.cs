using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// Transitional: the <see cref="PlatformNaming"/> plus the whole <see cref="EnvironmentSpec"/>, for the builders not yet
/// given their own props (the allow-list of <c>ConstructSpecIsolationTests</c>). A converted builder takes the naming,
/// its props record and the handles it uses instead; when the allow-list is empty this class goes.
/// </summary>
internal sealed class PlatformContext(EnvironmentSpec spec) : PlatformNaming(spec.Name, spec.Tags)
{
    /// <summary>The whole validated environment (only for builders that still read it).</summary>
    public EnvironmentSpec Spec { get; } = spec;
}
