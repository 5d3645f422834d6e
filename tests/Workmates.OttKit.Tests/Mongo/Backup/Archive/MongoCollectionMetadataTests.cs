using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

public sealed class MongoCollectionMetadataTests
{
    // Hand-edited upstream fixtures, not tool output: one has a space after a colon, the other a relaxed number
    // ("expireAfterSeconds":1000) among canonical ones. They must parse and re-write to the same content, not the same bytes.
    private static readonly HashSet<string> HandEdited =
    [
        "mongorestore/testdata/coll_with_geohaystack_index/geohaystack_test/foo.metadata.json",
        "mongorestore/testdata/coll_with_ttl_index/test/foo.metadata.json",
    ];

    [Fact]
    public void ToJson_EveryCurrentStyleMetadataFileOfMongodump_IsReproducedByteForByte()
    {
        Conformance.Require(ArchiveTestData.Folder);
        var files = Conformance.Files(ArchiveTestData.Folder, "*.metadata.json").ToList();
        var failures = new List<string>();
        int parsed = 0, current = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (text.Length == 0)
            {
                continue; // testdirs/db1/c3.metadata.json is empty on purpose.
            }

            MongoCollectionMetadata metadata;
            try
            {
                metadata = MongoCollectionMetadata.Parse(text);
                parsed++;
            }
            catch (BsonFormatException ex)
            {
                failures.Add($"{Relative(file)}: does not parse: {ex.Message}");
                continue;
            }

            // The current mongodump style (canonical Extended JSON with collectionName) must round-trip exactly.
            if (HandEdited.Contains(Relative(file)))
            {
                if (!BsonDocument.ParseExtendedJson(metadata.ToJson()).Equals(BsonDocument.ParseExtendedJson(text)))
                {
                    failures.Add($"{Relative(file)}: re-written with different content: {metadata.ToJson()}");
                }
            }
            else if (metadata.CollectionName is not null)
            {
                current++;
                if (metadata.ToJson() != text)
                {
                    failures.Add($"{Relative(file)}: re-written as {metadata.ToJson()}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"metadata.json files: {files.Count}, parsed {parsed}, current style re-written byte for byte {current - failures.Count} of {current}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(current >= 10, $"expected the current-style files of the conformance data, found {current}");
    }

    [Fact]
    public void ToJson_OptionsLeftOutWhenNull_AndUuidCollectionNameTypeInMongodumpOrder()
    {
        var metadata = new MongoCollectionMetadata
        {
            Indexes = [new BsonDocument("v", BsonValue.FromInt32(2)).Add("key", BsonValue.FromDocument(new BsonDocument("f", BsonValue.FromDouble(1)))).Add("name", BsonValue.FromString("f_1"))],
            Uuid = MongoCollectionMetadata.FormatUuid(Guid.Parse("0679db72-0f49-44de-90ae-27472664e94a")),
            CollectionName = "foo",
            Type = "collection",
        };

        Assert.Equal(
            """{"indexes":[{"v":{"$numberInt":"2"},"key":{"f":{"$numberDouble":"1.0"}},"name":"f_1"}],"uuid":"0679db720f4944de90ae27472664e94a","collectionName":"foo","type":"collection"}""",
            metadata.ToJson());
    }

    [Fact]
    public void ToJson_ViewOptions_AreCanonicalExtendedJson()
    {
        var metadata = new MongoCollectionMetadata
        {
            Options = new BsonDocument("viewOn", BsonValue.FromString("events"))
                .Add("pipeline", BsonValue.FromArray(new BsonArray([BsonValue.FromDocument(new BsonDocument("$match", BsonValue.FromDocument(new BsonDocument("n", BsonValue.FromInt64(5)))))]))),
            CollectionName = "recent",
            Type = MongoCollectionMetadata.ViewType,
        };

        Assert.Equal(
            """{"options":{"viewOn":"events","pipeline":[{"$match":{"n":{"$numberLong":"5"}}}]},"indexes":[],"collectionName":"recent","type":"view"}""",
            metadata.ToJson());
    }

    [Fact]
    public void Parse_NotJson_ThrowsBsonFormatException() =>
        Assert.Throws<BsonFormatException>(() => MongoCollectionMetadata.Parse("""{"indexes":[{"key":{"{"a":"b"}":1}}]}"""));

    [Fact]
    public void For_TimeseriesEntry_AcceptsItsBucketsNamespace()
    {
        var entry = MongoArchiveCollectionEntry.For("db", new MongoCollectionMetadata { CollectionName = "ts", Type = MongoCollectionMetadata.TimeseriesType });

        Assert.Equal([new MongoArchiveNamespace("db", "ts"), new MongoArchiveNamespace("db", "system.buckets.ts")], entry.DataNamespaces());
    }

    private static string Relative(string file) => Path.GetRelativePath(Conformance.Require(ArchiveTestData.Folder), file);
}
