namespace Workmates.OttKit.Mongo.Bson;

/// <summary>Limits applied while reading BSON.</summary>
public sealed record BsonReadOptions
{
    /// <summary>The default limits: nesting depth 100 (the server's own limit).</summary>
    public static BsonReadOptions Default { get; } = new();

    /// <summary>Largest accepted <see cref="MaxDepth"/>; deeper limits would risk the stack of pool threads.</summary>
    public const int DepthCeiling = 2048;

    /// <summary>
    /// Maximum nesting of documents, arrays and code-with-scope scopes; the top-level document is depth 1. The default
    /// of 100 is MongoDB's documented limit for stored documents; raise it (up to <see cref="DepthCeiling"/>) to read
    /// command replies that wrap user documents or old dumps with deeper data (bsondump accepts 500+ levels).
    /// </summary>
    public int MaxDepth
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, DepthCeiling);
            field = value;
        }
    } = 100;

    /// <summary>
    /// A shared table that deduplicates field-name strings across decodes (recommended for hot paths; thread-safe).
    /// Null (the default) allocates each name.
    /// </summary>
    public BsonNameTable? NameTable { get; init; }
}
