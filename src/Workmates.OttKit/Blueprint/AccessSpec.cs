namespace Workmates.OttKit.Blueprint;

/// <summary>
/// People's access (the <c>access</c> stack): the roles <c>&lt;env&gt;-administrator</c>, <c>&lt;env&gt;-developer</c>
/// and <c>&lt;env&gt;-readonly</c> under <c>/ottkit/&lt;env&gt;/people/</c>, each assumable only by the principals listed
/// here and only with MFA, scoped to this environment's resources, with SSM Session Manager (sessions logged to the
/// environment's KMS-encrypted log group and audit bucket) as the way onto hosts. Leaving the section out creates no
/// people's roles.
/// </summary>
public sealed record AccessSpec
{
    /// <summary>Who may assume <c>&lt;env&gt;-administrator</c>: IAM user or role ARNs of a trusted account, or 12-digit
    /// account ids (that account's administrators then decide which of its principals may).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> Administrators { get; init; } = [];

    /// <summary>Who may assume <c>&lt;env&gt;-developer</c> (same forms as <see cref="Administrators"/>).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> Developers { get; init; } = [];

    /// <summary>Who may assume <c>&lt;env&gt;-readonly</c>, the auditors' role (same forms as <see cref="Administrators"/>).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> ReadOnly { get; init; } = [];

    /// <summary>Also trust the roles IAM Identity Center provisions in this account for the permission sets named
    /// <c>&lt;env&gt;-administrator</c>, <c>&lt;env&gt;-developer</c> and <c>&lt;env&gt;-readonly</c> (MFA is then
    /// enforced by Identity Center's sign-in settings).</summary>
    /// <value>Default: false.</value>
    public bool IdentityCenter { get; init; }

    /// <summary>Longest session of the developer and read-only roles, in hours (1..12); administrators get one hour.</summary>
    /// <value>Default: 4.</value>
    public int MaxSessionHours { get; init; } = SpecDefaults.MaxSessionHours;
}
