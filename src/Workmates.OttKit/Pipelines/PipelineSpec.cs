using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Pipelines;

/// <summary>How the generated workflows reference third-party actions.</summary>
public enum ActionPinning
{
    /// <summary>Full 40-hex commit SHA with the release in a comment (<c>@08c6903… # v5.0.0</c>): immutable, the default.</summary>
    CommitSha,

    /// <summary>Major tag (<c>@v5</c>): picks up fixes automatically, but a moved tag changes what runs.</summary>
    MajorTag,
}

/// <summary>How a service workflow rolls the new image out.</summary>
public enum ServiceDeployMode
{
    /// <summary><c>ottkit deploy service</c>, installed as a pinned dotnet tool: watches the rollout and fails when ECS rolls back. The default.</summary>
    OttKit,

    /// <summary>Official AWS actions for the rollout: amazon-ecs-render-task-definition and amazon-ecs-deploy-task-definition with <c>wait-for-service-stability</c> (the scan gate before it is still <c>ottkit image scan-gate</c>).</summary>
    OfficialActions,
}

/// <summary>
/// Generation options for the workflows <see cref="PipelineGenerator"/> writes: repository layout, branch, GitHub
/// environment, roles and tool versions. The CI identity itself is configured in one place, the spec's <c>ci</c>
/// section (<see cref="CiSpec"/>): the GitHub owner is <c>ci.owner</c> (the owner the CI roles trust) and the
/// <c>ottkit</c> tool comes from <c>ci.tool</c>. Every value has a default derived from the <see cref="EnvironmentSpec"/>,
/// so <c>new PipelineSpec()</c> works for a standard layout.
/// </summary>
public sealed partial record PipelineSpec
{
    /// <summary>Package id of the OttKit command-line tool (<c>dotnet tool install</c>); its command is <c>ottkit</c>.</summary>
    public const string CliPackageId = "Workmates.OttKit.Cli";

    /// <summary>The repository holding the spec (<c>owner/name</c>): it gets the infrastructure workflow.</summary>
    /// <value>Default: <c>&lt;owner&gt;/&lt;environment&gt;-platform</c>, the owner being the spec's <c>ci.owner</c> (else the environment name). With a <c>ci</c> section the owner must be <c>ci.owner</c>.</value>
    public string? EnvironmentRepository { get; init; }

    /// <summary>Application repository per service name (<c>owner/name</c>): each gets that service's deploy workflow.</summary>
    /// <value>Default: <c>&lt;owner&gt;/&lt;service&gt;</c> for every service not listed (owner as for <see cref="EnvironmentRepository"/>, which a listed repository must also have).</value>
    public IReadOnlyDictionary<string, string> ServiceRepositories { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Branch whose pushes deploy.</summary>
    /// <value>Default: <c>main</c>.</value>
    public string DefaultBranch { get; init; } = "main";

    /// <summary>GitHub environment the deploy jobs run in (add required reviewers there to gate deploys).</summary>
    /// <value>Default: the environment name.</value>
    public string? GitHubEnvironment { get; init; }

    /// <summary>How actions are referenced.</summary>
    /// <value>Default: <see cref="ActionPinning.CommitSha"/>.</value>
    public ActionPinning ActionPinning { get; init; } = ActionPinning.CommitSha;

    /// <summary>How service workflows deploy.</summary>
    /// <value>Default: <see cref="ServiceDeployMode.OttKit"/>.</value>
    public ServiceDeployMode DeployMode { get; init; } = ServiceDeployMode.OttKit;

    /// <summary>Whether the infrastructure workflow also posts the plan as a pull-request comment (adds <c>pull-requests: write</c> to the plan job only).</summary>
    /// <value>Default: <see langword="false"/> (the plan goes to the job summary only).</value>
    public bool CommentPlanOnPullRequest { get; init; }

    /// <summary>IAM role the deploy jobs assume through GitHub OIDC.</summary>
    /// <value>Default: <c>arn:aws:iam::&lt;account&gt;:role/&lt;environment&gt;-ci-deploy</c>; without an account id in the spec the account comes from the GitHub variable <c>AWS_ACCOUNT_ID</c>.</value>
    public string? DeployRoleArn { get; init; }

    /// <summary>Narrower, read-only IAM role the pull-request plan job assumes (create/describe/delete change sets only).</summary>
    /// <value>Default: <c>arn:aws:iam::&lt;account&gt;:role/&lt;environment&gt;-ci-plan</c>, account as for <see cref="DeployRoleArn"/>.</value>
    public string? PlanRoleArn { get; init; }

    /// <summary>Path of the spec file inside the environment repository.</summary>
    /// <value>Default: <c>&lt;environment&gt;.yaml</c>.</value>
    public string? SpecPath { get; init; }

    /// <summary>Node.js version of the test job (<c>actions/setup-node</c>).</summary>
    /// <value>Default: <c>22</c>.</value>
    public string NodeVersion { get; init; } = "22";

    /// <summary>.NET SDK version that runs the <c>ottkit</c> tool (<c>actions/setup-dotnet</c>).</summary>
    /// <value>Default: <c>10.0.x</c>.</value>
    public string DotnetVersion { get; init; } = "10.0.x";

    /// <summary>Runner label of every job.</summary>
    /// <value>Default: <c>ubuntu-24.04</c> (a fixed image rather than <c>ubuntu-latest</c>, so upgrades are deliberate).</value>
    public string RunsOn { get; init; } = "ubuntu-24.04";

    /// <summary>
    /// Secret, in each application repository, holding a read-only token for the environment repository: service
    /// workflows check the spec out with it (the scan gate reads it in every mode; the deploy too in <see cref="ServiceDeployMode.OttKit"/> mode). Not an AWS credential.
    /// </summary>
    /// <value>Default: <c>OTTKIT_ENVIRONMENT_READ_TOKEN</c>.</value>
    public string EnvironmentRepositoryTokenSecret { get; init; } = "OTTKIT_ENVIRONMENT_READ_TOKEN";

    /// <summary>
    /// Checks the options against the environment, every problem at once. An option is reported by its name
    /// (<c>PipelineSpec.&lt;Option&gt;</c>); an option that contradicts the spec's <c>ci</c> section is reported at the
    /// spec path it contradicts (<c>ci.owner</c>). The spec itself is not validated again: that is
    /// <see cref="EnvironmentSpec.Validate()"/>'s job, and the defaults taken from it (<c>ci.owner</c>,
    /// <c>ci.tool</c>) are checked there, at their <c>ci.*</c> paths.
    /// </summary>
    /// <param name="environment">The environment the workflows are for.</param>
    /// <returns>Problems, empty when the options are usable.</returns>
    public IReadOnlyList<ValidationProblem> Validate(EnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<ValidationProblem>();
        var r = Resolve(environment);

        if (EnvironmentRepository is not null)
        {
            CheckRepository(problems, environment, $"{nameof(PipelineSpec)}.{nameof(EnvironmentRepository)}", EnvironmentRepository);
        }

        foreach (var (service, repository) in ServiceRepositories.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = $"{nameof(PipelineSpec)}.{nameof(ServiceRepositories)}.{service}";
            if (!environment.Services.Any(s => string.Equals(s.Name, service, StringComparison.Ordinal)))
            {
                problems.Add(new(path, $"'{service}' is not a service of environment '{environment.Name}'.", $"Use one of: {string.Join(", ", environment.Services.Select(s => s.Name))}."));
            }

            CheckRepository(problems, environment, path, repository);
        }

        if (!BranchName().IsMatch(DefaultBranch) || DefaultBranch.Contains("..", StringComparison.Ordinal) || DefaultBranch.EndsWith('/'))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(DefaultBranch)}", $"'{DefaultBranch}' is not a usable branch name.", "Use a plain branch name such as 'main'."));
        }

        if (!EnvironmentName().IsMatch(r.GitHubEnvironment))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(GitHubEnvironment)}", $"'{r.GitHubEnvironment}' is not a usable GitHub environment name.", "Use letters, digits, '-', '_' and '.', up to 255 characters."));
        }

        CheckRole(problems, $"{nameof(PipelineSpec)}.{nameof(DeployRoleArn)}", r.DeployRoleArn);
        CheckRole(problems, $"{nameof(PipelineSpec)}.{nameof(PlanRoleArn)}", r.PlanRoleArn);
        if (string.Equals(r.DeployRoleArn, r.PlanRoleArn, StringComparison.Ordinal))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(PlanRoleArn)}", "The plan role is the deploy role.", "Give pull-request plans their own read-only role, so untrusted branches cannot deploy."));
        }

        if (!SafePath().IsMatch(r.SpecPath) || r.SpecPath.Split('/').Contains(".."))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(SpecPath)}", $"'{r.SpecPath}' is not a relative path inside the repository.", "Use a relative path with letters, digits, '.', '_', '-' and '/', such as 'owl270.yaml'."));
        }

        if (!ToolVersion().IsMatch(NodeVersion))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(NodeVersion)}", $"'{NodeVersion}' is not a Node.js version.", "Use a version such as '22' or '22.11'."));
        }

        if (!ToolVersion().IsMatch(DotnetVersion))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(DotnetVersion)}", $"'{DotnetVersion}' is not a .NET SDK version.", "Use a version such as '10.0.x'."));
        }

        if (!Label().IsMatch(RunsOn))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(RunsOn)}", $"'{RunsOn}' is not a runner label.", "Use a label such as 'ubuntu-24.04'."));
        }

        if (!SecretName().IsMatch(EnvironmentRepositoryTokenSecret) || EnvironmentRepositoryTokenSecret.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new($"{nameof(PipelineSpec)}.{nameof(EnvironmentRepositoryTokenSecret)}", $"'{EnvironmentRepositoryTokenSecret}' is not a usable secret name.", "Use letters, digits and '_', not starting with a digit or GITHUB_."));
        }

        return problems;
    }

    /// <summary>Every option with its default filled in from the environment.</summary>
    internal ResolvedPipeline Resolve(EnvironmentSpec environment)
    {
        // The CI roles trust repositories of ci.owner only: the workflows live (and check out) there.
        var organization = Owner(environment);
        var account = environment.AccountId ?? "${{ vars.AWS_ACCOUNT_ID }}";
        var services = environment.Services.ToImmutableSortedDictionary(
            s => s.Name,
            s => ServiceRepositories.TryGetValue(s.Name, out var repository) ? repository : $"{organization}/{s.Name}",
            StringComparer.Ordinal);
        return new ResolvedPipeline(
            environment,
            EnvironmentRepository ?? $"{organization}/{environment.Name}-platform",
            services,
            DefaultBranch,
            GitHubEnvironment ?? environment.Name,
            ActionPinning,
            DeployMode,
            CommentPlanOnPullRequest,
            environment.Ci?.Tool.Version ?? LibraryVersion,
            environment.Ci?.Tool.Feed,
            DeployRoleArn ?? $"arn:aws:iam::{account}:role/{environment.Name}-ci-deploy",
            PlanRoleArn ?? $"arn:aws:iam::{account}:role/{environment.Name}-ci-plan",
            environment.Ci is null ? null : $"arn:aws:iam::{account}:role/{environment.Name}-cloudformation",
            ImagePlatforms(environment),
            SpecPath ?? $"{environment.Name}.yaml",
            NodeVersion,
            DotnetVersion,
            RunsOn,
            EnvironmentRepositoryTokenSecret);
    }

    /// <summary>
    /// The image platforms of the services: one per CPU architecture of the cluster's instance types
    /// (<c>linux/amd64</c>, <c>linux/arm64</c>), so a Graviton cluster gets arm64 images; unknown types count as x86_64.
    /// </summary>
    internal static IReadOnlyList<string> ImagePlatforms(EnvironmentSpec environment) =>
    [
        .. environment.Cluster.InstanceTypes
            .Select(type => InstanceTypes.TryGet(type, out var info) && info.Architecture == CpuArchitecture.Arm64 ? "linux/arm64" : "linux/amd64")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>This library's version without build metadata: the tool version the workflows install by default.</summary>
    internal static string LibraryVersion
    {
        get
        {
            var informational = typeof(PipelineSpec).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var version = informational ?? typeof(PipelineSpec).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version[..plus];
        }
    }

    /// <summary>The GitHub owner of every generated workflow's repository: <c>ci.owner</c>, else the environment name.</summary>
    private static string Owner(EnvironmentSpec environment) => environment.Ci?.Owner ?? environment.Name;

    private static void CheckRepository(List<ValidationProblem> problems, EnvironmentSpec environment, string path, string repository)
    {
        var parts = repository.Split('/');
        if (parts.Length != 2 || !OwnerName().IsMatch(parts[0]) || !RepositoryName().IsMatch(parts[1]) || parts[1] is "." or "..")
        {
            problems.Add(new(path, $"'{repository}' is not a GitHub repository.", $"Write it as 'owner/name', for example '{Owner(environment)}/web'."));
        }
        else if (environment.Ci is { } ci && !string.Equals(parts[0], ci.Owner, StringComparison.OrdinalIgnoreCase))
        {
            // The roles trust repo:<ci.owner>/<name> only: a workflow elsewhere could never assume them.
            problems.Add(new(
                "ci.owner",
                $"{path} '{repository}' belongs to '{parts[0]}', but the CI roles trust repositories of '{ci.Owner}' only, so its workflows could not deploy.",
                $"Move the repository to '{ci.Owner}' ('{ci.Owner}/{parts[1]}'), or set ci.owner to '{parts[0]}' if that is where all the environment's repositories live."));
        }
    }

    private static void CheckRole(List<ValidationProblem> problems, string path, string arn)
    {
        if (!RoleArn().IsMatch(arn))
        {
            problems.Add(new(path, $"'{arn}' is not an IAM role ARN.", "Use 'arn:aws:iam::<12-digit account>:role/<name>' (the account may be ${{ vars.AWS_ACCOUNT_ID }})."));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex BranchName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"^arn:aws(?:-cn|-us-gov)?:iam::(?:[0-9]{12}|\$\{\{ vars\.[A-Za-z_][A-Za-z0-9_]* \}\}):role/[A-Za-z0-9+=,.@_/-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^[A-Za-z0-9._-][A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePath();

    [GeneratedRegex(@"^[0-9]+(?:\.(?:[0-9]+|x))*$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolVersion();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}

/// <summary>Pipeline options with every default resolved against one environment.</summary>
internal sealed record ResolvedPipeline(
    EnvironmentSpec Environment,
    string EnvironmentRepository,
    IReadOnlyDictionary<string, string> ServiceRepositories,
    string DefaultBranch,
    string GitHubEnvironment,
    ActionPinning ActionPinning,
    ServiceDeployMode DeployMode,
    bool CommentPlanOnPullRequest,
    string OttKitVersion,
    string? OttKitFeed,
    string DeployRoleArn,
    string PlanRoleArn,
    string? CloudFormationRoleArn,
    IReadOnlyList<string> ImagePlatforms,
    string SpecPath,
    string NodeVersion,
    string DotnetVersion,
    string RunsOn,
    string EnvironmentRepositoryTokenSecret);

/// <summary>
/// Where an environment's workflows get OttKit from: the <c>ottkit</c> dotnet tool they install
/// (<c>dotnet tool install --global &lt;PackageId&gt; --version &lt;Version&gt; [--add-source '&lt;Feed&gt;']</c>) and the
/// OttKit source the backup image is built from (<c>actions/checkout</c> of <paramref name="SourceRepository"/> at
/// <paramref name="SourceRef"/> into <paramref name="SourcePath"/>).
/// </summary>
/// <param name="PackageId">The tool's NuGet package id.</param>
/// <param name="Version">The exact version: <c>ci.tool.version</c>, else the version of the library that synthesized.</param>
/// <param name="Feed"><c>ci.tool.feed</c>; <see langword="null"/> for the public NuGet gallery (no <c>--add-source</c>).</param>
/// <param name="SourceRepository">The repository OttKit's source is checked out from.</param>
/// <param name="SourceRef">The release tag of <paramref name="Version"/> (<c>v&lt;version&gt;</c>).</param>
/// <param name="SourcePath">Where the backup image workflow checks the source out (the Docker build context).</param>
internal sealed record OttKitToolSource(string PackageId, string Version, string? Feed, string SourceRepository, string SourceRef, string SourcePath);
