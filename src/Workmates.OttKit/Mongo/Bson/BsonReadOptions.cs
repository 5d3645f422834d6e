namespace Workmates.OttKit.Mongo.Bson;

/// <summary>Limits applied while reading BSON.</summary>
public sealed record BsonReadOptions
{
    /// <summary>The default limits: nesting depth 100 (the server's own limit).</summary>
    public static BsonReadOptions Default { get; } = new();

    /// <summary>Maximum nesting of documents, arrays and code-with-scope scopes; the top-level document is depth 1.</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>
    /// A shared table that deduplicates field-name strings across decodes (recommended for hot paths; thread-safe).
    /// Null (the default) allocates each name.
    /// </summary>
    public BsonNameTable? NameTable { get; init; }
}
