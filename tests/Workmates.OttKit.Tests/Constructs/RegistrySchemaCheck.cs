using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// A light check of resource properties against the CloudFormation registry schemas (conformance data): property
/// names (where the schema forbids others), required properties, object/array shapes and string enums. Intrinsic
/// values are not checked. The full schema validator is another component; this catches misspelt properties early.
/// </summary>
internal sealed class RegistrySchemaCheck(string schemaFolder)
{
    private readonly Dictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);

    public IEnumerable<string> Check(Template template)
    {
        foreach (var (id, resource) in template.Resources)
        {
            var schema = Schema(resource.Type);
            if (schema is null)
            {
                yield return $"{id}: no registry schema for {resource.Type}";
                continue;
            }

            foreach (var problem in CheckValue(resource.Properties, schema, schema, $"{id}.Properties"))
            {
                yield return problem;
            }
        }
    }

    private JsonObject? Schema(string type)
    {
        if (_schemas.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var file = Path.Combine(schemaFolder, type.Replace("::", "-", StringComparison.Ordinal).ToLowerInvariant() + ".json");
        if (!File.Exists(file))
        {
            return null;
        }

        var schema = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        _schemas[type] = schema;
        return schema;
    }

    private static JsonObject Resolve(JsonObject node, JsonObject root)
    {
        while (node["$ref"] is JsonValue reference && reference.GetValue<string>().StartsWith("#/definitions/", StringComparison.Ordinal))
        {
            node = root["definitions"]![reference.GetValue<string>()["#/definitions/".Length..]]!.AsObject();
        }

        return node;
    }

    private static IEnumerable<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue v => [v.GetValue<string>()],
        JsonArray a => a.Select(t => t!.GetValue<string>()),
        _ => [],
    };

    private static IEnumerable<string> CheckValue(CfnNode value, JsonObject schema, JsonObject root, string path)
    {
        schema = Resolve(schema, root);
        if (value is Intrinsic)
        {
            yield break;
        }

        var types = Types(schema).ToArray();
        switch (value)
        {
            case CfnObject obj:
                if (types.Length > 0 && !types.Contains("object"))
                {
                    yield return $"{path}: an object where the schema expects {string.Join("/", types)}";
                    yield break;
                }

                if (schema["properties"] is not JsonObject properties)
                {
                    yield break;
                }

                foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!obj.ContainsKey(required))
                    {
                        yield return $"{path}: required property {required} is missing";
                    }
                }

                var closed = schema["additionalProperties"] is JsonValue additional && !additional.GetValue<bool>();
                foreach (var (key, child) in obj)
                {
                    if (properties[key] is JsonObject childSchema)
                    {
                        foreach (var problem in CheckValue(child, childSchema, root, $"{path}.{key}"))
                        {
                            yield return problem;
                        }
                    }
                    else if (closed && schema["patternProperties"] is null)
                    {
                        yield return $"{path}: unknown property {key}";
                    }
                }

                break;
            case CfnList list:
                if (types.Length > 0 && !types.Contains("array"))
                {
                    yield return $"{path}: a list where the schema expects {string.Join("/", types)}";
                    yield break;
                }

                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        foreach (var problem in CheckValue(list[i], items, root, $"{path}[{i}]"))
                        {
                            yield return problem;
                        }
                    }
                }

                break;
            case CfnScalar scalar:
                if (types.Length > 0 && types.All(t => t is "object" or "array"))
                {
                    yield return $"{path}: a scalar where the schema expects {string.Join("/", types)}";
                }

                if (schema["enum"] is JsonArray allowed && scalar.StringValue is { } text
                    && !allowed.Any(a => a is JsonValue v && v.TryGetValue<string>(out var s) && s == text))
                {
                    yield return $"{path}: '{text}' is not one of {string.Join(", ", allowed)}";
                }

                break;
        }
    }
}
