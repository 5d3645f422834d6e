namespace Workmates.OttKit.Pipelines;

/// <summary>One third-party action the generated workflows use, pinned to a release.</summary>
/// <param name="Repository">The action's repository, <c>owner/name</c>.</param>
/// <param name="CommitSha">The full 40-hex commit the release tag points to.</param>
/// <param name="Version">The release tag (<c>v5.0.0</c>), written as a comment after the SHA.</param>
internal sealed record PinnedAction(string Repository, string CommitSha, string Version)
{
    /// <summary>The major tag of the release (<c>v5</c>), used when pinning to major tags.</summary>
    public string MajorTag => Version.Split('.')[0];

    /// <summary>The <c>uses:</c> value and its trailing comment for a pinning mode.</summary>
    public (string Uses, string? Comment) Reference(ActionPinning pinning) => pinning switch
    {
        ActionPinning.CommitSha => ($"{Repository}@{CommitSha}", Version),
        ActionPinning.MajorTag => ($"{Repository}@{MajorTag}", null),
        _ => throw new ArgumentOutOfRangeException(nameof(pinning), pinning, "Unknown action pinning mode."),
    };
}

/// <summary>
/// The single table of actions the generated workflows use. Each SHA is the commit of the named release tag, taken
/// from public workflows pinned by Dependabot/Renovate and from generated "latest release" lists; docs/pipelines.md
/// lists the source of each. To upgrade, change a row here and regenerate.
/// </summary>
internal static class PinnedActions
{
    public static readonly PinnedAction Checkout = new("actions/checkout", "08c6903cd8c0fde910a37f88322edcfb5dd907a8", "v5.0.0");

    public static readonly PinnedAction SetupNode = new("actions/setup-node", "a0853c24544627f65ddf259abe73b1d18a591444", "v5.0.0");

    public static readonly PinnedAction SetupDotnet = new("actions/setup-dotnet", "d4c94342e560b34958eacfc5d055d21461ed1c5d", "v5.0.0");

    public static readonly PinnedAction ConfigureAwsCredentials = new("aws-actions/configure-aws-credentials", "a03048d87541d1d9fcf2ecf528a4a65ba9bd7838", "v5.0.0");

    public static readonly PinnedAction AmazonEcrLogin = new("aws-actions/amazon-ecr-login", "062b18b96a7aff071d4dc91bc00c4c1a7945b076", "v2.0.1");

    public static readonly PinnedAction RenderTaskDefinition = new("aws-actions/amazon-ecs-render-task-definition", "77954e213ba1f9f9cb016b86a1d4f6fcdea0d57e", "v1.8.4");

    public static readonly PinnedAction DeployTaskDefinition = new("aws-actions/amazon-ecs-deploy-task-definition", "fc8fc60f3a60ffd500fcb13b209c59d221ac8c8c", "v2.6.1");

    public static readonly PinnedAction GitHubScript = new("actions/github-script", "60a0d83039c74a4aee543508d2ffcb1c3799cdea", "v7.0.1");

    public static readonly PinnedAction SetupQemu = new("docker/setup-qemu-action", "29109295f81e9208d7d86ff1c6c12d2833863392", "v3.6.0");

    public static readonly PinnedAction SetupBuildx = new("docker/setup-buildx-action", "e468171a9de216ec08956ac3ada2f0791b6bd435", "v3.11.1");

    /// <summary>Every row, for tests and documentation.</summary>
    public static IReadOnlyList<PinnedAction> All { get; } =
        [Checkout, SetupNode, SetupDotnet, ConfigureAwsCredentials, AmazonEcrLogin, RenderTaskDefinition, DeployTaskDefinition, GitHubScript, SetupQemu, SetupBuildx];
}
