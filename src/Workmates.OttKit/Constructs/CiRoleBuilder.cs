using System.Collections.Immutable;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Iam;
using Workmates.OttKit.Pipelines;

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

    /// <summary>The ci stack.</summary>
    /// <param name="ctx">The environment.</param>
    /// <param name="scope">The ci stack.</param>
    /// <param name="bootstrap">The artifacts bucket and key the deploy role writes templates with.</param>
    /// <param name="stacks">Every other stack of the set: name, region and template (the roles may touch exactly these stacks; the service role may create what they contain).</param>
    public static CiRoles Build(PlatformContext ctx, StackScope scope, Bootstrap bootstrap, IReadOnlyList<(string Name, string Region, Template Template)> stacks)
    {
        var spec = ctx.Spec;
        var ci = spec.Ci!;
        var t = scope.Template;
        t.Description = $"OttKit {ctx.Env}: GitHub Actions OIDC access (deploy and plan roles, CloudFormation service role; no access keys)";

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

        var ownStack = (Name: scope.Name, Region: spec.Region);
        var allStacks = stacks.Select(s => (s.Name, s.Region)).Append(ownStack).ToList();
        var resourceTypes = stacks.SelectMany(s => s.Template.Resources.Values.Select(r => r.Type))
            .Concat(["AWS::IAM::Role", "AWS::IAM::OIDCProvider"])
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var serviceRole = t.AddResource("CloudFormationServiceRole", "AWS::IAM::Role", new CfnObject
        {
            ["RoleName"] = CloudFormationServiceRole.RoleName(ctx),
            ["Description"] = $"{ctx.Env}: CloudFormation creates and updates the environment's stacks with this role (passed by the deploy role)",
            ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Principal = PolicyPrincipal.Service("cloudformation.amazonaws.com"),
                    Actions = { "sts:AssumeRole" },
                    Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["aws:SourceAccount"] = Pseudo.AccountId } },
                },
            }.ToNode(),
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "create-the-stacks-resources",
                    ["PolicyDocument"] = CloudFormationServiceRole.Policy(ctx, resourceTypes).ToNode(),
                },
            },
            ["Tags"] = ctx.Tags("cloudformation"),
        });

        ScopeGrant? Resolve(PermissionScope permission) => CiScope(ctx, ci, allStacks, serviceRole, permission, scope, bootstrap);

        var deploy = new PolicyDocument();
        foreach (var statement in PermissionGrants.Statements(DeployPermissions, Resolve))
        {
            deploy.Add(statement);
        }

        // The workflows' own calls, outside ottkit: docker login and push, and the image-exists check before a build
        // (PipelineGenerator.ImagePushPermissions), on every image repository of the environment: the services' and
        // the backup task's <env>/ottkit-backup, which the backup image workflow pushes.
        var login = new PolicyStatement
        {
            // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
            Sid = "RegistryLogin",
            Resources = { "*" },
        };
        var push = new PolicyStatement { Sid = "PushOwnImages" };
        foreach (var permission in PipelineGenerator.ImagePushPermissions)
        {
            (permission.Scope == PermissionScope.NoResource ? login : push).Actions.Add(permission.Action);
        }

        foreach (var arn in EcrRepositoryArns(ctx))
        {
            push.Resources.Add(arn);
        }

        deploy.Add(login);
        deploy.Add(push);

        var plan = new PolicyDocument();
        foreach (var statement in PermissionGrants.Statements(PlanPermissions, Resolve))
        {
            plan.Add(statement);
        }

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

        var deployRoleArn = scope.Export("DeployRoleArn", deployRole.GetAtt("Arn"), "Role the deploy jobs assume through GitHub OIDC");
        scope.Export("PlanRoleArn", planRole.GetAtt("Arn"), "Role the pull-request plan job assumes through GitHub OIDC");
        scope.Export("OidcProviderArn", provider, "GitHub Actions OIDC provider");
        scope.Export("CloudFormationServiceRoleArn", serviceRole.GetAtt("Arn"), "Role CloudFormation deploys the stacks with (ottkit deploy stacks --role-arn)");
        return new CiRoles(scope, deployRoleArn);
    }

    /// <summary>What the deploy jobs run: <c>ottkit deploy stacks</c>, <c>ottkit image scan-gate</c>, <c>ottkit deploy service</c> and <c>ottkit rollback</c>.</summary>
    public static ImmutableArray<RequiredAction> DeployPermissions { get; } = RequiredAction.Union(
        StackDeployer.RequiredPermissions.Deploy,
        ImageScanGate.RequiredPermissions.Check,
        ServiceDeployer.RequiredPermissions.Deploy,
        ServiceDeployer.RequiredPermissions.Rollback,
        ServiceDeployer.RequiredPermissions.Status);

    /// <summary>What the pull-request plan job runs: <c>ottkit plan</c> (and <c>ottkit status</c>, read-only).</summary>
    public static ImmutableArray<RequiredAction> PlanPermissions { get; } = RequiredAction.Union(
        StackDeployer.RequiredPermissions.Plan,
        ServiceDeployer.RequiredPermissions.Status);

    /// <summary>The CI roles' resolution of each permission scope to this environment's own resources.</summary>
    private static ScopeGrant? CiScope(PlatformContext ctx, CiSpec ci, IReadOnlyList<(string Name, string Region)> stacks, Resource serviceRole, PermissionScope scope, StackScope stack, Bootstrap bootstrap)
    {
        var services = ctx.Spec.Services;
        Value<string> Ecs(string resource) => PlatformContext.Arn("ecs", resource);
        var cluster = new CfnObject { ["ArnEquals"] = new CfnObject { ["ecs:cluster"] = Ecs($"cluster/{ctx.Env}") } };
        return scope switch
        {
            // Exact stack names: stack/<env>-* would also match another environment called <env>-prod.
            PermissionScope.Stacks => new([.. stacks.Select(s => (Value<string>)Fn.Sub($"arn:${{AWS::Partition}}:cloudformation:{s.Region}:${{AWS::AccountId}}:stack/{s.Name}/*"))]),
            PermissionScope.ArtifactObjects => new([ArtifactsBucket(ci, objects: true, stack, bootstrap)]),
            PermissionScope.ArtifactsBucket => new([ArtifactsBucket(ci, objects: false, stack, bootstrap)]),
            // The bootstrap stack's own key: the ci stack imports from nothing else, so an administrator deploys the
            // two first (docs/pipelines.md, Bootstrap).
            PermissionScope.BucketKeyThroughS3 => bootstrap.ArtifactsKey.ThroughS3(stack),
            PermissionScope.CloudFormationServiceRole => new(
                [serviceRole.GetAtt("Arn")],
                new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "cloudformation.amazonaws.com" } }),
            PermissionScope.EcsService => new([.. services.Select(s => Ecs($"service/{ctx.Env}/{s.Name}"))]),
            PermissionScope.EcsServiceDeployment => new([.. services.Select(s => Ecs($"service-deployment/{ctx.Env}/{s.Name}/*"))]),
            PermissionScope.EcsServiceRevision => new([.. services.Select(s => Ecs($"service-revision/{ctx.Env}/{s.Name}/*"))]),
            PermissionScope.EcsTask => new([Ecs($"task/{ctx.Env}/*")]),
            PermissionScope.EcsTaskDefinition => new([.. services.Select(s => Ecs($"task-definition/{ctx.Env}-{s.Name}:*"))]),
            // ListTasks names no resource of its own: the cluster condition keeps it to this environment.
            PermissionScope.EcsCluster => new(["*"], cluster),
            PermissionScope.TaskRoles => new(
                [Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{ctx.TaskRolePath}*")],
                new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } }),
            PermissionScope.ServiceAlarms => new([.. services.SelectMany(s =>
            {
                var (errors, latency) = ServiceBuilder.AlarmNames(ctx, s.Name);
                return new[] { PlatformContext.Arn("cloudwatch", $"alarm:{errors}"), PlatformContext.Arn("cloudwatch", $"alarm:{latency}") };
            }).Select(a => (Value<string>)a)]),
            // The scan gate runs in the service workflows only: their repositories, not the backup image's.
            PermissionScope.EcrRepository => new([.. services.Select(s => RepositoryArn(RepositoryBuilder.RepositoryName(ctx, s)))]),
            PermissionScope.NoResource => new(["*"]),
            _ => throw new InvalidOperationException($"The CI roles cannot grant permissions on {scope}: no operation they run should need it."),
        };
    }

    /// <summary>The environment's image repositories: each service's and, with a database, the backup task's <c>&lt;env&gt;/ottkit-backup</c>.</summary>
    private static IEnumerable<Value<string>> EcrRepositoryArns(PlatformContext ctx)
    {
        var names = ctx.Spec.Services.Select(s => RepositoryBuilder.RepositoryName(ctx, s));
        if (ctx.Spec.Database is not null)
        {
            names = names.Append(RepositoryBuilder.BackupRepositoryName(ctx));
        }

        return names.Select(RepositoryArn);
    }

    /// <summary>
    /// A repository's ARN from its name (the repositories stack names each one): computed, not imported, so the ci
    /// stack depends on the bootstrap stack alone and an administrator can deploy it before any other stack.
    /// </summary>
    private static Value<string> RepositoryArn(string name) => PlatformContext.Arn("ecr", $"repository/{name}");

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

    private static Value<string> ArtifactsBucket(CiSpec ci, bool objects, StackScope stack, Bootstrap bootstrap)
    {
        if (ci.ArtifactsBucketName is { } bucket)
        {
            return Fn.Sub($"arn:${{AWS::Partition}}:s3:::{bucket}{(objects ? "/*" : string.Empty)}");
        }

        // The bootstrap stack's own bucket, exactly (a name pattern would also match another environment's).
        var arn = bootstrap.Artifacts.Arn.In(stack);
        return objects ? Fn.Sub("${Bucket}/*", new CfnObject { ["Bucket"] = arn }) : arn;
    }
}
