namespace Workmates.OttKit.Mongo.Bson;

/// <summary>A BSON regular expression. Options are stored sorted, as the BSON specification requires.</summary>
public sealed record BsonRegularExpression
{
    /// <summary>Creates a regular expression; the options are sorted alphabetically.</summary>
    /// <param name="pattern">The pattern (no NUL characters).</param>
    /// <param name="options">The option letters (e.g. "imx"), in any order.</param>
    public BsonRegularExpression(string pattern, string options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        Pattern = pattern;
        Options = SortOptions(options);
    }

    /// <summary>The pattern.</summary>
    public string Pattern { get; }

    /// <summary>The option letters, sorted.</summary>
    public string Options { get; }

    private static string SortOptions(string options)
    {
        for (var i = 1; i < options.Length; i++)
        {
            if (options[i] < options[i - 1])
            {
                var chars = options.ToCharArray();
                Array.Sort(chars);
                return new string(chars);
            }
        }

        return options;
    }
}

/// <summary>A deprecated BSON DBPointer: a namespace and an ObjectId.</summary>
/// <param name="Namespace">The collection namespace ("$ref").</param>
/// <param name="Id">The ObjectId ("$id").</param>
public sealed record BsonDBPointer(string Namespace, ObjectId Id);

/// <summary>Deprecated BSON JavaScript code with a scope document.</summary>
/// <param name="Code">The code.</param>
/// <param name="Scope">The scope document.</param>
public sealed record BsonJavaScriptWithScope(string Code, BsonDocument Scope);

/// <summary>One named element of a <see cref="BsonDocument"/>.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value.</param>
public readonly record struct BsonElement(string Name, BsonValue Value);
