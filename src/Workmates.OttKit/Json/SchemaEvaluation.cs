using System.Text.Json.Nodes;

namespace Workmates.OttKit.Json;

/// <summary>
/// The state of one validation run: where we are in the instance, and where errors go. With no error list the run
/// is a fast yes/no check that stops at the first failure (used inside <c>anyOf</c>/<c>oneOf</c>/<c>not</c>).
/// </summary>
internal sealed class SchemaEvaluation
{
    public SchemaEvaluation(JsonInstanceDialect dialect, List<SchemaError>? errors)
    {
        Dialect = dialect;
        Errors = errors;
    }

    public JsonInstanceDialect Dialect { get; }

    public InstancePath Path { get; } = new();

    public List<SchemaError>? Errors { get; set; }

    public bool Collecting => Errors is not null;

    public void Report(string keyword, string message) => Errors?.Add(new SchemaError(Path.ToString(), keyword, message));

    public void ReportAt(string property, string keyword, string message)
    {
        if (Errors is null)
        {
            return;
        }

        Path.Push(property);
        Errors.Add(new SchemaError(Path.ToString(), keyword, message));
        Path.Pop();
    }

    /// <summary>Runs a sub-schema as a yes/no check, without reporting.</summary>
    public bool Test(SchemaNode schema, JsonNode? instance)
    {
        var saved = Errors;
        Errors = null;
        try
        {
            return schema.Evaluate(instance, this);
        }
        finally
        {
            Errors = saved;
        }
    }

    /// <summary>Runs a sub-schema collecting its errors into a separate list (to choose which to show).</summary>
    public List<SchemaError> Collect(SchemaNode schema, JsonNode? instance)
    {
        var saved = Errors;
        var list = new List<SchemaError>();
        Errors = list;
        try
        {
            schema.Evaluate(instance, this);
            return list;
        }
        finally
        {
            Errors = saved;
        }
    }

    /// <summary>True when the instance holds a deploy-time placeholder anywhere (then <c>oneOf</c> cannot be exact).</summary>
    public bool ContainsPlaceholder(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (Dialect.Classify(obj) != InstanceNodeKind.Plain)
                {
                    return true;
                }

                foreach (var (_, value) in obj)
                {
                    if (ContainsPlaceholder(value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (ContainsPlaceholder(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
