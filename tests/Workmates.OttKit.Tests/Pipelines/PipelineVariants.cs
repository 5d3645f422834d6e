using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Pipelines;

/// <summary>Every generation variant the tests cover: both samples × both deploy modes × both pinning modes, plus the PR-comment option.</summary>
internal static class PipelineVariants
{
    public static IEnumerable<(string Label, EnvironmentSpec Environment, PipelineSpec Options)> All()
    {
        foreach (var name in new[] { "blacksheep", "owl270" })
        {
            var environment = SampleSpecs.ByName(name);
            foreach (var mode in Enum.GetValues<ServiceDeployMode>())
            {
                foreach (var pinning in Enum.GetValues<ActionPinning>())
                {
                    yield return ($"{name}/{mode}/{pinning}", environment, new PipelineSpec { DeployMode = mode, ActionPinning = pinning });
                }
            }

            // The tool version comes from the spec's ci section (ci.tool.version), the one place CI is configured.
            var pinned = environment with { Ci = environment.Ci! with { Tool = new CiToolSpec { Version = "1.2.3" } } };
            yield return ($"{name}/pr-comment", pinned, new PipelineSpec { CommentPlanOnPullRequest = true });
        }
    }

    /// <summary>Every generated file of every variant, labelled <c>variant:path</c>.</summary>
    public static IEnumerable<(string Label, WorkflowFile File)> Files() =>
        All().SelectMany(v => PipelineGenerator.Generate(v.Environment, v.Options).Select(f => ($"{v.Label}:{f.Repository}/{f.Path}", f)));
}
