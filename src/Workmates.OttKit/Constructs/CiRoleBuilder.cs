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
    private const string Part = PlatformNaming.CiPart;

    /// <summary>GitHub Actions' token issuer.</summary>
    public const string TokenHost = "token.actions.githubusercontent.com";

    /// <summary>The audience aws-actions/configure-aws-credentials asks for.</summary>
    public const string Audience = "sts.amazonaws.com";

    /// <summary>Name of the deploy role, as the pipeline generator assumes.</summary>
    public static string DeployRoleName(PlatformNaming naming) => $"{naming.Env}-ci-deploy";

    /// <summary>Name of the plan role, as the pipeline generator assumes.</summary>
    public static string PlanRoleName(PlatformNaming naming) => $"{naming.Env}-ci-plan";

    /// <summary>Subjects allowed to deploy: each repository on each branch and in each GitHub environment.</summary>
    public static IReadOnlyList<string> DeploySubjects(CiRoleProps ci) =>
        [.. ci.Repositories.SelectMany(r => ci.Environments.Select(e => $"repo:{ci.Owner}/{r}:environment:{e}")
            .Concat(ci.Branches.Select(b => $"repo:{ci.Owner}/{r}:ref:refs/heads/{b}")))];

    /// <summary>Subjects allowed to plan: pull requests of each repository.</summary>
    public static IReadOnlyList<string> PlanSubjects(CiRoleProps ci) => [.. ci.Repositories.Select(r => $"repo:{ci.Owner}/{r}:pull_request")];

    /// <summary>The ci stack.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The ci stack.</param>
    /// <param name="ci">Its props: the trusted repositories and the services and image repositories it deploys.</param>
    /// <param name="bootstrap">The artifacts bucket and key the deploy role writes templates with.</param>
    /// <param name="stacks">Every other stack of the set: name, region and template (the roles may touch exactly these stacks; the service role may create what they contain).</param>
    public static CiRoles Build(PlatformNaming naming, StackScope scope, CiRoleProps ci, Bootstrap bootstrap, IReadOnlyList<(string Name, string Region, Template Template)> stacks)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: GitHub Actions OIDC access (deploy and plan roles, CloudFormation service role; no access keys)";

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
                ["Tags"] = naming.Tags("github-oidc"),
            });
            provider = created.Ref();
        }

        var ownStack = (Name: scope.Name, Region: scope.Region);
        var allStacks = stacks.Select(s => (s.Name, s.Region)).Append(ownStack).ToList();
        var resourceTypes = stacks.SelectMany(s => s.Template.Resources.Values.Select(r => r.Type))
            .Concat(["AWS::IAM::Role", "AWS::IAM::OIDCProvider"])
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var serviceRole = t.AddResource("CloudFormationServiceRole", "AWS::IAM::Role", new CfnObject
        {
            ["RoleName"] = CloudFormationServiceRole.RoleName(naming),
            ["Description"] = $"{naming.Env}: CloudFormation creates and updates the environment's stacks with this role (passed by the deploy role)",
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
                    ["PolicyDocument"] = CloudFormationServiceRole.Policy(naming, resourceTypes).ToNode(),
                },
            },
            ["Tags"] = naming.Tags("cloudformation"),
        });

        ScopeGrant? Resolve(PermissionScope permission) => CiScope(naming, ci, allStacks, serviceRole, permission, scope, bootstrap);

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

        foreach (var arn in ci.ImageRepositories.Select(RepositoryArn))
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
            ["RoleName"] = DeployRoleName(naming),
            ["Description"] = $"{naming.Env}: GitHub Actions deploys (images, task definitions, services, change sets)",
            ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = Trust(provider, DeploySubjects(ci)),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "deploy", ["PolicyDocument"] = deploy.ToNode() } },
            ["Tags"] = naming.Tags("ci-deploy"),
        });
        var planRole = t.AddResource("PlanRole", "AWS::IAM::Role", new CfnObject
        {
            ["RoleName"] = PlanRoleName(naming),
            ["Description"] = $"{naming.Env}: GitHub Actions pull-request plans (read, create and delete change sets; never execute)",
            ["MaxSessionDuration"] = 3600,
            ["AssumeRolePolicyDocument"] = Trust(provider, PlanSubjects(ci)),
            ["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = "plan", ["PolicyDocument"] = plan.ToNode() } },
            ["Tags"] = naming.Tags("ci-plan"),
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
    private static ScopeGrant? CiScope(PlatformNaming naming, CiRoleProps ci, IReadOnlyList<(string Name, string Region)> stacks, Resource serviceRole, PermissionScope scope, StackScope stack, Bootstrap bootstrap)
    {
        var services = ci.Services;
        Value<string> Ecs(string resource) => PlatformNaming.Arn("ecs", resource);
        var cluster = new CfnObject { ["ArnEquals"] = new CfnObject { ["ecs:cluster"] = Ecs($"cluster/{naming.Env}") } };
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
            PermissionScope.EcsService => new([.. services.Select(s => Ecs($"service/{naming.Env}/{s.Name}"))]),
            PermissionScope.EcsServiceDeployment => new([.. services.Select(s => Ecs($"service-deployment/{naming.Env}/{s.Name}/*"))]),
            PermissionScope.EcsServiceRevision => new([.. services.Select(s => Ecs($"service-revision/{naming.Env}/{s.Name}/*"))]),
            PermissionScope.EcsTask => new([Ecs($"task/{naming.Env}/*")]),
            PermissionScope.EcsTaskDefinition => new([.. services.Select(s => Ecs($"task-definition/{naming.Env}-{s.Name}:*"))]),
            // ListTasks names no resource of its own: the cluster condition keeps it to this environment.
            PermissionScope.EcsCluster => new(["*"], cluster),
            PermissionScope.TaskRoles => new(
                [Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{naming.TaskRolePath}*")],
                new CfnObject { ["StringEquals"] = new CfnObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } }),
            PermissionScope.ServiceAlarms => new([.. services.SelectMany(s => new[] { PlatformNaming.Arn("cloudwatch", $"alarm:{s.ServerErrorsAlarm}"), PlatformNaming.Arn("cloudwatch", $"alarm:{s.LatencyAlarm}") })
                .Select(a => (Value<string>)a)]),
            // The scan gate runs in the service workflows only: their repositories, not the backup image's.
            PermissionScope.EcrRepository => new([.. services.Select(s => RepositoryArn(s.ImageRepository))]),
            PermissionScope.NoResource => new(["*"]),
            _ => throw new InvalidOperationException($"The CI roles cannot grant permissions on {scope}: no operation they run should need it."),
        };
    }

    /// <summary>
    /// A repository's ARN from its name (the repositories stack names each one): computed, not imported, so the ci
    /// stack depends on the bootstrap stack alone and an administrator can deploy it before any other stack.
    /// </summary>
    private static Value<string> RepositoryArn(string name) => PlatformNaming.Arn("ecr", $"repository/{name}");

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

    private static Value<string> ArtifactsBucket(CiRoleProps ci, bool objects, StackScope stack, Bootstrap bootstrap)
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

/// <summary>The CI roles' props (<c>ci.*</c> and what they deploy of the services; see <see cref="ConstructProps.CiRoles"/>).</summary>
/// <param name="Owner">The GitHub owner of <paramref name="Repositories"/>.</param>
/// <param name="Repositories">The repositories whose workflows may assume the roles.</param>
/// <param name="Branches">Branches that may deploy.</param>
/// <param name="Environments">GitHub environments that may deploy.</param>
/// <param name="ExistingOidcProviderArn">The account's GitHub OIDC provider, when it already has one.</param>
/// <param name="ArtifactsBucketName">An existing artifacts bucket, instead of the bootstrap stack's.</param>
/// <param name="Services">The services the deploy role rolls out, in spec order.</param>
/// <param name="ImageRepositories">Every image repository the workflows push to: the services', then the backup task's (with a database).</param>
internal sealed record CiRoleProps(
    string Owner,
    IReadOnlyList<string> Repositories,
    IReadOnlyList<string> Branches,
    IReadOnlyList<string> Environments,
    string? ExistingOidcProviderArn,
    string? ArtifactsBucketName,
    IReadOnlyList<CiServiceProps> Services,
    IReadOnlyList<string> ImageRepositories);

/// <summary>What the CI roles need of one service.</summary>
/// <param name="Name">The service's name (its ECS service, task definition family suffix).</param>
/// <param name="ImageRepository">Its image repository's name.</param>
/// <param name="ServerErrorsAlarm">Its deployment alarm on 5xx responses.</param>
/// <param name="LatencyAlarm">Its deployment alarm on latency.</param>
internal sealed record CiServiceProps(string Name, string ImageRepository, string ServerErrorsAlarm, string LatencyAlarm);
