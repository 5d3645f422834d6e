namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>How strictly JSON scalar types are compared with the schema's <c>type</c>.</summary>
public enum ScalarTypePolicy
{
    /// <summary>
    /// As CloudFormation and cfn-lint (default): <c>"80"</c> is an integer, <c>"true"</c> a boolean, and numbers or
    /// booleans are accepted where a string is expected, because CloudFormation converts them.
    /// </summary>
    Lenient,

    /// <summary>Exact JSON types: an integer property needs a JSON number, a boolean property <c>true</c>/<c>false</c>.</summary>
    Strict,
}
