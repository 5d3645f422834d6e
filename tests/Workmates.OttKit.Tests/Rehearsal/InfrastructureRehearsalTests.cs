using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Json;
using Workmates.OttKit.Outputs;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;
using Workmates.OttKit.Tests.Simulators;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The infrastructure workflow rehearsed (issue 13): each sample synthesized; the infrastructure workflow the generator
/// wrote is read, and its jobs' <c>ottkit</c> commands run in process as the jobs run them — signed as the role each
/// job's <c>role-to-assume</c> names — against two regional CloudFormation simulators and s3rver behind the S3 IAM
/// front (the KMS-encrypted artifacts bucket, its bucket policy and its key's policy), with IAM enforced. Every call
/// must be allowed and declared by <see cref="StackDeployer.RequiredPermissions"/>.
/// </summary>
public sealed partial class InfrastructureRehearsalTests
{
    private const string Account = "246813579024";
    private const string AccountVariable = "${{ vars.AWS_ACCOUNT_ID }}";

    private static readonly SimulatorCredentials DeployKey = new("AKIAREHEARSALDEPLOY1", "rehearsal/deploy/role/session/EXAMPLEKEY");
    // The service role's session never signs a request (CloudFormation acts as it): a key id only names the principal.
    private const string ServiceRoleSession = "ASIAREHEARSALCFNROLE";

    private static readonly SimulatorCredentials PlanKey = new("AKIAREHEARSALPLAN001", "rehearsal/plan/role/session/EXAMPLEKEY00");

    // The administrator who bootstraps the environment once (docs/pipelines.md, Bootstrap): every action allowed.
    private static readonly SimulatorCredentials AdminKey = new("AKIAREHEARSALADMIN01", "rehearsal/admin/user/EXAMPLEKEY0000000000");

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_infrastructure_workflow_plans_and_deploys_every_stack_under_its_roles_with_no_denied_call(string sample)
    {
        // The workflows validate with --strict: the sample's documentation placeholders (example account, example
        // hosted zone) are replaced by the rehearsal account's values, as a customer replaces them before the first run.
        var sampleText = SampleSpecs.Yaml(sample);
        var directory = Directory.CreateTempSubdirectory("ottkit-rehearsal-").FullName;
        var specPath = Path.Combine(directory, $"{sample}.yaml");
        await File.WriteAllTextAsync(specPath, WithoutPlaceholders(sampleText), TestContext.Current.CancellationToken);
        using var cleanup = new DirectoryCleanup(directory);
        var spec = EnvironmentSpec.Load(specPath);
        await using var bed = await Bed.StartAsync(spec);
        var output = EnvironmentOutput.Synthesize(spec);

        // The bootstrap, exactly as docs/pipelines.md documents it: an administrator deploys the bootstrap stack (the
        // artifacts bucket, created from a TemplateBody because no bucket exists yet) and the ci stack (the roles; its
        // template goes to the new bucket). No bucket is named and none exists before.
        Assert.Null(bed.ArtifactsBucket);
        var bootstrapStacks = new[] { $"{spec.Name}-bootstrap", $"{spec.Name}-ci" };
        var bootstrap = await bed.RunAsync(AdminKey, ["deploy", "stacks", "--spec", specPath, "--strict", "--yes", .. bootstrapStacks.SelectMany(s => new[] { "--stack", s })]);
        Assert.True(bootstrap.ExitCode == ExitCodes.Success, $"bootstrap exited {bootstrap.ExitCode}\n{Tail(bootstrap.Output)}\n{bootstrap.Error}\ndenied:\n{string.Join("\n", bed.Iam.Denied)}");
        Assert.All(bootstrapStacks, s => Assert.Equal("CREATE_COMPLETE", bed.StatusOf(output.StackSet[s])));
        Assert.NotNull(bed.ArtifactsBucket);
        // The ci stack's template is the first one kept in the bucket the bootstrap stack created.
        Assert.Contains(bed.S3.Requests, r => r.Method == "PUT" && r.Path.StartsWith($"/{bed.ArtifactsBucket}/{spec.Name}/{spec.Name}-ci/", StringComparison.Ordinal) && r.StatusCode == 200);
        var bootstrapCalls = bed.Iam.Calls.Count;
        // From here on the workflows act alone, as the roles the ci stack created.
        bed.RegisterCiRoles();
        var workflow = YamlJson.Parse(output.Workflows.Single(w => w.Path == $".github/workflows/infrastructure-{spec.Name}.yml").Content)!.AsObject();

        var imageStacks = output.StackSet.Stacks.Where(s => s.Parameters.Any(p => p.Name == StackDeployer.ImageTagParameter)).Select(s => s.Name).ToList();
        var steps = 0;
        var commands = new List<string>();
        var byJob = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        async Task RunJobAsync(string job, string key, params string[] onlyStacks)
        {
            SimulatorCredentials? signer = null;
            var before = bed.Iam.Calls.Count;
            foreach (var step in workflow["jobs"]![job]!["steps"]!.AsArray().Select(s => s!.AsObject()))
            {
                steps++;
                if (step["with"]?["role-to-assume"]?.GetValue<string>() is { } role)
                {
                    signer = bed.SignerFor(role.Replace(AccountVariable, Account, StringComparison.Ordinal));
                    continue;
                }

                // GitHub substitutes the ${{ }} expressions before the shell runs the script.
                foreach (var command in OttKitCommands(step["run"]?.GetValue<string>().Replace(AccountVariable, Account, StringComparison.Ordinal)))
                {
                    var args = command.Select(a => a.Replace(AccountVariable, Account, StringComparison.Ordinal)).ToArray();
                    for (var i = 0; i < args.Length - 1; i++)
                    {
                        if (args[i] == "--spec")
                        {
                            args[i + 1] = specPath;
                        }
                    }

                    if (args[0] == "deploy")
                    {
                        args = [.. args, .. onlyStacks.SelectMany(s => new[] { "--stack", s })];
                    }

                    var run = await bed.RunAsync(signer, args, StepVariables(step));
                    commands.Add(string.Join(' ', command));
                    // The plan step accepts 0 (no changes) and 2 (changes to review), as its script does.
                    var accepted = args[0] == "plan" ? run.ExitCode is ExitCodes.Success or ExitCodes.Changes : run.ExitCode == ExitCodes.Success;
                    Assert.True(accepted, $"{job}: ottkit {string.Join(' ', args)} exited {run.ExitCode}\n{Tail(run.Output)}\n{run.Error}\ndenied:\n{string.Join("\n", bed.Iam.Denied)}");
                }
            }

            byJob[key] = bed.Iam.Calls.Skip(before).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        }

        await RunJobAsync("plan", "plan");
        await RunJobAsync("deploy", "deploy");

        // The infrastructure run creates every stack but those whose image no workflow has pushed yet (each service
        // stack, database-backup) and what depends on them: they wait, and the run succeeds.
        var waiting = output.StackSet.Stacks.Where(s => bed.StatusOf(s) != "CREATE_COMPLETE").Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Subset(waiting.ToHashSet(StringComparer.Ordinal), imageStacks.ToHashSet(StringComparer.Ordinal));

        // Then each image workflow's first run (the service workflows, the backup image workflow) as the generator wrote
        // it: the deploy role, and its create-only `deploy stacks` for the stack that runs the image it just pushed.
        // (Its scan gate and `deploy service` are rehearsed against ECS by DeployServiceRehearsalTests.)
        var imageWorkflows = output.Workflows.Where(w => w.Kind is WorkflowKind.ServiceDeploy or WorkflowKind.BackupImage).ToList();
        var firstRuns = 0;
        var beforeFirstRuns = bed.Iam.Calls.Count;
        foreach (var file in imageWorkflows)
        {
            var imageWorkflow = YamlJson.Parse(file.Content)!.AsObject();
            var jobName = file.Kind == WorkflowKind.ServiceDeploy ? "build-and-deploy" : "build-and-push";
            SimulatorCredentials? signer = null;
            foreach (var step in imageWorkflow["jobs"]![jobName]!["steps"]!.AsArray().Select(s => s!.AsObject()))
            {
                steps++;
                if (step["with"]?["role-to-assume"]?.GetValue<string>() is { } role)
                {
                    signer = bed.SignerFor(role.Replace(AccountVariable, Account, StringComparison.Ordinal));
                    continue;
                }

                foreach (var command in OttKitCommands(step["run"]?.GetValue<string>().Replace(AccountVariable, Account, StringComparison.Ordinal)))
                {
                    if (command is not ["deploy", "stacks", ..])
                    {
                        continue;
                    }

                    // The shell expands "$GITHUB_SHA" (the commit whose image the job pushed) before ottkit runs.
                    var args = command.Select(a => a.Replace("\"$GITHUB_SHA\"", "0123456789abcdef0123456789abcdef01234567", StringComparison.Ordinal)).ToArray();
                    for (var i = 0; i < args.Length - 1; i++)
                    {
                        if (args[i] == "--spec")
                        {
                            args[i + 1] = specPath;
                        }
                    }

                    Assert.Contains("--create-only", args);
                    var run = await bed.RunAsync(signer, args, StepVariables(step));
                    firstRuns++;
                    Assert.True(run.ExitCode == ExitCodes.Success, $"{file.Path}: ottkit {string.Join(' ', args)} exited {run.ExitCode}\n{Tail(run.Output)}\n{run.Error}\ndenied:\n{string.Join("\n", bed.Iam.Denied)}");
                }
            }
        }

        byJob["first-runs"] = bed.Iam.Calls.Skip(beforeFirstRuns).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(imageStacks.Count, firstRuns);

        // What depends on an image stack (the monitoring stack reads each service's target group) waited too: the next
        // infrastructure run (the next merge, or a workflow_dispatch) creates it, as its notice said.
        var dependents = output.StackSet.Stacks.Where(s => bed.StatusOf(s) != "CREATE_COMPLETE").Select(s => s.Name).ToList();
        Assert.Equal(waiting.Except(imageStacks).Order(StringComparer.Ordinal), dependents.Order(StringComparer.Ordinal));
        // The deploy job again for the stacks that waited. Rehearsal limit: re-planning the existing service stacks reads
        // the image each service runs from ECS, and the stacks' services are not in the ECS simulator (without
        // AttachEcs: ClusterNotFoundException; with it, the SDK adapter cannot read the simulator's DescribeServices
        // answer), so the second run is limited to the stacks that waited; in AWS the whole run plans the others as
        // unchanged.
        if (dependents.Count > 0)
        {
            await RunJobAsync("deploy", "deploy-again", [.. dependents]);
        }

        // The CI roles' calls (the service role's handler calls are counted by ServiceRoleSummary; the bootstrap's by the administrator apart).
        var calls = bed.Iam.Calls.Skip(bootstrapCalls).Where(c => !bed.IsServiceRole(c)).ToList();
        var actions = calls.Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var declared = StackDeployer.RequiredPermissions.Deploy.Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
        var plannedDeclared = StackDeployer.RequiredPermissions.Plan.Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
        var unused = declared.Except(actions).Order(StringComparer.Ordinal).ToList();
        var summary = $"{sample}: bootstrap by an administrator ({string.Join(", ", bootstrapStacks)}: {bootstrapCalls} calls, bucket created by the bootstrap stack, no OTTKIT_ARTIFACTS_BUCKET), then infrastructure workflow, then {firstRuns} image workflows' first runs{(dependents.Count > 0 ? $", then the infrastructure deploy job again ({string.Join(", ", dependents)} waited for them)" : string.Empty)}; {steps} steps read, {commands.Count + firstRuns} ottkit commands run ("
            + string.Join(", ", commands.Select(c => c.Split(' ')[0])) + $", {firstRuns} × deploy stacks --create-only), {calls.Count} AWS calls authorized ({actions.Count} distinct actions), "
            + $"{bed.Iam.Denied.Count} denied; stacks {bed.StackCount()} CREATE_COMPLETE of {output.StackSet.Stacks.Count}; "
            + $"declared but not called: {string.Join(", ", unused)}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        RehearsalSummary.Write($"infrastructure-{sample}", summary);
        var asRole = $"{sample}: {bed.ServiceRoleSummary()}";
        TestContext.Current.TestOutputHelper?.WriteLine(asRole);
        RehearsalSummary.Write($"infrastructure-{sample}-service-role", asRole);

        Assert.Empty(bed.Iam.Denied);
        Assert.Subset(declared, actions);
        Assert.Subset(plannedDeclared, byJob["plan"]);
        Assert.Equal(dependents.Count > 0 ? ["validate", "plan", "validate", "deploy", "validate", "deploy"] : ["validate", "plan", "validate", "deploy"], commands.Select(c => c.Split(" ")[0]));
        Assert.Contains("s3:PutObject", byJob["plan"]);
        Assert.Contains("kms:GenerateDataKey", byJob["plan"]);
        Assert.Contains("kms:Decrypt", byJob["plan"]);
        Assert.Contains("cloudformation:ExecuteChangeSet", byJob["deploy"]);
        Assert.Equal(output.StackSet.Stacks.Count, bed.StackCount());
        // Only the deploy job may execute: a plan never does.
        Assert.DoesNotContain("cloudformation:ExecuteChangeSet", byJob["plan"]);
    }

    /// <summary>
    /// The step's <c>env</c> as GitHub evaluates it for a new repository: no repository variables are set, so a
    /// <c>${{ vars.NAME }}</c> is empty.
    /// </summary>
    private static Dictionary<string, string> StepVariables(JsonObject step)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in step["env"]?.AsObject() ?? [])
        {
            if (value?.GetValue<string>() is { } text && VariableExpression().IsMatch(text))
            {
                variables[name] = VariableExpression().Replace(text, string.Empty);
            }
        }

        return variables;
    }

    [GeneratedRegex(@"\$\{\{\s*vars\.[A-Za-z0-9_]+\s*\}\}")]
    private static partial Regex VariableExpression();

    private static string Tail(string text) => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("  +", StringComparison.Ordinal)));

    private static string WithoutPlaceholders(string spec) => spec
        .Replace("111122223333", Account, StringComparison.Ordinal)
        .Replace("Z04821633OWL270EXAMPLE", "Z0482163REHEARSAL270", StringComparison.Ordinal)
        // The scaffold's placeholders: its all-zero certificate ids and example.com addresses.
        .Replace("certificate/00000000-0000-0000-0000-000000000000", "certificate/5e4a7c2d-9b1f-4c3e-8a6d-0f1e2d3c4b5a", StringComparison.Ordinal)
        .Replace("example.com", "acme-tv.in", StringComparison.Ordinal);

    private sealed class DirectoryCleanup(string path) : IDisposable
    {
        public void Dispose() => Directory.Delete(path, recursive: true);
    }

    /// <summary>The <c>ottkit</c> command lines of a step's script (an output redirection ends the arguments).</summary>
    private static IEnumerable<string[]> OttKitCommands(string? script)
    {
        if (script is null)
        {
            yield break;
        }

        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("ottkit ", StringComparison.Ordinal))
            {
                yield return [.. Words().Matches(line).Select(m => m.Value).Skip(1).TakeWhile(w => !w.StartsWith('>'))];
            }
        }
    }

    [GeneratedRegex(@"[^\s]+")]
    private static partial Regex Words();

    private sealed class Bed : IAsyncDisposable
    {
        private readonly S3rverProcess _s3rver;
        private readonly string _summary = Path.GetTempFileName();
        private readonly StackSet _set;

        private Bed(EnvironmentSpec spec, StackSet set, IamAuthority iam, VirtualClock clock, IReadOnlyList<CloudFormationSimulator> cfn, AwsRegionRouter router, EcsSimulator ecs, S3rverProcess s3rver, S3IamProxy s3)
        {
            Spec = spec;
            _set = set;
            Iam = iam;
            Clock = clock;
            CloudFormation = cfn;
            Router = router;
            Ecs = ecs;
            _s3rver = s3rver;
            S3 = s3;
        }

        public EnvironmentSpec Spec { get; }

        public IamAuthority Iam { get; }

        public VirtualClock Clock { get; }

        public IReadOnlyList<CloudFormationSimulator> CloudFormation { get; }

        public AwsRegionRouter Router { get; }

        public EcsSimulator Ecs { get; }

        public S3IamProxy S3 { get; }

        /// <summary>The artifacts bucket, once the bootstrap stack has created it (null before).</summary>
        public string? ArtifactsBucket { get; private set; }

        /// <summary>Its KMS key (the bootstrap stack's), once created.</summary>
        public string? ArtifactsKeyArn { get; private set; }

        public static async Task<Bed> StartAsync(EnvironmentSpec spec)
        {
            var ct = TestContext.Current.CancellationToken;
            var set = spec.Synthesize();
            var iam = new IamAuthority();
            iam.Add(new IamPrincipal(AdminKey.AccessKeyId, $"arn:aws:iam::{Account}:user/rehearsal-administrator",
                [JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!]));

            var clock = new VirtualClock();
            var cfn = new List<CloudFormationSimulator>();
            var handlerPermissions = CfnHandlerPermissions.From(Conformance.Require("cloudformation-schemas/resources"), Workmates.OttKit.Constructs.CloudFormationServiceRole.ActionsByResourceType);
            foreach (var region in set.Stacks.Select(s => s.Region).Prepend(spec.Region).Distinct(StringComparer.Ordinal))
            {
                cfn.Add(await CloudFormationSimulator.StartAsync(
                    new AwsSimulatorOptions { Clock = clock, Region = region, AccountId = Account, Credentials = [DeployKey, PlanKey, AdminKey], Iam = iam }, cancellationToken: ct));
                cfn[^1].ExecuteAsServiceRole(handlerPermissions);
            }

            var router = await AwsRegionRouter.StartAsync(cfn, ct);
            var ecs = await EcsSimulator.StartAsync(new AwsSimulatorOptions { Clock = clock, Region = spec.Region, AccountId = Account, Credentials = [DeployKey, PlanKey, AdminKey], Iam = iam }, cancellationToken: ct);
            // No bucket exists before the bootstrap: the stacks create them, in S3 as CloudFormation does.
            var s3rver = await S3rverProcess.StartAsync(null);
            var s3 = await S3IamProxy.StartAsync(new S3IamProxyOptions { Upstream = s3rver.Endpoint, Iam = iam, Region = spec.Region, AccountId = Account, Clock = clock }, ct);
            var bed = new Bed(spec, set, iam, clock, cfn, router, ecs, s3rver, s3);
            foreach (var simulator in cfn)
            {
                simulator.BucketCreated = bed.OnBucketCreated;
            }

            return bed;
        }

        /// <summary>
        /// The bootstrap stack created the artifacts bucket: it exists in s3rver from now on, behind the S3 IAM front with
        /// the synthesized bucket policy and SSE-KMS with the bootstrap stack's key and that key's policy. (The other
        /// buckets of the set are not used by these workflows.)
        /// </summary>
        private void OnBucketCreated(string stack, string logicalId, string name, JsonObject? properties)
        {
            if (stack != _set.BootstrapStackName || logicalId != "ArtifactsBucket")
            {
                return;
            }

            _s3rver.CreateBucket(name);

            var keyArn = properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?[0]?["ServerSideEncryptionByDefault"]?["KMSMasterKeyID"]?.GetValue<string>()
                ?? throw new InvalidOperationException("the artifacts bucket names no KMS key");
            ArtifactsBucket = name;
            ArtifactsKeyArn = keyArn;
            var policies = Policies();
            S3.AddBucket(new S3BucketAccess(name)
            {
                Policy = policies.Document(_set.BootstrapStackName, "ArtifactsBucketPolicy", "PolicyDocument"),
                KmsKeyArn = keyArn,
                KeyPolicy = policies.Document(_set.BootstrapStackName, "ArtifactsKey", "KeyPolicy"),
                BucketKeyEnabled = true,
            });
        }

        /// <summary>The synthesized policies, resolved with the bootstrap stack's bucket and key as created.</summary>
        private SynthesizedPolicies Policies()
        {
            var env = Spec.Name;
            var known = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ArtifactsBucket.Arn"] = $"arn:aws:s3:::{ArtifactsBucket}",
                ["ArtifactsBucket"] = ArtifactsBucket!,
                ["ArtifactsKey.Arn"] = ArtifactsKeyArn!,
                [$"{env}:bootstrap:ArtifactsBucketArn"] = $"arn:aws:s3:::{ArtifactsBucket}",
                [$"{env}:bootstrap:ArtifactsBucketName"] = ArtifactsBucket!,
                [$"{env}:bootstrap:ArtifactsKeyArn"] = ArtifactsKeyArn!,
            };
            return new SynthesizedPolicies(_set, Account, known, known);
        }

        /// <summary>The roles the administrator's ci stack created, as principals: the plan and deploy roles, the CloudFormation service role.</summary>
        public void RegisterCiRoles()
        {
            var env = Spec.Name;
            var policies = Policies();
            var ci = $"{env}-ci";
            Iam.Add(new IamPrincipal(DeployKey.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/{env}-ci-deploy/ottkit-{env}-stacks", policies.Of(ci, policies.RoleNamed(ci, $"{env}-ci-deploy"))));
            Iam.Add(new IamPrincipal(PlanKey.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/{env}-ci-plan/ottkit-{env}-plan", policies.Of(ci, policies.RoleNamed(ci, $"{env}-ci-plan"))));
            // Change sets execute AS the CloudFormation service role (its policy from the ci stack): see ExecuteAsServiceRole.
            Iam.Add(new IamPrincipal(ServiceRoleSession, $"arn:aws:sts::{Account}:assumed-role/{env}-cloudformation/AWSCloudFormation", policies.Of(ci, policies.RoleNamed(ci, $"{env}-cloudformation"))));
        }

        public SimulatorCredentials SignerFor(string roleArn) =>
            roleArn.EndsWith($":role/{Spec.Name}-ci-deploy", StringComparison.Ordinal) ? DeployKey
            : roleArn.EndsWith($":role/{Spec.Name}-ci-plan", StringComparison.Ordinal) ? PlanKey
            : throw new InvalidOperationException($"the workflow assumes a role the rehearsal does not know: {roleArn}");

        public bool IsServiceRole(IamCall call) => call.Principal.Contains($":assumed-role/{Spec.Name}-cloudformation/", StringComparison.Ordinal);

        /// <summary>What the stacks' resources called as the service role, and where the handler permissions came from.</summary>
        public string ServiceRoleSummary()
        {
            var asRole = Iam.Calls.Where(IsServiceRole).ToList();
            var permissions = CfnHandlerPermissions.From(Conformance.Require("cloudformation-schemas/resources"), Workmates.OttKit.Constructs.CloudFormationServiceRole.ActionsByResourceType);
            var types = Spec.Synthesize().Stacks.SelectMany(s => s.Template.Resources.Values.Select(r => r.Type)).Distinct(StringComparer.Ordinal).ToList();
            return $"change sets executed as {Spec.Name}-cloudformation, {asRole.Count} handler calls authorized as the service role "
                + $"({asRole.Select(c => c.Action).Distinct(StringComparer.Ordinal).Count()} distinct actions), {asRole.Count(c => c.Decision != IamDecision.Allowed)} denied; "
                + $"{types.Count} resource types, handler permissions from: "
                + string.Join(", ", types.GroupBy(permissions.SourceOf).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))
                + (types.Any(t => permissions.SourceOf(t) == "none") ? $" (none: {string.Join(", ", types.Where(t => permissions.SourceOf(t) == "none"))})" : string.Empty);
        }

        public string? StatusOf(global::Workmates.OttKit.Blueprint.Stack stack) => CloudFormation.Single(c => c.Region == stack.Region).StackStatus(stack.Name);

        public int StackCount() => CloudFormation.Sum(c => Spec.Synthesize().Stacks.Count(s => s.Region == c.Region && c.StackStatus(s.Name) == "CREATE_COMPLETE"));

        public async Task<(int ExitCode, string Output, string Error)> RunAsync(SimulatorCredentials? credentials, string[] args, IReadOnlyDictionary<string, string>? stepVariables = null)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_REGION"] = Spec.Region,
                ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = Router.Endpoint.ToString(),
                ["AWS_ENDPOINT_URL_ECS"] = Ecs.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_S3"] = S3.Endpoint.ToString(),
                ["GITHUB_STEP_SUMMARY"] = _summary,
                ["CI"] = "true",
            };
            foreach (var (name, value) in stepVariables ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            if (credentials is not null)
            {
                variables["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
                variables["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
            }

            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = await Clock.RunAsync(
                OttKitCommandLine.InvokeAsync(args, output, error, new CliEnvironment(variables, Clock, OutputIsTerminal: false), TestContext.Current.CancellationToken),
                cancellationToken: TestContext.Current.CancellationToken);
            return (exitCode, output.ToString(), error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            await S3.DisposeAsync();
            _s3rver.Dispose();
            await Ecs.DisposeAsync();
            await Router.DisposeAsync();
            foreach (var simulator in CloudFormation)
            {
                await simulator.DisposeAsync();
            }

            File.Delete(_summary);
        }
    }
}
