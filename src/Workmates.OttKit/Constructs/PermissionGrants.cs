using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Constructs;

/// <summary>Where one <see cref="PermissionScope"/> lands in one environment: the resources, and conditions where AWS needs them.</summary>
/// <param name="Resources">The resource ARNs (or <c>*</c> for <see cref="PermissionScope.NoResource"/> and condition-scoped calls).</param>
/// <param name="Conditions">Conditions that narrow the statement; empty for none.</param>
internal sealed record ScopeGrant(IReadOnlyList<Value<string>> Resources, CfnObject? Conditions = null);

/// <summary>
/// Turns the permissions an operation declares (<see cref="RequiredAction"/>) into policy statements: one
/// statement per scope, the actions sorted, the scope resolved to the environment's ARNs by the role's builder.
/// A scope the builder cannot resolve is a blueprint defect and throws.
/// </summary>
internal static class PermissionGrants
{
    /// <summary>The statements granting <paramref name="permissions"/>.</summary>
    /// <param name="permissions">What the operations call.</param>
    /// <param name="resolve">The role builder's resolution of each scope; null when the scope does not exist in this environment (the statement is left out).</param>
    /// <returns>The statements, in the order the scopes first appear.</returns>
    public static IEnumerable<PolicyStatement> Statements(IEnumerable<RequiredAction> permissions, Func<PermissionScope, ScopeGrant?> resolve)
    {
        var byScope = new List<(PermissionScope Scope, SortedSet<string> Actions)>();
        foreach (var permission in permissions)
        {
            var entry = byScope.FirstOrDefault(e => e.Scope == permission.Scope);
            if (entry.Actions is null)
            {
                entry = (permission.Scope, new SortedSet<string>(StringComparer.Ordinal));
                byScope.Add(entry);
            }

            entry.Actions.Add(permission.Action);
        }

        foreach (var (scope, actions) in byScope)
        {
            if (resolve(scope) is not { } grant)
            {
                continue;
            }

            var statement = new PolicyStatement { Sid = scope.ToString(), Resources = [.. grant.Resources] };
            foreach (var action in actions)
            {
                statement.Actions.Add(action);
            }

            if (grant.Conditions is { Count: > 0 } conditions)
            {
                statement = new PolicyStatement { Sid = statement.Sid, Actions = statement.Actions, Resources = statement.Resources, Conditions = conditions };
            }

            yield return statement;
        }
    }
}
