using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The ci stack: GitHub Actions' OIDC identity provider (or the account's existing one), the deploy role
/// <c>&lt;env&gt;-ci-deploy</c> and the plan role <c>&lt;env&gt;-ci-plan</c> the generated workflows assume
/// (see <c>PipelineSpec.DeployRoleArn</c>). Trust is exact: <c>StringEquals</c> on the token's audience and on its
/// subject, one subject per repository and branch / GitHub environment (deploy) or pull request (plan). No IAM users and
/// no access keys: CI only ever holds short-lived role sessions.
/// </summary>
internal static class CiRoleBuilder
{
    private const string Part = PlatformContext.CiPart;

    /// <summary>GitHub Actions' token issuer.</summary>
    public const string TokenHost = "token.actions.githubusercontent.com";

    /// <summary>The audience aws-actions/configure-aws-credentials asks for.</summary>
    public const string Audience = "sts.amazonaws.com";

    /// <summary>Name of the deploy role, as the pipeline generator assumes.</summary>
    public static string DeployRoleName(PlatformContext ctx) => $"{ctx.Env}-ci-deploy";

    /// <summary>Name of the plan role, as the pipeline generator assumes.</summary>
    public static string PlanRoleName(PlatformContext ctx) => $"{ctx.Env}-ci-plan";

    /// <summary>Subjects allowed to deploy: each repository on each branch and in each GitHub environment.</summary>
    public static IReadOnlyList<string> DeploySubjects(CiSpec ci) =>
        [.. ci.Repositories.SelectMany(r => ci.Environments.Select(e => $"repo:{ci.Owner}/{r}:environment:{e}")
            .Concat(ci.Branches.Select(b => $"repo:{ci.Owner}/{r}:ref:refs/heads/{b}")))];

    /// <summary>Subjects allowed to plan: pull requests of each repository.</summary>
    public static IReadOnlyList<string> PlanSubjects(CiSpec ci) => [.. ci.Repositories.Select(r => $"repo:{ci.Owner}/{r}:pull_request")];

    public static Template Build(PlatformContext ctx)
    {
        var spec = ctx.Spec;
        var ci = spec.Ci!;
        var t = new Template { Description = $"OttKit {ctx.Env}: GitHub Actions OIDC access (deploy and plan roles; no access keys)" };

        CfnNode provider;
        if (ci.ExistingOidcProviderArn is { } existing)
        {
            provider = existing;
        }
        else
        {
            // One provider per issuer per account: a second environment in the account sets existingOidcProviderArn.
            var created = t.AddResource("GitHubOidcProvider", "AWS::IAM::OIDCProvider", new CfnObject
            {
                ["Url"] = $"https://{TokenHost}",
                ["ClientIdList"] = new CfnList { Audience },
                ["Tags"] = ctx.Tags("github-oidc"),
            });
            provider = created.Ref();
        }

        var stacks = Fn.Sub($"arn:${{AWS::Partition}}:cloudformation:*:${{AWS::AccountId}}:stack/{ctx.Env}-*/*");
        var readStacks = new PolicyStatement
        {
            Sid = "ReadOwnStacks",
            Actions =
            {
                "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResource",
                "cloudformation:DescribeStackResources", "cloudformation:ListStackResources", "cloudformation:GetTemplate",
                "cloudformation:GetTemplateSummary", "cloudformation:ListChangeSets", "cloudformation:DescribeChangeSet",
            },
            Resources = { stacks },
        };

        var deploy = new PolicyDocument
        {
            readStacks,
            new PolicyStatement
            {
                Sid = "RunChangeSetsOnOwnStacks",
                Actions = { "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet" },
                Resources = { stacks },
            },
            new PolicyStatement
            {
                // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
                Sid = "RegistryLogin",
                Actions = { "ecr:GetAuthorizationToken" },
                Resources = { "*" },
            },
            new PolicyStatement
            {
                Sid = "PushOwnImages",
                Actions =
                {
                    "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
                    "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer",
                },
                Resources = [.. spec.Services.Select(s => (Value<string>)ctx.Import(PlatformContext.RepositoriesPart, $"{PlatformContext.Pascal(s.Name)}RepositoryArn"))],
            },
            new PolicyStatement
            {
                // ECS has no resource-level permission for these two; which roles a registered revision may carry is
                // bounded by PassOwnTaskRoles below, and which services run it by UpdateOwnServices.
                Sid = "RegisterTaskDefinitions",
                Actions = { "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition" },
                Resources = { "*" },
            },
            new PolicyStatement
            {
                Sid = "UpdateOwnServices",
                Actions = { "ecs:UpdateService", "ecs:DescribeServices" },
                Resources = [.. spec.Services.Select(s => (Value<string>)PlatformContext.Arn("ecs", $"service/{ctx.Env}/{s.Name}"))],
            },
            new PolicyStatement
            {
                Sid = "PassOwnTaskRoles",
                Actions = { "iam:PassRole" },
                Resources = { Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{ctx.TaskRolePath}*") },
                Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } },
            },
            new PolicyStatement
            {
                Sid = "ReadWriteArtifacts",
                Actions = { "s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation" },
                Resources = { ArtifactsBucket(ctx, ci, objects: false), ArtifactsBucket(ctx, ci, objects: true) },
            },
        };

        var plan = new PolicyDocument
        {
            readStacks,
            new PolicyStatement
            {
                // Plans create change sets to show the diff and delete them; they never execute one.
                Sid = "PlanChangeSetsOnOwnStacks",
                Actions = { "cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet" },
                Resources = { stacks },
            },
            new PolicyStatement
            {
                Sid = "ReadOwnServices",
                Actions = { "ecs:DescribeServices" },
                Resources = [.. spec.Services.Select(s => (Value<string>)PlatformContext.Arn("ecs", $"service/{ctx.Env}/{s.Name}"))],
            },
            new PolicyStatement
            {
                Sid = "ReadTaskDefinitions",
                Actions = { "ecs:DescribeTaskDefinition" },
                Resources = { "*" },
            },
        };

        var deployRole = t.AddResource("DeployRole", "AWS::IAM::Role", new CfnObject
        {
            ["RoleName"] = DeployRoleName(ctx),
            ["Description"] = $"{ctx.Env}: GitHub Actions deploys (images, task definitions, services, change sets)",
            ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = Trust(provider, DeploySubjects(ci)),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "deploy", ["PolicyDocument"] = deploy.ToNode() } },
            ["Tags"] = ctx.Tags("ci-deploy"),
        });
        var planRole = t.AddResource("PlanRole", "AWS::IAM::Role", new CfnObject
        {
            ["RoleName"] = PlanRoleName(ctx),
            ["Description"] = $"{ctx.Env}: GitHub Actions pull-request plans (read, create and delete change sets; never execute)",
            ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = Trust(provider, PlanSubjects(ci)),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "plan", ["PolicyDocument"] = plan.ToNode() } },
            ["Tags"] = ctx.Tags("ci-plan"),
        });

        ctx.Export(t, Part, "DeployRoleArn", deployRole.GetAtt("Arn"), "Role the deploy jobs assume through GitHub OIDC");
        ctx.Export(t, Part, "PlanRoleArn", planRole.GetAtt("Arn"), "Role the pull-request plan job assumes through GitHub OIDC");
        ctx.Export(t, Part, "OidcProviderArn", provider, "GitHub Actions OIDC provider");
        return t;
    }

    private static CfnObject Trust(CfnNode provider, IReadOnlyList<string> subjects) => new PolicyDocument
    {
        new PolicyStatement
        {
            Principal = PolicyPrincipal.Federated(provider is Intrinsic i ? (Value<string>)i : ((CfnScalar)provider).Text!),
            Actions = { "sts:AssumeRoleWithWebIdentity" },
            Conditions = new CfnObject
            {
                ["StringEquals"] = new CfnObject
                {
                    [$"{TokenHost}:aud"] = Audience,
                    [$"{TokenHost}:sub"] = new CfnList([.. subjects.Select(s => (CfnNode)s)]),
                },
            },
        },
    }.ToNode();

    private static Value<string> ArtifactsBucket(PlatformContext ctx, CiSpec ci, bool objects)
    {
        var bucket = ci.ArtifactsBucketName ?? $"{ctx.Env}-*artifacts*";
        return Fn.Sub($"arn:${{AWS::Partition}}:s3:::{bucket}{(objects ? "/*" : string.Empty)}");
    }
}
