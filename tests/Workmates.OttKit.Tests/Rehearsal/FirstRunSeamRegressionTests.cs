using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The seams of an environment's first run that the infrastructure rehearsal found (docs/rehearsal.md): no workflow
/// built the backup task's image, and no run could create a stack whose image did not exist yet. Each test fails on the
/// workflows and roles synthesized before the fix.
/// </summary>
public sealed class FirstRunSeamRegressionTests
{
    private static JsonObject Parse(WorkflowFile file) => YamlJson.Parse(file.Content)!.AsObject();

    private static IEnumerable<JsonObject> Steps(JsonObject workflow, string job) =>
        workflow["jobs"]![job]!["steps"]!.AsArray().Select(s => s!.AsObject());

    private static CfnObject[] Statements(Resource role) =>
        [.. ((CfnList)((CfnObject)((CfnObject)((CfnList)role.Properties["Policies"])[0])["PolicyDocument"])["Statement"]).Cast<CfnObject>()];

    private static string[] List(CfnNode? node) => node switch
    {
        CfnList list => [.. list.Select(n => n is CfnScalar s ? s.Text! : n.ToString()!)],
        CfnScalar scalar => [scalar.Text!],
        null => [],
        _ => [node.ToString()!],
    };

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_backup_image_is_built_for_the_clusters_platform_and_pushed_to_its_repository_as_the_deploy_role(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var file = Assert.Single(PipelineGenerator.Generate(spec), w => w.Kind == WorkflowKind.BackupImage);
        var workflow = Parse(file);
        var steps = Steps(workflow, "build-and-push").ToList();

        // In the environment repository, beside the spec and the infrastructure workflow.
        Assert.Equal($".github/workflows/backup-image-{spec.Name}.yml", file.Path);
        Assert.Equal(PipelineGenerator.InfrastructureWorkflow(spec).Repository, file.Repository);
        Assert.EndsWith($":role/{spec.Name}-ci-deploy", Assert.Single(steps, s => s["with"]?["role-to-assume"] is not null)["with"]!["role-to-assume"]!.GetValue<string>(), StringComparison.Ordinal);

        // The image the database-backup task definition names, for the cluster's CPU architecture (OWL270: Graviton).
        var build = Assert.Single(steps, s => s["id"]?.GetValue<string>() == "image");
        Assert.Equal($"{spec.Name}/ottkit-backup", build["env"]!["REPOSITORY"]!.GetValue<string>());
        var arm = spec.Cluster.InstanceTypes.All(t => InstanceTypes.TryGet(t, out var info) && info.Architecture == CpuArchitecture.Arm64);
        Assert.Equal(arm ? "linux/arm64" : "linux/amd64", build["env"]!["PLATFORMS"]!.GetValue<string>());
        Assert.Contains("docker buildx build --platform \"$PLATFORMS\" --file ottkit-source/samples/BackupTask/Dockerfile", build["run"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(arm, steps.Any(s => s["uses"]?.GetValue<string>().StartsWith("docker/setup-qemu-action@", StringComparison.Ordinal) == true));
        // Both scheduled tasks of the stack (the backup and the health check) run that image.
        var tasks = spec.Synthesize()[$"{spec.Name}-database-backup"].Template.Resources.Values.Where(r => r.Type == "AWS::ECS::TaskDefinition").ToList();
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, task => Assert.Contains("OttkitBackupRepositoryUri", ((CfnObject)((CfnList)task.Properties["ContainerDefinitions"])[0])["Image"].ToString(), StringComparison.Ordinal));

        // The build context: OttKit's source at the tag of the version the workflows install.
        var source = Assert.Single(steps, s => s["with"]?["path"]?.GetValue<string>() == "ottkit-source");
        Assert.Equal(PipelineGenerator.SourceRepository, source["with"]!["repository"]!.GetValue<string>());
        Assert.Equal($"v{build["env"]!["TAG"]!.GetValue<string>()}", source["with"]!["ref"]!.GetValue<string>());

        // The deploy role may push exactly there: the declared push actions on the environment's repositories,
        // the backup task's included.
        var role = spec.Synthesize()[$"{spec.Name}-ci"].Template.Resources["DeployRole"];
        var push = Assert.Single(Statements(role), s => (s["Sid"] as CfnScalar)?.Text == "PushOwnImages");
        Assert.Equal(
            PipelineGenerator.ImagePushPermissions.Where(p => p.Scope == PermissionScope.EcrRepository).Select(p => p.Action).Order(StringComparer.Ordinal),
            List(push["Action"]).Order(StringComparer.Ordinal));
        Assert.Contains(List(push["Resource"]), r => r.Contains($"{spec.Name}:repositories:OttkitBackupRepositoryArn", StringComparison.Ordinal));
        Assert.Equal(spec.Services.Count + 1, List(push["Resource"]).Length);
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void Every_stack_that_runs_an_image_is_created_by_the_first_run_of_the_workflow_that_pushes_that_image(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var workflows = PipelineGenerator.Generate(spec);
        var imageStacks = spec.Synthesize().Stacks.Where(s => s.Parameters.Any(p => p.Name == StackDeployer.ImageTagParameter)).Select(s => s.Name).ToList();
        Assert.Equal(spec.Services.Count + 1, imageStacks.Count);

        var creators = new List<string>();
        foreach (var file in workflows.Where(w => w.Kind is WorkflowKind.ServiceDeploy or WorkflowKind.BackupImage))
        {
            var job = file.Kind == WorkflowKind.ServiceDeploy ? "build-and-deploy" : "build-and-push";
            var steps = Steps(Parse(file), job).ToList();
            var create = Assert.Single(steps, s => s["run"]?.GetValue<string>().Contains("--create-only", StringComparison.Ordinal) == true)["run"]!.GetValue<string>();
            var words = create.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var stack = words[Array.IndexOf(words, "--stack") + 1];
            creators.Add(stack);
            Assert.StartsWith("ottkit deploy stacks ", create, StringComparison.Ordinal);
            Assert.Contains($"--image-tag {stack}=", create, StringComparison.Ordinal);
            Assert.Contains($":role/{spec.Name}-cloudformation", create, StringComparison.Ordinal);
            // After the image is pushed (its tag is what the new stack runs), with the artifacts bucket found.
            Assert.True(steps.FindIndex(s => s["id"]?.GetValue<string>() == "image") < steps.FindIndex(s => s["run"]?.GetValue<string>() == create));
            Assert.True(steps.FindIndex(s => s["name"]?.GetValue<string>() == "Find the artifacts bucket") < steps.FindIndex(s => s["run"]?.GetValue<string>() == create));
        }

        Assert.Equal(imageStacks.Order(StringComparer.Ordinal), creators.Order(StringComparer.Ordinal));
        // The infrastructure workflow needs no hand-supplied image tag: it defers those stacks instead.
        Assert.DoesNotContain("--image-tag", workflows.Single(w => w.Kind == WorkflowKind.Infrastructure).Content, StringComparison.Ordinal);
    }
}
