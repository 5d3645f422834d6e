namespace Workmates.OttKit.CloudFormation;

/// <summary>
/// CloudFormation intrinsic functions. Each returns an <see cref="Intrinsic"/> that can stand wherever a literal can.
/// </summary>
public static class Fn
{
    /// <summary><c>Ref</c>: the value of a parameter, the physical ID of a resource, or a pseudo parameter.</summary>
    /// <param name="logicalId">A parameter or resource logical ID, or a pseudo parameter such as <c>AWS::Region</c>.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Ref(string logicalId)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        return new("Ref", logicalId);
    }

    /// <summary><c>Fn::GetAtt</c>: an attribute of a resource.</summary>
    /// <param name="logicalId">The resource logical ID.</param>
    /// <param name="attribute">The attribute name, e.g. <c>Arn</c> or <c>Endpoint.Address</c>.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic GetAtt(string logicalId, string attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        return new("Fn::GetAtt", new CfnList { logicalId, attribute });
    }

    /// <summary><c>Fn::GetAtt</c> whose attribute name is itself computed (e.g. a <c>Ref</c> to a parameter).</summary>
    /// <param name="logicalId">The resource logical ID.</param>
    /// <param name="attribute">The attribute expression.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic GetAtt(string logicalId, Intrinsic attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(logicalId);
        ArgumentNullException.ThrowIfNull(attribute);
        return new("Fn::GetAtt", new CfnList { logicalId, attribute });
    }

    /// <summary><c>Fn::GetAtt</c> in dotted form: <c>GetAtt("Db.Endpoint.Address")</c> (split at the first dot).</summary>
    /// <param name="dotted">The logical ID, a dot, and the attribute name.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic GetAtt(string dotted)
    {
        ArgumentException.ThrowIfNullOrEmpty(dotted);
        var dot = dotted.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == dotted.Length - 1)
        {
            throw new ArgumentException($"'{dotted}' is not of the form LogicalId.Attribute.", nameof(dotted));
        }

        return GetAtt(dotted[..dot], dotted[(dot + 1)..]);
    }

    /// <summary><c>Fn::Sub</c>: substitutes <c>${Name}</c>, <c>${Resource.Attribute}</c> and pseudo parameters.</summary>
    /// <param name="template">The string with <c>${…}</c> variables; <c>${!Literal}</c> writes <c>${Literal}</c>.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Sub(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new("Fn::Sub", template);
    }

    /// <summary><c>Fn::Sub</c> with a variable map: <c>Sub("${Host}:443", new CfnObject { ["Host"] = lb.GetAtt("DNSName") })</c>.</summary>
    /// <param name="template">The string with <c>${…}</c> variables.</param>
    /// <param name="variables">Variable names and their values.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Sub(string template, CfnObject variables)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        return new("Fn::Sub", new CfnList { template, variables });
    }

    /// <summary><c>Fn::Join</c> over the given values.</summary>
    /// <param name="delimiter">The delimiter (may be empty).</param>
    /// <param name="values">The values to join.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Join(string delimiter, params CfnNode[] values)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        ArgumentNullException.ThrowIfNull(values);
        return new("Fn::Join", new CfnList { delimiter, new CfnList(values) });
    }

    /// <summary><c>Fn::Join</c> over a list produced by another function (e.g. <see cref="Split"/> or <see cref="GetAZs"/>).</summary>
    /// <param name="delimiter">The delimiter (may be empty).</param>
    /// <param name="list">The list-valued intrinsic.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Join(string delimiter, Intrinsic list)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        ArgumentNullException.ThrowIfNull(list);
        return new("Fn::Join", new CfnList { delimiter, list });
    }

    /// <summary><c>Fn::Select</c>: the item at an index of a list.</summary>
    /// <param name="index">The zero-based index (an integer, or a <c>Ref</c>/<c>FindInMap</c>).</param>
    /// <param name="list">The list or list-valued intrinsic.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Select(CfnNode index, CfnNode list) => new("Fn::Select", new CfnList { index, list });

    /// <summary><c>Fn::Split</c>: splits a string into a list.</summary>
    /// <param name="delimiter">The delimiter.</param>
    /// <param name="source">The string or string-valued intrinsic.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Split(string delimiter, CfnNode source)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        return new("Fn::Split", new CfnList { delimiter, source });
    }

    /// <summary><c>Fn::GetAZs</c>: the Availability Zones of a region (the stack's region when omitted).</summary>
    /// <param name="region">The region, or null for the current one.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic GetAZs(CfnNode? region = null) => new("Fn::GetAZs", region ?? string.Empty);

    /// <summary><c>Fn::Cidr</c>: a list of CIDR address blocks carved from a block.</summary>
    /// <param name="ipBlock">The CIDR block to divide.</param>
    /// <param name="count">How many blocks to produce (1–256).</param>
    /// <param name="cidrBits">Host bits per block (e.g. 8 for a /24 in IPv4).</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Cidr(CfnNode ipBlock, CfnNode count, CfnNode cidrBits) =>
        new("Fn::Cidr", new CfnList { ipBlock, count, cidrBits });

    /// <summary><c>Fn::ImportValue</c>: a value exported by another stack.</summary>
    /// <param name="exportName">The export name (may be computed, e.g. with <see cref="Sub(string)"/>).</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic ImportValue(CfnNode exportName) => new("Fn::ImportValue", exportName);

    /// <summary><c>Fn::If</c>: one of two values depending on a condition.</summary>
    /// <param name="condition">The condition name.</param>
    /// <param name="whenTrue">The value when the condition holds.</param>
    /// <param name="whenFalse">The value otherwise (often <see cref="Pseudo.NoValue"/>).</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic If(string condition, CfnNode whenTrue, CfnNode whenFalse)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        return new("Fn::If", new CfnList { condition, whenTrue, whenFalse });
    }

    /// <summary><c>Fn::Equals</c>: a condition that holds when both values are equal.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Equals(CfnNode left, CfnNode right) => new("Fn::Equals", new CfnList { left, right });

    /// <summary><c>Fn::And</c>: a condition that holds when all conditions hold (2–10 of them).</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic And(params CfnNode[] conditions) => new("Fn::And", new CfnList(conditions));

    /// <summary><c>Fn::Or</c>: a condition that holds when any condition holds (2–10 of them).</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Or(params CfnNode[] conditions) => new("Fn::Or", new CfnList(conditions));

    /// <summary><c>Fn::Not</c>: a condition that holds when the given one does not.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Not(CfnNode condition) => new("Fn::Not", new CfnList { condition });

    /// <summary><c>Condition</c>: a reference to a named condition inside another condition.</summary>
    /// <param name="name">The condition name.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Condition(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new("Condition", name);
    }

    /// <summary><c>Fn::FindInMap</c>: a value from the Mappings section.</summary>
    /// <param name="mapName">The mapping name.</param>
    /// <param name="topLevelKey">The top-level key (often <see cref="Pseudo.Region"/>).</param>
    /// <param name="secondLevelKey">The second-level key.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic FindInMap(CfnNode mapName, CfnNode topLevelKey, CfnNode secondLevelKey) =>
        new("Fn::FindInMap", new CfnList { mapName, topLevelKey, secondLevelKey });

    /// <summary><c>Fn::Base64</c>: the Base64 encoding of a string (typically EC2 user data).</summary>
    /// <param name="value">The string or string-valued intrinsic.</param>
    /// <returns>The intrinsic.</returns>
    public static Intrinsic Base64(CfnNode value) => new("Fn::Base64", value);
}
