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
}
