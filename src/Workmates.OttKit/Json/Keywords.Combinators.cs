using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary><c>$ref</c> to a subschema of the same document, resolved when the schema is compiled.</summary>
internal sealed class RefKeyword(SchemaNode target) : SchemaKeyword
{
    public SchemaNode Target => target;

    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation) => target.Evaluate(instance, evaluation);
}

/// <summary><c>allOf</c>: every subschema applies; their errors are reported as they are.</summary>
internal sealed class AllOfKeyword(SchemaNode[] schemas) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        var valid = true;
        foreach (var schema in schemas)
        {
            if (!schema.Evaluate(instance, evaluation))
            {
                valid = false;
                if (!evaluation.Collecting)
                {
                    return false;
                }
            }
        }

        return valid;
    }
}

/// <summary><c>anyOf</c> (at least one) and <c>oneOf</c> (exactly one) subschema must match.</summary>
internal sealed class AlternativesKeyword(SchemaNode[] schemas, bool exactlyOne) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        var first = -1;
        for (var i = 0; i < schemas.Length; i++)
        {
            if (!evaluation.Test(schemas[i], instance))
            {
                continue;
            }

            if (!exactlyOne)
            {
                return true;
            }

            if (first >= 0)
            {
                // A deploy-time value can satisfy several shapes at once; only resolved values are ambiguous.
                if (evaluation.ContainsPlaceholder(instance))
                {
                    return true;
                }

                evaluation.Report("oneOf", $"value matches alternatives #{first + 1} and #{i + 1} but exactly one is allowed (oneOf); remove what makes it ambiguous");
                return false;
            }

            first = i;
        }

        if (first >= 0)
        {
            return true;
        }

        if (evaluation.Collecting)
        {
            evaluation.Report(exactlyOne ? "oneOf" : "anyOf", NoMatchMessage(instance, evaluation));
        }

        return false;
    }

    private string NoMatchMessage(JsonNode? instance, SchemaEvaluation evaluation)
    {
        var here = evaluation.Path.ToString();
        List<SchemaError>? best = null;
        foreach (var schema in schemas)
        {
            var errors = evaluation.Collect(schema, instance);
            if (best is null || Rank(errors, here) < Rank(best, here))
            {
                best = errors;
            }
        }

        var details = best is null || best.Count == 0
            ? string.Empty
            : "; closest: " + string.Join("; ", best.Take(3).Select(e => Relative(here, e)));
        return $"value matches none of the {schemas.Length} allowed alternatives ({(exactlyOne ? "oneOf" : "anyOf")}){details}";
    }

    // Prefer the alternative whose type matched here (its errors are deeper or about details), then the fewest errors.
    private static int Rank(List<SchemaError> errors, string here) =>
        (errors.Any(e => e.Keyword == "type" && e.Path == here) ? 10_000 : 0) + errors.Count;

    private static string Relative(string here, SchemaError error)
    {
        var path = error.Path;
        if (path.StartsWith(here, StringComparison.Ordinal))
        {
            path = path[here.Length..].TrimStart('.');
        }

        return path.Length == 0 ? error.Message : $"{path}: {error.Message}";
    }
}

/// <summary><c>not</c>: the subschema must not match.</summary>
internal sealed class NotKeyword(SchemaNode schema) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (!evaluation.Test(schema, instance) || evaluation.ContainsPlaceholder(instance))
        {
            return true;
        }

        evaluation.Report("not", $"value '{JsonValues.Describe(instance)}' is not allowed here; choose another value");
        return false;
    }
}

/// <summary><c>if</c>/<c>then</c>/<c>else</c>.</summary>
internal sealed class ConditionalKeyword(SchemaNode condition, SchemaNode? then, SchemaNode? otherwise) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        var branch = evaluation.Test(condition, instance) ? then : otherwise;
        return branch is null || branch.Evaluate(instance, evaluation);
    }
}
