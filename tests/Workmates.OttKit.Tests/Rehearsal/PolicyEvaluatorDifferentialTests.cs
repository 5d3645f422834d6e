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
                    var (errors, _) = ServiceBuilder.AlarmNames(new PlatformNaming(other, spec.Tags), service);
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

    // Every other role of the stack set (task and execution roles, instance roles, the scheduler role, the backup task,
    // the CloudFormation service role, …): for each statement, up to four of its actions on each of its resources made
    // concrete ('*' and '?' in an ARN filled in), with each condition key set to a value that matches the condition
    // and to one that does not, plus the same request for an environment named '<env>-prod' and on an unrelated ARN.
    private static IEnumerable<Case> RoleCases(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var set = spec.Synthesize();
        var policies = new SynthesizedPolicies(set, Account, attributes: Attributes(set));
        var env = spec.Name;
        foreach (var stack in set.Stacks)
        {
            foreach (var (logicalId, resource) in stack.Template.Resources.Where(r => r.Value.Type == "AWS::IAM::Role" && r.Value.Properties.ContainsKey("Policies")))
            {
                if (stack.Name == $"{env}-ci" && logicalId is "DeployRole" or "PlanRole")
                {
                    continue;
                }

                var name = resource.Properties.TryGetValue("RoleName", out var n) && n is Workmates.OttKit.CloudFormation.CfnScalar { Text: { } text } ? text : $"{stack.Name}-{logicalId}";
                var principal = $"arn:aws:iam::{Account}:role/{name}";
                var docs = policies.Of(stack.Name, logicalId).ToArray();
                foreach (var statement in docs.SelectMany(d => d["Statement"]!.AsArray()).OfType<JsonObject>())
                {
                    var actions = Strings(statement["Action"]).Where(a => !a.Contains('*', StringComparison.Ordinal)).Take(4).ToList();
                    // A resource with a policy variable (the people's roles' own sessions, session/${aws:userid}-*) depends on
                    // the caller's identity, which neither evaluator is given here: left out rather than compared wrongly.
                    var resources = Strings(statement["Resource"]).Where(r => !r.Contains("${", StringComparison.Ordinal)).Select(Concrete).Distinct(StringComparer.Ordinal).Take(3).ToList();
                    var contexts = Contexts(statement["Condition"] as JsonObject).ToList();
                    foreach (var action in actions)
                    {
                        foreach (var arn in resources)
                        {
                            foreach (var context in contexts)
                            {
                                yield return new(principal, Account, action, arn, context, docs);
                            }

                            if (arn.Contains(env, StringComparison.Ordinal))
                            {
                                yield return new(principal, Account, action, arn.Replace(env, $"{env}-prod", StringComparison.Ordinal), contexts[0], docs);
                            }
                        }

                        // The same resource in another account (an S3 ARN names none: another bucket).
                        if (resources.Count > 0 && resources[0] != "*")
                        {
                            var elsewhere = resources[0].StartsWith("arn:aws:s3:::", StringComparison.Ordinal)
                                ? $"arn:aws:s3:::someone-else-{env}{resources[0]["arn:aws:s3:::".Length..].SkipWhile(c => c != '/').Aggregate(string.Empty, (a, c) => a + c)}"
                                : resources[0].Replace($":{Account}:", ":999988887777:", StringComparison.Ordinal);
                            yield return new(principal, Account, action, elsewhere, contexts[0], docs);
                        }
                    }
                }
            }
        }
    }

    // Realistic ARNs and names for the Fn::GetAtt/Ref of the resources the roles' policies name (the resolver's
    // placeholder fits no resource type, and iam-simulate refuses such a request).
    private static Dictionary<string, string> Attributes(Workmates.OttKit.Blueprint.StackSet set)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in set.Stacks)
        {
            foreach (var (id, resource) in stack.Template.Resources)
            {
                string Named(string property) =>
                    resource.Properties.TryGetValue(property, out var n) && n is Workmates.OttKit.CloudFormation.CfnScalar { Text: { } text } ? text : $"{stack.Name}-{id}".ToLowerInvariant();
                var region = stack.Region;
                switch (resource.Type)
                {
                    case "AWS::Logs::LogGroup":
                        map[id] = Named("LogGroupName");
                        map[$"{id}.Arn"] = $"arn:aws:logs:{region}:{Account}:log-group:{Named("LogGroupName")}:*";
                        break;
                    case "AWS::S3::Bucket":
                        map[id] = Named("BucketName");
                        map[$"{id}.Arn"] = $"arn:aws:s3:::{Named("BucketName")}";
                        break;
                    case "AWS::SNS::Topic":
                        map[id] = $"arn:aws:sns:{region}:{Account}:{Named("TopicName")}";
                        map[$"{id}.TopicArn"] = map[id];
                        break;
                    case "AWS::KMS::Key":
                        map[$"{id}.Arn"] = $"arn:aws:kms:{region}:{Account}:key/0f0e0d0c-{id.Length:0000}-4000-8000-000000000000";
                        break;
                    case "AWS::SecretsManager::Secret":
                        map[id] = $"arn:aws:secretsmanager:{region}:{Account}:secret:{Named("Name")}-AbCdEf";
                        break;
                    case "AWS::ECS::Cluster":
                        map[id] = Named("ClusterName");
                        map[$"{id}.Arn"] = $"arn:aws:ecs:{region}:{Account}:cluster/{Named("ClusterName")}";
                        break;
                    case "AWS::ECS::TaskDefinition":
                        map[id] = $"arn:aws:ecs:{region}:{Account}:task-definition/{Named("Family")}:1";
                        break;
                }
            }
        }

        return map;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(v => v!.ToString()),
        null => [],
        _ => [node.ToString()],
    };

    private static string Concrete(string arn) => arn == "*" ? "*" : arn.Replace("*", "rehearsal", StringComparison.Ordinal).Replace("?", "x", StringComparison.Ordinal);

    // One context whose keys match every condition of the statement, then one per key with a value that does not.
    private static IEnumerable<Dictionary<string, string>> Contexts(JsonObject? condition)
    {
        var matching = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, keys) in condition ?? [])
        {
            foreach (var (key, values) in keys!.AsObject())
            {
                matching[key] = Concrete(Strings(values).FirstOrDefault() ?? "x");
            }
        }

        yield return matching;
        foreach (var key in matching.Keys)
        {
            yield return new Dictionary<string, string>(matching, StringComparer.Ordinal) { [key] = matching[key] is "true" or "false" ? (matching[key] == "true" ? "false" : "true") : "arn:aws:iam::999988887777:root" };
        }
    }

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Names), MemberType = typeof(SampleSpecs))]
    public async Task The_evaluator_agrees_with_iam_simulate_on_every_other_role(string sample)
    {
        var node = RequireNodeAndSimulator();
        var cases = RoleCases(sample).ToList();
        var expected = await SimulateAsync(node, cases);
        var disagreements = new List<string>();
        var refused = new List<string>();
        var allowed = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            if (expected[i].StartsWith("error:", StringComparison.Ordinal))
            {
                refused.Add($"{cases[i].Action} on {cases[i].Resource}: {expected[i]}");
                continue;
            }

            var ours = Decide(cases[i]);
            allowed += ours == "Allowed" ? 1 : 0;
            if (ours != expected[i])
            {
                disagreements.Add($"{cases[i].Principal} {cases[i].Action} on {cases[i].Resource} [{string.Join(", ", cases[i].Context.Select(c => $"{c.Key}={c.Value}"))}]: ours {ours}, iam-simulate {expected[i]}");
            }
        }

        var roles = cases.Select(c => c.Principal).Distinct(StringComparer.Ordinal).Count();
        TestContext.Current.TestOutputHelper?.WriteLine($"{sample}: {roles} roles, {cases.Count - refused.Count} cases compared with iam-simulate ({allowed} allowed), {disagreements.Count} disagreements, {refused.Count} refused by iam-simulate");
        Assert.True(roles >= 5, $"only {roles} roles");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(40)));
        // iam-simulate refuses a request whose ARN fits none of the action's resource types (an import the resolver
        // leaves as a placeholder, an action whose resource type the ARN is not): such cases say nothing about our
        // evaluator; they are counted, and enough cases must remain.
        Assert.True(cases.Count - refused.Count >= 100, $"{cases.Count - refused.Count} compared, {refused.Count} of {cases.Count} refused:\n{string.Join("\n", refused.Take(20))}");
    }

    private static string Decide(Case c) => PolicyEvaluator.Evaluate(new IamRequest(c.Action, c.Resource, c.Context), c.Policies) switch
    {
        IamDecision.Allowed => "Allowed",
        IamDecision.ExplicitDeny => "ExplicitlyDenied",
        _ => "ImplicitlyDenied",
    };

    private static async Task<string[]> SimulateAsync(string node, List<Case> cases)
    {
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
        return JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))!;
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
