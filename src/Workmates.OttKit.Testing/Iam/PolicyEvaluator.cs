using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Iam;

/// <summary>The outcome of evaluating one request.</summary>
public enum IamDecision
{
    /// <summary>Some statement allows the request and none denies it.</summary>
    Allowed,

    /// <summary>No statement allows the request (the default deny).</summary>
    ImplicitDeny,

    /// <summary>A statement denies the request; nothing overrides it.</summary>
    ExplicitDeny,
}

/// <summary>One request to authorize: the action, the resource ARN and the request's condition keys.</summary>
/// <param name="Action">The IAM action, <c>service:Operation</c>.</param>
/// <param name="Resource">The resource ARN, or <c>*</c> for actions without resource-level permissions.</param>
/// <param name="Context">Condition keys of the request (case-insensitive names), e.g. <c>ecs:cluster</c>, <c>kms:ViaService</c>.</param>
public sealed record IamRequest(string Action, string Resource, IReadOnlyDictionary<string, string>? Context = null);

/// <summary>
/// Evaluates IAM policy documents the way IAM does for the statements the blueprint emits: <c>Effect</c>,
/// <c>Action</c>/<c>NotAction</c> with <c>*</c> and <c>?</c> (case-insensitive), <c>Resource</c>/<c>NotResource</c> with
/// ARN wildcards (case-sensitive), the condition operators <c>StringEquals</c>, <c>StringNotEquals</c>,
/// <c>StringLike</c>, <c>StringNotLike</c>, <c>StringEqualsIgnoreCase</c>, <c>ArnEquals</c>, <c>ArnLike</c>,
/// <c>ArnNotEquals</c>, <c>ArnNotLike</c>, <c>Bool</c>, <c>NumericLessThan(Equals)</c>/<c>NumericGreaterThan(Equals)</c>
/// and the <c>…IfExists</c> forms (values in one key are ORed, keys and operators ANDed; a missing key fails every
/// operator but the negated and <c>IfExists</c> ones); an explicit deny wins over any allow. Principals are not
/// evaluated here: the caller picks the policies that apply to the principal. Test infrastructure, not IAM.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Evaluates <paramref name="request"/> against identity policies and, where AWS consults one, the resource's policy.</summary>
    /// <param name="request">The request.</param>
    /// <param name="identityPolicies">The principal's identity policies (resolved JSON documents).</param>
    /// <param name="resourcePolicyStatements">Statements of the resource policy that name this principal; null when the resource has none.</param>
    /// <param name="resourcePolicyRequired">True for KMS keys: the key policy must allow (its root statement delegates to IAM).</param>
    /// <returns>The decision.</returns>
    public static IamDecision Evaluate(IamRequest request, IEnumerable<JsonNode> identityPolicies, IEnumerable<JsonObject>? resourcePolicyStatements = null, bool resourcePolicyRequired = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identityPolicies);
        var identity = identityPolicies.SelectMany(Statements).ToList();
        var resource = resourcePolicyStatements?.ToList() ?? [];
        if (identity.Concat(resource).Any(s => IsDeny(s) && Matches(s, request)))
        {
            return IamDecision.ExplicitDeny;
        }

        var byIdentity = identity.Any(s => !IsDeny(s) && Matches(s, request));
        var byResource = resource.Any(s => !IsDeny(s) && Matches(s, request));
        if (resourcePolicyRequired)
        {
            return byResource ? IamDecision.Allowed : IamDecision.ImplicitDeny;
        }

        return byIdentity || byResource ? IamDecision.Allowed : IamDecision.ImplicitDeny;
    }

    /// <summary>The statements of a policy document (<c>Statement</c> as a list or a single object).</summary>
    /// <param name="policy">The document.</param>
    /// <returns>The statements.</returns>
    public static IEnumerable<JsonObject> Statements(JsonNode policy) => policy["Statement"] switch
    {
        JsonArray list => list.OfType<JsonObject>(),
        JsonObject single => [single],
        _ => [],
    };

    /// <summary>Whether one statement applies to the request (ignoring its effect).</summary>
    /// <param name="statement">The statement.</param>
    /// <param name="request">The request.</param>
    /// <returns>True when action, resource and conditions all match.</returns>
    public static bool Matches(JsonObject statement, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(request);
        var actionMatches = statement["Action"] is { } actions
            ? Values(actions).Any(a => Wildcard(a, request.Action, ignoreCase: true))
            : statement["NotAction"] is { } notActions && !Values(notActions).Any(a => Wildcard(a, request.Action, ignoreCase: true));
        if (!actionMatches)
        {
            return false;
        }

        var resourceMatches = statement["Resource"] is { } resources
            ? Values(resources).Any(r => Wildcard(r, request.Resource, ignoreCase: false))
            : statement["NotResource"] is { } notResources
                ? !Values(notResources).Any(r => Wildcard(r, request.Resource, ignoreCase: false))
                : statement["Principal"] is not null; // a resource policy's statement applies to its own resource
        return resourceMatches && ConditionsHold(statement["Condition"] as JsonObject, request.Context ?? new Dictionary<string, string>());
    }

    private static bool IsDeny(JsonObject statement) => string.Equals(statement["Effect"]?.GetValue<string>(), "Deny", StringComparison.Ordinal);

    private static IEnumerable<string> Values(JsonNode node) => node switch
    {
        JsonArray list => list.Select(v => v!.ToString()),
        _ => [node.ToString()],
    };

    private static bool ConditionsHold(JsonObject? conditions, IReadOnlyDictionary<string, string> context)
    {
        if (conditions is null)
        {
            return true;
        }

        var keys = new Dictionary<string, string>(context, StringComparer.OrdinalIgnoreCase);
        foreach (var (op, block) in conditions)
        {
            if (block is not JsonObject entries)
            {
                return false;
            }

            var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
            var baseOperator = ifExists ? op[..^"IfExists".Length] : op;
            foreach (var (key, expected) in entries)
            {
                var values = Values(expected!).ToList();
                if (!keys.TryGetValue(key, out var actual))
                {
                    if (ifExists || baseOperator.Contains("Not", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    return false;
                }

                if (!Operator(baseOperator, actual, values))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Operator(string op, string actual, List<string> expected) => op switch
    {
        "StringEquals" or "ArnEquals" => expected.Any(e => string.Equals(e, actual, StringComparison.Ordinal)),
        "StringNotEquals" or "ArnNotEquals" => expected.All(e => !string.Equals(e, actual, StringComparison.Ordinal)),
        "StringEqualsIgnoreCase" => expected.Any(e => string.Equals(e, actual, StringComparison.OrdinalIgnoreCase)),
        "StringNotEqualsIgnoreCase" => expected.All(e => !string.Equals(e, actual, StringComparison.OrdinalIgnoreCase)),
        "StringLike" or "ArnLike" => expected.Any(e => Wildcard(e, actual, ignoreCase: false)),
        "StringNotLike" or "ArnNotLike" => expected.All(e => !Wildcard(e, actual, ignoreCase: false)),
        "Bool" => expected.Any(e => string.Equals(e, actual, StringComparison.OrdinalIgnoreCase)),
        "NumericEquals" => expected.Any(e => Number(actual) == Number(e)),
        "NumericLessThan" => expected.Any(e => Number(actual) < Number(e)),
        "NumericLessThanEquals" => expected.Any(e => Number(actual) <= Number(e)),
        "NumericGreaterThan" => expected.Any(e => Number(actual) > Number(e)),
        "NumericGreaterThanEquals" => expected.Any(e => Number(actual) >= Number(e)),
        _ => throw new NotSupportedException($"Condition operator '{op}' is not supported by the policy evaluator."),
    };

    private static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>IAM's wildcard match: <c>*</c> any run of characters, <c>?</c> one character, everything else literal.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="value">The value.</param>
    /// <param name="ignoreCase">Case-insensitive (actions) or not (resources, condition values).</param>
    /// <returns>True when the whole value matches.</returns>
    public static bool Wildcard(string pattern, string value, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        // The classic two-pointer glob match (no regex: the rehearsal evaluates a few hundred thousand patterns, and a
        // regex per pattern overflowed Regex's 15-entry cache, so every call parsed its pattern anew).
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
