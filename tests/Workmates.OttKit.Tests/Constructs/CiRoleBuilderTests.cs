using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

public sealed class CiRoleBuilderTests
{
    private static EnvironmentSpec Spec(Func<CiSpec, CiSpec>? change = null)
    {
        var ci = new CiSpec { Owner = "demo-org", Repositories = ["demo-platform", "web"], Branches = ["main"], Environments = ["demo"] };
        return TestSpecs.Valid() with { AccountId = "123456789012", Ci = change is null ? ci : change(ci) };
    }

    private static Template Build(EnvironmentSpec spec) => OttKit.Blueprint.Blueprint.Synthesize(spec)[$"{spec.Name}-ci"].Template;

    private static string[] Subjects(Template t, string role)
    {
        var statement = (CfnObject)((CfnList)((CfnObject)t.Resources[role].Properties["AssumeRolePolicyDocument"])["Statement"]).Single();
        var sub = ((CfnObject)((CfnObject)statement["Condition"])["StringEquals"])["token.actions.githubusercontent.com:sub"];
        return [.. ((CfnList)sub).Select(s => ((CfnScalar)s).Text!)];
    }

    private static CfnObject[] Statements(Template t, string role) =>
        [.. ((CfnList)((CfnObject)((CfnObject)((CfnList)t.Resources[role].Properties["Policies"])[0])["PolicyDocument"])["Statement"]).Cast<CfnObject>()];

    private static string[] Actions(CfnObject statement) =>
        statement["Action"] is CfnList list ? [.. list.Select(a => ((CfnScalar)a).Text!)] : [((CfnScalar)statement["Action"]).Text!];

    [Fact]
    public void Deploy_trust_lists_exactly_each_repository_in_each_environment_and_on_each_branch() =>
        Assert.Equal(
            [
                "repo:demo-org/demo-platform:environment:demo", "repo:demo-org/demo-platform:ref:refs/heads/main",
                "repo:demo-org/web:environment:demo", "repo:demo-org/web:ref:refs/heads/main",
            ],
            Subjects(Build(Spec()), "DeployRole"));

    [Fact]
    public void Plan_trust_lists_only_pull_requests() =>
        Assert.Equal(["repo:demo-org/demo-platform:pull_request", "repo:demo-org/web:pull_request"], Subjects(Build(Spec()), "PlanRole"));

    [Fact]
    public void Role_names_are_the_ones_the_generated_workflows_assume()
    {
        var spec = Spec();
        var t = Build(spec);
        var resolved = new PipelineSpec().Resolve(spec);
        Assert.EndsWith(":role/" + ((CfnScalar)t.Resources["DeployRole"].Properties["RoleName"]).Text, resolved.DeployRoleArn, StringComparison.Ordinal);
        Assert.EndsWith(":role/" + ((CfnScalar)t.Resources["PlanRole"].Properties["RoleName"]).Text, resolved.PlanRoleArn, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_provider_is_reused_instead_of_creating_one()
    {
        const string Existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        var t = Build(Spec(c => c with { ExistingOidcProviderArn = Existing }));

        Assert.DoesNotContain(t.Resources.Values, r => r.Type == "AWS::IAM::OIDCProvider");
        Assert.Contains(Existing, t.Resources["DeployRole"].Properties["AssumeRolePolicyDocument"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void New_provider_trusts_githubs_issuer_for_the_sts_audience()
    {
        var provider = Build(Spec()).Resources["GitHubOidcProvider"];
        Assert.Equal("https://token.actions.githubusercontent.com", ((CfnScalar)provider.Properties["Url"]).Text);
        Assert.Equal("sts.amazonaws.com", ((CfnScalar)((CfnList)provider.Properties["ClientIdList"]).Single()).Text);
    }

    [Fact]
    public void Deploy_role_passes_only_the_task_role_path_and_only_to_ecs_tasks()
    {
        var pass = Statements(Build(Spec()), "DeployRole").Single(s => ((CfnScalar)s["Sid"]).Text == "TaskRoles");
        Assert.Contains("role/ottkit/demo/tasks/*", pass["Resource"].ToString(), StringComparison.Ordinal);
        Assert.Contains("ecs-tasks.amazonaws.com", pass["Condition"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_task_and_execution_roles_live_under_the_path_the_ci_role_may_pass()
    {
        var service = SampleSpecs.Blacksheep().Synthesize()["blacksheep-service-web"].Template;
        Assert.Equal("/ottkit/blacksheep/tasks/", ((CfnScalar)service.Resources["TaskRole"].Properties["Path"]).Text);
        Assert.Equal("/ottkit/blacksheep/tasks/", ((CfnScalar)service.Resources["ExecutionRole"].Properties["Path"]).Text);
    }

    [Fact]
    public void Deploy_role_changes_only_stacks_and_services_of_its_environment()
    {
        var statements = Statements(Build(Spec()), "DeployRole");
        var changeSets = statements.Single(s => Actions(s).Contains("cloudformation:ExecuteChangeSet"));
        Assert.Contains(":stack/demo-ci/*", changeSets["Resource"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("stack/demo-*", changeSets["Resource"].ToString(), StringComparison.Ordinal);
        var services = statements.Single(s => Actions(s).Contains("ecs:UpdateService"));
        Assert.Equal(2, ((CfnList)services["Resource"]).Count);
        var push = statements.Single(s => Actions(s).Contains("ecr:PutImage"));
        Assert.Contains(":repository/demo/web", push["Resource"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_role_never_executes_change_sets_pushes_updates_services_or_passes_roles()
    {
        var actions = Statements(Build(Spec()), "PlanRole").SelectMany(Actions).ToArray();
        Assert.Contains("cloudformation:CreateChangeSet", actions);
        Assert.Contains("cloudformation:DescribeChangeSet", actions);
        Assert.Contains("cloudformation:DeleteChangeSet", actions);
        Assert.DoesNotContain("cloudformation:ExecuteChangeSet", actions);
        Assert.DoesNotContain(actions, a => a.StartsWith("iam:", StringComparison.Ordinal) || a == "ecr:PutImage" || a == "ecs:UpdateService"
            || a == "ecs:RegisterTaskDefinition" || a == "cloudformation:UpdateTerminationProtection" || a == "cloudformation:SetStackPolicy");
    }
}
