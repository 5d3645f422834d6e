using System.Collections.Immutable;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Pipelines;

/// <summary>What a generated workflow is for.</summary>
public enum WorkflowKind
{
    /// <summary>Builds, pushes and deploys one service; lives in the service's application repository.</summary>
    ServiceDeploy,

    /// <summary>Validates and plans pull requests, deploys the stacks on merge; lives in the environment repository.</summary>
    Infrastructure,

    /// <summary>
    /// Builds and pushes the <c>&lt;env&gt;/ottkit-backup</c> image (the library's backup task, for the cluster's CPU
    /// architecture) and creates the database-backup stack on its first run; lives in the environment repository.
    /// </summary>
    BackupImage,
}

/// <summary>One generated GitHub Actions workflow file.</summary>
/// <param name="Kind">What the workflow does.</param>
/// <param name="Repository">The repository the file belongs in, <c>owner/name</c>.</param>
/// <param name="Path">Path inside that repository, for example <c>.github/workflows/deploy-web.yml</c>.</param>
/// <param name="Content">The YAML text (LF line endings, UTF-8 without BOM when written).</param>
/// <param name="Service">The service name for <see cref="WorkflowKind.ServiceDeploy"/>; otherwise <see langword="null"/>.</param>
public sealed record WorkflowFile(WorkflowKind Kind, string Repository, string Path, string Content, string? Service);

/// <summary>
/// Generates the GitHub Actions workflows of an environment: one deploy workflow per service for its application
/// repository, and one infrastructure workflow for the environment repository. Pure and deterministic: the same
/// spec and options give byte-identical files. AWS access is only ever through GitHub OIDC and IAM roles.
/// </summary>
public static class PipelineGenerator
{
    private const string EnvironmentCheckoutPath = "ottkit-environment";

    /// <summary>The public source repository of Workmates.OttKit; the backup image is built from its tag <c>v&lt;version&gt;</c>.</summary>
    internal const string SourceRepository = "workmates/ottkit";

    /// <summary>Where the backup image workflow checks the pinned OttKit source out (the Docker build context).</summary>
    private const string SourceCheckoutPath = "ottkit-source";

    /// <summary>
    /// What a workflow's own image steps call, outside <c>ottkit</c>: <c>docker login</c> through
    /// <c>amazon-ecr-login</c>, the image-exists check, and <c>docker buildx build --push</c>. The CI deploy role is
    /// granted these on the environment's image repositories: every service's and <c>&lt;env&gt;/ottkit-backup</c>.
    /// </summary>
    public static ImmutableArray<RequiredAction> ImagePushPermissions { get; } =
    [
        new("ecr:GetAuthorizationToken", PermissionScope.NoResource),
        new("ecr:BatchCheckLayerAvailability", PermissionScope.EcrRepository),
        new("ecr:InitiateLayerUpload", PermissionScope.EcrRepository),
        new("ecr:UploadLayerPart", PermissionScope.EcrRepository),
        new("ecr:CompleteLayerUpload", PermissionScope.EcrRepository),
        new("ecr:PutImage", PermissionScope.EcrRepository),
        new("ecr:BatchGetImage", PermissionScope.EcrRepository),
        new("ecr:DescribeImages", PermissionScope.EcrRepository),
        new("ecr:GetDownloadUrlForLayer", PermissionScope.EcrRepository),
    ];

    /// <summary>Every workflow of the environment: the service workflows in spec order, then the infrastructure workflow.</summary>
    /// <param name="environment">A valid environment spec.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The workflow files.</returns>
    /// <exception cref="OttKitValidationException">The spec or the options have problems; all are listed.</exception>
    public static IReadOnlyList<WorkflowFile> Generate(EnvironmentSpec environment, PipelineSpec? pipelines = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = environment.Validate();
        return problems.Count > 0 ? throw new OttKitValidationException(problems) : GenerateValidated(environment, pipelines);
    }

    /// <summary>
    /// The backup image workflow of the environment repository (<c>.github/workflows/backup-image-&lt;environment&gt;.yml</c>):
    /// builds <c>&lt;env&gt;/ottkit-backup:&lt;OttKit version&gt;</c> from the pinned OttKit source for the cluster's
    /// platform, pushes it, and creates the database-backup stack on its first run.
    /// </summary>
    /// <param name="environment">A valid environment spec with a database.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The workflow file.</returns>
    /// <exception cref="OttKitValidationException">The spec or the options have problems.</exception>
    /// <exception cref="InvalidOperationException">The environment has no database, so no backup task.</exception>
    public static WorkflowFile BackupImageWorkflow(EnvironmentSpec environment, PipelineSpec? pipelines = null)
    {
        var resolved = Prepare(environment, pipelines);
        return environment.Database is null
            ? throw new InvalidOperationException($"Environment '{environment.Name}' has no database, so no backup task and no backup image.")
            : BackupImage(resolved);
    }

    /// <summary>The deploy workflow of one service (<c>.github/workflows/deploy-&lt;service&gt;.yml</c>).</summary>
    /// <param name="environment">A valid environment spec.</param>
    /// <param name="service">The service name.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The workflow file.</returns>
    /// <exception cref="OttKitValidationException">The spec or the options have problems.</exception>
    /// <exception cref="KeyNotFoundException">The environment has no such service.</exception>
    public static WorkflowFile ServiceWorkflow(EnvironmentSpec environment, string service, PipelineSpec? pipelines = null)
    {
        var resolved = Prepare(environment, pipelines);
        var spec = environment.Services.FirstOrDefault(s => string.Equals(s.Name, service, StringComparison.Ordinal))
            ?? throw new KeyNotFoundException($"Environment '{environment.Name}' has no service '{service}'. Services: {string.Join(", ", environment.Services.Select(s => s.Name))}.");
        return Service(resolved, spec);
    }

    /// <summary>The infrastructure workflow of the environment repository (<c>.github/workflows/infrastructure-&lt;environment&gt;.yml</c>).</summary>
    /// <param name="environment">A valid environment spec.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The workflow file.</returns>
    /// <exception cref="OttKitValidationException">The spec or the options have problems.</exception>
    public static WorkflowFile InfrastructureWorkflow(EnvironmentSpec environment, PipelineSpec? pipelines = null) =>
        Infrastructure(Prepare(environment, pipelines));

    /// <summary>
    /// <see cref="Generate"/> for a spec the caller has already validated (<see cref="Outputs.EnvironmentOutput"/>):
    /// the spec is validated once, and only the pipeline options are checked here.
    /// </summary>
    internal static IReadOnlyList<WorkflowFile> GenerateValidated(EnvironmentSpec validated, PipelineSpec? pipelines)
    {
        var resolved = Resolve(validated, pipelines);
        var workflows = new List<WorkflowFile>(validated.Services.Select(s => Service(resolved, s))) { Infrastructure(resolved) };
        if (validated.Database is not null)
        {
            workflows.Add(BackupImage(resolved));
        }

        return workflows;
    }

    /// <summary>
    /// Where the workflows of an environment get OttKit from (<c>ci.tool</c>, else this library's version from the
    /// public NuGet gallery): the tool they install and the source the backup image is built from. The generator writes
    /// its install and source-checkout steps from it; the rehearsal checks the generated workflows against it.
    /// </summary>
    /// <param name="validated">A valid environment spec.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The tool source.</returns>
    internal static OttKitToolSource ToolSource(EnvironmentSpec validated, PipelineSpec? pipelines = null) => ToolSource(Resolve(validated, pipelines));

    private static OttKitToolSource ToolSource(ResolvedPipeline p) =>
        new(PipelineSpec.CliPackageId, p.OttKitVersion, p.OttKitFeed, SourceRepository, $"v{p.OttKitVersion}", SourceCheckoutPath);

    /// <summary>
    /// The repositories (<c>owner/name</c>) an environment's workflows may live in and check out: with a <c>ci</c>
    /// section, <c>ci.owner/&lt;each of ci.repositories&gt;</c>, the repositories the CI roles trust; without one, the
    /// environment and service repositories the pipeline options resolve to (no role trusts any).
    /// </summary>
    /// <param name="validated">A valid environment spec.</param>
    /// <param name="pipelines">Pipeline options; <see langword="null"/> for the defaults.</param>
    /// <returns>The declared repositories.</returns>
    internal static IReadOnlyList<string> DeclaredRepositories(EnvironmentSpec validated, PipelineSpec? pipelines = null)
    {
        if (validated.Ci is { } ci)
        {
            return [.. ci.Repositories.Select(r => $"{ci.Owner}/{r}")];
        }

        var p = Resolve(validated, pipelines);
        return [p.EnvironmentRepository, .. p.ServiceRepositories.Values];
    }

    private static ResolvedPipeline Prepare(EnvironmentSpec environment, PipelineSpec? pipelines)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = environment.Validate();
        return problems.Count > 0 ? throw new OttKitValidationException(problems) : Resolve(environment, pipelines);
    }

    /// <summary>Checks the options (not the spec: it is valid) and resolves their defaults from the spec and its <c>ci</c> section.</summary>
    private static ResolvedPipeline Resolve(EnvironmentSpec validated, PipelineSpec? pipelines)
    {
        pipelines ??= new PipelineSpec();
        var problems = pipelines.Validate(validated);
        return problems.Count > 0 ? throw new OttKitValidationException(problems) : pipelines.Resolve(validated);
    }

    private static WorkflowFile Service(ResolvedPipeline p, ServiceSpec service)
    {
        var env = p.Environment.Name;
        var repository = p.ServiceRepositories[service.Name];
        var path = $".github/workflows/deploy-{service.Name}.yml";
        var imageRepository = service.ImageRepository ?? $"{env}/{service.Name}";

        var test = new WorkflowMap
        {
            ["name"] = "Test",
            ["runs-on"] = p.RunsOn,
            ["timeout-minutes"] = 20,
            ["steps"] = Steps(
                Checkout(p),
                Uses(p, "Set up Node.js", PinnedActions.SetupNode, new WorkflowMap { ["node-version"] = p.NodeVersion, ["cache"] = "npm" }),
                Run("Install dependencies", "npm ci"),
                Run("Test", "npm test")),
        };

        var steps = new List<WorkflowMap>
        {
            Checkout(p),
            ConfigureCredentials(p, p.DeployRoleArn, $"ottkit-{env}-{service.Name}"),
            WithId(Uses(p, "Log in to Amazon ECR", PinnedActions.AmazonEcrLogin, null), "ecr"),
        };

        AddImageBuilder(steps, p);
        steps.Add(WithEnv(
            WithId(Run(
                "Build and push the image (tagged with the commit SHA)",
                """
                image="$REGISTRY/$REPOSITORY:$GITHUB_SHA"
                # Tags are immutable: a re-run for the same commit reuses the image it already pushed.
                if aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$GITHUB_SHA" > /dev/null 2>&1; then
                  echo "$image is already in ECR; not rebuilding it."
                else
                  # The platforms of the cluster's hosts: an image for another CPU architecture would not start there.
                  docker buildx build --platform "$PLATFORMS" --tag "$image" --push .
                fi
                echo "uri=$image" >> "$GITHUB_OUTPUT"

                """), "image"),
            ("REGISTRY", "${{ steps.ecr.outputs.registry }}"),
            ("REPOSITORY", imageRepository),
            ("PLATFORMS", string.Join(',', p.ImagePlatforms))));

        // The scan gate (both deploy modes) reads its severity and allowances from the environment spec at run time,
        // so an allowance added or expired in the environment repository applies to the next deploy without
        // regenerating this workflow.
        var sameRepository = string.Equals(repository, p.EnvironmentRepository, StringComparison.OrdinalIgnoreCase);
        var specPath = sameRepository ? p.SpecPath : $"{EnvironmentCheckoutPath}/{p.SpecPath}";
        if (!sameRepository)
        {
            steps.Add(Uses(p, "Check out the environment spec", PinnedActions.Checkout, new WorkflowMap
            {
                ["repository"] = p.EnvironmentRepository,
                ["ref"] = p.DefaultBranch,
                ["path"] = EnvironmentCheckoutPath,
                ["token"] = $"${{{{ secrets.{p.EnvironmentRepositoryTokenSecret} }}}}",
                ["persist-credentials"] = false,
            }));
        }

        steps.AddRange(InstallOttKit(p));
        steps.Add(WithEnv(
            Run(
                "Scan gate (waits for the image's ECR scan; fails on findings at or above the spec's severity)",
                $"ottkit image scan-gate --spec {specPath} --service {service.Name} --image \"$IMAGE\"\n"),
            ("IMAGE", "${{ steps.image.outputs.uri }}")));

        // The infrastructure run defers a new service stack until its first image exists; this creates it (with the
        // image just pushed) on the service's first run and leaves it alone afterwards.
        steps.Add(CreateStackOnFirstRun(p, specPath, $"{env}-{PlatformNaming.ServicePart(service.Name)}", "\"$GITHUB_SHA\""));

        if (p.DeployMode == ServiceDeployMode.OttKit)
        {
            steps.Add(WithEnv(
                Run("Deploy (fails when ECS rolls back)", $"ottkit deploy service --spec {specPath} --service {service.Name} --image \"$IMAGE\"\n"),
                ("IMAGE", "${{ steps.image.outputs.uri }}")));
        }
        else
        {
            steps.Add(WithEnv(
                Run("Download the current task definition", "aws ecs describe-task-definition --task-definition \"$FAMILY\" --query taskDefinition --output json > task-definition.json\n"),
                ("FAMILY", $"{env}-{service.Name}")));
            steps.Add(WithId(
                Uses(p, "Render the task definition with the new image", PinnedActions.RenderTaskDefinition, new WorkflowMap
                {
                    ["task-definition"] = "task-definition.json",
                    ["container-name"] = service.Name,
                    ["image"] = "${{ steps.image.outputs.uri }}",
                }),
                "render"));
            steps.Add(Uses(p, "Deploy and wait for the service to be stable", PinnedActions.DeployTaskDefinition, new WorkflowMap
            {
                ["task-definition"] = "${{ steps.render.outputs.task-definition }}",
                ["cluster"] = env,
                ["service"] = service.Name,
                ["wait-for-service-stability"] = true,
            }));
        }

        var summary = WithEnv(
            Run(
                "Summary",
                $$"""
                {
                  echo "### Deploy {{service.Name}} to {{env}}"
                  echo ""
                  echo "| | |"
                  echo "|---|---|"
                  echo "| Result | $JOB_STATUS |"
                  echo "| Image | \`${IMAGE:-not built}\` |"
                  echo "| Commit | \`$GITHUB_SHA\` |"
                } >> "$GITHUB_STEP_SUMMARY"

                """),
            ("IMAGE", "${{ steps.image.outputs.uri }}"),
            ("JOB_STATUS", "${{ job.status }}"));
        steps.Add(Always(summary));

        var deploy = new WorkflowMap
        {
            ["name"] = $"Build and deploy to {env}",
            ["needs"] = "test",
            ["if"] = $"github.ref == 'refs/heads/{p.DefaultBranch}'",
            ["runs-on"] = p.RunsOn,
            ["timeout-minutes"] = 60,
            ["environment"] = new WorkflowMap { ["name"] = p.GitHubEnvironment },
            ["permissions"] = Permissions(pullRequestsWrite: false),
            ["steps"] = Steps([.. steps]),
        };

        var root = new WorkflowMap
        {
            ["name"] = $"Deploy {service.Name} ({env})",
            ["on"] = new WorkflowMap
            {
                ["push"] = new WorkflowMap { ["branches"] = List(p.DefaultBranch) },
                ["workflow_dispatch"] = new WorkflowMap(),
            },
            ["permissions"] = new WorkflowMap { ["contents"] = "read" },
            ["concurrency"] = new WorkflowMap
            {
                ["group"] = $"ottkit-deploy-{env}-{service.Name}",
                ["cancel-in-progress"] = false,
            },
            ["jobs"] = new WorkflowMap { ["test"] = test, ["build-and-deploy"] = deploy },
        };

        var header = Header(p, repository, path);
        return new WorkflowFile(WorkflowKind.ServiceDeploy, repository, path, WorkflowYamlWriter.Write(header, root), service.Name);
    }

    private static WorkflowFile Infrastructure(ResolvedPipeline p)
    {
        var env = p.Environment.Name;
        var path = $".github/workflows/infrastructure-{env}.yml";
        // --strict: a placeholder (example account, the scaffold's certificate, example.com) fails the pipeline here,
        // not halfway through a deployment.
        var validate = Run("Validate the spec", $"ottkit validate --spec {p.SpecPath} --strict\n");

        var planSteps = new List<WorkflowMap> { Checkout(p) };
        planSteps.AddRange(InstallOttKit(p));
        planSteps.Add(validate);
        // Before any credentials: the first deploy rehearsed in simulators with IAM enforced (docs/rehearsal.md); a
        // denied call, a failed step or a finding fails the pull request here. The report goes to the job summary.
        planSteps.Add(Run("Rehearse the first deploy (simulators, no AWS credentials)", $"ottkit rehearse --spec {p.SpecPath} --no-color\n"));
        planSteps.Add(ConfigureCredentials(p, p.PlanRoleArn, $"ottkit-{env}-plan"));
        planSteps.Add(WithId(
            ArtifactsBucketOverride(Run(
                "Plan (change sets, nothing executed)",
                $$"""
                # ottkit plan exits 0 for no changes, 2 for changes to review, anything else for an error;
                # it writes the change-set diff to the job summary itself.
                set +e
                ottkit plan --spec {{p.SpecPath}} --strict --no-color > plan.txt
                code=$?
                set -e
                cat plan.txt
                echo "exit-code=$code" >> "$GITHUB_OUTPUT"
                if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then
                  exit "$code"
                fi

                """)),
            "plan"));
        if (p.CommentPlanOnPullRequest)
        {
            var comment = Uses(p, "Comment the plan on the pull request", PinnedActions.GitHubScript, new WorkflowMap
            {
                ["script"] = $$"""
                    const fs = require('fs');
                    const limit = 60000;
                    let plan = fs.readFileSync('plan.txt', 'utf8');
                    if (plan.length > limit) {
                      plan = plan.slice(0, limit) + '\n... (truncated: the job summary has the whole plan)';
                    }
                    const changes = process.env.PLAN_EXIT_CODE === '2';
                    const body = [
                      '### OttKit plan for `{{env}}`',
                      changes ? 'Changes to review:' : 'No changes.',
                      '',
                      '```diff',
                      plan,
                      '```',
                    ].join('\n');
                    await github.rest.issues.createComment({
                      owner: context.repo.owner,
                      repo: context.repo.repo,
                      issue_number: context.issue.number,
                      body,
                    });

                    """,
            });
            comment.Add("env", new WorkflowMap { ["PLAN_EXIT_CODE"] = "${{ steps.plan.outputs.exit-code }}" });
            planSteps.Add(comment);
        }

        var plan = new WorkflowMap
        {
            ["name"] = "Validate and plan",
            ["if"] = "github.event_name == 'pull_request'",
            ["runs-on"] = p.RunsOn,
            ["timeout-minutes"] = 30,
            ["permissions"] = Permissions(p.CommentPlanOnPullRequest),
            ["concurrency"] = new WorkflowMap
            {
                ["group"] = $"ottkit-plan-{env}-${{{{ github.event.pull_request.number }}}}",
                ["cancel-in-progress"] = false,
            },
            ["steps"] = Steps([.. planSteps]),
        };

        var deploySteps = new List<WorkflowMap> { Checkout(p) };
        deploySteps.AddRange(InstallOttKit(p));
        deploySteps.Add(validate);
        deploySteps.Add(ConfigureCredentials(p, p.DeployRoleArn, $"ottkit-{env}-stacks"));
        // Change sets run through the ci stack's CloudFormation service role: the deploy role itself creates nothing.
        var roleArgument = p.CloudFormationRoleArn is { } role ? $" --role-arn {role}" : string.Empty;
        deploySteps.Add(ArtifactsBucketOverride(Run("Deploy the stacks", $"ottkit deploy stacks --spec {p.SpecPath} --strict --yes{roleArgument}\n")));

        var deploy = new WorkflowMap
        {
            ["name"] = $"Deploy stacks to {env}",
            ["if"] = $"github.event_name != 'pull_request' && github.ref == 'refs/heads/{p.DefaultBranch}'",
            ["runs-on"] = p.RunsOn,
            ["timeout-minutes"] = 120,
            ["environment"] = new WorkflowMap { ["name"] = p.GitHubEnvironment },
            ["permissions"] = Permissions(pullRequestsWrite: false),
            ["concurrency"] = new WorkflowMap
            {
                ["group"] = $"ottkit-stacks-{env}",
                ["cancel-in-progress"] = false,
            },
            ["steps"] = Steps([.. deploySteps]),
        };

        var root = new WorkflowMap
        {
            ["name"] = $"Infrastructure ({env})",
            ["on"] = new WorkflowMap
            {
                ["pull_request"] = new WorkflowMap { ["branches"] = List(p.DefaultBranch) },
                ["push"] = new WorkflowMap { ["branches"] = List(p.DefaultBranch) },
                ["workflow_dispatch"] = new WorkflowMap(),
            },
            ["permissions"] = new WorkflowMap { ["contents"] = "read" },
            ["jobs"] = new WorkflowMap { ["plan"] = plan, ["deploy"] = deploy },
        };

        var header = Header(p, p.EnvironmentRepository, path);
        return new WorkflowFile(WorkflowKind.Infrastructure, p.EnvironmentRepository, path, WorkflowYamlWriter.Write(header, root), null);
    }

    private static WorkflowFile BackupImage(ResolvedPipeline p)
    {
        var env = p.Environment.Name;
        var path = $".github/workflows/backup-image-{env}.yml";
        var repository = $"{env}/ottkit-backup";
        var stack = $"{env}-{PlatformNaming.DatabaseBackupPart}";
        var tool = ToolSource(p);

        var steps = new List<WorkflowMap>
        {
            Checkout(p),
            // The build context is OttKit's own source at the tag of the version the workflows install, so the image
            // runs the same library as the CLI (samples/BackupTask: dotnet BackupTask.dll as its entry point).
            Uses(p, "Check out the OttKit source of the pinned version (the image's build context)", PinnedActions.Checkout, new WorkflowMap
            {
                ["repository"] = tool.SourceRepository,
                ["ref"] = tool.SourceRef,
                ["path"] = tool.SourcePath,
                ["persist-credentials"] = false,
            }),
            ConfigureCredentials(p, p.DeployRoleArn, $"ottkit-{env}-backup-image"),
            WithId(Uses(p, "Log in to Amazon ECR", PinnedActions.AmazonEcrLogin, null), "ecr"),
        };

        AddImageBuilder(steps, p);
        steps.Add(WithEnv(
            WithId(Run(
                "Build and push the backup image (tagged with the OttKit version)",
                $$"""
                image="$REGISTRY/$REPOSITORY:$TAG"
                # Tags are immutable: a re-run for the same OttKit version reuses the image it already pushed.
                if aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" > /dev/null 2>&1; then
                  echo "$image is already in ECR; not rebuilding it."
                else
                  # The platforms of the cluster's hosts: an image for another CPU architecture would not start there.
                  docker buildx build --platform "$PLATFORMS" --file {{SourceCheckoutPath}}/samples/BackupTask/Dockerfile --tag "$image" --push {{SourceCheckoutPath}}
                fi
                echo "uri=$image" >> "$GITHUB_OUTPUT"

                """), "image"),
            ("REGISTRY", "${{ steps.ecr.outputs.registry }}"),
            ("REPOSITORY", repository),
            ("TAG", p.OttKitVersion),
            ("PLATFORMS", string.Join(',', p.ImagePlatforms))));
        steps.AddRange(InstallOttKit(p));
        steps.Add(CreateStackOnFirstRun(p, p.SpecPath, stack, p.OttKitVersion));

        var job = new WorkflowMap
        {
            ["name"] = $"Build and push the backup image of {env}",
            ["if"] = $"github.ref == 'refs/heads/{p.DefaultBranch}'",
            ["runs-on"] = p.RunsOn,
            ["timeout-minutes"] = 60,
            ["environment"] = new WorkflowMap { ["name"] = p.GitHubEnvironment },
            ["permissions"] = Permissions(pullRequestsWrite: false),
            ["steps"] = Steps([.. steps]),
        };

        var root = new WorkflowMap
        {
            ["name"] = $"Backup image ({env})",
            ["on"] = new WorkflowMap
            {
                // The workflow names the OttKit version: regenerating it for a new version is the change that rebuilds.
                ["push"] = new WorkflowMap { ["branches"] = List(p.DefaultBranch), ["paths"] = List(path) },
                ["workflow_dispatch"] = new WorkflowMap(),
            },
            ["permissions"] = new WorkflowMap { ["contents"] = "read" },
            ["concurrency"] = new WorkflowMap
            {
                ["group"] = $"ottkit-backup-image-{env}",
                ["cancel-in-progress"] = false,
            },
            ["jobs"] = new WorkflowMap { ["build-and-push"] = job },
        };

        var header = Header(p, p.EnvironmentRepository, path);
        return new WorkflowFile(WorkflowKind.BackupImage, p.EnvironmentRepository, path, WorkflowYamlWriter.Write(header, root), null);
    }

    /// <summary>
    /// <c>ottkit deploy stacks --create-only</c> for the one stack that runs the image just pushed: the infrastructure
    /// run defers a new stack whose image does not exist yet, and this step creates it on the image workflow's first
    /// run (a change set, executed as the CloudFormation service role); once it exists the step changes nothing.
    /// </summary>
    private static WorkflowMap CreateStackOnFirstRun(ResolvedPipeline p, string specPath, string stack, string tag)
    {
        var roleArgument = p.CloudFormationRoleArn is { } role ? $" --role-arn {role}" : string.Empty;
        return ArtifactsBucketOverride(Run(
            "Create the stack on its first run (later runs leave it to the infrastructure workflow)",
            $"ottkit deploy stacks --spec {specPath} --strict --yes --create-only --stack {stack} --image-tag {stack}={tag}{roleArgument}\n"));
    }

    private static string[] Header(ResolvedPipeline p, string repository, string path) =>
    [
        $"Generated by OttKit {p.OttKitVersion} from the environment spec '{p.Environment.Name}' for {repository}.",
        "Do not edit by hand: changes are lost when it is regenerated. To change it, change the spec and run",
        $"  ottkit synth --spec {p.SpecPath} --out <folder>",
        $"then copy <folder>/{repository}/{path} here.",
    ];

    private static WorkflowMap Permissions(bool pullRequestsWrite)
    {
        var permissions = new WorkflowMap { ["id-token"] = "write", ["contents"] = "read" };
        if (pullRequestsWrite)
        {
            permissions["pull-requests"] = "write";
        }

        return permissions;
    }

    private static WorkflowMap Checkout(ResolvedPipeline p) =>
        Uses(p, "Check out", PinnedActions.Checkout, new WorkflowMap { ["persist-credentials"] = false });

    private static WorkflowMap ConfigureCredentials(ResolvedPipeline p, string roleArn, string sessionName) =>
        Uses(p, "Configure AWS credentials (OIDC)", PinnedActions.ConfigureAwsCredentials, new WorkflowMap
        {
            ["role-to-assume"] = roleArn,
            ["role-session-name"] = sessionName.Length > 64 ? sessionName[..64] : sessionName,
            ["aws-region"] = p.Environment.Region,
        });

    private static IEnumerable<WorkflowMap> InstallOttKit(ResolvedPipeline p)
    {
        // ci.tool: the public NuGet gallery (the SDK's default source) unless the spec names a feed.
        var tool = ToolSource(p);
        return
        [
            Uses(p, "Set up .NET", PinnedActions.SetupDotnet, new WorkflowMap { ["dotnet-version"] = p.DotnetVersion }),
            Run("Install ottkit", $"dotnet tool install --global {tool.PackageId} --version {tool.Version}{(tool.Feed is { } feed ? $" --add-source '{feed}'" : string.Empty)}\n"),
        ];
    }

    private static WorkflowMap Uses(ResolvedPipeline p, string name, PinnedAction action, WorkflowMap? with)
    {
        var (uses, comment) = action.Reference(p.ActionPinning);
        var step = new WorkflowMap { ["name"] = name };
        step.Add("uses", WorkflowScalar.Of(uses), comment);
        if (with is not null)
        {
            step["with"] = with;
        }

        return step;
    }

    /// <summary>
    /// <c>ottkit plan</c> and <c>deploy stacks</c> keep every template in the environment's artifacts bucket, which the
    /// administrator's bootstrap creates in the <c>&lt;env&gt;-bootstrap</c> stack: the CLI reads its name from that
    /// stack's output <c>ArtifactsBucketName</c> itself, so no repository variable is needed. The variable
    /// <c>OTTKIT_ARTIFACTS_BUCKET</c> stays an override (an unset variable is empty, which the CLI ignores).
    /// </summary>
    private static WorkflowMap ArtifactsBucketOverride(WorkflowMap step)
    {
        step["env"] = new WorkflowMap { ["OTTKIT_ARTIFACTS_BUCKET"] = "${{ vars.OTTKIT_ARTIFACTS_BUCKET }}" };
        return step;
    }

    private static WorkflowMap Run(string name, string script)
    {
        // One-line commands read best as plain scalars; longer scripts become literal blocks.
        var trimmed = script.TrimEnd('\n');
        return new() { ["name"] = name, ["run"] = trimmed.Contains('\n', StringComparison.Ordinal) ? script : trimmed };
    }

    private static WorkflowMap WithId(WorkflowMap step, string id)
    {
        // The id reads best right after the name.
        var result = new WorkflowMap();
        foreach (var entry in step)
        {
            result.Add(entry.Key, entry.Value, entry.Comment);
            if (entry.Key == "name")
            {
                result["id"] = id;
            }
        }

        return result;
    }

    // The image is built for the CPU architecture of the cluster's hosts (Graviton: arm64), on the x86_64 runner
    // through QEMU; a cluster that mixed architectures would get one multi-arch image.
    private static void AddImageBuilder(List<WorkflowMap> steps, ResolvedPipeline p)
    {
        var emulated = p.ImagePlatforms.Where(platform => platform != "linux/amd64").Select(platform => platform["linux/".Length..]).ToArray();
        if (emulated.Length > 0)
        {
            steps.Add(Uses(p, "Set up QEMU (builds for the cluster's CPU architecture)", PinnedActions.SetupQemu, new WorkflowMap { ["platforms"] = string.Join(',', emulated) }));
        }

        steps.Add(Uses(p, "Set up Docker Buildx", PinnedActions.SetupBuildx, null));
    }

    private static WorkflowMap WithEnv(WorkflowMap step, params (string Name, string Value)[] variables)
    {
        var env = new WorkflowMap();
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        step["env"] = env;
        return step;
    }

    private static WorkflowMap Always(WorkflowMap step)
    {
        var result = new WorkflowMap();
        foreach (var entry in step)
        {
            result.Add(entry.Key, entry.Value, entry.Comment);
            if (entry.Key == "name")
            {
                result["if"] = "always()";
            }
        }

        return result;
    }

    private static WorkflowList Steps(params WorkflowMap[] steps) => new(steps);

    private static WorkflowList List(params string[] values) => new([.. values.Select(v => (WorkflowNode)WorkflowScalar.Of(v))]);
}
