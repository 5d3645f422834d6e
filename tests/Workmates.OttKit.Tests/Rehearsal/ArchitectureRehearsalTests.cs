using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// Every task runs on its hosts' CPU architecture and every image is built for it (issue 13), judged from the
/// synthesized templates and the generated workflows, with the instance family decided independently of the
/// blueprint's own table: Graviton families carry a <c>g</c> after the generation (<c>m7g</c>, <c>c6gn</c>,
/// <c>r8gd</c>, <c>t4g</c>, <c>im4gn</c>, <c>is4gen</c>) or are <c>a1</c>; every other family is x86_64.
/// </summary>
public sealed partial class ArchitectureRehearsalTests
{
    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void Every_task_definition_and_service_image_matches_the_architecture_of_its_cluster_hosts(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var cluster = set[$"{spec.Name}-cluster"].Template;
        var group = cluster.Resources.Values.Single(r => r.Type == "AWS::AutoScaling::AutoScalingGroup");
        var overrides = (CfnList)((CfnObject)((CfnObject)group.Properties["MixedInstancesPolicy"])["LaunchTemplate"])["Overrides"];
        var hostTypes = overrides.Cast<CfnObject>().Select(o => Text(o["InstanceType"])).ToList();
        var architectures = hostTypes.Select(Family).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ami = cluster.Parameters["EcsAmiId"].Default!;

        var definitions = set.Stacks.SelectMany(s => s.Template.Resources.Values.Where(r => r.Type == "AWS::ECS::TaskDefinition").Select(r => (s.Name, r.LogicalId, r.Properties))).ToList();
        // The service workflows and the backup image workflow (the backup task's <env>/ottkit-backup image).
        var platforms = PipelineGenerator.Generate(spec).Where(w => w.Kind is WorkflowKind.ServiceDeploy or WorkflowKind.BackupImage)
            .Select(w => (w.Path, Build: ((JsonArray)YamlJson.Parse(w.Content)!["jobs"]![w.Kind == WorkflowKind.ServiceDeploy ? "build-and-deploy" : "build-and-push"]!["steps"]!).Single(s => s?["id"]?.GetValue<string>() == "image")!))
            .ToList();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"architecture {sample}: hosts {string.Join(", ", hostTypes)} → {string.Join("+", architectures)}; {definitions.Count} task definitions; "
            + $"{platforms.Count} image workflows build {string.Join(", ", platforms.Select(p => p.Build["env"]!["PLATFORMS"]!.GetValue<string>()).Distinct(StringComparer.Ordinal))}");
        // The validator keeps a cluster to one architecture (a mixed one would need multi-arch images and two AMIs).
        var architecture = Assert.Single(architectures);
        Assert.Equal(architecture == "ARM64", ami.Contains("/arm64/", StringComparison.Ordinal));
        Assert.NotEmpty(definitions);
        Assert.All(definitions, d => Assert.True(
            d.Properties.TryGetValue("RuntimePlatform", out var platform) && Text(((CfnObject)platform)["CpuArchitecture"]) == architecture,
            $"{d.Name}/{d.LogicalId} declares no {architecture} runtime platform"));
        Assert.Equal(spec.Services.Count + (spec.Database is null ? 0 : 1), platforms.Count);
        var expected = string.Join(',', architectures.Select(a => a == "ARM64" ? "linux/arm64" : "linux/amd64"));
        Assert.All(platforms, p => Assert.Equal(expected, p.Build["env"]!["PLATFORMS"]!.GetValue<string>()));
        Assert.All(platforms, p => Assert.Contains("docker buildx build --platform \"$PLATFORMS\"", p.Build["run"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_VPN_host_and_the_MongoDB_members_boot_an_image_of_their_own_architecture(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var hosts = new List<(string Stack, string Parameter, string Type)> { ($"{spec.Name}-database", "MongoAmiId", spec.Database!.InstanceType) };
        if (spec.AdminAccess is { } admin)
        {
            hosts.Add(($"{spec.Name}-admin-access", "VpnAmiId", admin.InstanceType));
        }

        foreach (var (stack, parameter, type) in hosts)
        {
            var path = set[stack].Template.Parameters[parameter].Default!;
            Assert.True(Family(type) == "ARM64" ? path.Contains("arm64", StringComparison.Ordinal) : !path.Contains("arm64", StringComparison.Ordinal), $"{stack} {parameter} '{path}' does not boot a {Family(type)} image for {type}");
        }
    }

    [Fact]
    public void A_cluster_mixing_architectures_is_refused_before_synthesis()
    {
        var spec = SampleSpecs.Owl270() with { Cluster = SampleSpecs.Owl270().Cluster with { InstanceTypes = ["m7g.large", "m6i.large"] } };

        var problems = spec.Validate();

        Assert.Contains(problems, p => p.Path.StartsWith("cluster.instanceTypes", StringComparison.Ordinal));
    }

    private static string Family(string instanceType)
    {
        var family = instanceType.Split('.')[0];
        return family == "a1" || Graviton().IsMatch(family) ? "ARM64" : "X86_64";
    }

    private static string Text(CfnNode node) => ((CfnScalar)node).Text!;

    [GeneratedRegex("^[a-z]+[0-9]+[a-z]*g[a-z]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Graviton();
}
