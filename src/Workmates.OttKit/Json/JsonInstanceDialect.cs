using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>How an object in the instance is to be read before schema keywords apply to it.</summary>
internal enum InstanceNodeKind
{
    /// <summary>A plain value: every keyword applies.</summary>
    Plain,

    /// <summary>A value only known at deploy time (for example an intrinsic function): no keyword applies.</summary>
    Opaque,

    /// <summary>A choice between values (for example <c>Fn::If</c>): each branch is checked on its own.</summary>
    Conditional,
}

/// <summary>
/// Extension point that lets a host language (CloudFormation) tell the generic evaluator which instance nodes are
/// placeholders rather than values, and how strictly scalar types are read. The default is plain JSON Schema.
/// </summary>
internal class JsonInstanceDialect
{
    /// <summary>Plain JSON Schema: every node is a value, types are exact.</summary>
    public static JsonInstanceDialect Standard { get; } = new();

    /// <summary>When true, <c>"80"</c> is an integer, <c>"true"</c> a boolean and <c>80</c> a string.</summary>
    public virtual bool LenientScalars => false;

    /// <summary>Classifies an object node; only objects can be placeholders.</summary>
    public virtual InstanceNodeKind Classify(JsonObject node) => InstanceNodeKind.Plain;

    /// <summary>The branches of a <see cref="InstanceNodeKind.Conditional"/> node.</summary>
    public virtual IEnumerable<JsonNode?> Branches(JsonObject node) => [];

    /// <summary>True for a branch value that means "this property is absent".</summary>
    public virtual bool IsAbsent(JsonNode? node) => false;

    /// <summary>True for a string resolved at deploy time, to which <c>pattern</c>, <c>enum</c> and lengths do not apply.</summary>
    public virtual bool IsDeployTimeString(string value) => false;
}
