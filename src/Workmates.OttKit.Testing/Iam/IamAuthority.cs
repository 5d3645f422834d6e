using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Iam;

/// <summary>A principal the simulators know: the access key its calls are signed with, its ARN and its identity policies.</summary>
/// <param name="AccessKeyId">The access key id of its (simulated) session.</param>
/// <param name="Arn">The principal, as AWS names it in an AccessDenied message (an assumed-role session ARN).</param>
/// <param name="Policies">Its identity policies, resolved to plain JSON.</param>
public sealed record IamPrincipal(string AccessKeyId, string Arn, IReadOnlyList<JsonNode> Policies);

/// <summary>One authorization the simulators made.</summary>
/// <param name="Principal">The caller's ARN (or the access key when unknown).</param>
/// <param name="Action">The action.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Decision">The decision.</param>
public sealed record IamCall(string Principal, string Action, string Resource, IamDecision Decision);

/// <summary>
/// IAM for the AWS simulators: maps each access key to a principal and its policies and authorizes every call,
/// recording it. A call signed with a key no principal holds is denied, as an unknown identity would be. Shared by
/// every simulator of a rehearsal (pass it as <see cref="Aws.AwsSimulatorOptions.Iam"/>).
/// </summary>
public sealed class IamAuthority
{
    private readonly ConcurrentDictionary<string, IamPrincipal> _principals = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IamCall> _calls = new();

    /// <summary>Adds (or replaces) a principal.</summary>
    /// <param name="principal">The principal.</param>
    public void Add(IamPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        _principals[principal.AccessKeyId] = principal;
    }

    /// <summary>
    /// The principal that is a session of <paramref name="roleArn"/> (<c>arn:aws:sts::&lt;account&gt;:assumed-role/&lt;name&gt;/…</c>),
    /// as a service that assumes the role (CloudFormation with its service role) acts; null when none is known.
    /// </summary>
    /// <param name="roleArn">The role's ARN (any path).</param>
    /// <returns>The principal, or null.</returns>
    public IamPrincipal? FindRoleSession(string roleArn)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        var parts = roleArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "iam" || !parts[5].StartsWith("role/", StringComparison.Ordinal))
        {
            return null;
        }

        var prefix = $"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{parts[5].Split('/')[^1]}/";
        return _principals.Values.Where(p => p.Arn.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p.AccessKeyId, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Every authorization so far, in order.</summary>
    public IReadOnlyList<IamCall> Calls => [.. _calls];

    /// <summary>The denied ones.</summary>
    public IReadOnlyList<IamCall> Denied => [.. _calls.Where(c => c.Decision != IamDecision.Allowed)];

    /// <summary>Authorizes one request of the caller signing with <paramref name="accessKeyId"/>.</summary>
    /// <param name="accessKeyId">The caller's access key id.</param>
    /// <param name="request">The request.</param>
    /// <returns>The call as recorded.</returns>
    public IamCall Authorize(string? accessKeyId, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IamCall call;
        if (accessKeyId is null || !_principals.TryGetValue(accessKeyId, out var principal))
        {
            call = new IamCall(accessKeyId ?? "anonymous", request.Action, request.Resource, IamDecision.ImplicitDeny);
        }
        else
        {
            call = new IamCall(principal.Arn, request.Action, request.Resource, PolicyEvaluator.Evaluate(request, principal.Policies));
        }

        _calls.Enqueue(call);
        return call;
    }

    /// <summary>
    /// Authorizes one request on a resource that has a resource policy (an S3 bucket policy, a KMS key policy), as IAM
    /// does within one account: an explicit deny in either policy wins; a resource-policy statement naming the caller
    /// (its session, its role or <c>*</c>) allows on its own; one naming the account (<c>:root</c> or the account id)
    /// delegates to the identity policies. A KMS key policy must allow (<paramref name="resourcePolicyRequired"/>):
    /// the identity policies alone never do.
    /// </summary>
    /// <param name="accessKeyId">The caller's access key id.</param>
    /// <param name="request">The request.</param>
    /// <param name="resourcePolicy">The resource's policy (resolved JSON); null when it has none.</param>
    /// <param name="resourcePolicyRequired">True for KMS keys.</param>
    /// <returns>The call as recorded.</returns>
    public IamCall Authorize(string? accessKeyId, IamRequest request, JsonNode? resourcePolicy, bool resourcePolicyRequired)
    {
        ArgumentNullException.ThrowIfNull(request);
        IamDecision decision;
        string principalArn;
        if (accessKeyId is null || !_principals.TryGetValue(accessKeyId, out var principal))
        {
            principalArn = accessKeyId ?? "anonymous";
            var anonymous = resourcePolicy is null ? [] : PolicyEvaluator.Statements(resourcePolicy).Where(s => NamesEveryone(s["Principal"])).ToList();
            decision = PolicyEvaluator.Evaluate(request, [], anonymous);
        }
        else
        {
            principalArn = principal.Arn;
            decision = Decide(principal, request, resourcePolicy, resourcePolicyRequired);
        }

        var call = new IamCall(principalArn, request.Action, request.Resource, decision);
        _calls.Enqueue(call);
        return call;
    }

    private static IamDecision Decide(IamPrincipal principal, IamRequest request, JsonNode? resourcePolicy, bool resourcePolicyRequired)
    {
        var statements = resourcePolicy is null ? [] : PolicyEvaluator.Statements(resourcePolicy).ToList();
        var direct = statements.Where(s => NamesEveryone(s["Principal"]) || Names(s["Principal"], principal.Arn)).ToList();
        var account = AccountOf(principal.Arn);
        var delegated = statements.Where(s => !direct.Contains(s) && NamesAccount(s["Principal"], account)).ToList();
        if (PolicyEvaluator.Evaluate(request, principal.Policies, direct.Concat(delegated)) == IamDecision.ExplicitDeny)
        {
            return IamDecision.ExplicitDeny;
        }

        var byIdentity = PolicyEvaluator.Evaluate(request, principal.Policies) == IamDecision.Allowed;
        var byResource = PolicyEvaluator.Evaluate(request, [], direct) == IamDecision.Allowed;
        var byAccount = PolicyEvaluator.Evaluate(request, [], delegated) == IamDecision.Allowed;
        var allowed = resourcePolicyRequired ? byResource || (byAccount && byIdentity) : byResource || byIdentity;
        return allowed ? IamDecision.Allowed : IamDecision.ImplicitDeny;
    }

    private static IEnumerable<string> PrincipalValues(JsonNode? principal, string kind) => principal switch
    {
        JsonObject map when map[kind] is JsonArray list => list.Select(v => v!.ToString()),
        JsonObject map when map[kind] is { } one => [one.ToString()],
        _ => [],
    };

    private static bool NamesEveryone(JsonNode? principal) =>
        principal is JsonValue v && v.ToString() == "*" || PrincipalValues(principal, "AWS").Contains("*", StringComparer.Ordinal);

    // The caller by its session ARN or by its role's ARN (arn:aws:iam::<account>:role[/path]/<name>).
    private static bool Names(JsonNode? principal, string sessionArn)
    {
        var parts = sessionArn.Split(':', 6);
        var role = parts.Length == 6 && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal) ? parts[5].Split('/')[1] : null;
        return PrincipalValues(principal, "AWS").Any(p => p == sessionArn
            || (role is not null && p.StartsWith($"arn:{parts[1]}:iam::{parts[4]}:role/", StringComparison.Ordinal) && p.EndsWith("/" + role, StringComparison.Ordinal)));
    }

    private static bool NamesAccount(JsonNode? principal, string account) =>
        PrincipalValues(principal, "AWS").Any(p => p == account || p.EndsWith($":iam::{account}:root", StringComparison.Ordinal));

    private static string AccountOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length > 4 ? parts[4] : string.Empty;
    }

    /// <summary>AWS's message for a denied call.</summary>
    /// <param name="call">The denied call.</param>
    /// <returns>The message, naming the principal, the action and the resource.</returns>
    public static string DeniedMessage(IamCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var why = call.Decision == IamDecision.ExplicitDeny
            ? $"with an explicit deny in an identity-based policy"
            : $"because no identity-based policy allows the {call.Action} action";
        return $"User: {call.Principal} is not authorized to perform: {call.Action} on resource: {call.Resource} {why}";
    }
}
