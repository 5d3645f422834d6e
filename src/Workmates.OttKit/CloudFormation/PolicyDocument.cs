using System.Collections;

namespace Workmates.OttKit.CloudFormation;

/// <summary>Whether a policy statement allows or denies.</summary>
public enum PolicyEffect
{
    /// <summary>Allow the actions.</summary>
    Allow,

    /// <summary>Deny the actions (overrides any allow).</summary>
    Deny,
}

/// <summary>
/// An IAM policy document (<c>Version: 2012-10-17</c>, <c>Statement: […]</c>), for role policies, bucket policies,
/// key policies and trust policies. Converts implicitly to a property node.
/// </summary>
public sealed class PolicyDocument : IEnumerable<PolicyStatement>
{
    /// <summary>The policy language version IAM expects.</summary>
    public const string Version = "2012-10-17";

    /// <summary>The statements, in order.</summary>
    public IList<PolicyStatement> Statements { get; } = [];

    /// <summary>Converts the document to its JSON-shaped property node.</summary>
    /// <param name="document">The document.</param>
    public static implicit operator CfnNode(PolicyDocument document) => document is null ? CfnScalar.Null : document.ToNode();

    /// <summary>Adds a statement.</summary>
    /// <param name="statement">The statement.</param>
    public void Add(PolicyStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Statements.Add(statement);
    }

    /// <summary>The document as a property node: <c>{ Version, Statement: [...] }</c>.</summary>
    /// <returns>A new object.</returns>
    public CfnObject ToNode() => new()
    {
        ["Version"] = Version,
        ["Statement"] = new CfnList(Statements.Select(static s => (CfnNode)s.ToNode())),
    };

    /// <inheritdoc />
    public IEnumerator<PolicyStatement> GetEnumerator() => Statements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One statement of a <see cref="PolicyDocument"/>.</summary>
public sealed class PolicyStatement
{
    /// <summary>An optional statement ID.</summary>
    public string? Sid { get; set; }

    /// <summary>Allow (the default) or Deny.</summary>
    public PolicyEffect Effect { get; set; } = PolicyEffect.Allow;

    /// <summary>Who the statement applies to (resource-based and trust policies only).</summary>
    public PolicyPrincipal? Principal { get; set; }

    /// <summary>Everyone except these principals.</summary>
    public PolicyPrincipal? NotPrincipal { get; set; }

    /// <summary>The actions, e.g. <c>s3:GetObject</c>.</summary>
    public IList<string> Actions { get; init; } = [];

    /// <summary>Every action except these.</summary>
    public IList<string> NotActions { get; init; } = [];

    /// <summary>The resource ARNs (literals or intrinsics such as <c>bucket.GetAtt("Arn")</c>).</summary>
    public IList<Value<string>> Resources { get; init; } = [];

    /// <summary>Every resource except these.</summary>
    public IList<Value<string>> NotResources { get; init; } = [];

    /// <summary>Conditions: operator → key → value(s), e.g. <c>["Bool"] = new CfnObject { ["aws:SecureTransport"] = "false" }</c>.</summary>
    public CfnObject Conditions { get; init; } = [];

    /// <summary>The statement as a property node, in IAM's documented key order. A single action or resource is written as a string.</summary>
    /// <returns>A new object.</returns>
    public CfnObject ToNode()
    {
        var node = new CfnObject();
        if (Sid is not null)
        {
            node.Add("Sid", Sid);
        }

        node.Add("Effect", Effect.ToString());
        if (Principal is not null)
        {
            node.Add("Principal", Principal.ToNode());
        }

        if (NotPrincipal is not null)
        {
            node.Add("NotPrincipal", NotPrincipal.ToNode());
        }

        AddOneOrMany(node, "Action", Actions.Select(static a => (CfnNode)a));
        AddOneOrMany(node, "NotAction", NotActions.Select(static a => (CfnNode)a));
        AddOneOrMany(node, "Resource", Resources.Select(static r => r.ToNode()));
        AddOneOrMany(node, "NotResource", NotResources.Select(static r => r.ToNode()));
        if (Conditions.Count > 0)
        {
            node.Add("Condition", Conditions);
        }

        return node;
    }

    internal static void AddOneOrMany(CfnObject node, string key, IEnumerable<CfnNode> values)
    {
        var list = values.ToList();
        if (list.Count == 1)
        {
            node.Add(key, list[0]);
        }
        else if (list.Count > 1)
        {
            node.Add(key, new CfnList(list));
        }
    }
}

/// <summary>The principal of a policy statement: <c>*</c>, AWS accounts/roles, services or federated identities.</summary>
public sealed class PolicyPrincipal
{
    private readonly CfnNode _node;

    private PolicyPrincipal(CfnNode node) => _node = node;

    /// <summary>Everyone (<c>"*"</c>).</summary>
    public static PolicyPrincipal Anyone => new("*");

    /// <summary>AWS services, e.g. <c>ecs-tasks.amazonaws.com</c>.</summary>
    /// <param name="services">The service principals.</param>
    /// <returns>The principal.</returns>
    public static PolicyPrincipal Service(params string[] services) => Keyed("Service", services.Select(static s => (CfnNode)s));

    /// <summary>AWS accounts, users or roles (ARNs or account IDs; intrinsics allowed).</summary>
    /// <param name="principals">The principals.</param>
    /// <returns>The principal.</returns>
    public static PolicyPrincipal Aws(params Value<string>[] principals) => Keyed("AWS", principals.Select(static p => p.ToNode()));

    /// <summary>Federated identity providers, e.g. <c>cognito-identity.amazonaws.com</c> or an OIDC provider ARN.</summary>
    /// <param name="providers">The providers.</param>
    /// <returns>The principal.</returns>
    public static PolicyPrincipal Federated(params Value<string>[] providers) => Keyed("Federated", providers.Select(static p => p.ToNode()));

    /// <summary>The principal as a property node.</summary>
    /// <returns>The node.</returns>
    public CfnNode ToNode() => _node.DeepClone();

    private static PolicyPrincipal Keyed(string kind, IEnumerable<CfnNode> values)
    {
        var node = new CfnObject();
        PolicyStatement.AddOneOrMany(node, kind, values);
        return node.Count == 0 ? throw new ArgumentException("A principal needs at least one value.", nameof(values)) : new(node);
    }
}
