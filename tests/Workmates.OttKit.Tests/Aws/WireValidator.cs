using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// Checks a request's wire form against its input shape in service-2.json: member names, required members, types,
/// enums, ranges, timestamp format (epoch seconds for awsJson, ISO 8601 for query), and the query list/map encodings.
/// With <c>expectAllMembers</c> it also reports every modelled member that did not reach the wire.
/// </summary>
internal sealed partial class WireValidator(AwsModel model, bool expectAllMembers)
{
    public List<string> Errors { get; } = [];

    public void ValidateJson(string shapeName, JsonElement value, string path)
    {
        var shape = model.Shape(shapeName);
        var type = shape.GetProperty("type").GetString();
        switch (type)
        {
            case "structure" when shape.TryGetProperty("document", out _):
                return;
            case "structure":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add($"{path}: expected an object for {shapeName}, got {value.ValueKind}");
                    return;
                }

                var members = shape.GetProperty("members");
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    seen.Add(property.Name);
                    if (!members.TryGetProperty(property.Name, out var member))
                    {
                        Errors.Add($"{path}.{property.Name}: not a member of {shapeName}");
                        continue;
                    }

                    ValidateJson(member.GetProperty("shape").GetString()!, property.Value, $"{path}.{property.Name}");
                }

                CheckMembers(shapeName, shape, seen, path);
                return;
            case "list":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    Errors.Add($"{path}: expected an array for {shapeName}");
                    return;
                }

                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    ValidateJson(shape.GetProperty("member").GetProperty("shape").GetString()!, item, $"{path}[{index++}]");
                }

                return;
            case "map":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    Errors.Add($"{path}: expected an object (map) for {shapeName}");
                    return;
                }

                foreach (var entry in value.EnumerateObject())
                {
                    ValidateScalar(shape.GetProperty("key").GetProperty("shape").GetString()!, entry.Name, $"{path}<key>");
                    ValidateJson(shape.GetProperty("value").GetProperty("shape").GetString()!, entry.Value, $"{path}[{entry.Name}]");
                }

                return;
            case "timestamp":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    Errors.Add($"{path}: awsJson timestamps are epoch seconds (a number), got {value.ValueKind}");
                }

                return;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Errors.Add($"{path}: expected a boolean");
                }

                return;
            case "integer" or "long" or "double" or "float":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    Errors.Add($"{path}: expected a number");
                    return;
                }

                ValidateScalar(shapeName, value.GetRawText(), path);
                return;
            default:
                if (value.ValueKind != JsonValueKind.String)
                {
                    Errors.Add($"{path}: expected a string for {shapeName}");
                    return;
                }

                ValidateScalar(shapeName, value.GetString()!, path);
                return;
        }
    }

    public void ValidateQuery(string operation, string inputShape, IDictionary<string, string> parameters)
    {
        var root = new QueryNode();
        foreach (var (key, value) in parameters)
        {
            if (key is "Action" or "Version")
            {
                continue;
            }

            var node = root;
            foreach (var segment in key.Split('.'))
            {
                node = node.Child(segment);
            }

            node.Value = value;
        }

        if (parameters.TryGetValue("Action", out var action) ? action != operation : true)
        {
            Errors.Add($"Action: expected {operation}");
        }

        if (!parameters.TryGetValue("Version", out var version) || version != model.Metadata.GetProperty("apiVersion").GetString())
        {
            Errors.Add("Version: expected the model's apiVersion");
        }

        ValidateQueryNode(inputShape, root, string.Empty);
    }

    private void ValidateQueryNode(string shapeName, QueryNode node, string path)
    {
        var shape = model.Shape(shapeName);
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                var members = shape.GetProperty("members");
                foreach (var (name, child) in node.Children)
                {
                    if (!members.TryGetProperty(name, out var member))
                    {
                        Errors.Add($"{Join(path, name)}: not a member of {shapeName}");
                        continue;
                    }

                    ValidateQueryNode(member.GetProperty("shape").GetString()!, child, Join(path, name));
                }

                CheckMembers(shapeName, shape, node.Children.Keys.ToHashSet(StringComparer.Ordinal), path);
                return;
            case "list":
                if (node.Children.Count == 0)
                {
                    if (node.Value != string.Empty)
                    {
                        Errors.Add($"{path}: an empty list is sent as '{path}=' with no value");
                    }

                    return;
                }

                if (node.Children.Keys.Single() != "member" || node.Value is not null)
                {
                    Errors.Add($"{path}: lists are encoded as {path}.member.N, got {string.Join(",", node.Children.Keys)}");
                    return;
                }

                CheckIndexes(node.Children["member"], path + ".member");
                foreach (var (index, item) in node.Children["member"].Children)
                {
                    ValidateQueryNode(shape.GetProperty("member").GetProperty("shape").GetString()!, item, $"{path}.member.{index}");
                }

                return;
            case "map":
                if (node.Children.Keys.Single() != "entry")
                {
                    Errors.Add($"{path}: maps are encoded as {path}.entry.N.key/value");
                    return;
                }

                CheckIndexes(node.Children["entry"], path + ".entry");
                foreach (var (index, entry) in node.Children["entry"].Children)
                {
                    if (!entry.Children.TryGetValue("key", out var key) || key.Value is null)
                    {
                        Errors.Add($"{path}.entry.{index}: missing key");
                        continue;
                    }

                    ValidateScalar(shape.GetProperty("key").GetProperty("shape").GetString()!, key.Value, $"{path}.entry.{index}.key");
                    if (entry.Children.TryGetValue("value", out var mapValue))
                    {
                        ValidateQueryNode(shape.GetProperty("value").GetProperty("shape").GetString()!, mapValue, $"{path}.entry.{index}.value");
                    }
                }

                return;
            default:
                if (node.Value is null || node.Children.Count > 0)
                {
                    Errors.Add($"{path}: expected a scalar value for {shapeName}");
                    return;
                }

                ValidateScalar(shapeName, node.Value, path);
                return;
        }
    }

    private void ValidateScalar(string shapeName, string text, string path)
    {
        var shape = model.Shape(shapeName);
        switch (shape.GetProperty("type").GetString())
        {
            case "integer" or "long":
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    Errors.Add($"{path}: '{text}' is not an integer");
                    return;
                }

                if ((shape.TryGetProperty("min", out var min) && number < min.GetInt64())
                    || (shape.TryGetProperty("max", out var max) && number > max.GetInt64()))
                {
                    Errors.Add($"{path}: {number} is outside the modelled range");
                }

                return;
            case "double" or "float":
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    Errors.Add($"{path}: '{text}' is not a number");
                }

                return;
            case "boolean":
                if (text is not ("true" or "false"))
                {
                    Errors.Add($"{path}: booleans are 'true'/'false', got '{text}'");
                }

                return;
            case "timestamp":
                if (!Iso8601().IsMatch(text))
                {
                    Errors.Add($"{path}: query timestamps are ISO 8601 UTC, got '{text}'");
                }

                return;
            case "string":
                if (shape.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == text))
                {
                    Errors.Add($"{path}: '{text}' is not a value of enum {shapeName}");
                }

                if (shape.TryGetProperty("min", out var minLength) && text.Length < minLength.GetInt32())
                {
                    Errors.Add($"{path}: shorter than the modelled minimum {minLength.GetInt32()}");
                }

                return;
            default:
                return;
        }
    }

    private void CheckMembers(string shapeName, JsonElement shape, HashSet<string> seen, string path)
    {
        if (shape.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !seen.Contains(r)))
            {
                Errors.Add($"{Join(path, name)}: required member of {shapeName} is missing");
            }
        }

        if (shape.TryGetProperty("union", out _) && seen.Count != 1)
        {
            Errors.Add($"{path}: union {shapeName} must have exactly one member, has {seen.Count}");
        }

        if (expectAllMembers && !shape.TryGetProperty("union", out _))
        {
            foreach (var member in shape.GetProperty("members").EnumerateObject().Where(m => !seen.Contains(m.Name)))
            {
                Errors.Add($"{Join(path, member.Name)}: member of {shapeName} was set but did not reach the wire");
            }
        }
    }

    private void CheckIndexes(QueryNode node, string path)
    {
        var indexes = node.Children.Keys.Select(k => int.TryParse(k, CultureInfo.InvariantCulture, out var i) ? i : -1).Order().ToList();
        if (!indexes.SequenceEqual(Enumerable.Range(1, indexes.Count)))
        {
            Errors.Add($"{path}: indexes must be 1..N, got {string.Join(",", node.Children.Keys)}");
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")]
    private static partial Regex Iso8601();

    private sealed class QueryNode
    {
        public Dictionary<string, QueryNode> Children { get; } = new(StringComparer.Ordinal);

        public string? Value { get; set; }

        public QueryNode Child(string segment)
        {
            if (!Children.TryGetValue(segment, out var child))
            {
                child = new QueryNode();
                Children[segment] = child;
            }

            return child;
        }
    }
}
