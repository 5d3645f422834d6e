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
        // The three scheduled tasks of the stack (the backup, the health check and the database patching) run that image.
        var tasks = spec.Synthesize()[$"{spec.Name}-database-backup"].Template.Resources.Values.Where(r => r.Type == "AWS::ECS::TaskDefinition").ToList();
        Assert.Equal(3, tasks.Count);
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
        Assert.Contains(List(push["Resource"]), r => r.Contains($":repository/{spec.Name}/ottkit-backup", StringComparison.Ordinal));
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

    /// <summary>
    /// Seam: the artifacts bucket lived in the backups stack that the first infrastructure run itself creates, so that
    /// run found it only through a repository variable. Now the bootstrap stack (deployed first, by an administrator,
    /// with the ci stack) holds it; the ci stack imports from the bootstrap stack alone; the roles' artifact scopes
    /// name the bootstrap stack's bucket and key; no workflow reads the bucket from the backups stack.
    /// </summary>
    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void The_artifacts_bucket_exists_before_the_first_workflow_run_in_the_stacks_the_administrator_bootstraps(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var env = spec.Name;

        // The bootstrap stack: first, importing nothing, small enough for a TemplateBody, holding the bucket and its key.
        var bootstrap = set[set.BootstrapStackName];
        Assert.Equal($"{env}-bootstrap", bootstrap.Name);
        Assert.Same(bootstrap, set.Stacks[0]);
        Assert.Empty(bootstrap.Imports);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(bootstrap.Template.ToYaml()) <= StackDeployer.TemplateBodyLimit);
        Assert.Equal("AWS::S3::Bucket", bootstrap.Template.Resources["ArtifactsBucket"].Type);
        Assert.Equal("AWS::KMS::Key", bootstrap.Template.Resources["ArtifactsKey"].Type);
        Assert.Contains(StackDeployer.ArtifactsBucketOutput, bootstrap.Template.Outputs.Keys);
        Assert.DoesNotContain("ArtifactsBucket", set[$"{env}-backups"].Template.Resources.Keys);

        // The ci stack depends on the bootstrap stack alone: the administrator deploys the two, nothing else first.
        var ci = set[$"{env}-ci"];
        Assert.Equal([bootstrap.Name], ci.DependsOn);

        // The roles' artifact grants name the bootstrap stack's bucket and key.
        foreach (var role in new[] { "DeployRole", "PlanRole" })
        {
            var statements = Statements(ci.Template.Resources[role]);
            var put = Assert.Single(statements, st => List(st["Action"]).Contains("s3:PutObject") && List(st["Resource"]).Any(r => r.Contains("Artifacts", StringComparison.Ordinal)));
            Assert.Contains($"{env}:bootstrap:ArtifactsBucketArn", put["Resource"].ToString(), StringComparison.Ordinal);
            var key = Assert.Single(statements, st => List(st["Action"]).Contains("kms:GenerateDataKey"));
            Assert.Contains($"{env}:bootstrap:ArtifactsKeyArn", key["Resource"].ToString(), StringComparison.Ordinal);
        }

        // No workflow reads the bucket from a stack the first run creates, nor needs a repository variable for it: the
        // CLI reads the bootstrap stack's output; the variable is an override only.
        foreach (var file in PipelineGenerator.Generate(spec))
        {
            Assert.DoesNotContain($"{env}-backups", file.Content, StringComparison.Ordinal);
            foreach (var step in Parse(file)["jobs"]!.AsObject().SelectMany(j => j.Value!["steps"]!.AsArray().Select(st => st!.AsObject())))
            {
                var run = step["run"]?.GetValue<string>() ?? string.Empty;
                if (run.Contains("ottkit plan", StringComparison.Ordinal) || run.Contains("ottkit deploy stacks", StringComparison.Ordinal))
                {
                    Assert.DoesNotContain("--artifacts-bucket", run, StringComparison.Ordinal);
                    Assert.Equal("${{ vars.OTTKIT_ARTIFACTS_BUCKET }}", step["env"]?["OTTKIT_ARTIFACTS_BUCKET"]?.GetValue<string>());
                }
            }
        }
    }
}
