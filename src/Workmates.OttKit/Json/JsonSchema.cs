using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>
/// A JSON Schema document (draft-07 with the later <c>prefixItems</c>/<c>dependentRequired</c> and CloudFormation's
/// <c>requiredXor</c>/<c>requiredOr</c>/<c>dependentExcluded</c>) compiled once into a tree of keyword evaluators.
/// Compiled schemas are immutable and safe to share between threads.
/// </summary>
internal sealed class JsonSchema
{
    private JsonSchema(SchemaNode root, IReadOnlyList<string> warnings)
    {
        Root = root;
        Warnings = warnings;
    }

    public SchemaNode Root { get; }

    /// <summary>What the compiler could not use (bad patterns, unresolvable references); those parts never fail a value.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Compiles a schema document; local <c>$ref</c>s are resolved against it.</summary>
    public static JsonSchema Compile(JsonNode? document, EcmaRegexCache? patterns = null)
    {
        var compiler = new Compiler(document, patterns ?? new EcmaRegexCache());
        var root = compiler.CompileAt(document, "#");
        return new JsonSchema(root, compiler.Warnings);
    }

    /// <summary>Every way the instance fails the schema, each with its path.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? instance, JsonInstanceDialect? dialect = null)
    {
        var errors = new List<SchemaError>();
        Root.Evaluate(instance, new SchemaEvaluation(dialect ?? JsonInstanceDialect.Standard, errors));
        return errors;
    }

    /// <summary>A yes/no check that stops at the first failure.</summary>
    public bool IsValid(JsonNode? instance, JsonInstanceDialect? dialect = null) =>
        Root.Evaluate(instance, new SchemaEvaluation(dialect ?? JsonInstanceDialect.Standard, null));

    /// <summary>Encodes one JSON pointer segment (<c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    internal static string EscapePointerSegment(string segment) =>
        segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private sealed class Compiler(JsonNode? document, EcmaRegexCache patterns)
    {
        private readonly Dictionary<string, SchemaNode> _compiled = new(StringComparer.Ordinal);

        public List<string> Warnings { get; } = [];

        public SchemaNode CompileAt(JsonNode? schema, string pointer)
        {
            if (_compiled.TryGetValue(pointer, out var existing))
            {
                return existing;
            }

            var node = new SchemaNode(pointer);
            _compiled[pointer] = node;
            switch (schema)
            {
                case JsonObject obj:
                    node.Keywords = CompileKeywords(obj, pointer, node);
                    break;
                case JsonValue value when JsonValues.TryGetBoolean(value, out var constant):
                    node.Constant = constant;
                    break;
                default:
                    Warnings.Add($"{pointer}: a schema must be an object or a boolean; treated as 'true'");
                    break;
            }

            return node;
        }

        private SchemaNode Child(JsonObject obj, string keyword, string pointer) =>
            CompileAt(obj[keyword], $"{pointer}/{EscapePointerSegment(keyword)}");

        private SchemaNode[]? ChildArray(JsonObject obj, string keyword, string pointer)
        {
            if (obj[keyword] is not JsonArray array)
            {
                if (obj.ContainsKey(keyword))
                {
                    Warnings.Add($"{pointer}/{keyword}: expected an array of schemas; ignored");
                }

                return null;
            }

            var result = new SchemaNode[array.Count];
            for (var i = 0; i < array.Count; i++)
            {
                result[i] = CompileAt(array[i], $"{pointer}/{keyword}/{i.ToString(CultureInfo.InvariantCulture)}");
            }

            return result;
        }

        private SchemaKeyword[] CompileKeywords(JsonObject obj, string pointer, SchemaNode node)
        {
            var keywords = new List<SchemaKeyword>();

            // Draft-07: keywords beside $ref are ignored.
            if (obj["$ref"] is JsonValue reference && reference.TryGetValue(out string? target))
            {
                if (Resolve(target) is { } resolved)
                {
                    keywords.Add(new RefKeyword(resolved));
                }
                else
                {
                    Warnings.Add($"{pointer}: cannot resolve $ref '{target}' (only local references are supported); not checked");
                }

                return [.. keywords];
            }

            if (obj["type"] is { } type && ParseType(type, pointer) is { } typeKeyword)
            {
                keywords.Add(typeKeyword);
            }

            if (obj["enum"] is JsonArray enumValues)
            {
                keywords.Add(new EnumKeyword([.. enumValues], "enum"));
            }

            if (obj.TryGetPropertyValue("const", out var constValue))
            {
                keywords.Add(new EnumKeyword([constValue], "const"));
            }

            CompileObjectKeywords(obj, pointer, node, keywords);
            CompileArrayKeywords(obj, pointer, keywords);
            CompileScalarKeywords(obj, pointer, keywords);

            if (ChildArray(obj, "allOf", pointer) is { } allOf)
            {
                keywords.Add(new AllOfKeyword(allOf));
            }

            if (ChildArray(obj, "anyOf", pointer) is { } anyOf)
            {
                keywords.Add(new AlternativesKeyword(anyOf, exactlyOne: false));
            }

            if (ChildArray(obj, "oneOf", pointer) is { } oneOf)
            {
                keywords.Add(new AlternativesKeyword(oneOf, exactlyOne: true));
            }

            if (obj.ContainsKey("not"))
            {
                keywords.Add(new NotKeyword(Child(obj, "not", pointer)));
            }

            if (obj.ContainsKey("if") && (obj.ContainsKey("then") || obj.ContainsKey("else")))
            {
                keywords.Add(new ConditionalKeyword(
                    Child(obj, "if", pointer),
                    obj.ContainsKey("then") ? Child(obj, "then", pointer) : null,
                    obj.ContainsKey("else") ? Child(obj, "else", pointer) : null));
            }

            return [.. keywords];
        }

        private void CompileObjectKeywords(JsonObject obj, string pointer, SchemaNode node, List<SchemaKeyword> keywords)
        {
            if (StringArray(obj, "required", pointer) is { Length: > 0 } required)
            {
                keywords.Add(new RequiredKeyword(required));
            }

            if (StringArray(obj, "requiredXor", pointer) is { Length: > 0 } xor)
            {
                keywords.Add(new RequiredChoiceKeyword(xor, exactlyOne: true));
            }

            if (StringArray(obj, "requiredOr", pointer) is { Length: > 0 } or)
            {
                keywords.Add(new RequiredChoiceKeyword(or, exactlyOne: false));
            }

            var properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            if (obj["properties"] is JsonObject declared)
            {
                foreach (var (name, schema) in declared)
                {
                    properties[name] = CompileAt(schema, $"{pointer}/properties/{EscapePointerSegment(name)}");
                }

                node.DeclaredProperties = properties.Keys;
            }

            var patternList = new List<(CompiledPattern, SchemaNode)>();
            if (obj["patternProperties"] is JsonObject patterned)
            {
                foreach (var (pattern, schema) in patterned)
                {
                    var compiled = Pattern(pattern, pointer);
                    patternList.Add((compiled, CompileAt(schema, $"{pointer}/patternProperties/{EscapePointerSegment(pattern)}")));
                }
            }

            var additional = obj.ContainsKey("additionalProperties") ? Child(obj, "additionalProperties", pointer) : null;
            if (additional?.Constant == true)
            {
                additional = null;
            }

            if (properties.Count > 0 || patternList.Count > 0 || additional is not null)
            {
                keywords.Add(new ObjectPropertiesKeyword(properties, [.. patternList], additional));
            }

            var minProperties = Integer(obj, "minProperties", pointer);
            var maxProperties = Integer(obj, "maxProperties", pointer);
            if (minProperties is not null || maxProperties is not null)
            {
                keywords.Add(new PropertyCountKeyword(minProperties, maxProperties));
            }

            if (obj.ContainsKey("propertyNames"))
            {
                keywords.Add(new PropertyNamesKeyword(Child(obj, "propertyNames", pointer)));
            }

            var requires = new List<(string, string[])>();
            var schemas = new List<(string, SchemaNode)>();
            var excludes = new List<(string, string[])>();
            foreach (var keyword in (string[])["dependencies", "dependentRequired", "dependentSchemas", "dependentExcluded"])
            {
                if (obj[keyword] is not JsonObject map)
                {
                    continue;
                }

                foreach (var (name, value) in map)
                {
                    var valuePointer = $"{pointer}/{keyword}/{EscapePointerSegment(name)}";
                    if (value is JsonArray names)
                    {
                        var list = names.Select(n => JsonValues.TryGetString(n, out var s) ? s : null).OfType<string>().ToArray();
                        (keyword == "dependentExcluded" ? excludes : requires).Add((name, list));
                    }
                    else if (keyword is "dependencies" or "dependentSchemas")
                    {
                        schemas.Add((name, CompileAt(value, valuePointer)));
                    }
                    else
                    {
                        Warnings.Add($"{valuePointer}: expected an array of property names; ignored");
                    }
                }
            }

            if (requires.Count + schemas.Count + excludes.Count > 0)
            {
                keywords.Add(new DependenciesKeyword([.. requires], [.. schemas], [.. excludes]));
            }
        }

        private void CompileArrayKeywords(JsonObject obj, string pointer, List<SchemaKeyword> keywords)
        {
            SchemaNode? every = null;
            SchemaNode[]? positional = null;
            SchemaNode? rest = null;
            if (obj["items"] is JsonArray)
            {
                positional = ChildArray(obj, "items", pointer);
                rest = obj.ContainsKey("additionalItems") ? Child(obj, "additionalItems", pointer) : null;
            }
            else
            {
                every = obj.ContainsKey("items") ? Child(obj, "items", pointer) : null;
                positional = ChildArray(obj, "prefixItems", pointer);
            }

            if (every is not null || positional is not null || rest is not null)
            {
                keywords.Add(new ItemsKeyword(every, positional, rest));
            }

            var minItems = Integer(obj, "minItems", pointer);
            var maxItems = Integer(obj, "maxItems", pointer);
            if (minItems is not null || maxItems is not null)
            {
                keywords.Add(new ItemCountKeyword(minItems, maxItems));
            }

            if (JsonValues.TryGetBoolean(obj["uniqueItems"], out var unique) && unique)
            {
                keywords.Add(new UniqueItemsKeyword());
            }

            if (obj.ContainsKey("contains"))
            {
                keywords.Add(new ContainsKeyword(Child(obj, "contains", pointer)));
            }
        }

        private void CompileScalarKeywords(JsonObject obj, string pointer, List<SchemaKeyword> keywords)
        {
            var minLength = Integer(obj, "minLength", pointer);
            var maxLength = Integer(obj, "maxLength", pointer);
            if (minLength is not null || maxLength is not null)
            {
                keywords.Add(new LengthKeyword(minLength, maxLength));
            }

            if (JsonValues.TryGetString(obj["pattern"], out var pattern))
            {
                var compiled = Pattern(pattern, pointer);
                if (compiled.Regex is not null)
                {
                    keywords.Add(new PatternKeyword(compiled));
                }
            }

            var minimum = Number(obj, "minimum");
            var maximum = Number(obj, "maximum");
            var multipleOf = Number(obj, "multipleOf");
            double? exclusiveMinimum = Number(obj, "exclusiveMinimum");
            double? exclusiveMaximum = Number(obj, "exclusiveMaximum");

            // Draft-04 spelled exclusivity as a boolean beside minimum/maximum.
            if (JsonValues.TryGetBoolean(obj["exclusiveMinimum"], out var exMin) && exMin && minimum is not null)
            {
                (exclusiveMinimum, minimum) = (minimum, null);
            }

            if (JsonValues.TryGetBoolean(obj["exclusiveMaximum"], out var exMax) && exMax && maximum is not null)
            {
                (exclusiveMaximum, maximum) = (maximum, null);
            }

            if (minimum is not null || maximum is not null || exclusiveMinimum is not null || exclusiveMaximum is not null || multipleOf is not null)
            {
                keywords.Add(new RangeKeyword(minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf));
            }
        }

        private CompiledPattern Pattern(string pattern, string pointer)
        {
            var compiled = patterns.Get(pattern);
            if (compiled.Problem is not null)
            {
                Warnings.Add($"{pointer}: {compiled.Problem}");
            }

            return compiled;
        }

        private TypeKeyword? ParseType(JsonNode type, string pointer)
        {
            var names = type is JsonArray array
                ? array.Select(n => JsonValues.TryGetString(n, out var s) ? s : string.Empty).ToArray()
                : [JsonValues.TryGetString(type, out var single) ? single : string.Empty];
            var allowed = JsonTypes.None;
            foreach (var name in names)
            {
                var flag = name switch
                {
                    "null" => JsonTypes.Null,
                    "boolean" => JsonTypes.Boolean,
                    "object" => JsonTypes.Object,
                    "array" => JsonTypes.Array,
                    "number" => JsonTypes.Number,
                    "string" => JsonTypes.String,
                    "integer" => JsonTypes.Integer,
                    _ => JsonTypes.None,
                };
                if (flag == JsonTypes.None)
                {
                    Warnings.Add($"{pointer}/type: unknown type '{name}'; ignored");
                    return null;
                }

                allowed |= flag;
            }

            return allowed == JsonTypes.None ? null : new TypeKeyword(allowed, string.Join(" or ", names));
        }

        private string[]? StringArray(JsonObject obj, string keyword, string pointer)
        {
            if (!obj.TryGetPropertyValue(keyword, out var value))
            {
                return null;
            }

            if (value is JsonArray array)
            {
                return array.Select(n => JsonValues.TryGetString(n, out var s) ? s : null).OfType<string>().ToArray();
            }

            // Resource-level CloudFormation schemas are draft-07, but a stray draft-03 boolean 'required' is harmless.
            Warnings.Add($"{pointer}/{keyword}: expected an array of property names; ignored");
            return null;
        }

        private int? Integer(JsonObject obj, string keyword, string pointer)
        {
            if (!obj.ContainsKey(keyword))
            {
                return null;
            }

            if (JsonValues.TryGetNumber(obj[keyword], out var value) && value >= 0)
            {
                return value >= int.MaxValue ? int.MaxValue : (int)value;
            }

            Warnings.Add($"{pointer}/{keyword}: expected a non-negative integer; ignored");
            return null;
        }

        private static double? Number(JsonObject obj, string keyword) =>
            JsonValues.TryGetNumber(obj[keyword], out var value) ? value : null;

        private SchemaNode? Resolve(string reference)
        {
            if (!reference.StartsWith('#'))
            {
                return null;
            }

            var fragment = Uri.UnescapeDataString(reference[1..]);
            if (fragment.Length == 0)
            {
                return CompileAt(document, "#");
            }

            if (fragment[0] != '/')
            {
                return null;
            }

            JsonNode? current = document;
            var canonical = new StringBuilder("#");
            foreach (var raw in fragment[1..].Split('/'))
            {
                var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                switch (current)
                {
                    case JsonObject obj when obj.TryGetPropertyValue(segment, out var next):
                        current = next;
                        break;
                    case JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                        current = array[index];
                        break;
                    default:
                        return null;
                }

                canonical.Append('/').Append(EscapePointerSegment(segment));
            }

            return current is JsonObject or JsonValue ? CompileAt(current, canonical.ToString()) : null;
        }
    }
}
