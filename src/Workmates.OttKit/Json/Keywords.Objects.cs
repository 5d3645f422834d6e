using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary><c>properties</c>, <c>patternProperties</c> and <c>additionalProperties</c>, evaluated together.</summary>
internal sealed class ObjectPropertiesKeyword(
    Dictionary<string, SchemaNode> properties,
    (CompiledPattern Pattern, SchemaNode Schema)[] patterns,
    SchemaNode? additional) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        var valid = true;

        // Indexed access avoids boxing the dictionary enumerator on this hot path.
        for (var index = 0; index < obj.Count; index++)
        {
            var (name, value) = obj.GetAt(index);
            var matched = false;
            if (properties.TryGetValue(name, out var schema))
            {
                matched = true;
                valid &= EvaluateProperty(name, value, schema, evaluation);
            }

            foreach (var (pattern, patternSchema) in patterns)
            {
                if (pattern.Regex is not null && pattern.IsMatch(name))
                {
                    matched = true;
                    valid &= EvaluateProperty(name, value, patternSchema, evaluation);
                }
            }

            if (!matched && additional is not null)
            {
                if (additional.Constant == false)
                {
                    valid = false;
                    if (evaluation.Collecting)
                    {
                        evaluation.ReportAt(name, "additionalProperties", UnknownPropertyMessage(name));
                    }
                }
                else
                {
                    valid &= EvaluateProperty(name, value, additional, evaluation);
                }
            }

            if (!valid && !evaluation.Collecting)
            {
                return false;
            }
        }

        return valid;
    }

    private static bool EvaluateProperty(string name, JsonNode? value, SchemaNode schema, SchemaEvaluation evaluation)
    {
        evaluation.Path.Push(name);
        try
        {
            return schema.Evaluate(value, evaluation);
        }
        finally
        {
            evaluation.Path.Pop();
        }
    }

    private string UnknownPropertyMessage(string name)
    {
        var allowed = properties.Keys.Order(StringComparer.Ordinal).ToList();
        var closest = NameSuggestion.Closest(name, allowed);
        var hint = closest is null ? string.Empty : $"closest match {closest}; ";
        var patternHint = patterns.Length == 0 ? string.Empty : $" or a name matching {string.Join(" / ", patterns.Select(p => p.Pattern.Source))}";
        return allowed.Count == 0 && patterns.Length == 0
            ? $"unknown property '{name}' (no properties are allowed here); remove it"
            : $"unknown property '{name}' ({hint}allowed: {JsonValues.JoinNames(allowed)}{patternHint}); remove or rename it";
    }
}

/// <summary><c>required</c>: each listed property must be present (a deploy-time value counts as present).</summary>
internal sealed class RequiredKeyword(string[] names) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var name in names)
        {
            if (!evaluation.Has(obj, name))
            {
                valid = false;
                if (!evaluation.Collecting)
                {
                    return false;
                }

                evaluation.Report("required", $"missing required property '{name}'; add it");
            }
        }

        return valid;
    }
}

/// <summary><c>minProperties</c>/<c>maxProperties</c>.</summary>
internal sealed class PropertyCountKeyword(int? min, int? max) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        if (min is { } lo && obj.Count < lo)
        {
            evaluation.Report("minProperties", $"object has {obj.Count} properties; it needs at least {lo}");
            return false;
        }

        if (max is { } hi && obj.Count > hi)
        {
            evaluation.Report("maxProperties", $"object has {obj.Count} properties; it allows at most {hi}");
            return false;
        }

        return true;
    }
}

/// <summary><c>propertyNames</c>: every property name must match a schema.</summary>
internal sealed class PropertyNamesKeyword(SchemaNode names) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var (name, _) in obj)
        {
            if (!evaluation.Test(names, JsonValue.Create(name)))
            {
                valid = false;
                evaluation.ReportAt(name, "propertyNames", $"property name '{name}' is not allowed here; rename it");
            }
        }

        return valid;
    }
}

/// <summary>
/// <c>dependencies</c> (draft-07: a list of names or a schema), <c>dependentRequired</c>, and CloudFormation's
/// <c>dependentExcluded</c> (properties that must not appear together).
/// </summary>
internal sealed class DependenciesKeyword(
    (string Name, string[] Required)[] requires,
    (string Name, SchemaNode Schema)[] schemas,
    (string Name, string[] Excluded)[] excludes) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var (name, required) in requires)
        {
            if (!evaluation.Has(obj, name))
            {
                continue;
            }

            foreach (var other in required)
            {
                if (!evaluation.Has(obj, other))
                {
                    valid = false;
                    evaluation.Report("dependentRequired", $"'{name}' requires '{other}' to be set too; add '{other}' or remove '{name}'");
                }
            }
        }

        foreach (var (name, excluded) in excludes)
        {
            if (!evaluation.Has(obj, name))
            {
                continue;
            }

            foreach (var other in excluded)
            {
                // Report each clashing pair once, from the name that sorts first.
                if (evaluation.Has(obj, other) && (string.CompareOrdinal(name, other) < 0 || !Excludes(other, name)))
                {
                    valid = false;
                    evaluation.Report("dependentExcluded", $"'{name}' cannot be used together with '{other}'; remove one of them");
                }
            }
        }

        foreach (var (name, schema) in schemas)
        {
            if (evaluation.Has(obj, name) && !schema.Evaluate(instance, evaluation))
            {
                valid = false;
            }
        }

        return valid;
    }

    private bool Excludes(string name, string other) =>
        excludes.Any(e => e.Name == name && e.Excluded.Contains(other, StringComparer.Ordinal));
}

/// <summary>CloudFormation's <c>requiredXor</c> (exactly one) and <c>requiredOr</c> (at least one) of some properties.</summary>
internal sealed class RequiredChoiceKeyword(string[] names, bool exactlyOne) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonObject obj)
        {
            return true;
        }

        var present = names.Where(name => evaluation.Has(obj, name)).ToList();
        if (present.Count == 1 || (!exactlyOne && present.Count > 1))
        {
            return true;
        }

        if (evaluation.Collecting)
        {
            var list = string.Join(", ", names);
            var message = present.Count == 0
                ? $"set {(exactlyOne ? "exactly" : "at least")} one of: {list}"
                : $"set exactly one of: {list} (found {string.Join(", ", present)}); remove the others";
            evaluation.Report(exactlyOne ? "requiredXor" : "requiredOr", message);
        }

        return false;
    }
}
