using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Simulators.Storage;

namespace Workmates.OttKit.Testing;

/// <summary>
/// The whole-environment first deploy, rehearsed without AWS: the spec synthesized; its security groups walked for
/// reachability and its task definitions, images and hosts checked for one CPU architecture; then the generated
/// workflows run as a new environment runs them — the administrator's bootstrap, the infrastructure workflow's plan and
/// deploy jobs under the plan and deploy roles, each image workflow's first run, and the infrastructure deploy job again
/// for the stacks that waited — against the CloudFormation (with its service role), ECS and S3 simulators with IAM
/// enforced. See docs/rehearsal.md for what it proves and what only AWS can.
/// </summary>
public static partial class Rehearsal
{
    private const string DefaultAccount = "246813579024";
    private const string AccountVariable = "${{ vars.AWS_ACCOUNT_ID }}";
    private const string RehearsalWorkflow = "rehearsal";

    /// <summary>Rehearses the environment of a spec file (YAML or JSON, as <c>--spec</c> takes it).</summary>
    /// <param name="specPath">The spec file.</param>
    /// <param name="options">Settings; null for the defaults (every workflow step's <c>ottkit</c> commands run in process, see <see cref="InProcessCommandLine"/>).</param>
    /// <param name="cancellationToken">Cancels the rehearsal.</param>
    /// <returns>The report: steps, calls, denials, findings.</returns>
    /// <exception cref="OttKitValidationException">The spec is invalid (after placeholder replacement).</exception>
    public static async Task<RehearsalReport> RunAsync(string specPath, RehearsalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specPath);
        options ??= new RehearsalOptions();
        var text = await File.ReadAllTextAsync(specPath, cancellationToken).ConfigureAwait(false);
        var original = EnvironmentSpec.Parse(text, Path.GetFileName(specPath));
        var account = options.AccountId ?? (original.AccountId is { } id && id is not ("111122223333" or "123456789012") ? id : DefaultAccount);
        var replaced = new List<string>();
        if (options.ReplacePlaceholders)
        {
            text = WithoutPlaceholders(text, account, replaced);
        }

        var ownDirectory = options.WorkingDirectory is null;
        var directory = options.WorkingDirectory ?? Directory.CreateTempSubdirectory("ottkit-rehearsal-").FullName;
        try
        {
            var copy = Path.Combine(directory, Path.GetFileName(specPath));
            await File.WriteAllTextAsync(copy, text, cancellationToken).ConfigureAwait(false);
            var spec = EnvironmentSpec.Load(copy);
            var run = new Run(spec, copy, account, options, directory);
            return await run.ExecuteAsync(replaced, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownDirectory)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string WithoutPlaceholders(string spec, string account, List<string> replaced)
    {
        (string From, string To)[] replacements =
        [
            ("111122223333", account),
            ("123456789012", account),
            ("Z04821633OWL270EXAMPLE", "Z0482163REHEARSAL270"),
            ("certificate/00000000-0000-0000-0000-000000000000", "certificate/5e4a7c2d-9b1f-4c3e-8a6d-0f1e2d3c4b5a"),
            ("example.com", "ottkit-rehearsal.in"),
        ];
        foreach (var (from, to) in replacements)
        {
            if (spec.Contains(from, StringComparison.Ordinal))
            {
                replaced.Add($"{from} → {to}");
                spec = spec.Replace(from, to, StringComparison.Ordinal);
            }
        }

        return spec;
    }

    /// <summary>The <c>ottkit</c> command lines of a step's script (an output redirection ends the arguments).</summary>
    internal static IEnumerable<string[]> OttKitCommands(string? script)
    {
        if (script is null)
        {
            yield break;
        }

        foreach (var line in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("ottkit ", StringComparison.Ordinal))
            {
                yield return [.. Words().Matches(line).Select(m => m.Value).Skip(1).TakeWhile(w => !w.StartsWith('>') && w != "|")];
            }
        }
    }

    [GeneratedRegex(@"[^\s]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"\$\{\{\s*vars\.[A-Za-z0-9_]+\s*\}\}")]
    private static partial Regex VariableExpression();

    [GeneratedRegex("^[a-z]+[0-9]+[a-z]*g[a-z]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Graviton();

    /// <summary>The step's <c>env</c> as GitHub evaluates it for a new repository: no repository variables, so <c>${{ vars.NAME }}</c> is empty.</summary>
    private static Dictionary<string, string> StepVariables(JsonObject step)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in step["env"]?.AsObject() ?? [])
        {
            if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text) && VariableExpression().IsMatch(text))
            {
                variables[name] = VariableExpression().Replace(text, string.Empty);
            }
        }

        return variables;
    }

    private static string CpuFamily(string instanceType)
    {
        var family = instanceType.Split('.')[0];
        return family == "a1" || Graviton().IsMatch(family) ? "ARM64" : "X86_64";
    }

    private static string Tail(string text, int lines = 12) =>
        string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("  +", StringComparison.Ordinal) && l.Trim().Length > 0).TakeLast(lines));

    /// <summary>Every finding of the architecture check: hosts, task definitions and image builds of one CPU architecture.</summary>
    internal static List<RehearsalFinding> ArchitectureFindings(EnvironmentSpec spec, StackSet set, IReadOnlyList<WorkflowFile> workflows)
    {
        var findings = new List<RehearsalFinding>();
        var clusterStack = set.Stacks.FirstOrDefault(s => s.Name == $"{spec.Name}-cluster");
        var group = clusterStack?.Template.Resources.Values.FirstOrDefault(r => r.Type == "AWS::AutoScaling::AutoScalingGroup");
        if (group?.Properties.TryGetValue("MixedInstancesPolicy", out var policy) != true)
        {
            return findings;
        }

        var overrides = (CfnList)((CfnObject)((CfnObject)policy!)["LaunchTemplate"])["Overrides"];
        var architectures = overrides.Cast<CfnObject>().Select(o => CpuFamily(((CfnScalar)o["InstanceType"]).Text!)).Distinct(StringComparer.Ordinal).ToList();
        if (architectures.Count != 1)
        {
            findings.Add(new("architecture", clusterStack!.Name, $"the cluster's hosts mix {string.Join(" and ", architectures)}: one image cannot run on all of them"));
            return findings;
        }

        var architecture = architectures[0];
        if (clusterStack!.Template.Parameters.TryGetValue("EcsAmiId", out var ami) && ami.Default is { } path && architecture == "ARM64" != path.Contains("/arm64/", StringComparison.Ordinal))
        {
            findings.Add(new("architecture", $"{clusterStack.Name}/EcsAmiId", $"the hosts are {architecture} but the AMI parameter '{path}' boots the other architecture"));
        }

        foreach (var stack in set.Stacks)
        {
            foreach (var definition in stack.Template.Resources.Values.Where(r => r.Type == "AWS::ECS::TaskDefinition"))
            {
                var declared = definition.Properties.TryGetValue("RuntimePlatform", out var platform) && ((CfnObject)platform).TryGetValue("CpuArchitecture", out var cpu) ? (cpu as CfnScalar)?.Text : null;
                if (declared != architecture)
                {
                    findings.Add(new("architecture", $"{stack.Name}/{definition.LogicalId}", $"the task definition declares {declared ?? "no"} CPU architecture but the cluster's hosts are {architecture}: ECS cannot place it (or the image fails with 'exec format error')"));
                }
            }
        }

        var expected = architecture == "ARM64" ? "linux/arm64" : "linux/amd64";
        foreach (var file in workflows.Where(w => w.Kind is WorkflowKind.ServiceDeploy or WorkflowKind.BackupImage))
        {
            var job = file.Kind == WorkflowKind.ServiceDeploy ? "build-and-deploy" : "build-and-push";
            var build = (YamlJson.Parse(file.Content)?["jobs"]?[job]?["steps"] as JsonArray)?.FirstOrDefault(s => s?["id"]?.GetValue<string>() == "image");
            var platforms = build?["env"]?["PLATFORMS"]?.GetValue<string>();
            if (platforms != expected)
            {
                findings.Add(new("architecture", file.Path, $"the image is built for {platforms ?? "no declared platform"} but the cluster's hosts are {architecture} ({expected})"));
            }
        }

        return findings;
    }

    /// <summary>Every finding of the reachability check: the VPN host reaches every host on the admin SSH port; MongoDB only from its declared clients.</summary>
    internal static List<RehearsalFinding> ReachabilityFindings(EnvironmentSpec spec, StackSet set)
    {
        var findings = new List<RehearsalFinding>();
        var network = new Reachability(set);
        var endpoints = network.Endpoints();
        var members = endpoints.Where(e => e.Kind == "mongodb-member").ToList();
        if (spec.AdminAccess is { } admin && endpoints.FirstOrDefault(e => e.Kind == "vpn") is { } vpn)
        {
            foreach (var target in endpoints.Where(e => e.Kind is "ecs-host" or "mongodb-member"))
            {
                var verdict = network.Tcp(vpn, target, admin.SshPort);
                if (!verdict.Allowed)
                {
                    findings.Add(new("reachability", $"{vpn.Name} → {target.Name} tcp/{admin.SshPort}", $"the VPN host cannot reach it on the admin SSH port: {verdict.Reason}"));
                }

                if (network.Tcp(vpn, target, 22).Allowed)
                {
                    findings.Add(new("reachability", $"{vpn.Name} → {target.Name} tcp/22", "the standard SSH port is open from the VPN host (sshd listens on the admin port only)"));
                }
            }
        }

        if (spec.Database is { } database && members.Count > 0)
        {
            var clients = (database.ClientServices ?? [.. spec.Services.Select(s => s.Name)]).ToHashSet(StringComparer.Ordinal);
            bool Declared(NetworkEndpoint e) => e.Kind switch
            {
                "mongodb-member" => true,
                "service-task" => clients.Any(s => e.Name.StartsWith($"{spec.Name}-{PlatformNaming.ServicePart(s)}/", StringComparison.Ordinal)),
                "scheduled-task" => e.Name.StartsWith($"{spec.Name}-{PlatformNaming.DatabaseBackupPart}/", StringComparison.Ordinal),
                _ => false,
            };

            foreach (var endpoint in endpoints)
            {
                var reaches = members.Where(m => network.Tcp(endpoint, m, SpecDefaults.MongoPort).Allowed).ToList();
                if (Declared(endpoint) && reaches.Count < members.Count)
                {
                    var missing = members.Except(reaches).First();
                    findings.Add(new("reachability", $"{endpoint.Name} → {missing.Name} tcp/{SpecDefaults.MongoPort}", $"a declared MongoDB client cannot reach the member: {network.Tcp(endpoint, missing, SpecDefaults.MongoPort).Reason}"));
                }
                else if (!Declared(endpoint) && reaches.Count > 0)
                {
                    findings.Add(new("reachability", $"{endpoint.Name} → {reaches[0].Name} tcp/{SpecDefaults.MongoPort}", $"reaches MongoDB but is not a declared client ({network.Tcp(endpoint, reaches[0], SpecDefaults.MongoPort).Reason})"));
                }
            }
        }

        return findings;
    }

    /// <summary>The handler permissions of the registry schemas the library embeds (every type it emits), with its fallback table.</summary>
    private static CfnHandlerPermissions HandlerPermissions()
    {
        const string prefix = "Workmates.OttKit.Schemas.";
        var assembly = typeof(EnvironmentSpec).Assembly;
        var handlers = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            if (JsonNode.Parse(stream) is JsonObject schema && schema["typeName"]?.GetValue<string>() is { } type && schema["handlers"] is JsonObject handler)
            {
                handlers[type] = (JsonObject)handler.DeepClone();
            }
        }

        return CfnHandlerPermissions.FromHandlers(handlers, CloudFormationServiceRole.ActionsByResourceType);
    }

    private sealed partial class Run(EnvironmentSpec spec, string specPath, string account, RehearsalOptions options, string directory)
    {
        private static readonly SimulatorCredentials DeployKey = new("AKIAREHEARSALDEPLOY1", "rehearsal/deploy/role/session/EXAMPLEKEY");
        private static readonly SimulatorCredentials PlanKey = new("AKIAREHEARSALPLAN001", "rehearsal/plan/role/session/EXAMPLEKEY00");
        private static readonly SimulatorCredentials AdminKey = new("AKIAREHEARSALADMIN01", "rehearsal/admin/user/EXAMPLEKEY0000000000");

        // The service role's session never signs a request (CloudFormation acts as it): a key id only names the principal.
        private const string ServiceRoleSession = "ASIAREHEARSALCFNROLE";

        private readonly TimedSteps _steps = new();
        private readonly VirtualClock _clock = new();
        private readonly IamAuthority _iam = new();
        private StackSet _set = null!;
        private readonly List<CloudFormationSimulator> _cfn = [];
        private AwsRegionRouter? _router;
        private EcsSimulator? _ecs;
        private InMemoryS3Server? _s3server;
        private SecretsManagerSimulator? _secrets;
        private ElbV2Simulator? _elb;
        private CloudWatchSimulator? _cloudWatch;
        private bool _ciRoles;
        private S3IamProxy? _s3;
        private string? _bucket;
        private string? _keyArn;

        public async Task<RehearsalReport> ExecuteAsync(List<string> replaced, CancellationToken cancellationToken)
        {
            var output = Outputs.EnvironmentOutput.Synthesize(spec);
            _set = spec.Synthesize();
            options.Seed?.Invoke(_set);
            var workflows = options.SeedWorkflows?.Invoke(output.Workflows) ?? output.Workflows;
            Check("synthesize", $"{output.StackSet.Stacks.Count} stacks, {workflows.Count} workflows" + (replaced.Count > 0 ? $"; placeholders replaced: {string.Join(", ", replaced)}" : string.Empty), []);
            var architecture = ArchitectureFindings(spec, _set, workflows);
            Check("architecture", "hosts, task definitions, AMIs and image builds of one CPU architecture", architecture);
            var reachability = ReachabilityFindings(spec, _set);
            Check("reachability", "security groups, network ACLs and routes walked from every endpoint", reachability);
            var workflowSources = WorkflowSourceFindings(spec, workflows);
            Check("workflow sources", "every workflow's repository and checkouts declared by ci.owner/ci.repositories; ottkit installed and OttKit source checked out as ci.tool names them", workflowSources);
            var stackFindings = new List<RehearsalFinding>();
            if (options.CommandLine is null)
            {
                _steps.Add(new(_steps.Count + 1, RehearsalWorkflow, "workflows", "bootstrap, infrastructure workflow, image workflows' first runs", null, RehearsalVerdict.Skipped, 0, 0, 0, "no command line given (RehearsalOptions.CommandLine): only the static checks ran"));
            }
            else
            {
                try
                {
                    await StartAsync(cancellationToken).ConfigureAwait(false);
                    await RunWorkflowsAsync(workflows, stackFindings, cancellationToken).ConfigureAwait(false);
                    if (options.TaskSteps)
                    {
                        await RunTaskStepsAsync(workflows, stackFindings, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await StopAsync().ConfigureAwait(false);
                }
            }

            return new RehearsalReport
            {
                Environment = spec.Name,
                Steps = _steps,
                Calls = [.. _iam.Calls.Select(c => new RehearsalCall(c.Principal, c.Action, c.Resource, c.Decision == IamDecision.Allowed, c.Decision == IamDecision.Allowed ? null : IamAuthority.DeniedMessage(c)))],
                ReachabilityFindings = reachability,
                ArchitectureFindings = architecture,
                WorkflowFindings = workflowSources,
                StackFindings = stackFindings,
                StacksCreated = options.CommandLine is null ? 0 : StackCount(),
                StacksTotal = _set.Stacks.Count,
            };
        }

        private void Check(string name, string what, List<RehearsalFinding> findings) =>
            _steps.Add(new(_steps.Count + 1, RehearsalWorkflow, name, what, null, findings.Count == 0 ? RehearsalVerdict.Passed : RehearsalVerdict.Failed, findings.Count == 0 ? 0 : 1, 0, 0,
                findings.Count == 0 ? string.Empty : string.Join('\n', findings.Select(f => $"{f.Subject}: {f.Message}"))));

        private async Task StartAsync(CancellationToken cancellationToken)
        {
            _iam.Add(new IamPrincipal(AdminKey.AccessKeyId, $"arn:aws:iam::{account}:user/rehearsal-administrator",
                [JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!]));
            var permissions = HandlerPermissions();
            foreach (var region in _set.Stacks.Select(s => s.Region).Prepend(spec.Region).Distinct(StringComparer.Ordinal))
            {
                _cfn.Add(await CloudFormationSimulator.StartAsync(
                    new AwsSimulatorOptions { Clock = _clock, Region = region, AccountId = account, Credentials = [DeployKey, PlanKey, AdminKey], Iam = _iam }, cancellationToken: cancellationToken).ConfigureAwait(false));
                _cfn[^1].ExecuteAsServiceRole(permissions);
                _cfn[^1].BucketCreated = OnBucketCreated;
            }

            _router = await AwsRegionRouter.StartAsync(_cfn, cancellationToken).ConfigureAwait(false);
            var simulatorOptions = new AwsSimulatorOptions { Clock = _clock, Region = spec.Region, AccountId = account, Credentials = AllKeys, Iam = _iam };
            _ecs = await EcsSimulator.StartAsync(simulatorOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (options.TaskSteps)
            {
                _elb = await ElbV2Simulator.StartAsync(_ecs, cancellationToken: cancellationToken).ConfigureAwait(false);
                _cloudWatch = await CloudWatchSimulator.StartAsync(_ecs, cancellationToken: cancellationToken).ConfigureAwait(false);
                _secrets = await SecretsManagerSimulator.StartAsync(simulatorOptions, cancellationToken).ConfigureAwait(false);
            }

            _s3server = await InMemoryS3Server.StartAsync(cancellationToken).ConfigureAwait(false);
            _s3 = await S3IamProxy.StartAsync(new S3IamProxyOptions { Upstream = _s3server.Endpoint, Iam = _iam, Region = spec.Region, AccountId = account, Clock = _clock }, cancellationToken).ConfigureAwait(false);
        }

        private async Task StopAsync()
        {
            if (_s3 is not null)
            {
                await _s3.DisposeAsync().ConfigureAwait(false);
            }

            if (_s3server is not null)
            {
                await _s3server.DisposeAsync().ConfigureAwait(false);
            }

            if (_secrets is not null)
            {
                await _secrets.DisposeAsync().ConfigureAwait(false);
            }

            if (_cloudWatch is not null)
            {
                await _cloudWatch.DisposeAsync().ConfigureAwait(false);
            }

            if (_elb is not null)
            {
                await _elb.DisposeAsync().ConfigureAwait(false);
            }

            if (_ecs is not null)
            {
                await _ecs.DisposeAsync().ConfigureAwait(false);
            }

            if (_router is not null)
            {
                await _router.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var simulator in _cfn)
            {
                await simulator.DisposeAsync().ConfigureAwait(false);
            }
        }

        private async Task RunWorkflowsAsync(IReadOnlyList<WorkflowFile> workflows, List<RehearsalFinding> findings, CancellationToken cancellationToken)
        {
            // The bootstrap, as docs/pipelines.md documents it: an administrator deploys the bootstrap stack (the artifacts
            // bucket) and the ci stack (the roles). No bucket exists before.
            var hasCi = _set.Stacks.Any(s => s.Name == $"{spec.Name}-ci");
            string[] bootstrapStacks = hasCi ? [_set.BootstrapStackName, $"{spec.Name}-ci"] : [_set.BootstrapStackName];
            var bootstrap = await CommandAsync("bootstrap (docs/pipelines.md)", "administrator", AdminKey, $"arn:aws:iam::{account}:user/rehearsal-administrator",
                ["deploy", "stacks", "--spec", specPath, "--strict", "--yes", .. bootstrapStacks.SelectMany(s => new[] { "--stack", s })], null, ExitAccepted.Success, cancellationToken).ConfigureAwait(false);
            if (!bootstrap || _bucket is null)
            {
                findings.Add(new("stacks", string.Join(", ", bootstrapStacks), _bucket is null && bootstrap ? "the bootstrap created no artifacts bucket: the first workflow run has nowhere to put its templates" : "the administrator's bootstrap failed; no workflow can run"));
                return;
            }

            if (!hasCi)
            {
                // No `ci` section (a fresh scaffold keeps it commented out): no CI roles are synthesized, so no workflow
                // can assume its role. Nothing more to rehearse, and nothing to blame on the stacks.
                _steps.Add(new(_steps.Count + 1, RehearsalWorkflow, "workflows", "infrastructure workflow, image workflows' first runs", null, RehearsalVerdict.Skipped, 0, 0, 0,
                    $"the spec has no `ci` section, so the stack set has no {spec.Name}-ci stack and no CI roles for the workflows to assume: add `ci:` (owner, repositories) to rehearse them (docs/pipelines.md)"));
                return;
            }

            RegisterCiRoles();
            var infrastructure = workflows.Single(w => w.Kind == WorkflowKind.Infrastructure);
            var workflow = YamlJson.Parse(infrastructure.Content)!.AsObject();
            await JobAsync(infrastructure.Path, workflow, "plan", [], cancellationToken).ConfigureAwait(false);
            await JobAsync(infrastructure.Path, workflow, "deploy", [], cancellationToken).ConfigureAwait(false);

            foreach (var file in workflows.Where(w => w.Kind is WorkflowKind.ServiceDeploy or WorkflowKind.BackupImage))
            {
                var imageWorkflow = YamlJson.Parse(file.Content)!.AsObject();
                var job = file.Kind == WorkflowKind.ServiceDeploy ? "build-and-deploy" : "build-and-push";
                await JobAsync(file.Path, imageWorkflow, job, [], cancellationToken, onlyCreateStacks: true).ConfigureAwait(false);
            }

            // What depends on an image stack (the monitoring stack reads the services' target groups) waited too: the
            // next infrastructure run creates it. The rehearsal limits that run to the stacks that waited (docs/rehearsal.md).
            var waiting = _set.Stacks.Where(s => StatusOf(s) != "CREATE_COMPLETE").Select(s => s.Name).ToList();
            if (waiting.Count > 0)
            {
                await JobAsync(infrastructure.Path, workflow, "deploy", waiting, cancellationToken).ConfigureAwait(false);
            }

            foreach (var stack in _set.Stacks.Where(s => StatusOf(s) != "CREATE_COMPLETE"))
            {
                findings.Add(new("stacks", stack.Name, $"not created by the first runs of the workflows ({StatusOf(stack) ?? "never started"})"));
            }
        }

        private async Task JobAsync(string file, JsonObject workflow, string job, List<string> onlyStacks, CancellationToken cancellationToken, bool onlyCreateStacks = false)
        {
            SimulatorCredentials? signer = null;
            string? principal = null;
            var name = Path.GetFileName(file);
            foreach (var step in (workflow["jobs"]?[job]?["steps"] as JsonArray ?? []).Select(s => s!.AsObject()))
            {
                if (step["with"]?["role-to-assume"]?.GetValue<string>() is { } role)
                {
                    (signer, principal) = SignerFor(role.Replace(AccountVariable, account, StringComparison.Ordinal));
                    continue;
                }

                foreach (var command in OttKitCommands(step["run"]?.GetValue<string>().Replace(AccountVariable, account, StringComparison.Ordinal)))
                {
                    if (command.Length == 0)
                    {
                        continue;
                    }

                    if (command[0] == "rehearse")
                    {
                        _steps.Add(new(_steps.Count + 1, name, job, "ottkit " + string.Join(' ', command), null, RehearsalVerdict.Skipped, 0, 0, 0, "this rehearsal"));
                        continue;
                    }

                    if (onlyCreateStacks && command is not ["deploy", "stacks", ..])
                    {
                        // The image workflows' scan gate and `deploy service` need a pushed image and a running service:
                        // DeployServiceRehearsalTests rehearses them against ECS (docs/rehearsal.md).
                        continue;
                    }

                    var args = command.Select(a => a.Replace(AccountVariable, account, StringComparison.Ordinal)
                        .Replace("\"$GITHUB_SHA\"", "0123456789abcdef0123456789abcdef01234567", StringComparison.Ordinal)).ToArray();
                    for (var i = 0; i < args.Length - 1; i++)
                    {
                        if (args[i] == "--spec")
                        {
                            args[i + 1] = specPath;
                        }
                    }

                    if (args[0] == "deploy" && onlyStacks.Count > 0)
                    {
                        args = [.. args, .. onlyStacks.SelectMany(s => new[] { "--stack", s })];
                    }

                    // The plan step accepts 0 (no changes) and 2 (changes to review), as its script does.
                    await CommandAsync(name, job, signer, principal, args, StepVariables(step), args[0] == "plan" ? ExitAccepted.SuccessOrChanges : ExitAccepted.Success, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private enum ExitAccepted
        {
            Success,
            SuccessOrChanges,
        }

        private async Task<bool> CommandAsync(string workflow, string job, SimulatorCredentials? signer, string? principal, string[] args, IReadOnlyDictionary<string, string>? stepVariables, ExitAccepted accepted, CancellationToken cancellationToken)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_REGION"] = spec.Region,
                ["AWS_ENDPOINT_URL_CLOUDFORMATION"] = _router!.Endpoint.ToString(),
                ["AWS_ENDPOINT_URL_ECS"] = _ecs!.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_S3"] = _s3!.Endpoint.ToString(),
                ["GITHUB_STEP_SUMMARY"] = Path.Combine(directory, "step-summary.md"),
                ["CI"] = "true",
            };
            foreach (var (name, value) in stepVariables ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            if (signer is not null)
            {
                variables["AWS_ACCESS_KEY_ID"] = signer.AccessKeyId;
                variables["AWS_SECRET_ACCESS_KEY"] = signer.SecretAccessKey;
            }

            var before = _iam.Calls.Count;
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            int exitCode;
            try
            {
                exitCode = await _clock.RunAsync(options.CommandLine!(new RehearsalCommand(args, variables, _clock, output, error), cancellationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                exitCode = -1;
                await error.WriteLineAsync($"the command did not finish: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }

            var calls = _iam.Calls.Skip(before).ToList();
            var denied = calls.Where(c => c.Decision != IamDecision.Allowed).ToList();
            var ok = (accepted == ExitAccepted.SuccessOrChanges ? exitCode is 0 or 2 : exitCode == 0) && denied.Count == 0;
            var detail = ok ? string.Empty : $"exit code {exitCode}\n{Tail(output.ToString())}\n{Tail(error.ToString())}".TrimEnd()
                + (denied.Count == 0 ? string.Empty : "\n" + string.Join('\n', denied.Select(IamAuthority.DeniedMessage)));
            var shown = string.Join(' ', args.Select(a => a == specPath ? Path.GetFileName(specPath) : a));
            _steps.Add(new(_steps.Count + 1, workflow, job, "ottkit " + shown, principal, ok ? RehearsalVerdict.Passed : RehearsalVerdict.Failed, exitCode, calls.Count, denied.Count, detail));
            return ok;
        }

        /// <summary>The bootstrap stack created the artifacts bucket: it exists from now on, behind the S3 IAM front with its synthesized bucket policy and SSE-KMS key policy.</summary>
        private void OnBucketCreated(string stack, string logicalId, string name, JsonObject? properties)
        {
            if (stack == $"{spec.Name}-{PlatformNaming.BackupsPart}" && logicalId == "BackupBucket")
            {
                _backupBucket = name;
            }

            if (stack != _set.BootstrapStackName || logicalId != "ArtifactsBucket")
            {
                return;
            }

            _s3server!.CreateBucket(name);
            var keyArn = properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?[0]?["ServerSideEncryptionByDefault"]?["KMSMasterKeyID"]?.GetValue<string>()
                ?? throw new InvalidOperationException("the artifacts bucket names no KMS key");
            _bucket = name;
            _keyArn = keyArn;
            var policies = Policies();
            _s3!.AddBucket(new S3BucketAccess(name)
            {
                Policy = policies.Document(_set.BootstrapStackName, "ArtifactsBucketPolicy", "PolicyDocument"),
                KmsKeyArn = keyArn,
                KeyPolicy = policies.Document(_set.BootstrapStackName, "ArtifactsKey", "KeyPolicy"),
                BucketKeyEnabled = true,
            });
        }

        private SynthesizedPolicies Policies()
        {
            var env = spec.Name;
            var known = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ArtifactsBucket.Arn"] = $"arn:aws:s3:::{_bucket}",
                ["ArtifactsBucket"] = _bucket!,
                ["ArtifactsKey.Arn"] = _keyArn!,
                [$"{env}:bootstrap:ArtifactsBucketArn"] = $"arn:aws:s3:::{_bucket}",
                [$"{env}:bootstrap:ArtifactsBucketName"] = _bucket!,
                [$"{env}:bootstrap:ArtifactsKeyArn"] = _keyArn!,
            };
            return new SynthesizedPolicies(_set, account, known, known);
        }

        /// <summary>The roles the administrator's ci stack created, as principals: the plan and deploy roles, the CloudFormation service role.</summary>
        private void RegisterCiRoles()
        {
            var env = spec.Name;
            var policies = Policies();
            var ci = $"{env}-ci";
            _iam.Add(new IamPrincipal(DeployKey.AccessKeyId, DeployPrincipal, policies.Of(ci, policies.RoleNamed(ci, $"{env}-ci-deploy"))));
            _iam.Add(new IamPrincipal(PlanKey.AccessKeyId, PlanPrincipal, policies.Of(ci, policies.RoleNamed(ci, $"{env}-ci-plan"))));
            // Change sets execute AS the CloudFormation service role (its policy from the ci stack).
            _ciRoles = true;
            _iam.Add(new IamPrincipal(ServiceRoleSession, $"arn:aws:sts::{account}:assumed-role/{env}-cloudformation/AWSCloudFormation", policies.Of(ci, policies.RoleNamed(ci, $"{env}-cloudformation"))));
        }

        private string DeployPrincipal => $"arn:aws:sts::{account}:assumed-role/{spec.Name}-ci-deploy/ottkit-{spec.Name}-stacks";

        private string PlanPrincipal => $"arn:aws:sts::{account}:assumed-role/{spec.Name}-ci-plan/ottkit-{spec.Name}-plan";

        private (SimulatorCredentials, string) SignerFor(string roleArn) =>
            roleArn.EndsWith($":role/{spec.Name}-ci-deploy", StringComparison.Ordinal) ? (DeployKey, DeployPrincipal)
            : roleArn.EndsWith($":role/{spec.Name}-ci-plan", StringComparison.Ordinal) ? (PlanKey, PlanPrincipal)
            : throw new InvalidOperationException($"the workflow assumes a role the rehearsal does not know: {roleArn}");

        private string? StatusOf(Blueprint.Stack stack) => _cfn.Single(c => c.Region == stack.Region).StackStatus(stack.Name);

        private int StackCount() => _set.Stacks.Count(s => StatusOf(s) == "CREATE_COMPLETE");
    }
}
