using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>
/// <c>items</c> (one schema for every element, or the draft-07 tuple form), <c>prefixItems</c> and
/// <c>additionalItems</c>. With <c>prefixItems</c> and a schema-valued <c>items</c> both apply (as cfn-lint reads them).
/// </summary>
internal sealed class ItemsKeyword(SchemaNode? every, SchemaNode[]? positional, SchemaNode? rest) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonArray array)
        {
            return true;
        }

        var valid = true;
        for (var i = 0; i < array.Count; i++)
        {
            evaluation.Path.Push(i);
            try
            {
                var item = array[i];
                if (positional is not null && i < positional.Length)
                {
                    valid &= positional[i].Evaluate(item, evaluation);
                }
                else if (rest is not null)
                {
                    if (rest.Constant == false)
                    {
                        evaluation.Report("additionalItems", $"the array allows at most {positional?.Length ?? 0} items; remove this one");
                        valid = false;
                    }
                    else
                    {
                        valid &= rest.Evaluate(item, evaluation);
                    }
                }

                if (every is not null)
                {
                    valid &= every.Evaluate(item, evaluation);
                }
            }
            finally
            {
                evaluation.Path.Pop();
            }

            if (!valid && !evaluation.Collecting)
            {
                return false;
            }
        }

        return valid;
    }
}

/// <summary><c>minItems</c>/<c>maxItems</c>.</summary>
internal sealed class ItemCountKeyword(int? min, int? max) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonArray array)
        {
            return true;
        }

        if (min is { } lo && array.Count < lo)
        {
            evaluation.Report("minItems", $"the array has {array.Count} items; it needs at least {lo}");
            return false;
        }

        if (max is { } hi && array.Count > hi)
        {
            evaluation.Report("maxItems", $"the array has {array.Count} items; it allows at most {hi}");
            return false;
        }

        return true;
    }
}

/// <summary><c>uniqueItems: true</c>.</summary>
internal sealed class UniqueItemsKeyword : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonArray array)
        {
            return true;
        }

        for (var i = 1; i < array.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (JsonValues.DeepEquals(array[i], array[j]))
                {
                    evaluation.Report("uniqueItems", $"items [{j}] and [{i}] are equal; remove the duplicate");
                    return false;
                }
            }
        }

        return true;
    }
}

/// <summary><c>contains</c>: at least one element matches.</summary>
internal sealed class ContainsKeyword(SchemaNode schema) : SchemaKeyword
{
    public override bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (instance is not JsonArray array || array.Any(item => evaluation.Test(schema, item)))
        {
            return true;
        }

        evaluation.Report("contains", "no item of the array matches the required shape; add one");
        return false;
    }
}
