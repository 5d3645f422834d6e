using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Testing;

/// <summary>
/// The identity policies of a synthesized role as IAM would hold them after the deploy: the template's intrinsics
/// resolved in one account and region (pseudo parameters, <c>Fn::Sub</c>, <c>Fn::Join</c> of resolved strings, <c>Fn::GetAtt …Arn</c> of roles by their
/// names, imports from the stack set's exports where the rehearsal knows them, a recognisable placeholder otherwise).
/// </summary>
internal sealed partial class SynthesizedPolicies(StackSet set, string accountId, IReadOnlyDictionary<string, string>? imports = null, IReadOnlyDictionary<string, string>? attributes = null)
{
    /// <summary>A policy document a resource holds (a bucket policy's <c>PolicyDocument</c>, a key's <c>KeyPolicy</c>), resolved.</summary>
    public JsonNode Document(string stack, string resource, string property)
    {
        var template = set[stack].Template;
        return Resolve(template, JsonNode.Parse(template.Resources[resource].Properties[property].ToString()!)!);
    }

    /// <summary>The logical id of the role named <paramref name="roleName"/> in a stack.</summary>
    public string RoleNamed(string stack, string roleName) =>
        set[stack].Template.Resources.Single(r => r.Value.Type == "AWS::IAM::Role"
            && r.Value.Properties.TryGetValue("RoleName", out var name) && name is CfnScalar { Text: { } text } && text == roleName).Key;

    /// <summary>The role's inline policies, resolved.</summary>
    public IReadOnlyList<JsonNode> Of(string stack, string role)
    {
        var template = set[stack].Template;
        var properties = template.Resources[role].Properties;
        return [.. ((CfnList)properties["Policies"]).Cast<CfnObject>().Select(p => Resolve(template, JsonNode.Parse(p["PolicyDocument"].ToString()!)!))];
    }

    /// <summary>Any property of a stack's template (a key policy, a task definition), resolved the same way.</summary>
    public JsonNode Resolve(string stack, CfnNode node)
    {
        var template = set[stack].Template;
        return Resolve(template, JsonNode.Parse(node.ToString()!)!);
    }

    private JsonNode Resolve(Template template, JsonNode node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } obj when obj.First().Key is "Ref" or "Fn::Sub" or "Fn::GetAtt" or "Fn::ImportValue":
                return JsonValue.Create(Intrinsic(template, obj.First().Key, obj.First().Value!))!;
            case JsonObject { Count: 1 } obj when obj.First().Key == "Fn::Join" && obj.First().Value is JsonArray { Count: 2 } join
                && Resolve(template, join[1]!) is JsonArray parts && parts.All(p => p is JsonValue):
                return JsonValue.Create(string.Join(join[0]!.GetValue<string>(), parts.Select(p => p!.GetValue<string>())))!;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = value is null ? null : Resolve(template, value);
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(v => v is null ? null : Resolve(template, v))]);
            default:
                return node.DeepClone();
        }
    }

    private string Intrinsic(Template template, string name, JsonNode argument) => name switch
    {
        "Ref" => Reference(template, argument.GetValue<string>()),
        "Fn::GetAtt" => Attribute(template, argument[0]!.GetValue<string>(), argument[1]!.GetValue<string>()),
        "Fn::ImportValue" => imports?.GetValueOrDefault(argument.GetValue<string>()) ?? $"arn:aws:rehearsal:::import/{argument.GetValue<string>()}",
        "Fn::Sub" => Substitute(template, argument),
        _ => throw new NotSupportedException(name),
    };

    private string Substitute(Template template, JsonNode argument)
    {
        var (text, variables) = argument is JsonArray pair
            ? (pair[0]!.GetValue<string>(), pair[1] as JsonObject)
            : (argument.GetValue<string>(), null);
        return Placeholder().Replace(text, m =>
        {
            var key = m.Groups[1].Value;
            if (variables is not null && variables.TryGetPropertyValue(key, out var value) && value is not null)
            {
                return value is JsonObject intrinsic ? Resolve(template, intrinsic).GetValue<string>() : value.GetValue<string>();
            }

            var dot = key.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 ? Attribute(template, key[..dot], key[(dot + 1)..]) : Reference(template, key);
        });
    }

    private string Reference(Template template, string name) => name switch
    {
        "AWS::Partition" => "aws",
        "AWS::Region" => set.Region,
        "AWS::AccountId" => accountId,
        "AWS::URLSuffix" => "amazonaws.com",
        _ => attributes?.GetValueOrDefault(name) ?? $"rehearsal-{name}",
    };

    private string Attribute(Template template, string resource, string attribute)
    {
        if (attributes?.GetValueOrDefault($"{resource}.{attribute}") is { } known)
        {
            return known;
        }

        if (attribute == "Arn" && template.Resources.TryGetValue(resource, out var r) && r.Type == "AWS::IAM::Role"
            && r.Properties.TryGetValue("RoleName", out var roleName) && roleName is CfnScalar { Text: { } literal })
        {
            return $"arn:aws:iam::{accountId}:role/{literal}";
        }

        return $"arn:aws:rehearsal:::{resource}.{attribute}";
    }

    [GeneratedRegex(@"\$\{([^}!][^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
