using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>
/// The CloudFormation registry resource schemas in a directory (one file per type, named like
/// <c>aws-s3-bucket.json</c> for <c>AWS::S3::Bucket</c>), loaded and compiled lazily, once per type, on first use.
/// A catalog is thread-safe; keep one for the life of the process to pay each type's load cost once.
/// </summary>
/// <remarks>
/// The schemas are not shipped with the library. Point the catalog at a folder of registry schemas, for example
/// the <c>resources</c> folder of cfn-lint's schema data, or the output of
/// <c>aws cloudformation describe-type --type RESOURCE --type-name … --query Schema</c>.
/// </remarks>
public sealed class ResourceSchemaCatalog
{
    private readonly ConcurrentDictionary<string, Lazy<ResourceSchema?>> _schemas = new(StringComparer.Ordinal);
    private readonly Lazy<string[]> _fileStems;
    private readonly Func<string, byte[]?> _read;

    /// <summary>Creates a catalog over a directory of registry schema files.</summary>
    /// <param name="directory">Folder holding <c>aws-s3-bucket.json</c>-style files.</param>
    /// <exception cref="SchemaCatalogException">The directory does not exist.</exception>
    public ResourceSchemaCatalog(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new SchemaCatalogException(Directory, $"The resource schema directory '{Directory}' does not exist; point the catalog at a folder of CloudFormation registry schemas (aws-s3-bucket.json, ...).");
        }

        _fileStems = new Lazy<string[]>(
            () => [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)]);
        _read = fileName =>
        {
            var path = Path.Combine(Directory, fileName);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        };
    }

    private ResourceSchemaCatalog(string name, Func<string, byte[]?> read, Func<string[]> stems)
    {
        Directory = name;
        _read = read;
        _fileStems = new Lazy<string[]>(stems);
    }

    /// <summary>The name prefix of the schemas embedded in this assembly (<c>Workmates.OttKit.Schemas.aws-s3-bucket.json</c>).</summary>
    internal const string EmbeddedPrefix = "Workmates.OttKit.Schemas.";

    /// <summary>
    /// A catalog over the registry schemas embedded in the library: those of every resource type the blueprint emits
    /// (MIT-0, from the CloudFormation registry as cfn-lint distributes it). A type the blueprint does not emit is
    /// reported as unknown. Create one per process or per synthesis; schemas load on first use.
    /// </summary>
    /// <returns>A new catalog (its <see cref="Directory"/> is <c>embedded:Workmates.OttKit</c>).</returns>
    public static ResourceSchemaCatalog Embedded()
    {
        var assembly = typeof(ResourceSchemaCatalog).Assembly;
        return new ResourceSchemaCatalog(
            "embedded:Workmates.OttKit",
            fileName =>
            {
                using var stream = assembly.GetManifestResourceStream(EmbeddedPrefix + fileName);
                if (stream is null)
                {
                    return null;
                }

                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                return bytes;
            },
            () => [.. assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(EmbeddedPrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
                .Select(n => n[EmbeddedPrefix.Length..^".json".Length])
                .Order(StringComparer.Ordinal)]);
    }

    /// <summary>The full path of the schema directory (<c>embedded:…</c> for <see cref="Embedded"/>).</summary>
    public string Directory { get; }

    /// <summary>How many resource types have been loaded so far.</summary>
    public int LoadedCount => _schemas.Count(pair => pair.Value.IsValueCreated && pair.Value.Value is not null);

    /// <summary>Patterns compiled for this catalog's schemas, shared between types.</summary>
    internal EcmaRegexCache Patterns { get; } = new();

    /// <summary>True when the directory holds a schema for the type (exact spelling).</summary>
    /// <param name="typeName">A resource type such as <c>AWS::S3::Bucket</c>.</param>
    public bool Contains(string typeName) => Find(typeName) is not null;

    /// <summary>The file name a type's schema has: lower case, <c>::</c> → <c>-</c>, <c>.json</c>.</summary>
    /// <param name="typeName">A resource type such as <c>AWS::EC2::VPC</c>.</param>
    public static string FileNameOf(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return typeName.Replace("::", "-", StringComparison.Ordinal).ToLowerInvariant() + ".json";
    }

    /// <summary>The compiled schema of a type; null when the directory has none for it.</summary>
    internal ResourceSchema? Find(string typeName) =>
        _schemas.TryGetValue(typeName, out var loaded)
            ? loaded.Value
            : _schemas.GetOrAdd(typeName, name => new Lazy<ResourceSchema?>(() => Load(name), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The type name the schema file closest to a misspelt type declares, for "did you mean".</summary>
    internal string? SuggestType(string typeName)
    {
        var stem = Path.GetFileNameWithoutExtension(FileNameOf(typeName));
        var closest = NameSuggestion.Closest(stem, _fileStems.Value);
        return closest is null ? null : ReadTypeName(_read(closest + ".json"));
    }

    /// <summary>All type names in the directory (reads each file's <c>typeName</c>; for tools and tests).</summary>
    internal IEnumerable<string> EnumerateFiles() =>
        _fileStems.Value.Select(stem => Path.Combine(Directory, stem + ".json"));

    private ResourceSchema? Load(string typeName)
    {
        var path = Path.Combine(Directory, FileNameOf(typeName));
        JsonNode? document;
        try
        {
            var bytes = _read(FileNameOf(typeName));
            if (bytes is null)
            {
                return null;
            }

            document = JsonNode.Parse(bytes);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return ResourceSchema.Broken(typeName, $"the schema file '{path}' cannot be read ({ex.Message})");
        }

        if (document is not JsonObject obj)
        {
            return ResourceSchema.Broken(typeName, $"the schema file '{path}' is not a JSON object");
        }

        // File names are case-insensitive; type names are not ("AWS::S3::bucket" is not a type).
        if (JsonValues.TryGetString(obj["typeName"], out var declared) && !string.Equals(declared, typeName, StringComparison.Ordinal))
        {
            return null;
        }

        return ResourceSchema.FromDocument(typeName, obj, Patterns);
    }

    private static string? ReadTypeName(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            return json.RootElement.TryGetProperty("typeName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
