using System.Collections.Immutable;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// Every action named in every policy the blueprint synthesizes (role policies, trust policies, bucket, key and topic
/// policies) exists in IAM's catalogue, so a typo is a failing test rather than a silent deny on the first deploy; and
/// identity policies never grant a wildcard action.
/// </summary>
public sealed class IamCatalogueTests
{
    /// <summary>A policy statement found in a template, with where it was found.</summary>
    private sealed record FoundStatement(string Stack, string Resource, string ResourceType, string Property, CfnObject Statement);

    private static IEnumerable<FoundStatement> Statements(StackSet set)
    {
        foreach (var stack in set.Stacks)
        {
            foreach (var resource in stack.Template.Resources.Values)
            {
                foreach (var (property, value) in resource.Properties)
                {
                    foreach (var statement in Find(value))
                    {
                        yield return new FoundStatement(stack.Name, resource.LogicalId, resource.Type, property, statement);
                    }
                }
            }
        }
    }

    // A policy document is any object with a Statement list whose members carry an Effect.
    private static IEnumerable<CfnObject> Find(CfnNode node)
    {
        switch (node)
        {
            case CfnObject obj when obj.TryGetValue("Statement", out var statements) && statements is CfnList list && list.All(s => s is CfnObject o && o.ContainsKey("Effect")):
                foreach (var statement in list.Cast<CfnObject>())
                {
                    yield return statement;
                }

                break;
            case CfnObject obj:
                foreach (var (_, child) in obj)
                {
                    foreach (var found in Find(child))
                    {
                        yield return found;
                    }
                }

                break;
            case CfnList list:
                foreach (var child in list)
                {
                    foreach (var found in Find(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static IEnumerable<string> Actions(CfnObject statement, string key) => statement.TryGetValue(key, out var node)
        ? node switch
        {
            CfnList list => list.Select(a => ((CfnScalar)a).Text!),
            CfnScalar scalar => [scalar.Text!],
            _ => [],
        }
        : [];

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void Every_action_in_every_synthesized_policy_exists_in_the_iam_catalogue(string sample)
    {
        var catalogue = IamCatalogue.Require();
        var found = Statements(SampleSpecs.ByName(sample).Synthesize()).ToList();
        var actions = found.SelectMany(f => Actions(f.Statement, "Action").Concat(Actions(f.Statement, "NotAction")).Select(a => (f, a))).ToList();

        var unknown = actions.Where(x => !catalogue.Exists(x.a)).Select(x => $"{x.f.Stack}/{x.f.Resource}.{x.f.Property}: {x.a}").Distinct().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{sample}: {found.Count} statements, {actions.Count} action entries, {actions.Select(x => x.a).Distinct().Count()} distinct actions checked against the catalogue");
        Assert.True(unknown.Count == 0, "Actions IAM does not know:\n" + string.Join("\n", unknown));
    }

    [Theory]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public void Identity_policies_of_roles_never_grant_a_wildcard_action(string sample)
    {
        var wildcards = Statements(SampleSpecs.ByName(sample).Synthesize())
            .Where(f => f.ResourceType == "AWS::IAM::Role" && f.Property == "Policies")
            .SelectMany(f => Actions(f.Statement, "Action").Where(a => a.Contains('*', StringComparison.Ordinal)).Select(a => $"{f.Stack}/{f.Resource}: {a}"))
            .ToList();
        Assert.Empty(wildcards);
    }

    [Fact]
    public void Every_declared_operation_permission_and_service_role_action_exists_in_the_iam_catalogue()
    {
        var catalogue = IamCatalogue.Require();
        // Every operation's declaration, found by reflection so that a new operation cannot be left out of the check.
        var declared = typeof(StackDeployer).Assembly.GetTypes()
            .Where(t => t.IsNested && t.Name == "RequiredPermissions" && t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(p => p.PropertyType == typeof(ImmutableArray<RequiredAction>))
            .Select(p => (IEnumerable<RequiredAction>)(ImmutableArray<RequiredAction>)p.GetValue(null)!)
            .ToList();
        Assert.Contains(ImageScanGate.RequiredPermissions.Check, declared);
        Assert.True(declared.Count >= 11, $"only {declared.Count} declared operations found");
        var actions = declared.SelectMany(d => d.Select(p => p.Action))
            .Concat(CloudFormationServiceRole.ActionsByResourceType.Values.SelectMany(a => a))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{actions.Count} declared actions checked");
        var unknown = actions.Where(a => !catalogue.Exists(a)).ToList();
        Assert.True(unknown.Count == 0, "Actions IAM does not know: " + string.Join(", ", unknown));
    }
}
