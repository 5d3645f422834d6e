namespace Workmates.OttKit.Blueprint;

/// <summary>
/// The CI access of the environment (the <c>ci</c> stack): a GitHub Actions OIDC identity provider (or an existing
/// one), a deploy role <c>&lt;env&gt;-ci-deploy</c> and a plan-only role <c>&lt;env&gt;-ci-plan</c> whose trust
/// policies match exactly the repositories, branches and GitHub environments listed here. No access keys.
/// </summary>
public sealed record CiSpec
{
    /// <summary>GitHub organization or user owning the repositories.</summary>
    /// <value>Required.</value>
    public string Owner { get; init; } = string.Empty;

    /// <summary>Repository names (without the owner) whose workflows may assume the roles.</summary>
    /// <value>Required: at least one.</value>
    public IReadOnlyList<string> Repositories { get; init; } = [];

    /// <summary>Branches whose workflow runs may deploy when a job runs without a GitHub environment (<c>ref:refs/heads/&lt;branch&gt;</c>).</summary>
    /// <value>Default: <c>main</c>.</value>
    public IReadOnlyList<string> Branches { get; init; } = ["main"];

    /// <summary>GitHub environments whose jobs may deploy (<c>environment:&lt;name&gt;</c>; add required reviewers there).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>ARN of the account's existing <c>token.actions.githubusercontent.com</c> provider (one per account is allowed).</summary>
    /// <value>Default: <see langword="null"/> (the ci stack creates the provider).</value>
    public string? ExistingOidcProviderArn { get; init; }

    /// <summary>Name of the artifacts bucket the deploy role reads and writes (templates of every deploy).</summary>
    /// <value>Default: <see langword="null"/>: buckets named <c>&lt;env&gt;-*artifacts*</c> (the stack-generated name of an artifacts bucket in an <c>&lt;env&gt;-…</c> stack).</value>
    public string? ArtifactsBucketName { get; init; }

    /// <summary>Where the generated workflows get the <c>ottkit</c> command-line tool from.</summary>
    /// <value>Default: this library's version from the public NuGet gallery.</value>
    public CiToolSpec Tool { get; init; } = new();
}

/// <summary>
/// The <c>ottkit</c> dotnet tool the generated workflows install (<c>ci.tool</c>): an exact version, from the public
/// NuGet gallery unless a feed is named (a private feed such as GitHub Packages or Azure Artifacts, where the tool is
/// published by the release workflow of this repository).
/// </summary>
public sealed record CiToolSpec
{
    /// <summary>Exact NuGet version of <c>Workmates.OttKit.Cli</c> (no ranges, no floating versions).</summary>
    /// <value>Default: <see langword="null"/>: the version of the library that synthesizes the workflows.</value>
    public string? Version { get; init; }

    /// <summary>NuGet v3 service index (an <c>https://</c> URL) the tool is installed from, in addition to the runner's default source.</summary>
    /// <value>Default: <see langword="null"/>: the public NuGet gallery, the .NET SDK's default source (no <c>--add-source</c>).</value>
    public string? Feed { get; init; }
}
