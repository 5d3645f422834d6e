using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// What a CloudFormation resource handler calls, per resource type and handler, for a change set executed as its
/// service role (<see cref="CloudFormationSimulator.ExecuteAsServiceRole"/>). The registry schema's
/// <c>handlers.&lt;create|update|delete&gt;.permissions</c> where the schema carries them; otherwise a fallback table
/// (one list of actions per type, used for every handler). <see cref="SourceOf"/> says which one answered.
/// </summary>
public sealed class CfnHandlerPermissions
{
    private readonly string? _schemaDirectory;
    private readonly IReadOnlyDictionary<string, string[]> _fallback;
    private readonly Dictionary<string, JsonObject?> _handlers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private CfnHandlerPermissions(string? schemaDirectory, IReadOnlyDictionary<string, string[]> fallback)
    {
        _schemaDirectory = schemaDirectory;
        _fallback = fallback;
    }

    /// <summary>
    /// Reads the registry schemas in <paramref name="schemaDirectory"/> (<c>aws-ec2-vpc.json</c> for
    /// <c>AWS::EC2::VPC</c>); a type whose schema has no <c>handlers</c> uses <paramref name="fallback"/>.
    /// </summary>
    /// <param name="schemaDirectory">The schema directory; null to use the fallback only.</param>
    /// <param name="fallback">Actions per resource type for types whose schema lists none.</param>
    /// <returns>The permissions.</returns>
    public static CfnHandlerPermissions From(string? schemaDirectory, IReadOnlyDictionary<string, string[]> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new(schemaDirectory, fallback);
    }

    /// <summary>
    /// Takes each type's <c>handlers</c> object (as a registry schema writes it) from <paramref name="handlersByType"/>;
    /// other types use <paramref name="fallback"/>.
    /// </summary>
    /// <param name="handlersByType">The <c>handlers</c> object per resource type.</param>
    /// <param name="fallback">Actions per resource type for the others.</param>
    /// <returns>The permissions.</returns>
    public static CfnHandlerPermissions FromHandlers(IReadOnlyDictionary<string, JsonObject> handlersByType, IReadOnlyDictionary<string, string[]> fallback)
    {
        ArgumentNullException.ThrowIfNull(handlersByType);
        ArgumentNullException.ThrowIfNull(fallback);
        var permissions = new CfnHandlerPermissions(null, fallback);
        foreach (var (type, handlers) in handlersByType)
        {
            permissions._handlers[type] = handlers;
        }

        return permissions;
    }

    /// <summary>The actions the <paramref name="handler"/> of <paramref name="type"/> calls (empty when unknown).</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="handler">Create, Update or Delete (UpdateRollback uses the update handler).</param>
    /// <returns>The actions.</returns>
    public IReadOnlyList<string> For(string type, CfnResourceOperation handler)
    {
        var name = handler switch
        {
            CfnResourceOperation.Create => "create",
            CfnResourceOperation.Delete => "delete",
            _ => "update",
        };
        if (Handlers(type) is { } handlers)
        {
            return handlers[name]?["permissions"] is JsonArray list ? [.. list.Select(a => a!.GetValue<string>())] : [];
        }

        return _fallback.TryGetValue(type, out var actions) ? actions : [];
    }

    /// <summary>Where the permissions of a type come from: <c>schema</c>, <c>fallback</c> or <c>none</c>.</summary>
    /// <param name="type">The resource type.</param>
    /// <returns>The source.</returns>
    public string SourceOf(string type) =>
        Handlers(type) is not null ? "schema" : _fallback.ContainsKey(type) ? "fallback" : "none";

    private JsonObject? Handlers(string type)
    {
        lock (_lock)
        {
            if (!_handlers.TryGetValue(type, out var handlers) && _schemaDirectory is not null)
            {
                var path = Path.Combine(_schemaDirectory, type.Replace("::", "-", StringComparison.Ordinal).ToLowerInvariant() + ".json");
                handlers = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?["handlers"] as JsonObject : null;
                _handlers[type] = handlers;
            }

            return handlers;
        }
    }
}
