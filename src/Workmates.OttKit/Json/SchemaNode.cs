using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>One compiled (sub)schema: the keywords that apply at one place, ready to evaluate without re-parsing.</summary>
internal sealed class SchemaNode
{
    internal SchemaNode(string pointer) => Pointer = pointer;

    /// <summary>JSON pointer of this subschema inside its document (<c>#/definitions/Tag</c>).</summary>
    public string Pointer { get; }

    /// <summary>Set for the boolean schemas <c>true</c> and <c>false</c>.</summary>
    internal bool? Constant { get; set; }

    internal SchemaKeyword[] Keywords { get; set; } = [];

    /// <summary>Property names declared in <c>properties</c>, if any (used to suggest fixes).</summary>
    internal IReadOnlyCollection<string>? DeclaredProperties { get; set; }

    public bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation)
    {
        if (Constant is bool constant)
        {
            if (!constant)
            {
                evaluation.Report("false", "no value is allowed here; remove it");
            }

            return constant;
        }

        if (instance is JsonObject obj)
        {
            var kind = evaluation.Dialect.Classify(obj);
            if (kind == InstanceNodeKind.Opaque)
            {
                return true;
            }

            if (kind == InstanceNodeKind.Conditional)
            {
                return EvaluateBranches(obj, evaluation);
            }
        }

        var valid = true;
        foreach (var keyword in Keywords)
        {
            if (!keyword.Evaluate(instance, evaluation))
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

    private bool EvaluateBranches(JsonObject obj, SchemaEvaluation evaluation)
    {
        var valid = true;
        var function = obj.First().Key;
        evaluation.Path.Push(function);
        try
        {
            var index = 0;
            foreach (var branch in evaluation.Dialect.Branches(obj))
            {
                index++;
                if (evaluation.Dialect.IsAbsent(branch))
                {
                    continue;
                }

                evaluation.Path.Push(index);
                var ok = Evaluate(branch, evaluation);
                evaluation.Path.Pop();
                if (!ok)
                {
                    valid = false;
                    if (!evaluation.Collecting)
                    {
                        return false;
                    }
                }
            }
        }
        finally
        {
            evaluation.Path.Pop();
        }

        return valid;
    }
}

/// <summary>One compiled keyword.</summary>
internal abstract class SchemaKeyword
{
    /// <summary>Checks the instance; reports errors when the evaluation is collecting them.</summary>
    public abstract bool Evaluate(JsonNode? instance, SchemaEvaluation evaluation);
}
