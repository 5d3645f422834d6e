using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>A parsed CloudFormation template (JSON, or YAML with short-form intrinsics turned into their long form).</summary>
internal sealed partial class CfnTemplate
{
    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    private CfnTemplate(string text, JsonObject root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }

    public JsonObject Root { get; }

    public string? Description => Root[nameof(Description)] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public IReadOnlyDictionary<string, JsonObject> Resources =>
        (Root[nameof(Resources)] as JsonObject ?? []).ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonObject> Parameters =>
        (Root[nameof(Parameters)] as JsonObject ?? []).Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonObject> Outputs =>
        (Root[nameof(Outputs)] as JsonObject ?? []).Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => (JsonObject)p.Value!, StringComparer.Ordinal);

    public IReadOnlyList<string> Transforms => Root["Transform"] switch
    {
        JsonArray a => a.Select(t => t!.ToString()).ToList(),
        JsonValue v => [v.ToString()],
        _ => [],
    };

    public static CfnTemplate Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Validation("Template format error: unsupported structure.");
        }

        JsonNode? root;
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                root = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw Validation($"Template format error: JSON not well-formed. (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})");
            }
        }
        else
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                root = stream.Documents.Count == 0 ? null : FromYaml(stream.Documents[0].RootNode);
            }
            catch (YamlException e)
            {
                throw Validation($"Template format error: YAML not well-formed. (line {e.Start.Line}, column {e.Start.Column})");
            }
        }

        if (root is not JsonObject obj)
        {
            throw Validation("Template format error: unsupported structure.");
        }

        var template = new CfnTemplate(text, obj);
        template.Validate();
        return template;
    }

    /// <summary>The names a node refers to: Ref targets, GetAtt resources and ${} names in Fn::Sub.</summary>
    public static IEnumerable<(string Name, string? Attribute)> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj["Ref"] is JsonValue r:
                yield return (r.ToString(), null);
                break;
            case JsonObject obj when obj.Count == 1 && obj["Fn::GetAtt"] is { } g:
                var parts = g is JsonArray ga ? ga.Select(x => x?.ToString() ?? string.Empty).ToList() : g.ToString().Split('.', 2).ToList();
                yield return (parts[0], parts.Count > 1 ? parts[1] : null);
                break;
            case JsonObject obj when obj.Count == 1 && obj["Fn::Sub"] is { } sub:
                var (format, variables) = sub is JsonArray sa ? (sa[0]?.ToString() ?? string.Empty, sa.Count > 1 ? sa[1] as JsonObject : null) : (sub.ToString(), null);
                foreach (Match m in SubVariable().Matches(format))
                {
                    var name = m.Groups[1].Value;
                    if (variables?.ContainsKey(name) == true || name.StartsWith('!'))
                    {
                        continue;
                    }

                    var dot = name.IndexOf('.', StringComparison.Ordinal);
                    yield return dot < 0 ? (name, null) : (name[..dot], name[(dot + 1)..]);
                }

                if (variables is not null)
                {
                    foreach (var reference in variables.SelectMany(v => References(v.Value)))
                    {
                        yield return reference;
                    }
                }

                break;
            case JsonObject obj:
                foreach (var reference in obj.SelectMany(p => References(p.Value)))
                {
                    yield return reference;
                }

                break;
            case JsonArray array:
                foreach (var reference in array.SelectMany(References))
                {
                    yield return reference;
                }

                break;
        }
    }

    /// <summary>Resources whose Condition holds, for the given parameter values.</summary>
    public IReadOnlyDictionary<string, JsonObject> ActiveResources(IReadOnlyDictionary<string, string> parameters) =>
        Resources.Where(r => r.Value["Condition"] is not JsonValue c || EvaluateCondition(c.ToString(), parameters, 0))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);

    public bool ConditionHolds(string name, IReadOnlyDictionary<string, string> parameters) => EvaluateCondition(name, parameters, 0);

    /// <summary>Dependency order: a resource comes after every resource it references or DependsOn.</summary>
    public static List<string> CreationOrder(IReadOnlyDictionary<string, JsonObject> resources)
    {
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(string id)
        {
            if (state.GetValueOrDefault(id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(id) == 1)
            {
                throw Validation($"Circular dependency between resources: [{id}]");
            }

            state[id] = 1;
            foreach (var dependency in Dependencies(resources, id))
            {
                Visit(dependency);
            }

            state[id] = 2;
            order.Add(id);
        }

        foreach (var id in resources.Keys)
        {
            Visit(id);
        }

        return order;
    }

    public static IEnumerable<string> Dependencies(IReadOnlyDictionary<string, JsonObject> resources, string id)
    {
        var resource = resources[id];
        var dependsOn = resource["DependsOn"] switch
        {
            JsonArray a => a.Select(x => x!.ToString()),
            JsonValue v => [v.ToString()],
            _ => [],
        };
        return References(resource["Properties"]).Select(r => r.Name).Concat(dependsOn)
            .Where(n => n != id && resources.ContainsKey(n)).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The key under which the pseudo-parameter dictionary carries the value of an export.</summary>
    /// <param name="exportName">The export's name.</param>
    /// <returns>The key.</returns>
    public static string ImportKey(string exportName) => "Fn::ImportValue:" + exportName;

    /// <summary>Resolves parameters and conditions, with <paramref name="resource"/> resolving Ref/GetAtt of resources (null leaves them as they are).</summary>

    public JsonNode? Resolve(JsonNode? node, IReadOnlyDictionary<string, string> parameters, Func<string, string?, string?>? resource, IReadOnlyDictionary<string, string> pseudo)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonArray array:
                return new JsonArray(array.Select(x => Resolve(x, parameters, resource, pseudo)).Where(x => !IsNoValue(x)).ToArray());
            case JsonObject obj when obj.Count == 1:
                var (key, argument) = obj.First();
                switch (key)
                {
                    case "Ref":
                        var name = argument!.ToString();
                        if (parameters.TryGetValue(name, out var p))
                        {
                            return p;
                        }

                        if (pseudo.TryGetValue(name, out var ps))
                        {
                            return ps;
                        }

                        if (name == "AWS::NoValue")
                        {
                            return new JsonObject { ["Ref"] = "AWS::NoValue" };
                        }

                        return resource?.Invoke(name, null) is { } physical ? JsonValue.Create(physical) : obj.DeepClone();
                    case "Fn::GetAtt":
                        var (target, attribute) = References(obj).First();
                        return resource?.Invoke(target, attribute ?? string.Empty) is { } value ? JsonValue.Create(value) : obj.DeepClone();
                    case "Fn::Sub":
                        return Substitute(argument!, parameters, resource, pseudo) is { } text ? JsonValue.Create(text) : obj.DeepClone();
                    case "Fn::Join" when argument is JsonArray join && join.Count == 2:
                        var items = Resolve(join[1], parameters, resource, pseudo);
                        return items is JsonArray list && list.All(i => i is JsonValue)
                            ? JsonValue.Create(string.Join(join[0]!.ToString(), list.Select(i => i!.ToString())))
                            : new JsonObject { ["Fn::Join"] = new JsonArray(join[0]!.DeepClone(), items) };
                    case "Fn::Select" when argument is JsonArray select && select.Count == 2:
                        var index = int.Parse(Resolve(select[0], parameters, resource, pseudo)!.ToString(), CultureInfo.InvariantCulture);
                        return Resolve(select[1], parameters, resource, pseudo) is JsonArray options && index < options.Count ? options[index]!.DeepClone() : obj.DeepClone();
                    case "Fn::Split" when argument is JsonArray split && split.Count == 2:
                        return Resolve(split[1], parameters, resource, pseudo) is JsonValue source
                            ? new JsonArray(source.ToString().Split(split[0]!.ToString()).Select(s => (JsonNode)JsonValue.Create(s)).ToArray())
                            : obj.DeepClone();
                    case "Fn::If" when argument is JsonArray branches && branches.Count == 3:
                        return Resolve(EvaluateCondition(branches[0]!.ToString(), parameters, 0) ? branches[1] : branches[2], parameters, resource, pseudo);
                    case "Fn::Base64":
                        return Resolve(argument, parameters, resource, pseudo) is JsonValue plain ? JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain.ToString()))) : obj.DeepClone();
                    case "Fn::GetAZs":
                        var region = pseudo.GetValueOrDefault("AWS::Region", "us-east-1");
                        return new JsonArray(JsonValue.Create(region + "a"), JsonValue.Create(region + "b"), JsonValue.Create(region + "c"));
                    case "Fn::ImportValue":
                        var importName = Resolve(argument, parameters, resource, pseudo)?.ToString();
                        return JsonValue.Create(importName is not null && pseudo.TryGetValue(ImportKey(importName), out var imported) ? imported : "imported:" + importName);
                    case "Fn::FindInMap" when argument is JsonArray path && path.Count == 3:
                        var keys = path.Select(k => Resolve(k, parameters, resource, pseudo)?.ToString() ?? string.Empty).ToList();
                        return Root["Mappings"]?[keys[0]]?[keys[1]]?[keys[2]]?.DeepClone() ?? obj.DeepClone();
                    default:
                        return ResolveMembers(obj, parameters, resource, pseudo);
                }

            case JsonObject obj:
                return ResolveMembers(obj, parameters, resource, pseudo);
            default:
                return node.DeepClone();
        }
    }

    private JsonObject ResolveMembers(JsonObject obj, IReadOnlyDictionary<string, string> parameters, Func<string, string?, string?>? resource, IReadOnlyDictionary<string, string> pseudo)
    {
        var result = new JsonObject();
        foreach (var (k, v) in obj)
        {
            var resolved = Resolve(v, parameters, resource, pseudo);
            if (!IsNoValue(resolved))
            {
                result[k] = resolved;
            }
        }

        return result;
    }

    /// <summary>A text form where every scalar is compared as a string (YAML plain scalars and JSON numbers compare equal).</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(',', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray array => "[" + string.Join(',', array.Select(Canonical)) + "]",
        JsonValue value => JsonSerializer.Serialize(ScalarText(value)),
        _ => node.ToJsonString(),
    };

    public static string ScalarText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static bool IsNoValue(JsonNode? node) => node is JsonObject o && o.Count == 1 && o["Ref"] is JsonValue v && v.ToString() == "AWS::NoValue";

    private string? Substitute(JsonNode argument, IReadOnlyDictionary<string, string> parameters, Func<string, string?, string?>? resource, IReadOnlyDictionary<string, string> pseudo)
    {
        var (format, variables) = argument is JsonArray a ? (a[0]!.ToString(), a.Count > 1 ? a[1] as JsonObject : null) : (argument.ToString(), null);
        var unresolved = false;
        var text = SubVariable().Replace(format, m =>
        {
            var name = m.Groups[1].Value;
            if (name.StartsWith('!'))
            {
                return "${" + name[1..] + "}";
            }

            if (variables?[name] is { } variable)
            {
                var value = Resolve(variable, parameters, resource, pseudo);
                if (value is JsonValue v)
                {
                    return v.ToString();
                }

                unresolved = true;
                return m.Value;
            }

            if (parameters.TryGetValue(name, out var p))
            {
                return p;
            }

            if (pseudo.TryGetValue(name, out var ps))
            {
                return ps;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var resolved = dot < 0 ? resource?.Invoke(name, null) : resource?.Invoke(name[..dot], name[(dot + 1)..]);
            if (resolved is null)
            {
                unresolved = true;
                return m.Value;
            }

            return resolved;
        });
        return unresolved ? null : text;
    }

    private bool EvaluateCondition(string name, IReadOnlyDictionary<string, string> parameters, int depth) =>
        depth < 20 && Root["Conditions"]?[name] is { } condition && EvaluateExpression(condition, parameters, depth + 1);

    private bool EvaluateExpression(JsonNode node, IReadOnlyDictionary<string, string> parameters, int depth)
    {
        if (node is not JsonObject obj || obj.Count != 1)
        {
            return false;
        }

        var (key, argument) = obj.First();
        var args = argument as JsonArray ?? [];
        return key switch
        {
            "Fn::Equals" when args.Count == 2 =>
                Canonical(Resolve(args[0], parameters, null, new Dictionary<string, string>())) == Canonical(Resolve(args[1], parameters, null, new Dictionary<string, string>())),
            "Fn::Not" when args.Count == 1 => !EvaluateExpression(args[0]!, parameters, depth + 1),
            "Fn::And" => args.All(a => EvaluateExpression(a!, parameters, depth + 1)),
            "Fn::Or" => args.Any(a => EvaluateExpression(a!, parameters, depth + 1)),
            "Condition" => EvaluateCondition(argument!.ToString(), parameters, depth + 1),
            _ => false,
        };
    }

    private void Validate()
    {
        if (Root[nameof(Resources)] is not JsonObject resources || resources.Count == 0)
        {
            throw Validation("Template format error: At least one Resources member must be defined.");
        }

        var unrecognized = new List<string>();
        foreach (var (id, value) in resources)
        {
            if (value is not JsonObject resource || resource["Type"] is not JsonValue type)
            {
                throw Validation($"Template format error: [/Resources/{id}] Every Resources object must contain a Type member.");
            }

            if (!ResourceType().IsMatch(type.ToString()))
            {
                unrecognized.Add(type.ToString());
            }
        }

        if (unrecognized.Count > 0)
        {
            throw Validation($"Template format error: Unrecognized resource types: [{string.Join(", ", unrecognized.Distinct())}]");
        }

        var known = new HashSet<string>(resources.Select(r => r.Key).Concat(Parameters.Keys).Concat(PseudoParameters), StringComparer.Ordinal);
        var unresolved = resources.SelectMany(r => References(r.Value!["Properties"]).Concat(References(r.Value!["DependsOn"] is JsonValue d ? new JsonObject { ["Ref"] = d.ToString() } : null)))
            .Concat(Outputs.SelectMany(o => References(o.Value)))
            .Select(r => r.Name).Where(n => !known.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        if (unresolved.Count > 0)
        {
            throw Validation($"Template format error: Unresolved resource dependencies [{string.Join(", ", unresolved)}] in the Resources block of the template");
        }

        _ = CreationOrder(Resources); // throws on a dependency cycle
    }

    private static JsonNode? FromYaml(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        JsonNode? plain = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value ?? string.Empty, FromYaml(c.Value)))),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(FromYaml).ToArray()),
            YamlScalarNode scalar => scalar.Value is null || (scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null") ? null : JsonValue.Create(scalar.Value),
            _ => null,
        };
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return plain;
        }

        var function = tag[1..];
        return function switch
        {
            "Ref" => new JsonObject { ["Ref"] = plain },
            "Condition" => new JsonObject { ["Condition"] = plain },
            "GetAtt" when plain is JsonValue dotted => new JsonObject
            {
                ["Fn::GetAtt"] = new JsonArray(dotted.ToString().Split('.', 2).Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            },
            _ => new JsonObject { ["Fn::" + function] = plain },
        };
    }

    internal static AwsSimulatorException Validation(string message) => new("ValidationError", message);

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();

    [GeneratedRegex("^(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+$|^Custom::[A-Za-z0-9_@-]+$")]
    private static partial Regex ResourceType();
}
