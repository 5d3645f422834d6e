using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// The content of a collection's <c>metadata.json</c> (in an archive: the prelude entry's <c>metadata</c> string): its
/// creation options and index specifications in canonical Extended JSON, written with the field order and omissions of
/// current mongodump: <c>{"options":…,"indexes":[…],"uuid":"…","collectionName":"…","type":"…"}</c>.
/// </summary>
public sealed record MongoCollectionMetadata
{
    /// <summary>The <c>type</c> of an ordinary collection.</summary>
    public const string CollectionType = "collection";

    /// <summary>The <c>type</c> of a view.</summary>
    public const string ViewType = "view";

    /// <summary>The <c>type</c> of a timeseries collection.</summary>
    public const string TimeseriesType = "timeseries";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = 1024,
    };

    /// <summary>
    /// Creation options as <c>listCollections</c> returns them (capped, size, validator, collation, viewOn, pipeline,
    /// timeseries…). <see langword="null"/> leaves <c>options</c> out, which current mongodump does when there are none;
    /// an empty document writes <c>"options":{}</c> as older tools did.
    /// </summary>
    public BsonDocument? Options { get; init; }

    /// <summary>Index specifications as <c>listIndexes</c> returns them (<c>v</c>, <c>key</c>, <c>name</c>, …); empty for a view.</summary>
    public IReadOnlyList<BsonDocument> Indexes { get; init; } = [];

    /// <summary>Collection UUID as 32 lowercase hex digits, or <see langword="null"/> to leave <c>uuid</c> out (views, old servers).</summary>
    public string? Uuid { get; init; }

    /// <summary>The collection name (<c>collectionName</c>), or <see langword="null"/> to leave it out as tools before 100.x did.</summary>
    public string? CollectionName { get; init; }

    /// <summary><c>collection</c>, <c>view</c> or <c>timeseries</c>, or <see langword="null"/> to leave <c>type</c> out.</summary>
    public string? Type { get; init; }

    /// <summary>Formats the UUID of a collection as mongodump writes it in <c>uuid</c>.</summary>
    /// <param name="uuid">The collection UUID (from <c>listCollections</c>' <c>info.uuid</c>, binary subtype 4, big-endian).</param>
    /// <returns>32 lowercase hex digits.</returns>
    public static string FormatUuid(Guid uuid) => Convert.ToHexStringLower(uuid.ToByteArray(bigEndian: true));

    /// <summary>Parses <c>metadata.json</c> text written by any mongodump generation (legacy relaxed or canonical).</summary>
    /// <param name="json">The text.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="BsonFormatException">The text is not a JSON object, or a field has the wrong shape.</exception>
    public static MongoCollectionMetadata Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var document = ExtendedJson.ParseDocument(json);
        BsonDocument? options = null;
        if (document.TryGetValue("options", out var optionsValue))
        {
            options = optionsValue.Type == BsonType.Document
                ? optionsValue.AsDocument
                : throw new BsonFormatException($"metadata 'options' is a {optionsValue.Type}, expected a document.");
        }

        var indexes = new List<BsonDocument>();
        if (document.TryGetValue("indexes", out var indexesValue))
        {
            if (indexesValue.Type != BsonType.Array)
            {
                throw new BsonFormatException($"metadata 'indexes' is a {indexesValue.Type}, expected an array.");
            }

            foreach (var index in indexesValue.AsArray)
            {
                indexes.Add(index.Type == BsonType.Document
                    ? index.AsDocument
                    : throw new BsonFormatException($"metadata 'indexes' holds a {index.Type}, expected documents."));
            }
        }

        return new MongoCollectionMetadata
        {
            Options = options,
            Indexes = indexes,
            Uuid = OptionalString(document, "uuid"),
            CollectionName = OptionalString(document, "collectionName"),
            Type = OptionalString(document, "type"),
        };
    }

    /// <summary>Writes the metadata as mongodump does: compact canonical Extended JSON, no trailing newline.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (Options is not null)
            {
                writer.WritePropertyName("options");
                ExtendedJson.WriteValue(writer, BsonValue.FromDocument(Options), ExtendedJsonMode.Canonical);
            }

            writer.WritePropertyName("indexes");
            writer.WriteStartArray();
            foreach (var index in Indexes)
            {
                ExtendedJson.WriteValue(writer, BsonValue.FromDocument(index), ExtendedJsonMode.Canonical);
            }

            writer.WriteEndArray();
            if (!string.IsNullOrEmpty(Uuid))
            {
                writer.WriteString("uuid", Uuid);
            }

            if (CollectionName is not null)
            {
                writer.WriteString("collectionName", CollectionName);
            }

            if (Type is not null)
            {
                writer.WriteString("type", Type);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? OptionalString(BsonDocument document, string name)
    {
        if (!document.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.Type == BsonType.String
            ? value.AsString
            : throw new BsonFormatException($"metadata '{name}' is a {value.Type}, expected a string.");
    }
}
