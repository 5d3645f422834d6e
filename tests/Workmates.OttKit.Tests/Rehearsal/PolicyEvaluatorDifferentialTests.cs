using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The simulators' policy evaluator agrees with <c>@cloud-copilot/iam-simulate</c> (AGPL-3.0, test tooling only) on
/// cases generated from the synthesized CI roles of both samples: the calls the operations make on the environment's
/// own resources, and the same calls on another environment's resources, other clusters, other pass-role targets.
/// </summary>
public sealed class PolicyEvaluatorDifferentialTests
{
    private const string Account = "123456789012";

    private sealed record Case(string Principal, string AccountId, string Action, string Resource, Dictionary<string, string> Context, JsonNode[] Policies);

    private static IEnumerable<Case> Cases(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var policies = new SynthesizedPolicies(set, Account);
        var env = spec.Name;
        var region = spec.Region;
        string Ecs(string resource) => $"arn:aws:ecs:{region}:{Account}:{resource}";
        foreach (var role in new[] { "DeployRole", "PlanRole" })
        {
            var principal = $"arn:aws:iam::{Account}:role/{env}-ci-{(role == "DeployRole" ? "deploy" : "plan")}";
            var docs = policies.Of($"{env}-ci", role).ToArray();
            Case C(string action, string resource, Dictionary<string, string>? context = null) => new(principal, Account, action, resource, context ?? [], docs);
            foreach (var other in new[] { env, $"{env}-prod" })
            {
                foreach (var service in spec.Services.Take(2).Select(s => s.Name))
                {
                    foreach (var action in new[] { "ecs:UpdateService", "ecs:DescribeServices", "ecs:ListServiceDeployments" })
                    {
                        yield return C(action, Ecs($"service/{other}/{service}"));
                    }

                    yield return C("ecs:DescribeServiceDeployments", Ecs($"service-deployment/{other}/{service}/abc123"));
                    yield return C("ecs:StopServiceDeployment", Ecs($"service-deployment/{other}/{service}/abc123"));
                    yield return C("ecs:DescribeServiceRevisions", Ecs($"service-revision/{other}/{service}/1234567890"));
                    yield return C("ecs:RegisterTaskDefinition", Ecs($"task-definition/{other}-{service}:7"));
                    yield return C("ecs:TagResource", Ecs($"task-definition/{other}-{service}:7"));
                    var (errors, _) = ServiceBuilder.AlarmNames(new PlatformContext(spec with { Name = other }), service);
                    yield return C("cloudwatch:DescribeAlarms", $"arn:aws:cloudwatch:{region}:{Account}:alarm:{errors}");
                }

                yield return C("ecs:DescribeTasks", Ecs($"task/{other}/0123456789abcdef"), new() { ["ecs:cluster"] = Ecs($"cluster/{other}") });
                yield return C("ecs:ListTasks", Ecs($"container-instance/{other}/0123456789abcdef"), new() { ["ecs:cluster"] = Ecs($"cluster/{other}") });
                foreach (var part in new[] { "network", "ci", "service-web" })
                {
                    foreach (var action in new[] { "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DescribeStacks", "cloudformation:DeleteStack" })
                    {
                        yield return C(action, $"arn:aws:cloudformation:{region}:{Account}:stack/{other}-{part}/0f0e0d0c-0000-4000-8000-000000000000");
                    }
                }

                yield return C("iam:PassRole", $"arn:aws:iam::{Account}:role/ottkit/{other}/tasks/{other}-service-web-TaskRole-X", new() { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" });
                yield return C("iam:PassRole", $"arn:aws:iam::{Account}:role/ottkit/{env}/tasks/{env}-service-web-TaskRole-X", new() { ["iam:PassedToService"] = "lambda.amazonaws.com" });
                yield return C("iam:PassRole", $"arn:aws:iam::{Account}:role/{other}-cloudformation", new() { ["iam:PassedToService"] = "cloudformation.amazonaws.com" });
            }

            yield return C("ecs:DescribeTaskDefinition", "*");
            yield return C("elasticloadbalancing:DescribeTargetHealth", "*");
            yield return C("ecs:DeleteCluster", Ecs($"cluster/{env}"));
        }
    }

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public async Task The_evaluator_agrees_with_iam_simulate_on_the_ci_roles(string sample)
    {
        var node = RequireNodeAndSimulator();
        var cases = Cases(sample).ToList();
        using var work = new TempFolder();
        var input = Path.Combine(work.Path, "cases.json");
        var output = Path.Combine(work.Path, "results.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(cases.Select(c => new
        {
            principal = c.Principal,
            accountId = c.AccountId,
            action = c.Action,
            resource = c.Resource,
            context = c.Context,
            policies = c.Policies,
        })), TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(node, [Path.Combine(RepositoryPaths.Root, "tests", "Workmates.OttKit.Tests", "Rehearsal", "iam-simulate-driver.cjs"), input, output])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["NODE_PATH"] = RepositoryPaths.NodeTools;
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, stderr);
        var expected = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))!;

        var disagreements = new List<string>();
        var compared = 0;
        var allowed = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            if (expected[i].StartsWith("error:", StringComparison.Ordinal))
            {
                disagreements.Add($"{cases[i].Action} on {cases[i].Resource}: iam-simulate refused the case ({expected[i]})");
                continue;
            }

            var ours = PolicyEvaluator.Evaluate(new IamRequest(cases[i].Action, cases[i].Resource, cases[i].Context), cases[i].Policies) switch
            {
                IamDecision.Allowed => "Allowed",
                IamDecision.ExplicitDeny => "ExplicitlyDenied",
                _ => "ImplicitlyDenied",
            };
            compared++;
            allowed += ours == "Allowed" ? 1 : 0;
            if (ours != expected[i])
            {
                disagreements.Add($"{cases[i].Principal} {cases[i].Action} on {cases[i].Resource}: ours {ours}, iam-simulate {expected[i]}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {compared} cases compared with iam-simulate ({allowed} allowed), {disagreements.Count} disagreements");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private static string RequireNodeAndSimulator()
    {
        var simulator = Path.Combine(RepositoryPaths.NodeTools, "@cloud-copilot", "iam-simulate", "package.json");
        var node = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator).Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);
        if (node is not null && File.Exists(simulator))
        {
            return node;
        }

        var message = node is null ? "node is not on PATH." : $"@cloud-copilot/iam-simulate not found at '{simulator}'. Run 'cd tests/tools && npm ci'.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return string.Empty;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ottkit-iam-diff-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
