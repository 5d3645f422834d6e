using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Bson;

/// <summary>Real mongodump/bsondump output (mongodb/mongo-tools test data): .bson files, their JSON renderings, metadata.</summary>
public sealed class MongodumpDataTests
{
    private const string Folder = "mongodb/mongodump";

    // bsondump's deliberately invalid inputs (see the folder README).
    private static readonly string[] InvalidOnPurpose = ["bad_cstring.bson", "bad_type.bson", "invalid_field_name.bson", "partial_file.bson", "random_bytes.bson"];

    // bsondump/testdata/deep_nested.bson nests 501 levels; the backup path reads dumps with a raised limit.
    private static readonly BsonReadOptions DeepOptions = new() { MaxDepth = 1024 };

    [Fact]
    public void DumpBsonFiles_DecodeAndReencodeByteForByte()
    {
        Conformance.Require(Folder);
        var (files, documents, failures) = (0, 0, new List<string>());
        foreach (var path in Conformance.Files(Folder, "*.bson").Where(p => !InvalidOnPurpose.Contains(Path.GetFileName(p))))
        {
            files++;
            try
            {
                foreach (var document in Split(File.ReadAllBytes(path)))
                {
                    documents++;
                    RawBsonDocument.Create(document, DeepOptions);
                    var reencoded = BsonDocument.FromBson(document.Span, DeepOptions).ToBson();
                    if (!reencoded.AsSpan().SequenceEqual(document.Span) && !Path.GetFileName(path).StartsWith("broken_array", StringComparison.Ordinal))
                    {
                        failures.Add($"{path}: document {documents} re-encodes differently");
                    }
                }
            }
            catch (BsonFormatException ex)
            {
                failures.Add($"{path}: {ex.Message}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"mongodump .bson: {files} files, {documents} documents, {failures.Count} failures");
        Assert.True(files > 0);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void BsondumpInvalidFiles_AreRejectedWithBsonFormatException()
    {
        Conformance.Require(Folder);
        var paths = Conformance.Files(Folder, "*.bson").Where(p => InvalidOnPurpose.Contains(Path.GetFileName(p))).ToList();
        Assert.Equal(InvalidOnPurpose.Length, paths.Count);
        foreach (var path in paths)
        {
            Assert.Throws<BsonFormatException>(() =>
            {
                foreach (var document in Split(File.ReadAllBytes(path)))
                {
                    BsonDocument.FromBson(document.Span);
                }
            });
        }
    }

    [Fact]
    public void BsondumpSampleJson_ParsesToTheSameBytesAsSampleBson()
    {
        var root = Conformance.Require(Folder);
        AssertJsonLinesMatchBson(Path.Combine(root, "bsondump/testdata/sample.json"), Path.Combine(root, "bsondump/testdata/sample.bson"));
        AssertJsonLinesMatchBson(Path.Combine(root, "mongodump/testdata/importCollection.json"), Path.Combine(root, "mongodump/testdata/importCollection.bson"));
    }

    [Fact]
    public void MetadataJsonFiles_ParseAsExtendedJson()
    {
        Conformance.Require(Folder);
        // One upstream file (testdirs/db1/c3.metadata.json) is empty on purpose; mongorestore treats it as "no metadata".
        var files = Conformance.Files(Folder, "*.metadata.json").Where(p => new FileInfo(p).Length > 0).ToList();
        foreach (var path in files)
        {
            var metadata = BsonDocument.ParseExtendedJson(File.ReadAllText(path), ExtendedJsonReadOptions.Default with { AcceptNumericDate = true });
            Assert.True(metadata.Contains("indexes") || metadata.Contains("options"), path);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"metadata.json files parsed: {files.Count}");
        Assert.NotEmpty(files);
    }

    private static void AssertJsonLinesMatchBson(string jsonPath, string bsonPath)
    {
        var lines = File.ReadAllLines(jsonPath).Where(l => l.Length > 0).ToList();
        var documents = Split(File.ReadAllBytes(bsonPath)).ToList();
        Assert.Equal(documents.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(documents[i].ToArray(), BsonDocument.ParseExtendedJson(lines[i]).ToBson());
            Assert.True(JsonAssert.SemanticallyEqual(lines[i], BsonDocument.FromBson(documents[i].Span).ToExtendedJson(ExtendedJsonMode.Canonical)));
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Split(byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = RawBsonDocument.ReadDeclaredLength(bytes.AsSpan(offset));
            if (length > bytes.Length - offset)
            {
                throw new BsonFormatException($"The last document declares {length} bytes but only {bytes.Length - offset} remain.", offset);
            }

            yield return bytes.AsMemory(offset, length);
            offset += length;
        }
    }
}
