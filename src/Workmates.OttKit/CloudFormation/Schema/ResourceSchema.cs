using System.Text.Json.Nodes;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>The compiled registry schema of one resource type, with its read-only property paths.</summary>
internal sealed class ResourceSchema
{
    private ResourceSchema(string typeName, JsonSchema? schema, ReadOnlyPropertyTree readOnly, string? loadProblem)
    {
        TypeName = typeName;
        Schema = schema;
        ReadOnly = readOnly;
        LoadProblem = loadProblem;
    }

    public string TypeName { get; }

    /// <summary>The compiled schema of <c>Properties</c>; null when the file could not be read.</summary>
    public JsonSchema? Schema { get; }

    public ReadOnlyPropertyTree ReadOnly { get; }

    /// <summary>Why the schema file could not be used, if it could not.</summary>
    public string? LoadProblem { get; }

    public IReadOnlyList<string> Warnings => Schema?.Warnings ?? [];

    public static ResourceSchema FromDocument(string typeName, JsonNode document, EcmaRegexCache patterns)
    {
        var readOnly = new ReadOnlyPropertyTree();
        if (document["readOnlyProperties"] is JsonArray pointers)
        {
            foreach (var pointer in pointers)
            {
                if (JsonValues.TryGetString(pointer, out var text))
                {
                    readOnly.Add(text);
                }
            }
        }

        return new ResourceSchema(typeName, JsonSchema.Compile(document, patterns), readOnly, null);
    }

    public static ResourceSchema Broken(string typeName, string problem) =>
        new(typeName, null, new ReadOnlyPropertyTree(), problem);
}

/// <summary>
/// The <c>readOnlyProperties</c> pointers (<c>/properties/Endpoint/Address</c>, <c>*</c> for array items) as a tree,
/// so a resource's properties are walked once to find any that are set.
/// </summary>
internal sealed class ReadOnlyPropertyTree
{
    private readonly Dictionary<string, ReadOnlyPropertyTree> _children = new(StringComparer.Ordinal);

    public bool IsEmpty => _children.Count == 0;

    private bool IsLeaf { get; set; }

    public void Add(string pointer)
    {
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] != "properties")
        {
            return;
        }

        var node = this;
        foreach (var raw in segments.Skip(1))
        {
            // Nested pointers sometimes repeat the schema keyword ("/properties/A/properties/B"); skip it.
            if (raw == "properties" && node != this)
            {
                continue;
            }

            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (!node._children.TryGetValue(segment, out var child))
            {
                child = new ReadOnlyPropertyTree();
                node._children[segment] = child;
            }

            node = child;
        }

        node.IsLeaf = true;
    }

    /// <summary>Reports every read-only property set in <paramref name="value"/>, looking through <c>Fn::If</c>.</summary>
    public void FindSet(JsonNode? value, InstancePath path, JsonInstanceDialect dialect, Action<string, string> report)
    {
        if (value is JsonObject obj && dialect.Classify(obj) == InstanceNodeKind.Conditional)
        {
            var function = obj.First().Key;
            var index = 0;
            foreach (var branch in dialect.Branches(obj))
            {
                index++;
                path.Push(function);
                path.Push(index);
                FindSet(branch, path, dialect, report);
                path.Pop();
                path.Pop();
            }

            return;
        }

        if (_children.TryGetValue("*", out var items) && value is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                path.Push(i);
                items.FindSet(array[i], path, dialect, report);
                path.Pop();
            }
        }

        if (value is not JsonObject properties || dialect.Classify(properties) != InstanceNodeKind.Plain)
        {
            return;
        }

        foreach (var (name, child) in _children)
        {
            if (!properties.TryGetPropertyValue(name, out var nested) || dialect.IsAbsent(nested))
            {
                continue;
            }

            path.Push(name);
            if (child.IsLeaf)
            {
                report(path.ToString(), name);
            }
            else
            {
                child.FindSet(nested, path, dialect, report);
            }

            path.Pop();
        }
    }
}
