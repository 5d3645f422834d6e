using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Cli;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The start of the rehearsal (issue 13): each sample synthesized, then <c>ottkit deploy service</c> for every service
/// and <c>ottkit rollback service</c> for the first, exactly as the service workflows run them, signed as the
/// synthesized CI deploy role, against the ECS, ELBv2 and CloudWatch simulators with IAM enforced. Every call must be
/// allowed, every action called must be declared by <see cref="ServiceDeployer.RequiredPermissions"/>, and the same
/// run under the plan role must be denied the way AWS denies it.
/// </summary>
public sealed class DeployServiceRehearsalTests
{
    private const string Account = "123456789012";

    private static readonly SimulatorCredentials DeployKey = new("AKIAREHEARSALDEPLOY1", "rehearsal/deploy/role/session/EXAMPLEKEY");
    private static readonly SimulatorCredentials PlanKey = new("AKIAREHEARSALPLAN001", "rehearsal/plan/role/session/EXAMPLEKEY00");

    [Theory(Timeout = TestTimeouts.Default)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task Deploy_and_rollback_of_every_service_under_the_synthesized_deploy_role_make_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        await using var bed = await Bed.StartAsync(spec, sample);

        foreach (var service in spec.Services)
        {
            var deploy = await bed.RunAsync(DeployKey, "deploy", "service", "--spec", bed.SpecPath, "--service", service.Name, "--image", "2");
            Assert.True(deploy.ExitCode == ExitCodes.Success, $"{service.Name}: exit {deploy.ExitCode}\n{deploy.Output}\n{deploy.Error}\ndenied: {string.Join("\n", bed.Iam.Denied)}");
        }

        var first = spec.Services[0].Name;
        var rollback = await bed.RunAsync(DeployKey, "rollback", "service", "--spec", bed.SpecPath, "--service", first, "--deregister");
        Assert.True(rollback.ExitCode == ExitCodes.Success, $"rollback: exit {rollback.ExitCode}\n{rollback.Output}\n{rollback.Error}");

        var calls = bed.Iam.Calls;
        var actions = calls.Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var declared = RequiredActionNames(ServiceDeployer.RequiredPermissions.Deploy, ServiceDeployer.RequiredPermissions.Rollback);
        var summary = $"{sample}: deploy service path, {spec.Services.Count + 1} commands ({spec.Services.Count} service deploys + 1 rollback), "
            + $"{calls.Count} AWS calls authorized ({actions.Count} distinct actions), {bed.Iam.Denied.Count} denied; declared but not called here: "
            + string.Join(", ", declared.Except(actions).Order(StringComparer.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine("rehearsal " + summary);
        RehearsalSummary.Write($"deploy-service-{sample}", summary);
        Assert.Empty(bed.Iam.Denied);
        Assert.Subset(declared, actions);
        Assert.Contains("ecs:TagResource", actions);
        Assert.Contains("iam:PassRole", actions);
        Assert.Contains("ecs:DescribeServiceDeployments", actions);
        Assert.Contains("elasticloadbalancing:DescribeTargetHealth", actions);
        Assert.Contains("cloudwatch:DescribeAlarms", actions);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_plan_role_may_not_deploy_and_is_denied_as_AWS_denies_it()
    {
        var spec = SampleSpecs.Owl270();
        await using var bed = await Bed.StartAsync(spec, "owl270");

        var run = await bed.RunAsync(PlanKey, "deploy", "service", "--spec", bed.SpecPath, "--service", "web", "--image", "2");

        Assert.NotEqual(ExitCodes.Success, run.ExitCode);
        var denied = Assert.Single(bed.Iam.Denied);
        Assert.Equal("ecs:RegisterTaskDefinition", denied.Action);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/owl270-ci-plan/rehearsal", denied.Principal);
        var answered = Assert.Single(bed.Ecs.Requests.For("RegisterTaskDefinition"));
        Assert.Equal(400, answered.StatusCode);
        Assert.Equal("AccessDeniedException", answered.ErrorCode);
        Assert.Contains("is not authorized to perform: ecs:RegisterTaskDefinition on resource: arn:aws:ecs:ap-south-1:123456789012:task-definition/owl270-web", run.Error + run.Output, StringComparison.Ordinal);
    }

    private static string Text(CfnNode node) => ((CfnScalar)node).Text!;

    private static HashSet<string> RequiredActionNames(params IEnumerable<Iam.RequiredAction>[] lists) =>
        lists.SelectMany(l => l.Select(p => p.Action)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The simulators seeded with the sample's cluster, services, task definitions and deployment alarms; IAM from the ci stack.</summary>
    private sealed class Bed : IAsyncDisposable
    {
        private Bed(EnvironmentSpec spec, IamAuthority iam, EcsSimulator ecs, ElbV2Simulator elb, CloudWatchSimulator cloudWatch)
        {
            Spec = spec;
            Iam = iam;
            Ecs = ecs;
            Elb = elb;
            CloudWatch = cloudWatch;
        }

        public EnvironmentSpec Spec { get; }

        public IamAuthority Iam { get; }

        public EcsSimulator Ecs { get; }

        public ElbV2Simulator Elb { get; }

        public CloudWatchSimulator CloudWatch { get; }

        /// <summary>The spec as the workflow's checkout holds it (a temporary copy, deleted with the bed).</summary>
        public string SpecPath { get; private set; } = string.Empty;

        private string? _directory;

        public static async Task<Bed> StartAsync(EnvironmentSpec spec, string sample)
        {
            var ct = TestContext.Current.CancellationToken;
            var set = spec.Synthesize();
            var policies = new SynthesizedPolicies(set, Account);
            var iam = new IamAuthority();
            var ci = $"{spec.Name}-ci";
            iam.Add(new IamPrincipal(DeployKey.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/{spec.Name}-ci-deploy/rehearsal", policies.Of(ci, "DeployRole")));
            iam.Add(new IamPrincipal(PlanKey.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/{spec.Name}-ci-plan/rehearsal", policies.Of(ci, "PlanRole")));

            var options = new AwsSimulatorOptions
            {
                Clock = new VirtualClock(),
                Region = spec.Region,
                AccountId = Account,
                Credentials = [DeployKey, PlanKey],
                Iam = iam,
            };
            var ecs = await EcsSimulator.StartAsync(options, cancellationToken: ct);
            var ctx = new PlatformNaming(spec.Name, spec.Tags);
            foreach (var service in spec.Services)
            {
                var repository = $"{Account}.dkr.ecr.{spec.Region}.amazonaws.com/{spec.Name}/{service.Name}";
                // As the service stack registers it: task and execution roles under the task-role path, tags.
                var roles = $"arn:aws:iam::{Account}:role{ctx.TaskRolePath}{spec.Name}-service-{service.Name}";
                var first = ecs.RegisterTaskDefinition(
                    new JsonObject
                    {
                        ["family"] = $"{spec.Name}-{service.Name}",
                        ["taskRoleArn"] = roles + "-TaskRole-REHEARSAL",
                        ["executionRoleArn"] = roles + "-ExecutionRole-REHEARSAL",
                        ["networkMode"] = "awsvpc",
                        ["runtimePlatform"] = new JsonObject { ["cpuArchitecture"] = Text(ClusterBuilder.RuntimePlatform(spec.Cluster.InstanceTypes)["CpuArchitecture"]), ["operatingSystemFamily"] = "LINUX" },
                        ["containerDefinitions"] = new JsonArray(new JsonObject
                        {
                            ["name"] = service.Name, ["image"] = repository + ":1", ["cpu"] = service.Cpu, ["memory"] = service.Memory, ["essential"] = true,
                        }),
                    },
                    new JsonArray(new JsonObject { ["key"] = "ottkit:environment", ["value"] = spec.Name }));
                var (errors, latency) = ServiceBuilder.AlarmNames(ctx, service.Name);
                ecs.CreateService(new EcsServiceSeed
                {
                    Cluster = spec.Name,
                    ServiceName = service.Name,
                    TaskDefinition = first,
                    TargetGroupArn = $"arn:aws:elasticloadbalancing:{spec.Region}:{Account}:targetgroup/{spec.Name}-{service.Name}/0123456789abcdef",
                    Alarms = [errors, latency],
                });
            }

            var elb = await ElbV2Simulator.StartAsync(ecs, cancellationToken: ct);
            var cloudWatch = await CloudWatchSimulator.StartAsync(ecs, cancellationToken: ct);
            var directory = Directory.CreateTempSubdirectory("ottkit-rehearsal-").FullName;
            var specPath = Path.Combine(directory, $"{spec.Name}.yaml");
            await File.WriteAllTextAsync(specPath, SampleSpecs.Yaml(sample), ct);
            return new Bed(spec, iam, ecs, elb, cloudWatch) { SpecPath = specPath, _directory = directory };
        }

        public async Task<(int ExitCode, string Output, string Error)> RunAsync(SimulatorCredentials credentials, params string[] args)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
                ["AWS_ENDPOINT_URL_ECS"] = Ecs.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = Elb.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_CLOUDWATCH"] = CloudWatch.BaseUrl.ToString(),
                ["CI"] = "true",
            };
            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = await Ecs.Clock.RunAsync(
                OttKitCommandLine.InvokeAsync(args, output, error, new CliEnvironment(variables, Ecs.Clock, OutputIsTerminal: false), TestContext.Current.CancellationToken),
                cancellationToken: TestContext.Current.CancellationToken);
            return (exitCode, output.ToString(), error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            if (_directory is not null)
            {
                Directory.Delete(_directory, recursive: true);
            }

            await CloudWatch.DisposeAsync();
            await Elb.DisposeAsync();
            await Ecs.DisposeAsync();
        }
    }
}
