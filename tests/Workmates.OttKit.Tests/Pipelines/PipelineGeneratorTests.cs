using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Pipelines;

/// <summary>What the generated workflows must say: OIDC-only access, least privilege, pinning, concurrency, environments.</summary>
public sealed partial class PipelineGeneratorTests
{
    private static JsonObject Parse(WorkflowFile file) => YamlJson.Parse(file.Content)!.AsObject();

    private static IEnumerable<JsonObject> Steps(JsonObject workflow, string job) =>
        workflow["jobs"]![job]!["steps"]!.AsArray().Select(s => s!.AsObject());

    /// <summary>The job of a workflow that assumes the deploy role.</summary>
    private static string DeployJob(WorkflowFile file) => file.Kind switch
    {
        WorkflowKind.ServiceDeploy => "build-and-deploy",
        WorkflowKind.BackupImage => "build-and-push",
        _ => "deploy",
    };

    private static IEnumerable<(string Label, WorkflowFile File)> ServiceFiles() =>
        PipelineVariants.Files().Where(f => f.File.Kind == WorkflowKind.ServiceDeploy);

    [Fact]
    public void Generate_for_Owl270_writes_one_deploy_workflow_per_service_one_infrastructure_workflow_and_the_backup_image_workflow()
    {
        var files = PipelineGenerator.Generate(SampleSpecs.Owl270());

        Assert.Equal(
            [
                "owl270/web:.github/workflows/deploy-web.yml",
                "owl270/auth:.github/workflows/deploy-auth.yml",
                "owl270/lessons:.github/workflows/deploy-lessons.yml",
                "owl270/quizzes:.github/workflows/deploy-quizzes.yml",
                "owl270/progress:.github/workflows/deploy-progress.yml",
                "owl270/owl270-platform:.github/workflows/infrastructure-owl270.yml",
                "owl270/owl270-platform:.github/workflows/backup-image-owl270.yml",
            ],
            files.Select(f => $"{f.Repository}:{f.Path}"));
    }

    [Fact]
    public void Deploy_jobs_have_exactly_id_token_write_and_contents_read()
    {
        var failures = new List<string>();
        foreach (var (label, file) in PipelineVariants.Files())
        {
            var workflow = Parse(file);
            Assert.Equal("""{"contents":"read"}""", workflow["permissions"]!.ToJsonString());
            var job = DeployJob(file);
            var permissions = workflow["jobs"]![job]!["permissions"]!.ToJsonString();
            if (permissions != """{"id-token":"write","contents":"read"}""")
            {
                failures.Add($"{label}: {permissions}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Test_job_gets_no_permissions_beyond_the_read_only_default()
    {
        foreach (var (_, file) in ServiceFiles())
        {
            Assert.Null(Parse(file)["jobs"]!["test"]!["permissions"]);
        }
    }

    [Fact]
    public void No_workflow_mentions_access_keys()
    {
        foreach (var (label, file) in PipelineVariants.Files())
        {
            foreach (var forbidden in new[] { "aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws-session-token" })
            {
                Assert.False(file.Content.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"{label} mentions {forbidden}");
            }
        }
    }

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_SHA_with_its_version_in_a_comment_by_default()
    {
        var checkedUses = 0;
        foreach (var file in PipelineGenerator.Generate(SampleSpecs.Owl270(), new PipelineSpec { CommentPlanOnPullRequest = true })
                     .Concat(PipelineGenerator.Generate(SampleSpecs.Blacksheep(), new PipelineSpec { DeployMode = ServiceDeployMode.OfficialActions })))
        {
            foreach (var line in file.Content.Split('\n').Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)))
            {
                checkedUses++;
                Assert.Matches(ShaPinnedUses(), line);
            }
        }

        Assert.True(checkedUses > 30, $"only {checkedUses} uses: lines checked");
    }

    [Fact]
    public void Major_tag_pinning_references_every_action_by_its_major_tag()
    {
        var files = PipelineGenerator.Generate(SampleSpecs.Owl270(), new PipelineSpec { ActionPinning = ActionPinning.MajorTag, DeployMode = ServiceDeployMode.OfficialActions });
        var uses = files.SelectMany(f => f.Content.Split('\n')).Where(l => l.TrimStart().StartsWith("uses:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, line => Assert.Matches(@"^\s+uses: [a-z-]+/[a-z-]+@v[0-9]+$", line));
    }

    [Fact]
    public void The_action_table_holds_full_lowercase_SHAs_and_semantic_versions()
    {
        Assert.All(PinnedActions.All, a =>
        {
            Assert.Matches("^[0-9a-f]{40}$", a.CommitSha);
            Assert.Matches(@"^v[0-9]+\.[0-9]+\.[0-9]+$", a.Version);
        });
        Assert.Equal(PinnedActions.All.Count, PinnedActions.All.Select(a => a.Repository).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Concurrency_is_per_service_and_environment_and_never_cancels_a_running_deploy()
    {
        foreach (var (label, file) in ServiceFiles())
        {
            var concurrency = Parse(file)["concurrency"]!;
            var group = concurrency["group"]!.GetValue<string>();
            Assert.True(group.Contains(file.Service!, StringComparison.Ordinal) && group.Contains(label.Split('/')[0], StringComparison.Ordinal), $"{label}: {group}");
            Assert.False(concurrency["cancel-in-progress"]!.GetValue<bool>());
        }

        var groups = PipelineGenerator.Generate(SampleSpecs.Owl270()).Where(f => f.Kind == WorkflowKind.ServiceDeploy)
            .Select(f => Parse(f)["concurrency"]!["group"]!.GetValue<string>()).ToList();
        Assert.Equal(groups.Count, groups.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Deploy_jobs_run_in_the_GitHub_environment_of_the_AWS_environment()
    {
        foreach (var file in PipelineGenerator.Generate(SampleSpecs.Owl270()))
        {
            var job = DeployJob(file);
            Assert.Equal("owl270", Parse(file)["jobs"]![job]!["environment"]!["name"]!.GetValue<string>());
        }

        var renamed = PipelineGenerator.InfrastructureWorkflow(SampleSpecs.Owl270(), new PipelineSpec { GitHubEnvironment = "production" });
        Assert.Equal("production", Parse(renamed)["jobs"]!["deploy"]!["environment"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Service_workflow_triggers_on_pushes_to_the_default_branch_and_manual_dispatch()
    {
        var file = PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "lessons", new PipelineSpec { DefaultBranch = "release" });
        var on = Parse(file)["on"]!.AsObject();

        Assert.Equal(["push", "workflow_dispatch"], on.Select(p => p.Key));
        Assert.Equal("""["release"]""", on["push"]!["branches"]!.ToJsonString());
        Assert.Equal("github.ref == 'refs/heads/release'", Parse(file)["jobs"]!["build-and-deploy"]!["if"]!.GetValue<string>());
    }

    [Fact]
    public void Service_workflow_tests_with_npm_before_it_builds()
    {
        var workflow = Parse(PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "web"));
        var test = Steps(workflow, "test").ToList();

        var setupNode = test.Single(s => s["uses"]?.GetValue<string>().StartsWith("actions/setup-node@", StringComparison.Ordinal) == true);
        Assert.Equal("npm", setupNode["with"]!["cache"]!.GetValue<string>());
        Assert.Equal("22", setupNode["with"]!["node-version"]!.GetValue<string>());
        Assert.Equal(["npm ci", "npm test"], test.Where(s => s["run"] is not null).Select(s => s["run"]!.GetValue<string>()));
        Assert.Equal("test", workflow["jobs"]!["build-and-deploy"]!["needs"]!.GetValue<string>());
    }

    [Fact]
    public void Service_workflow_assumes_the_CI_role_through_OIDC_in_the_spec_region()
    {
        var spec = SampleSpecs.Owl270() with { AccountId = "123456789012" };
        var workflow = Parse(PipelineGenerator.ServiceWorkflow(spec, "auth"));
        var credentials = Steps(workflow, "build-and-deploy").Single(s => s["uses"]?.GetValue<string>().StartsWith("aws-actions/configure-aws-credentials@", StringComparison.Ordinal) == true);

        Assert.Equal("arn:aws:iam::123456789012:role/owl270-ci-deploy", credentials["with"]!["role-to-assume"]!.GetValue<string>());
        Assert.Equal("ap-south-1", credentials["with"]!["aws-region"]!.GetValue<string>());
    }

    [Fact]
    public void Service_image_is_tagged_with_the_commit_SHA_and_pushed_to_the_service_repository()
    {
        var workflow = Parse(PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "quizzes"));
        var build = Steps(workflow, "build-and-deploy").Single(s => s["id"]?.GetValue<string>() == "image");
        var script = build["run"]!.GetValue<string>();

        Assert.Contains("image=\"$REGISTRY/$REPOSITORY:$GITHUB_SHA\"", script, StringComparison.Ordinal);
        Assert.Contains("docker buildx build --platform \"$PLATFORMS\" --tag \"$image\" --push .", script, StringComparison.Ordinal);
        Assert.Equal("owl270/quizzes", build["env"]!["REPOSITORY"]!.GetValue<string>());
        Assert.DoesNotContain(":latest", script, StringComparison.Ordinal);
    }

    [Fact]
    public void OttKit_mode_installs_the_pinned_tool_and_deploys_the_service_with_the_new_image()
    {
        var spec = SampleSpecs.Owl270() with { Ci = SampleSpecs.Owl270().Ci! with { Tool = new CiToolSpec { Version = "2.4.1" } } };
        var workflow = Parse(PipelineGenerator.ServiceWorkflow(spec, "progress"));
        var runs = Steps(workflow, "build-and-deploy").Where(s => s["run"] is not null).Select(s => s["run"]!.GetValue<string>()).ToList();

        Assert.Contains("dotnet tool install --global Workmates.OttKit.Cli --version 2.4.1", runs);
        Assert.Contains("ottkit deploy service --spec ottkit-environment/owl270.yaml --service progress --image \"$IMAGE\"", runs);
        Assert.Equal(
            ["image scan-gate", "deploy stacks", "deploy service"],
            runs.SkipWhile(r => !r.StartsWith("dotnet tool install", StringComparison.Ordinal)).Where(r => r.StartsWith("ottkit", StringComparison.Ordinal)).Select(r => string.Join(' ', r.Split(' ')[1..3])));
    }

    [Fact]
    public void OttKit_mode_skips_the_spec_checkout_when_the_service_lives_in_the_environment_repository()
    {
        var options = new PipelineSpec { EnvironmentRepository = "owl270/monorepo", ServiceRepositories = new Dictionary<string, string> { ["web"] = "owl270/monorepo" } };
        var workflow = Parse(PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "web", options));
        var steps = Steps(workflow, "build-and-deploy").ToList();

        Assert.DoesNotContain(steps, s => s["with"]?["repository"] is not null);
        Assert.Contains(steps, s => s["run"]?.GetValue<string>() == "ottkit deploy service --spec owl270.yaml --service web --image \"$IMAGE\"");
    }

    [Fact]
    public void Official_actions_mode_renders_and_deploys_the_task_definition_waiting_for_stability()
    {
        var file = PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "lessons", new PipelineSpec { DeployMode = ServiceDeployMode.OfficialActions });
        var steps = Steps(Parse(file), "build-and-deploy").ToList();
        var render = steps.Single(s => s["uses"]?.GetValue<string>().StartsWith("aws-actions/amazon-ecs-render-task-definition@", StringComparison.Ordinal) == true);
        var deploy = steps.Single(s => s["uses"]?.GetValue<string>().StartsWith("aws-actions/amazon-ecs-deploy-task-definition@", StringComparison.Ordinal) == true);

        Assert.Equal("lessons", render["with"]!["container-name"]!.GetValue<string>());
        Assert.Equal("${{ steps.image.outputs.uri }}", render["with"]!["image"]!.GetValue<string>());
        Assert.Equal("owl270", deploy["with"]!["cluster"]!.GetValue<string>());
        Assert.Equal("lessons", deploy["with"]!["service"]!.GetValue<string>());
        Assert.True(deploy["with"]!["wait-for-service-stability"]!.GetValue<bool>());
        Assert.Contains(steps, s => s["env"]?["FAMILY"]?.GetValue<string>() == "owl270-lessons");
        // ottkit runs the scan gate and, on the service's first run only, creates its stack; the rollout is the official actions'.
        var ottkit = steps.Where(s => s["run"]?.GetValue<string>().StartsWith("ottkit ", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, ottkit.Count);
        Assert.StartsWith("ottkit image scan-gate --spec ottkit-environment/owl270.yaml --service lessons", ottkit[0]["run"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("ottkit deploy stacks --spec ottkit-environment/owl270.yaml --strict --yes --create-only --stack owl270-service-lessons --image-tag owl270-service-lessons=\"$GITHUB_SHA\"", ottkit[1]["run"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(steps.IndexOf(ottkit[1]) < steps.IndexOf(render));
    }

    [Fact]
    public void Deploy_job_ends_with_a_step_summary_that_runs_even_when_the_deploy_fails()
    {
        foreach (var (label, file) in ServiceFiles())
        {
            var last = Steps(Parse(file), "build-and-deploy").Last();
            Assert.True(last["if"]?.GetValue<string>() == "always()", label);
            Assert.Contains("$GITHUB_STEP_SUMMARY", last["run"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Infrastructure_plans_pull_requests_with_the_plan_role_and_deploys_merges_with_the_deploy_role()
    {
        var workflow = Parse(PipelineGenerator.InfrastructureWorkflow(SampleSpecs.Blacksheep()));
        static string Role(IEnumerable<JsonObject> steps) =>
            steps.Single(s => s["with"]?["role-to-assume"] is not null)["with"]!["role-to-assume"]!.GetValue<string>();

        Assert.Equal(["pull_request", "push", "workflow_dispatch"], workflow["on"]!.AsObject().Select(p => p.Key));
        Assert.Equal("github.event_name == 'pull_request'", workflow["jobs"]!["plan"]!["if"]!.GetValue<string>());
        Assert.EndsWith(":role/blacksheep-ci-plan", Role(Steps(workflow, "plan")), StringComparison.Ordinal);
        Assert.EndsWith(":role/blacksheep-ci-deploy", Role(Steps(workflow, "deploy")), StringComparison.Ordinal);
        var planRuns = string.Join("\n", Steps(workflow, "plan").Select(s => s["run"]?.GetValue<string>()));
        Assert.Contains("ottkit validate --spec blacksheep.yaml --strict", planRuns, StringComparison.Ordinal);
        Assert.Contains("ottkit plan --spec blacksheep.yaml --strict", planRuns, StringComparison.Ordinal);
        Assert.Contains(Steps(workflow, "deploy"), s => s["run"]?.GetValue<string>() == "ottkit deploy stacks --spec blacksheep.yaml --strict --yes --role-arn arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/blacksheep-cloudformation");
        Assert.Equal("blacksheep", workflow["jobs"]!["deploy"]!["environment"]!["name"]!.GetValue<string>());
        Assert.Null(workflow["jobs"]!["plan"]!["environment"]);
    }

    [Fact]
    public void Plan_and_deploy_find_the_artifacts_bucket_through_the_cli_with_the_repository_variable_as_an_override_only()
    {
        var workflow = Parse(PipelineGenerator.InfrastructureWorkflow(SampleSpecs.Blacksheep()));

        foreach (var job in new[] { "plan", "deploy" })
        {
            var steps = Steps(workflow, job).ToList();
            // No shell look-up: the CLI reads the bootstrap stack's output itself (StackDeployer.FindArtifactsBucketAsync).
            Assert.DoesNotContain(steps, s => s["name"]?.GetValue<string>() == "Find the artifacts bucket");
            var ottkit = Assert.Single(steps, s => s["run"]?.GetValue<string>().Contains("ottkit plan", StringComparison.Ordinal) == true
                || s["run"]?.GetValue<string>().Contains("ottkit deploy stacks", StringComparison.Ordinal) == true);
            Assert.Equal("${{ vars.OTTKIT_ARTIFACTS_BUCKET }}", ottkit["env"]!["OTTKIT_ARTIFACTS_BUCKET"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Plan_job_may_write_pull_requests_only_when_the_comment_option_is_on()
    {
        var quiet = Parse(PipelineGenerator.InfrastructureWorkflow(SampleSpecs.Owl270()));
        var commenting = Parse(PipelineGenerator.InfrastructureWorkflow(SampleSpecs.Owl270(), new PipelineSpec { CommentPlanOnPullRequest = true }));

        Assert.Equal("""{"id-token":"write","contents":"read"}""", quiet["jobs"]!["plan"]!["permissions"]!.ToJsonString());
        Assert.DoesNotContain(Steps(quiet, "plan"), s => s["uses"]?.GetValue<string>().StartsWith("actions/github-script@", StringComparison.Ordinal) == true);
        Assert.Equal("""{"id-token":"write","contents":"read","pull-requests":"write"}""", commenting["jobs"]!["plan"]!["permissions"]!.ToJsonString());
        Assert.Contains(Steps(commenting, "plan"), s => s["uses"]?.GetValue<string>().StartsWith("actions/github-script@", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        foreach (var (_, environment, options) in PipelineVariants.All())
        {
            var first = PipelineGenerator.Generate(environment, options);
            var parsed = EnvironmentSpec.Parse(File.ReadAllText(Path.Combine(SampleSpecs.RepositoryRoot, "samples", environment.Name == "owl270" ? "Owl270" : "Blacksheep", $"{environment.Name}.yaml")), $"{environment.Name}.yaml");
            var second = PipelineGenerator.Generate(parsed with { Ci = parsed.Ci! with { Tool = environment.Ci!.Tool } }, options with { });
            Assert.Equal(first.Select(f => f.Content), second.Select(f => f.Content));
        }
    }

    [Fact]
    public void Every_file_starts_with_a_generated_by_header_that_says_how_to_regenerate()
    {
        foreach (var (label, file) in PipelineVariants.Files())
        {
            Assert.True(file.Content.StartsWith("# Generated by OttKit ", StringComparison.Ordinal), label);
            Assert.Contains("ottkit synth --spec ", file.Content.Split("\nname:")[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Scalars_keep_their_types_for_a_YAML_1_2_reader()
    {
        var workflow = Parse(PipelineGenerator.Generate(SampleSpecs.Owl270(), new PipelineSpec { NodeVersion = "20", DotnetVersion = "10.0" })[0]);

        Assert.NotNull(workflow["on"]);
        Assert.Equal(JsonValueKind.False, workflow["concurrency"]!["cancel-in-progress"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, workflow["jobs"]!["test"]!["timeout-minutes"]!.GetValueKind());
        var nodeVersion = Steps(workflow, "test").Single(s => s["with"]?["node-version"] is not null)["with"]!["node-version"]!;
        Assert.Equal(JsonValueKind.String, nodeVersion.GetValueKind());
        var dotnetVersion = Steps(workflow, "build-and-deploy").Single(s => s["with"]?["dotnet-version"] is not null)["with"]!["dotnet-version"]!;
        Assert.Equal("10.0", dotnetVersion.GetValue<string>());
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_and_its_path()
    {
        var options = new PipelineSpec
        {
            EnvironmentRepository = "not a repo",
            ServiceRepositories = new Dictionary<string, string> { ["nope"] = "owl270/nope" },
            PlanRoleArn = "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/owl270-ci-deploy",
            DefaultBranch = "feature..x",
        };

        var ex = Assert.Throws<OttKitValidationException>(() => PipelineGenerator.Generate(SampleSpecs.Owl270(), options));

        Assert.Equal(
            ["PipelineSpec.EnvironmentRepository", "PipelineSpec.ServiceRepositories.nope", "PipelineSpec.DefaultBranch", "PipelineSpec.PlanRoleArn"],
            ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void A_bad_ci_tool_version_is_reported_once_at_its_spec_path()
    {
        // The spec is validated once: the tool version the workflows install comes from ci.tool.version and is
        // reported there, not a second time under an option path no spec has (it used to come back as pipelines.ottKitVersion).
        var spec = SampleSpecs.Owl270() with { Ci = SampleSpecs.Owl270().Ci! with { Tool = new CiToolSpec { Version = "1.*" } } };

        var ex = Assert.Throws<OttKitValidationException>(() => PipelineGenerator.Generate(spec));

        Assert.Equal(["ci.tool.version"], ex.Problems.Select(p => p.Path));
        Assert.Empty(new PipelineSpec().Validate(spec));
    }

    [Fact]
    public void The_workflows_live_in_ci_owner_and_a_repository_of_another_owner_is_refused_at_ci_owner()
    {
        // Regression: a repository option naming another owner used to generate workflows the CI roles (which trust
        // repo:<ci.owner>/<name> only) could never assume; ci.owner was lost on the way to the workflows.
        var spec = SampleSpecs.Owl270() with { Ci = SampleSpecs.Owl270().Ci! with { Owner = "owl270-edu" } };

        Assert.All(PipelineGenerator.Generate(spec), file => Assert.StartsWith("owl270-edu/", file.Repository, StringComparison.Ordinal));

        var ex = Assert.Throws<OttKitValidationException>(() => PipelineGenerator.Generate(
            spec,
            new PipelineSpec
            {
                EnvironmentRepository = "owl270/owl270-platform",
                ServiceRepositories = new Dictionary<string, string> { ["web"] = "owl270-edu/web", ["lessons"] = "elsewhere/lessons" },
            }));

        Assert.Equal(["ci.owner", "ci.owner"], ex.Problems.Select(p => p.Path));
        Assert.Contains("PipelineSpec.EnvironmentRepository 'owl270/owl270-platform'", ex.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("PipelineSpec.ServiceRepositories.lessons 'elsewhere/lessons'", ex.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("'owl270-edu/lessons'", ex.Problems[1].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesizing_the_output_generates_the_workflows_the_generator_does()
    {
        var spec = SampleSpecs.Owl270();

        var output = Workmates.OttKit.Outputs.EnvironmentOutput.Synthesize(spec, new Workmates.OttKit.Outputs.EnvironmentOutputOptions { ValidateSchemas = false });

        Assert.Equal(PipelineGenerator.Generate(spec).Select(f => f.Content), output.Workflows.Select(f => f.Content));
    }

    [Fact]
    public void Default_options_are_valid_for_both_samples()
    {
        Assert.Empty(new PipelineSpec().Validate(SampleSpecs.Owl270()));
        Assert.Empty(new PipelineSpec().Validate(SampleSpecs.Blacksheep()));
    }

    [Fact]
    public void ServiceWorkflow_names_the_services_when_the_service_is_unknown()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => PipelineGenerator.ServiceWorkflow(SampleSpecs.Owl270(), "chat"));

        Assert.Equal("Environment 'owl270' has no service 'chat'. Services: web, auth, lessons, quizzes, progress.", ex.Message);
    }

    [GeneratedRegex(@"^\s+uses: [a-z-]+/[a-z-]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial Regex ShaPinnedUses();
}
