using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Json;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The eight seams issue 13 found between the parts of a synthesized environment, one test each. Every test fails on
/// the templates and workflows synthesized before the fix.
/// </summary>
public sealed class SeamRegressionTests
{
    private static readonly StackSet Blacksheep = SampleSpecs.Blacksheep().Synthesize();
    private static readonly StackSet Owl270 = SampleSpecs.Owl270().Synthesize();

    private static IEnumerable<StackSet> Both => [Blacksheep, Owl270];

    private static CfnObject[] Statements(Resource role) =>
        [.. ((CfnList)((CfnObject)((CfnObject)((CfnList)role.Properties["Policies"])[0])["PolicyDocument"])["Statement"]).Cast<CfnObject>()];

    private static string[] List(CfnNode? node) => node switch
    {
        CfnList list => [.. list.Select(n => n is CfnScalar s ? s.Text! : n.ToString()!)],
        CfnScalar scalar => [scalar.Text!],
        null => [],
        _ => [node.ToString()!],
    };

    private static string[] Actions(Resource role) => [.. Statements(role).SelectMany(s => List(s["Action"])).Distinct()];

    private static Resource Role(StackSet set, string logicalId) => set[$"{set.Environment}-ci"].Template.Resources[logicalId];

    private static string? Text(CfnNode? node) => (node as CfnScalar)?.Text;

    [Fact]
    public void Seam1_deploy_role_allows_every_call_ottkit_deploy_service_and_rollback_make()
    {
        string[] watch =
        [
            "ecs:DescribeServiceDeployments", "ecs:ListServiceDeployments", "ecs:DescribeTasks", "ecs:ListTasks", "ecs:DescribeServiceRevisions",
            "ecs:StopServiceDeployment", "elasticloadbalancing:DescribeTargetHealth", "cloudwatch:DescribeAlarms", "ecs:TagResource",
        ];
        foreach (var set in Both)
        {
            var actions = Actions(Role(set, "DeployRole"));
            Assert.Subset(actions.ToHashSet(), watch.ToHashSet());
            var declared = ServiceDeployer.RequiredPermissions.Deploy.Concat(ServiceDeployer.RequiredPermissions.Rollback).Select(p => p.Action);
            Assert.Subset(actions.ToHashSet(), declared.ToHashSet());
        }
    }

    [Fact]
    public void Seam2_plan_and_deploy_roles_write_the_kms_encrypted_artifacts_bucket_with_its_key_through_s3()
    {
        foreach (var set in Both)
        {
            // The artifacts bucket's default encryption is the bootstrap stack's own artifacts key.
            var bucket = set[$"{set.Environment}-bootstrap"].Template.Resources["ArtifactsBucket"].Properties.ToString();
            Assert.Contains("\"ArtifactsKey\"", bucket, StringComparison.Ordinal);
            foreach (var role in new[] { "PlanRole", "DeployRole" })
            {
                var statements = Statements(Role(set, role));
                var put = statements.Single(s => List(s["Action"]).Contains("s3:PutObject"));
                Assert.Contains($"{set.Environment}:bootstrap:ArtifactsBucketArn", put["Resource"].ToString(), StringComparison.Ordinal);
                var kms = statements.Single(s => List(s["Action"]).Contains("kms:GenerateDataKey"));
                Assert.Contains("kms:Decrypt", List(kms["Action"]));
                Assert.Contains($"{set.Environment}:bootstrap:ArtifactsKeyArn", kms["Resource"].ToString(), StringComparison.Ordinal);
                Assert.Contains("s3.${AWS::Region}.amazonaws.com", kms["Condition"].ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Seam3_deploy_role_passes_a_cloudformation_service_role_that_may_create_every_resource_of_the_stacks()
    {
        foreach (var set in Both)
        {
            var ci = set[$"{set.Environment}-ci"].Template;
            var serviceRole = ci.Resources["CloudFormationServiceRole"];
            Assert.Equal($"{set.Environment}-cloudformation", Text(serviceRole.Properties["RoleName"]));
            Assert.Contains("cloudformation.amazonaws.com", serviceRole.Properties["AssumeRolePolicyDocument"].ToString(), StringComparison.Ordinal);

            var pass = Statements(Role(set, "DeployRole")).Single(s => Text(s["Sid"]) == "CloudFormationServiceRole");
            Assert.Equal(["iam:PassRole"], List(pass["Action"]));
            Assert.Contains("CloudFormationServiceRole", pass["Resource"].ToString(), StringComparison.Ordinal);
            Assert.Contains("cloudformation.amazonaws.com", pass["Condition"].ToString(), StringComparison.Ordinal);

            var granted = Actions(serviceRole).ToHashSet(StringComparer.Ordinal);
            foreach (var type in set.Stacks.SelectMany(s => s.Template.Resources.Values.Select(r => r.Type)).Distinct())
            {
                Assert.True(CloudFormationServiceRole.ActionsByResourceType.TryGetValue(type, out var needed), $"no permissions for {type}");
                Assert.Subset(granted, needed.ToHashSet());
            }

            Assert.DoesNotContain(granted, a => a.Contains('*', StringComparison.Ordinal));
            var infrastructure = PipelineGenerator.InfrastructureWorkflow(set.Environment == "owl270" ? SampleSpecs.Owl270() : SampleSpecs.Blacksheep());
            Assert.Contains($"--role-arn arn:aws:iam::${{{{ vars.AWS_ACCOUNT_ID }}}}:role/{set.Environment}-cloudformation", infrastructure.Content, StringComparison.Ordinal);
        }
    }

    // Found by executing change sets as the service role (issue 13): the role could read the database stack's private
    // hosted zone but not create, tag or delete it, so the database stack could never be created on AWS. The actions
    // are those of the AWS::Route53::HostedZone registry schema's handlers (create: CreateHostedZone, GetChange,
    // ChangeTagsForResource, GetHostedZone, ec2:DescribeVpcs; read: ListTagsForResource; update: UpdateHostedZoneComment;
    // delete: DeleteHostedZone, ListQueryLoggingConfigs) for the properties the blueprint sets.
    [Fact]
    public void Seam9_the_cloudformation_service_role_may_create_tag_update_and_delete_the_private_hosted_zone()
    {
        string[] handlers =
        [
            "route53:CreateHostedZone", "route53:GetChange", "route53:ChangeTagsForResource", "route53:GetHostedZone", "ec2:DescribeVpcs",
            "route53:ListTagsForResource", "route53:UpdateHostedZoneComment", "route53:DeleteHostedZone", "route53:ListQueryLoggingConfigs",
        ];
        foreach (var set in Both)
        {
            Assert.Contains(set.Stacks, s => s.Template.Resources.Values.Any(r => r.Type == "AWS::Route53::HostedZone"));
            var policies = new SynthesizedPolicies(set, "246813579024");
            var ci = $"{set.Environment}-ci";
            var role = policies.Of(ci, policies.RoleNamed(ci, $"{set.Environment}-cloudformation"));
            foreach (var action in handlers)
            {
                var decision = Workmates.OttKit.Simulators.Iam.PolicyEvaluator.Evaluate(
                    new Workmates.OttKit.Simulators.Iam.IamRequest(action, $"arn:aws:route53:::hostedzone/Z0REHEARSAL{set.Environment.ToUpperInvariant()}"), role);
                Assert.True(decision == Workmates.OttKit.Simulators.Iam.IamDecision.Allowed, $"{set.Environment}-cloudformation: {action} is {decision}");
            }
        }
    }

    // Least privilege (issue 13's done-means): the service role managed roles and instance profiles by
    // `role/<stack>-*`, which also matched the roles of an environment named `<stack>-…` (`blacksheep-prod-…` for the
    // stack `blacksheep-prod`… of `blacksheep`). Every unnamed role and profile now lives under `/ottkit/<env>/`, and
    // the role may manage exactly those.
    [Fact]
    public void LeastPrivilege_the_service_role_manages_this_environments_roles_and_no_neighbours()
    {
        foreach (var set in Both)
        {
            var env = set.Environment;
            foreach (var resource in set.Stacks.SelectMany(s => s.Template.Resources.Values))
            {
                if ((resource.Type == "AWS::IAM::Role" && !resource.Properties.ContainsKey("RoleName"))
                    || (resource.Type == "AWS::IAM::InstanceProfile" && !resource.Properties.ContainsKey("InstanceProfileName")))
                {
                    Assert.StartsWith($"/ottkit/{env}/", Text(resource.Properties["Path"]), StringComparison.Ordinal);
                }
            }

            var policies = new SynthesizedPolicies(set, "246813579024");
            var ci = $"{env}-ci";
            var role = policies.Of(ci, policies.RoleNamed(ci, $"{env}-cloudformation"));
            (string Action, string Arn, bool Allowed)[] cases =
            [
                ("iam:CreateRole", $"arn:aws:iam::246813579024:role/ottkit/{env}/{env}-cluster-InstanceRole-ABC123", true),
                ("iam:CreateRole", $"arn:aws:iam::246813579024:role/ottkit/{env}/tasks/{env}-service-api-TaskRole-ABC123", true),
                ("iam:CreateInstanceProfile", $"arn:aws:iam::246813579024:instance-profile/ottkit/{env}/{env}-cluster-InstanceProfile-ABC123", true),
                ("iam:CreateRole", $"arn:aws:iam::246813579024:role/ottkit/{env}-prod/{env}-prod-cluster-InstanceRole-ABC123", false),
                ("iam:CreateRole", $"arn:aws:iam::246813579024:role/{env}-cluster-InstanceRole-ABC123", false),
                ("iam:DeleteRole", $"arn:aws:iam::246813579024:role/{env}-prod-cluster-InstanceRole-ABC123", false),
                ("iam:CreateInstanceProfile", $"arn:aws:iam::246813579024:instance-profile/{env}-prod-database-Member1InstanceProfile-ABC123", false),
            ];
            foreach (var (action, arn, allowed) in cases)
            {
                var decision = Workmates.OttKit.Simulators.Iam.PolicyEvaluator.Evaluate(new Workmates.OttKit.Simulators.Iam.IamRequest(action, arn), role);
                Assert.True((decision == Workmates.OttKit.Simulators.Iam.IamDecision.Allowed) == allowed, $"{env}-cloudformation: {action} on {arn} is {decision}");
            }
        }
    }

    [Fact]
    public void Seam4_backup_task_gets_the_backup_users_credentials_in_the_form_the_tool_reads()
    {
        foreach (var set in Both)
        {
            var resources = set[$"{set.Environment}-database-backup"].Template.Resources;
            var container = (CfnObject)((CfnList)resources["BackupTaskDefinition"].Properties["ContainerDefinitions"])[0];
            var secrets = ((CfnList)container["Secrets"]).Cast<CfnObject>().ToDictionary(s => Text(s["Name"])!, s => s["ValueFrom"].ToString()!);
            Assert.Contains(":username::", secrets[BackupTaskEnvironment.UsernameVariable], StringComparison.Ordinal);
            Assert.Contains(":password::", secrets[BackupTaskEnvironment.PasswordVariable], StringComparison.Ordinal);
            Assert.All(secrets.Values, v => Assert.Contains($"{set.Environment}:database:BackupSecretArn", v, StringComparison.Ordinal));

            // What the task sees at run time: the environment, with the connection string output, plus the secret's keys.
            var environment = ((CfnList)container["Environment"]).Cast<CfnObject>().ToDictionary(e => Text(e["Name"])!, e => e["Value"]);
            var connection = Text(set[$"{set.Environment}-database"].Template.Outputs["ConnectionString"].Value)!;
            Assert.Contains($"{set.Environment}:database:ConnectionString", environment[BackupTaskEnvironment.ConnectionStringVariable].ToString(), StringComparison.Ordinal);
            var runtime = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [BackupTaskEnvironment.ConnectionStringVariable] = connection,
                [BackupTaskEnvironment.UsernameVariable] = "backup",
                [BackupTaskEnvironment.PasswordVariable] = "Generated0Password",
            };
            var uri = BackupTaskEnvironment.ConnectionUri(runtime.GetValueOrDefault);
            Assert.NotNull(uri);
            var parsed = MongoConnectionString.Parse(uri);
            Assert.Equal("backup", parsed.Username);

            // ECS reads the secret with the execution role.
            var read = Statements(resources["BackupExecutionRole"]).Single(s => List(s["Action"]).Contains("secretsmanager:GetSecretValue"));
            Assert.Contains("BackupSecretArn", read["Resource"].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Seam5_task_definitions_declare_the_hosts_cpu_architecture_and_the_workflows_build_for_it()
    {
        foreach (var (set, spec, architecture, platform) in new[]
        {
            (Owl270, SampleSpecs.Owl270(), "ARM64", "linux/arm64"),
            (Blacksheep, SampleSpecs.Blacksheep(), "X86_64", "linux/amd64"),
        })
        {
            var definitions = set.Stacks.SelectMany(s => s.Template.Resources.Values).Where(r => r.Type == "AWS::ECS::TaskDefinition").ToList();
            Assert.NotEmpty(definitions);
            Assert.All(definitions, d => Assert.Equal(architecture, Text(((CfnObject)d.Properties["RuntimePlatform"])["CpuArchitecture"])));
            foreach (var workflow in PipelineGenerator.Generate(spec).Where(w => w.Kind == WorkflowKind.ServiceDeploy))
            {
                var steps = ((JsonArray)YamlJson.Parse(workflow.Content)!["jobs"]!["build-and-deploy"]!["steps"]!).Select(s => s!.AsObject()).ToList();
                var build = steps.Single(s => s["id"]?.GetValue<string>() == "image");
                Assert.Equal(platform, build["env"]!["PLATFORMS"]!.GetValue<string>());
                Assert.Equal(platform == "linux/arm64", steps.Any(s => s["uses"]?.GetValue<string>().StartsWith("docker/setup-qemu-action@", StringComparison.Ordinal) == true));
            }
        }
    }

    [Fact]
    public void Seam6_the_vpn_host_reaches_the_ecs_hosts_and_the_mongodb_members_on_the_admin_ssh_port()
    {
        var spec = SampleSpecs.Blacksheep();
        var port = spec.AdminAccess!.SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var admin = Blacksheep["blacksheep-admin-access"].Template.Resources.Values.Where(r => r.Type == "AWS::EC2::SecurityGroupIngress").ToList();
        foreach (var target in new[] { "blacksheep:cluster:HostSecurityGroupId", "blacksheep:database:SecurityGroupId" })
        {
            var rule = admin.Single(r => r.Properties["GroupId"].ToString()!.Contains(target, StringComparison.Ordinal));
            Assert.Equal(port, Text(rule.Properties["FromPort"]));
            Assert.Equal(port, Text(rule.Properties["ToPort"]));
            Assert.Contains("VpnSecurityGroup", rule.Properties["SourceSecurityGroupId"].ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("HostSecurityGroupId", Blacksheep["blacksheep-cluster"].Template.Outputs.Keys);
        var association = Blacksheep["blacksheep-admin-access"].Template.Resources["AdminSshPort"].Properties.ToString();
        Assert.Contains($"Port {port}", association, StringComparison.Ordinal);
        Assert.Contains("blacksheep-ecs-hosts", association, StringComparison.Ordinal);
        Assert.Contains("blacksheep-mongodb", association, StringComparison.Ordinal);
    }

    [Fact]
    public void Seam7_workflows_live_in_and_check_out_repositories_of_ci_owner_that_the_roles_trust()
    {
        var spec = SampleSpecs.Blacksheep() with { Ci = SampleSpecs.Blacksheep().Ci! with { Owner = "blacksheep-media" } };
        var workflows = PipelineGenerator.Generate(spec);
        var trusted = CiRoleBuilder.DeploySubjects(ConstructProps.CiRoles(spec));
        foreach (var workflow in workflows)
        {
            Assert.StartsWith("blacksheep-media/", workflow.Repository, StringComparison.Ordinal);
            Assert.Contains(trusted, s => s.StartsWith($"repo:{workflow.Repository}:", StringComparison.Ordinal));
        }

        var web = workflows.Single(w => w.Service == "web");
        Assert.Contains("repository: blacksheep-media/blacksheep-platform", web.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Seam8_workflows_install_ottkit_from_the_source_the_spec_names()
    {
        var installs = PipelineGenerator.Generate(SampleSpecs.Owl270())
            .SelectMany(w => w.Content.Split('\n'))
            .Where(l => l.Contains("dotnet tool install", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(installs);
        Assert.All(installs, l => Assert.DoesNotContain("--add-source", l, StringComparison.Ordinal));

        var spec = EnvironmentSpec.Parse(
            File.ReadAllText(Path.Combine(SampleSpecs.RepositoryRoot, "samples", "Owl270", "owl270.yaml"))
            + "  tool:\n    version: 2.3.0\n    feed: https://packages.example.test/owl270/index.json\n",
            "owl270.yaml");
        Assert.Equal("2.3.0", spec.Ci!.Tool.Version);
        var pinned = PipelineGenerator.InfrastructureWorkflow(spec).Content;
        Assert.Contains("dotnet tool install --global Workmates.OttKit.Cli --version 2.3.0 --add-source 'https://packages.example.test/owl270/index.json'", pinned, StringComparison.Ordinal);

        var insecure = spec with { Ci = spec.Ci with { Tool = new CiToolSpec { Feed = "http://packages.example.test/index.json" } } };
        Assert.Contains(insecure.Validate(), p => p.Path == "ci.tool.feed");

        // The project publishes the tool: a release workflow packs the library and the tool on a version tag.
        var release = File.ReadAllText(Path.Combine(SampleSpecs.RepositoryRoot, ".github", "workflows", "release.yml"));
        Assert.Contains("tags:", release, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/Workmates.OttKit.Cli", release, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/Workmates.OttKit ", release, StringComparison.Ordinal);
        Assert.Contains("dotnet nuget push", release, StringComparison.Ordinal);
        Assert.Contains("secrets.NUGET_API_KEY", release, StringComparison.Ordinal);
    }
}
