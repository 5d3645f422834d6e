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
